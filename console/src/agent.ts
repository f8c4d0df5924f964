// The key agent: one SharedWorker per origin and browser profile (shared console-design §3). It
// will own the access and refresh tokens, the user key, the RSA private key, the provider keys
// and the launched clients' org keys, make the API calls and run all crypto (crypto.ts), so raw
// keys never reach a tab and the rotating refresh token is never shared between tabs. Closing the
// last console tab ends the worker, which signs the user out.
//
// For now it answers `ping` and `status`; sign-in comes next (see AgentMethods).

import { type AgentStatus, portTransport, serve } from "./agent-protocol";

/** What the agent holds. In memory only: nothing is written to storage. */
interface Session {
  readonly email: string;
}

let session: Session | null = null;

function status(): AgentStatus {
  return session === null ? { signedIn: false } : { signedIn: true, email: session.email };
}

// lib.dom has no SharedWorkerGlobalScope (and lib.webworker clashes with it), so name only what is
// used: each tab's connection arrives as a `connect` event carrying its port.
const scope = globalThis as unknown as {
  addEventListener(type: "connect", listener: (e: MessageEvent) => void): void;
};

scope.addEventListener("connect", (e) => {
  const port = e.ports[0];
  if (port === undefined) return;
  serve(portTransport(port), {
    ping: async () => ({ pong: true }),
    status: async () => status(),
  });
});
