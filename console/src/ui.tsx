// Shared UI pieces: the connection to the key agent, loading hooks, dialogs and small widgets.
// Everything the server sends is rendered as text (Preact escapes it).

import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { AgentCallError, AgentClient, type MethodName, type ParamsOf, type ResultOf, portTransport } from "./agent-protocol";

let client: AgentClient | null = null;

export function agentClient(): AgentClient {
  if (client === null) {
    // A relative URL: the console is served under /console/, and so is the worker.
    const worker = new SharedWorker("agent.js", { name: "keyfleet-agent" });
    client = new AgentClient(portTransport(worker.port));
  }
  return client;
}

type Listener = () => void;
const sessionEndedListeners = new Set<Listener>();

export function onSessionEnded(l: Listener): () => void {
  sessionEndedListeners.add(l);
  return () => sessionEndedListeners.delete(l);
}

/** Calls the agent; a 401 ends the session in the UI, a two-step requirement leads to its set-up. */
export async function call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  try {
    return await agentClient().call(method, params);
  } catch (e) {
    if (e instanceof AgentCallError) {
      if (e.error.status === 401) for (const l of sessionEndedListeners) l();
      else if (e.twoStepRequired && !location.hash.startsWith("#/two-step")) {
        location.hash = `#/two-step?next=${encodeURIComponent(location.hash)}`;
      }
    }
    throw e;
  }
}

const PROFILE_CHANGED = "keyfleet:profile-changed";

/** Tells the shell the caller's own rights changed (e.g. after handing over ownership). */
export function profileChanged(): void {
  dispatchEvent(new Event(PROFILE_CHANGED));
}

/** A number that grows at each [profileChanged]: part of the profile's load key. */
export function useProfileVersion(): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const bump = (): void => setN((x) => x + 1);
    addEventListener(PROFILE_CHANGED, bump);
    return () => removeEventListener(PROFILE_CHANGED, bump);
  }, []);
  return n;
}

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : "Something went wrong.";
}

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** Loads once per change of `key`; `reload` loads again. */
export function useLoad<T>(fn: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    fn().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, error, loading, reload };
}

export interface Page<T> {
  readonly data: T[];
  readonly continuationToken?: string | null;
}

/**
 * A list the server pages with `continuationToken`: the first page per change of `key`, then
 * `more` (null when there is nothing more) appends the next one.
 */
export function usePaged<T>(
  fetchPage: (token: string | null) => Promise<Page<T>>,
  key: string,
): { readonly items: T[] | undefined; readonly error: unknown; readonly more: (() => Promise<void>) | null } {
  const first = useLoad(() => fetchPage(null), key);
  const [extra, setExtra] = useState<{ key: string; items: T[]; token: string | null } | null>(null);
  const mine = extra !== null && extra.key === key ? extra : null;
  const token = mine !== null ? mine.token : (first.data?.continuationToken ?? null);
  const items = first.data === undefined ? undefined : [...first.data.data, ...(mine?.items ?? [])];
  return {
    items,
    error: first.error,
    more:
      token === null || token === ""
        ? null
        : async () => {
            const next = await fetchPage(token);
            setExtra({ key, items: [...(mine?.items ?? []), ...next.data], token: next.continuationToken ?? null });
          },
  };
}

/** A table that scrolls sideways inside its own box when the window is narrower than it. */
export function Table({ children }: { readonly children: ComponentChildren }) {
  return (
    <div class="table-scroll">
      <table>{children}</table>
    </div>
  );
}

export function ErrorNote({ error }: { readonly error: unknown }) {
  if (error === null || error === undefined || error === "") return null;
  return (
    <p class="error" role="alert">
      {typeof error === "string" ? error : errText(error)}
    </p>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p class="note" role="status">
      Loading {what}…
    </p>
  );
}

let dialogSeq = 0;

/** A modal <dialog>: focus is trapped by the browser, Escape closes it. */
export function Dialog({
  title,
  onClose,
  children,
}: {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [id] = useState(() => `dialog-${++dialogSeq}`);
  useEffect(() => {
    const d = ref.current;
    if (d !== null && !d.open) d.showModal();
    return () => {
      if (d !== null && d.open) d.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={id}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={id}>{title}</h2>
      {children}
      <button type="button" class="secondary close" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}

/** A form whose submit runs `action`, showing progress and the refusal, if any. */
export function ActionForm({
  action,
  submit,
  busyText,
  children,
  label,
}: {
  readonly action: () => Promise<void>;
  readonly submit: string;
  readonly busyText?: string;
  readonly children: ComponentChildren;
  readonly label?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        if (busy) return;
        setBusy(true);
        setError(null);
        action().then(
          () => setBusy(false),
          (err: unknown) => {
            setBusy(false);
            setError(err);
          },
        );
      }}
    >
      {children}
      <button type="submit" disabled={busy}>
        {busy ? (busyText ?? "Working…") : submit}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

let fieldSeq = 0;

export function Field({
  label,
  value,
  onInput,
  type = "text",
  required = false,
  autocomplete,
  readOnly = false,
  hint,
}: {
  readonly label: string;
  readonly value: string;
  readonly onInput: (v: string) => void;
  readonly type?: "text" | "email" | "password" | "number";
  readonly required?: boolean;
  readonly autocomplete?: string;
  readonly readOnly?: boolean;
  readonly hint?: string;
}) {
  const [id] = useState(() => `field-${++fieldSeq}`);
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        // Preact types `type` as a discriminated union; the value is one of the four above.
        {...({ type } as { type: "text" })}
        value={value}
        required={required}
        readOnly={readOnly}
        autocomplete={autocomplete ?? "off"}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {hint === undefined ? null : (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </>
  );
}

/** A button that runs an async action, showing its refusal next to it. */
export function ActionButton({
  label,
  action,
  class: cls,
  ariaLabel,
}: {
  readonly label: string;
  readonly action: () => Promise<void>;
  readonly class?: string;
  readonly ariaLabel?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button
        type="button"
        class={cls ?? "secondary"}
        aria-label={ariaLabel}
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          action().then(
            () => setBusy(false),
            (e: unknown) => {
              setBusy(false);
              setError(e);
            },
          );
        }}
      >
        {label}
      </button>
      {error === null ? null : (
        <span class="error" role="alert">
          {errText(error)}
        </span>
      )}
    </>
  );
}

/** Saves text as a file through a blob: URL (allowed by the CSP; no server round trip). */
export function downloadText(fileName: string, text: string, type = "text/csv"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A stable id for this browser (not secret): the token endpoint's deviceIdentifier. */
export function deviceIdentifier(): string {
  let id = localStorage.getItem("keyfleet.deviceIdentifier");
  if (id === null) {
    id = crypto.randomUUID();
    localStorage.setItem("keyfleet.deviceIdentifier", id);
  }
  return id;
}

export function CopyButton({ text, label }: { readonly text: string; readonly label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="secondary small"
      aria-label={label}
      onClick={() => {
        navigator.clipboard?.writeText(text).then(
          () => setDone(true),
          () => setDone(false),
        );
      }}
    >
      {done ? "Copied" : "Copy"}
    </button>
  );
}

export function formatDate(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
