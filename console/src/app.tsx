// The console's UI shell: header, hash router, and the screens. All secrets stay in the key agent
// (agent.ts); this tab only renders and sends it requests.

import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { AgentStatus, Profile } from "./agent-protocol";
import { type Route, parseRoute } from "./routes";
import { AcceptOrganization, AcceptProvider, Account, SetupProvider, SignIn, TwoStepSetup, Unlock } from "./screens/auth";
import { ClientPage } from "./screens/client";
import { ProviderPage } from "./screens/provider";
import { ErrorNote, Loading, call, onSessionEnded, useLoad, useProfileVersion } from "./ui";

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = (): void => {
      setRoute(parseRoute(location.hash));
      document.getElementById("main")?.focus();
    };
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

type AgentState =
  | { readonly kind: "connecting" }
  | { readonly kind: "ready"; readonly status: AgentStatus }
  | { readonly kind: "unavailable"; readonly reason: string };

function Home({ profile }: { readonly profile: Profile }) {
  const only = profile.providers.length === 1 ? profile.providers[0]?.id : undefined;
  useEffect(() => {
    // A member of one provider goes straight to its clients, unless the address moved on while
    // the profile loaded (a link followed meanwhile must not be overwritten).
    if (only !== undefined && parseRoute(location.hash).name === "home") location.replace(`#/p/${only}/clients`);
  }, [only]);
  return (
    <section aria-labelledby="home-h" class="card wide">
      <h2 id="home-h">Your providers</h2>
      {profile.providers.length === 0 ? (
        <p>
          You are not an active member of any provider.{" "}
          {profile.twoFactorEnabled ? null : (
            <>
              Provider members need two-step login: <a href="#/two-step">turn it on</a>.
            </>
          )}
        </p>
      ) : (
        <ul>
          {profile.providers.map((p) => (
            <li key={p.id}>
              <a href={`#/p/${p.id}/clients`}>{p.name}</a> ({p.role})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Screens that need a session and the profile. */
function SignedIn({ route, status, onStatus }: { readonly route: Route; readonly status: AgentStatus & { signedIn: true }; readonly onStatus: (s: AgentStatus) => void }) {
  const version = useProfileVersion();
  const profile = useLoad(
    () => call("profile", {}),
    `${status.email}:${route.name}:${route.name === "provider" ? route.providerId : ""}:${version}`,
  );
  if (route.name === "twoStep") {
    return (
      <TwoStepSetup
        email={status.email}
        {...(route.next === "" ? {} : { onEnabled: () => (location.hash = route.next) })}
      />
    );
  }
  if (route.name === "account") return <Account status={status} onStatus={onStatus} />;
  if (route.name === "client") return <ClientPage organizationId={route.organizationId} tab={route.tab} />;
  if (profile.data === undefined) {
    return profile.error !== null ? <ErrorNote error={profile.error} /> : <Loading what="your account" />;
  }
  if (route.name === "provider") {
    return (
      <ProviderPage profile={profile.data} providerId={route.providerId} tab={route.tab} clientId={route.clientId} member={route.member} />
    );
  }
  return <Home profile={profile.data} />;
}

function Body({ route, status, onStatus }: { readonly route: Route; readonly status: AgentStatus; readonly onStatus: (s: AgentStatus) => void }) {
  switch (route.name) {
    case "setupProvider":
      return <SetupProvider q={route.q} status={status} onStatus={onStatus} />;
    case "acceptProvider":
      return <AcceptProvider q={route.q} status={status} onStatus={onStatus} />;
    case "acceptOrg":
      return <AcceptOrganization q={route.q} status={status} onStatus={onStatus} />;
    case "notFound":
      return (
        <section aria-labelledby="not-found-heading" class="card">
          <h2 id="not-found-heading">Page not found</h2>
          <p>
            Nothing is at <code>{route.path}</code>. <a href="#/">Go to the start page</a>.
          </p>
        </section>
      );
  }
  if (!status.signedIn) {
    return (
      <SignIn
        onSignedIn={(s) => {
          onStatus(s);
          if (route.name === "signIn") location.hash = "#/";
        }}
      />
    );
  }
  if (status.locked) return <Unlock status={status} onStatus={onStatus} />;
  return <SignedIn route={route} status={status} onStatus={onStatus} />;
}

function App() {
  const route = useRoute();
  const [state, setState] = useState<AgentState>({ kind: "connecting" });
  const setStatus = (status: AgentStatus): void => setState({ kind: "ready", status });
  useEffect(() => {
    if (typeof SharedWorker === "undefined") {
      setState({ kind: "unavailable", reason: "this browser has no SharedWorker" });
      return;
    }
    call("status", {}).then(setStatus, (e: unknown) =>
      setState({ kind: "unavailable", reason: e instanceof Error ? e.message : "no answer" }),
    );
    return onSessionEnded(() => setStatus({ signedIn: false }));
  }, []);
  const status = state.kind === "ready" ? state.status : null;
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
        <h1>
          <a href="#/">Keyfleet console</a>
        </h1>
        {status?.signedIn === true ? (
          <nav aria-label="Account">
            <a href="#/account">{status.email}</a>
          </nav>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {state.kind === "connecting" ? <Loading what="the key agent" /> : null}
        {state.kind === "unavailable" ? <p class="error">Key agent unavailable: {state.reason}.</p> : null}
        {status !== null ? <Body route={route} status={status} onStatus={setStatus} /> : null}
      </main>
      <footer class="bottom">
        <p class="agent-status">
          {status === null ? "" : status.signedIn ? (status.locked ? "Locked." : `Signed in as ${status.email}.`) : "Not signed in."}
        </p>
      </footer>
    </>
  );
}

const root = document.getElementById("app");
if (root !== null) render(<App />, root);
