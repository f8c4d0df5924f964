// The key agent's message protocol: a tab sends { id, method, params } and gets back
// { id, ok: true, result } or { id, ok: false, error }. It names no transport: today the agent is a
// SharedWorker reached over a MessagePort, but the same protocol runs over a dedicated Worker, a
// BroadcastChannel leader (the fallback where SharedWorker is missing) or an in-memory channel in
// tests. Keys never cross it: tabs ask for results (a decrypted name, a confirmation done), never
// for key material.

/** Whether the agent holds a session, and for whom. */
export type AgentStatus = { readonly signedIn: false } | { readonly signedIn: true; readonly email: string };

type NoParams = Readonly<Record<string, never>>;

/** Every method the agent answers, with its parameters and result. */
export interface AgentMethods {
  /** Liveness: answers at once, without touching state. */
  ping: { params: NoParams; result: { readonly pong: true } };
  /** The session as the UI should show it. */
  status: { params: NoParams; result: AgentStatus };
  // Next (A1 in shared console-design §4.1), all inside the agent so tokens and keys stay there:
  // `prelogin` {email} -> KDF settings (checked with checkMinimums), `login` {email, password,
  // twoFactor?} -> status or a two-step challenge, `lock`, `signOut`, `fingerprint`.
}

export type MethodName = keyof AgentMethods;
export type ParamsOf<M extends MethodName> = AgentMethods[M]["params"];
export type ResultOf<M extends MethodName> = AgentMethods[M]["result"];

/** Why a request failed, in words safe to show. */
export type AgentErrorCode = "BadRequest" | "UnknownMethod" | "Failed";
export interface AgentError {
  readonly code: AgentErrorCode;
  readonly message: string;
}

export interface AgentRequest<M extends MethodName = MethodName> {
  readonly id: number;
  readonly method: M;
  readonly params: ParamsOf<M>;
}

export type AgentResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: AgentError };

/** A two-way message channel. Messages are structured-clone values. */
export interface Transport {
  post(message: unknown): void;
  listen(handler: (message: unknown) => void): void;
}

/** A MessagePort (SharedWorker, MessageChannel) as a transport. */
export function portTransport(port: MessagePort): Transport {
  return {
    post: (message) => port.postMessage(message),
    listen: (handler) => {
      port.addEventListener("message", (e: MessageEvent<unknown>) => handler(e.data));
      port.start();
    },
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;

const METHODS: ReadonlySet<string> = new Set<MethodName>(["ping", "status"]);

/** The agent side: answers each request with its handler; a handler's throw becomes an error. */
export function serve(
  transport: Transport,
  handlers: { [M in MethodName]: (params: ParamsOf<M>) => Promise<ResultOf<M>> },
): void {
  transport.listen((message) => {
    if (!isObject(message) || typeof message.id !== "number") return; // not ours: nothing to answer
    const { id, method, params } = message;
    const fail = (code: AgentErrorCode, text: string): void =>
      transport.post({ id, ok: false, error: { code, message: text } } satisfies AgentResponse);
    if (typeof method !== "string" || !METHODS.has(method)) return fail("UnknownMethod", `no method ${String(method)}`);
    if (!isObject(params)) return fail("BadRequest", "params must be an object");
    // The set check above makes the cast sound; each handler validates its own params.
    const handler = handlers[method as MethodName] as (p: unknown) => Promise<unknown>;
    handler(params).then(
      (result) => transport.post({ id, ok: true, result } satisfies AgentResponse),
      (e: unknown) => fail("Failed", e instanceof Error ? e.message : "failed"),
    );
  });
}

/** An agent failure as seen by a tab. */
export class AgentCallError extends Error {
  constructor(readonly error: AgentError) {
    super(error.message);
    this.name = "AgentCallError";
  }
}

/** The tab side: typed calls, matched to answers by request id. */
export class AgentClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly transport: Transport) {
    transport.listen((message) => {
      if (!isObject(message) || typeof message.id !== "number") return;
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      const response = message as AgentResponse;
      if (response.ok) waiter.resolve(response.result);
      else waiter.reject(new AgentCallError(response.error));
    });
  }

  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: (r) => resolve(r as ResultOf<M>), reject });
      this.transport.post({ id, method, params } satisfies AgentRequest<M>);
    });
  }
}
