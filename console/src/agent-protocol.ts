// The key agent's message protocol: a tab sends { id, method, params } and gets back
// { id, ok: true, result } or { id, ok: false, error }. It names no transport: today the agent is a
// SharedWorker reached over a MessagePort, but the same protocol runs over a dedicated Worker, a
// BroadcastChannel leader (the fallback where SharedWorker is missing) or an in-memory channel in
// tests. Keys never cross it: tabs ask for results (a decrypted name, a confirmation done), never
// for key material.

import type { Permission, ProviderRole, ProviderScope } from "./api/generated";

/** Whether the agent holds a session, and for whom. `locked`: tokens kept, keys dropped. */
export type AgentStatus =
  | { readonly signedIn: false }
  | { readonly signedIn: true; readonly email: string; readonly userId: string; readonly locked: boolean };

type NoParams = Readonly<Record<string, never>>;

/** A second factor answered in the tab (type: 0 authenticator, 1 email, 5 remember, 7 WebAuthn, 8 recovery). */
export interface SecondFactor {
  readonly provider: number;
  readonly token: string;
  readonly remember: boolean;
}

/** The server asked for a second factor: the providers it offers and their parameters. */
export interface TwoFactorChallenge {
  readonly providers: readonly number[];
  /** The masked address codes are mailed to (email provider). */
  readonly email: string | null;
  /** WebAuthn assertion options, for navigator.credentials.get in the tab. */
  readonly webauthn: unknown;
}

export type LoginResult =
  | { readonly kind: "ok"; readonly status: AgentStatus; readonly rememberToken: string | null }
  | { readonly kind: "twoFactor"; readonly challenge: TwoFactorChallenge };

/** An invitation that lets an account be created (registration may be closed). */
export interface Invitation {
  readonly kind: "provider" | "org";
  /** providerUserId or organizationUserId. */
  readonly id: string;
  readonly token: string;
}

/** A provider membership as the UI needs it (from sync; keys stay in the agent). */
export interface ProviderSummary {
  readonly id: string;
  readonly name: string;
  readonly role: ProviderRole;
  /** The member's own rights as the server sends them (`rolePermissions`), owners and admins included. */
  readonly permissions: readonly Permission[];
  readonly scope: ProviderScope;
  readonly hasKey: boolean;
}

export interface OrgSummary {
  readonly id: string;
  readonly name: string;
}

export interface Profile {
  readonly userId: string;
  readonly email: string;
  readonly name: string | null;
  readonly twoFactorEnabled: boolean;
  readonly providers: readonly ProviderSummary[];
  readonly organizations: readonly OrgSummary[];
}

/** A member's public key, shown as its fingerprint phrase before anything is wrapped to it. */
export interface MemberFingerprint {
  readonly id: string;
  readonly userId: string;
  readonly phrase: string;
}

export interface LaunchedClient {
  readonly organizationId: string;
  readonly organizationName: string;
  readonly providerId: string;
  readonly providerName: string;
}

export interface CollectionView {
  readonly id: string;
  readonly name: string;
  readonly users: readonly { readonly id: string; readonly readOnly: boolean; readonly hidePasswords: boolean; readonly manage: boolean }[];
}

export interface ItemView {
  readonly id: string;
  /** The wire's cipher type: 1 login, 2 secure note, 3 card, 4 identity, 5 SSH key. */
  readonly type: number;
  readonly name: string;
  readonly username: string;
  readonly uri: string;
  readonly collectionIds: readonly string[];
  readonly deleted: boolean;
}

/**
 * A login item's fields the console edits. On an edit everything else the item holds (notes,
 * custom fields, TOTP, other URIs, history, its own key, a non-login type's data) is kept as is.
 */
export interface ItemInput {
  readonly name: string;
  readonly username: string;
  /** `null` on an edit: keep the current password (never decrypted for it). */
  readonly password: string | null;
  readonly uri: string;
  readonly collectionIds: readonly string[];
}

