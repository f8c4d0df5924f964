// The console's UI shell: a header, a tiny hash router and a placeholder Sign in screen. All
// secrets stay in the key agent (agent.ts); this tab only renders and sends it requests.

import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { AgentClient, type AgentStatus, portTransport } from "./agent-protocol";

// ---------------------------------------------------------------------------------------------
// Routing: the hash keeps the server out of it, and links the server mails
// (`#/providers/accept-provider?…`) survive its `/` → `/console/` redirect.

type Route = { readonly name: "signIn" } | { readonly name: "notFound"; readonly path: string };

function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").split("?")[0] || "/";
  switch (path) {
    case "/":
    case "/sign-in":
      return { name: "signIn" };
    default:
      return { name: "notFound", path };
  }
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

// ---------------------------------------------------------------------------------------------
// The key agent

type AgentState =
  | { readonly kind: "connecting" }
  | { readonly kind: "ready"; readonly status: AgentStatus }
  | { readonly kind: "unavailable"; readonly reason: string };

let agent: AgentClient | null = null;

function connectAgent(): AgentClient {
  if (agent === null) {
    // A relative URL: the console is served under /console/, and so is the worker.
    const worker = new SharedWorker("agent.js", { name: "keyfleet-agent" });
    agent = new AgentClient(portTransport(worker.port));
  }
  return agent;
}

function useAgentStatus(): AgentState {
  const [state, setState] = useState<AgentState>({ kind: "connecting" });
  useEffect(() => {
    if (typeof SharedWorker === "undefined") {
      setState({ kind: "unavailable", reason: "this browser has no SharedWorker" });
      return;
    }
    connectAgent()
      .call("status", {})
      .then(
        (status) => setState({ kind: "ready", status }),
        (e: unknown) => setState({ kind: "unavailable", reason: e instanceof Error ? e.message : "no answer" }),
      );
  }, []);
  return state;
}

function AgentStatusLine({ state }: { readonly state: AgentState }) {
  let text: string;
  switch (state.kind) {
    case "connecting":
      text = "Connecting to the key agent…";
      break;
    case "unavailable":
      text = `Key agent unavailable: ${state.reason}.`;
      break;
    case "ready":
      text = state.status.signedIn ? `Signed in as ${state.status.email}.` : "Key agent ready. Not signed in.";
      break;
  }
  return (
    <p role="status" class={`agent-status agent-${state.kind}`}>
      {text}
    </p>
  );
}

// ---------------------------------------------------------------------------------------------
// Screens

function SignIn() {
  const [note, setNote] = useState("");
  return (
    <section aria-labelledby="sign-in-heading" class="card">
      <h2 id="sign-in-heading">Sign in</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setNote("Signing in is not available yet.");
        }}
      >
        <label for="email">Email address</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="master-password">Master password</label>
        <input id="master-password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
        <p class="note" aria-live="polite">
          {note}
        </p>
      </form>
    </section>
  );
}

function NotFound({ path }: { readonly path: string }) {
  return (
    <section aria-labelledby="not-found-heading" class="card">
      <h2 id="not-found-heading">Page not found</h2>
      <p>
        Nothing is at <code>{path}</code>. <a href="#/">Go to the start page</a>.
      </p>
    </section>
  );
}

function App() {
  const route = useRoute();
  const agentState = useAgentStatus();
  return (
    <>
      {/* Focus moves by hand: following "#main" would change the route. */}
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <h1>Keyfleet console</h1>
      </header>
      <main id="main" tabIndex={-1}>
        {route.name === "signIn" ? <SignIn /> : <NotFound path={route.path} />}
      </main>
      <footer class="bottom">
        <AgentStatusLine state={agentState} />
      </footer>
    </>
  );
}

const root = document.getElementById("app");
if (root !== null) render(<App />, root);