export interface ClientInput {
  readonly name: string;
  readonly planType: number;
  readonly seats: number;
  readonly ownerEmail: string;
  readonly collectionName: string;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Every method the agent answers, with its parameters and result. */
export interface AgentMethods {
  /** Liveness: answers at once, without touching state. */
  ping: { params: NoParams; result: { readonly pong: true } };
  /** The session as the UI should show it. */
  status: { params: NoParams; result: AgentStatus };
  /** Prelogin, key derivation, token; a two-step challenge comes back for the tab to answer. */
  login: {
    params: { email: string; password: string; deviceIdentifier: string; secondFactor: SecondFactor | null };
    result: LoginResult;
  };
  /** Mails a two-step code (email provider). */
  sendEmailCode: { params: { email: string; password: string }; result: { readonly sent: true } };
  /** Creates an account from an invitation (keys made here), then signs in. */
  register: {
    params: { email: string; name: string; password: string; invitation: Invitation; deviceIdentifier: string };
    result: LoginResult;
  };
  unlock: { params: { password: string }; result: AgentStatus };
  lock: { params: NoParams; result: AgentStatus };
  signOut: { params: NoParams; result: AgentStatus };
  /** Sync's profile: providers (with the caller's rights) and organizations. */
  profile: { params: NoParams; result: Profile };
  /** An authenticated call with no crypto. `as: "text"` answers the body as text (CSV). */
  api: { params: { method: HttpMethod; path: string; body?: unknown; as?: "json" | "text" }; result: unknown };
  /** A call that needs the user's own password: checked here, sent as masterPasswordHash in the body. */
  apiWithPassword: {
    params: { method: HttpMethod; path: string; body: Readonly<Record<string, unknown>>; password: string };
    result: unknown;
  };
  ownFingerprint: { params: NoParams; result: { readonly phrase: string } };
  setupProvider: {
    params: { providerId: string; token: string; name: string; businessName: string; billingEmail: string };
    result: { readonly ok: true };
  };
  providerFingerprints: { params: { providerId: string; ids: string[] }; result: MemberFingerprint[] };
  /** Wraps the provider key to the public key last shown for that member. */
  confirmProviderMember: { params: { providerId: string; id: string }; result: { readonly ok: true } };
  createClient: { params: { providerId: string; client: ClientInput }; result: unknown };
  /**
   * P5b: links an organization the user is a member of: its key, unwrapped from the user's own
   * membership, is wrapped under the provider key; step-up with the user's own password.
   */
  linkClient: {
    params: { providerId: string; organizationId: string; password: string };
    result: unknown;
  };
  /** Step-up with the user's own password, then the launch call; the org key stays here. */
  launch: {
    params: { providerId: string; providerOrganizationId: string; password: string };
    result: LaunchedClient;
  };
  /** What this agent launched into (null: not launched, e.g. a guessed URL). */
  launched: { params: { organizationId: string }; result: LaunchedClient | null };
  orgFingerprints: { params: { organizationId: string; ids: string[] }; result: MemberFingerprint[] };
  confirmOrgMember: { params: { organizationId: string; id: string }; result: { readonly ok: true } };
  /**
   * Collections with decrypted names. `details` adds who has access (the server logs reading the
   * details as a vault access, 1903/1603, so screens that need only names leave it off).
   */
  collections: { params: { organizationId: string; details: boolean }; result: CollectionView[] };
  saveCollection: {
    params: {
      organizationId: string;
      id: string | null;
      name: string;
      users: { id: string; readOnly: boolean; hidePasswords: boolean; manage: boolean }[];
    };
    result: { readonly id: string };
  };
  items: { params: { organizationId: string }; result: ItemView[] };
  saveItem: { params: { organizationId: string; id: string | null; item: ItemInput }; result: { readonly id: string } };
  /** Decrypts one password for the tab and logs the reveal (or copy) as a client event. */
  revealPassword: {
    params: { organizationId: string; id: string; copy: boolean };
    result: { readonly password: string };
  };
  /**
   * Account recovery of the enrolled member `id`: unwraps their user key with the org private key,
   * sends `password`'s hash and the user key re-wrapped under it (issue 16). `email` is the KDF
   * salt only when the server sends none.
   */
  recoverAccount: {
    params: { organizationId: string; id: string; email: string; password: string; resetTwoFactor: boolean };
    result: { readonly ok: true };
  };
}

export type MethodName = keyof AgentMethods;
export type ParamsOf<M extends MethodName> = AgentMethods[M]["params"];
export type ResultOf<M extends MethodName> = AgentMethods[M]["result"];

/** Why a request failed, in words safe to show. */
export type AgentErrorCode = "BadRequest" | "UnknownMethod" | "Failed";
export interface AgentError {
  readonly code: AgentErrorCode;
  readonly message: string;
  /** The HTTP status when the server refused (0 when no server answer is involved). */
  readonly status: number;
  /** The server's validationErrors, field -> messages. */
  readonly validationErrors: Readonly<Record<string, readonly string[]>> | null;
}

/** A refusal carrying the server's status and validation errors across the protocol. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly validationErrors: Readonly<Record<string, readonly string[]>> | null = null,
  ) {
    super(message);
    this.name = "ApiFailure";
  }
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

const METHOD_LIST: { [M in MethodName]: true } = {
  ping: true,
  status: true,
  login: true,
  sendEmailCode: true,
  register: true,
  unlock: true,
  lock: true,
  signOut: true,
  profile: true,
  api: true,
  apiWithPassword: true,
  ownFingerprint: true,
  setupProvider: true,
  providerFingerprints: true,
  confirmProviderMember: true,
  createClient: true,
  linkClient: true,
  launch: true,
  launched: true,
  orgFingerprints: true,
  confirmOrgMember: true,
  collections: true,
  saveCollection: true,
  items: true,
  saveItem: true,
  revealPassword: true,
  recoverAccount: true,
};
const METHODS: ReadonlySet<string> = new Set(Object.keys(METHOD_LIST));

/** The agent side: answers each request with its handler; a handler's throw becomes an error. */
export function serve(
  transport: Transport,
  handlers: Partial<{ [M in MethodName]: (params: ParamsOf<M>) => Promise<ResultOf<M>> }>,
): void {
  transport.listen((message) => {
    if (!isObject(message) || typeof message.id !== "number") return; // not ours: nothing to answer
    const { id, method, params } = message;
    const fail = (
      code: AgentErrorCode,
      text: string,
      status = 0,
      validationErrors: AgentError["validationErrors"] = null,
    ): void =>
      transport.post({ id, ok: false, error: { code, message: text, status, validationErrors } } satisfies AgentResponse);
    if (typeof method !== "string" || !METHODS.has(method)) return fail("UnknownMethod", `no method ${String(method)}`);
    if (!isObject(params)) return fail("BadRequest", "params must be an object");
    // The set check above makes the cast sound; each handler validates its own params.
    const handler = handlers[method as MethodName] as ((p: unknown) => Promise<unknown>) | undefined;
    if (handler === undefined) return fail("UnknownMethod", `no method ${method}`);
    handler(params).then(
      (result) => transport.post({ id, ok: true, result } satisfies AgentResponse),
      (e: unknown) =>
        e instanceof ApiFailure
          ? fail("Failed", e.message, e.status, e.validationErrors)
          : fail("Failed", e instanceof Error ? e.message : "failed"),
    );
  });
}

/** An agent failure as seen by a tab. */
export class AgentCallError extends Error {
  constructor(readonly error: AgentError) {
    super(error.message);
    this.name = "AgentCallError";
  }

  /** The server says the caller must turn on two-step login first. */
  get twoStepRequired(): boolean {
    return this.error.validationErrors !== null && "twoStepLoginRequired" in this.error.validationErrors;
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
