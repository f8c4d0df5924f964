// Screens A (shared console-design §4.1): sign in (A1) with two-step (A2), create an account from an
// invitation (A3), accept a provider invitation (A4), set up a provider (A5), two-step set-up (A6),
// the account page (A7), and accepting an organization invitation.

import { useEffect, useState } from "preact/hooks";
import type { AgentStatus, Invitation, LoginResult, Profile, TwoFactorChallenge } from "../agent-protocol";
import { newPasswordProblem } from "../login";
import {
  ActionButton,
  ActionForm,
  ErrorNote,
  Field,
  Loading,
  call,
  deviceIdentifier,
  errText,
  useLoad,
} from "../ui";
import { assertForLogin, createForRegistration } from "../webauthn";

const PROVIDER_NAMES: Record<number, string> = {
  0: "Authenticator app",
  1: "Email",
  7: "Security key",
  8: "Recovery code",
};

function rememberKey(email: string): string {
  return `keyfleet.remember.${email.trim().toLowerCase()}`;
}

/** A1 + A2: email and master password, then the second factor the server asks for. */
export function SignIn({
  fixedEmail,
  onSignedIn,
  heading = "Sign in",
}: {
  readonly fixedEmail?: string;
  readonly onSignedIn: (s: AgentStatus) => void;
  readonly heading?: string;
}) {
  const [email, setEmail] = useState(fixedEmail ?? "");
  const [password, setPassword] = useState("");
  const [challenge, setChallenge] = useState<TwoFactorChallenge | null>(null);

  const finish = (r: LoginResult, remember: boolean): void => {
    if (r.kind === "twoFactor") {
      setChallenge(r.challenge);
      return;
    }
    if (remember && r.rememberToken !== null) localStorage.setItem(rememberKey(email), r.rememberToken);
    onSignedIn(r.status);
  };

  if (challenge !== null) {
    return (
      <TwoStepLogin
        email={email}
        password={password}
        challenge={challenge}
        onResult={finish}
        onCancel={() => setChallenge(null)}
      />
    );
  }
  return (
    <section aria-labelledby="sign-in-heading" class="card">
      <h2 id="sign-in-heading">{heading}</h2>
      <p class="note" data-testid="sign-in-note">
        The console signs out when its last tab closes or reloads: your keys are kept only in its memory, never stored.
      </p>
      <ActionForm
        submit="Sign in"
        busyText="Deriving key…"
        action={async () => {
          const remembered = localStorage.getItem(rememberKey(email));
          let r = await call("login", {
            email,
            password,
            deviceIdentifier: deviceIdentifier(),
            secondFactor: remembered === null ? null : { provider: 5, token: remembered, remember: false },
          });
          if (r.kind === "twoFactor" && remembered !== null) {
            localStorage.removeItem(rememberKey(email));
            r = await call("login", { email, password, deviceIdentifier: deviceIdentifier(), secondFactor: null });
          }
          finish(r, false);
        }}
      >
        <Field
          label="Email address"
          type="email"
          value={email}
          onInput={setEmail}
          required
          autocomplete="username"
          readOnly={fixedEmail !== undefined}
        />
        <Field
          label="Master password"
          type="password"
          value={password}
          onInput={setPassword}
          required
          autocomplete="current-password"
        />
      </ActionForm>
    </section>
  );
}

/** A2: the second factor. Security keys are asked in this tab (WebAuthn needs a window). */
function TwoStepLogin({
  email,
  password,
  challenge,
  onResult,
  onCancel,
}: {
  readonly email: string;
  readonly password: string;
  readonly challenge: TwoFactorChallenge;
  readonly onResult: (r: LoginResult, remember: boolean) => void;
  readonly onCancel: () => void;
}) {
  const offered = challenge.providers.filter((p) => p in PROVIDER_NAMES);
  const [provider, setProvider] = useState<number>(offered.includes(0) ? 0 : (offered[0] ?? 8));
  const [code, setCode] = useState("");
  const [remember, setRemember] = useState(false);
  const [note, setNote] = useState("");
  // Choosing email codes mails one, as the official apps do (the server sends none by itself).
  useEffect(() => {
    if (provider !== 1) return;
    let live = true;
    setNote("Sending a code…");
    call("sendEmailCode", { email, password }).then(
      () => live && setNote(`Code sent to ${challenge.email ?? "your email address"}.`),
      (e: unknown) => live && setNote(errText(e)),
    );
    return () => {
      live = false;
    };
  }, [provider]);
  const send = async (token: string): Promise<void> => {
    const r = await call("login", {
      email,
      password,
      deviceIdentifier: deviceIdentifier(),
      secondFactor: { provider, token: token.trim().replace(/\s/g, ""), remember },
    });
    onResult(r, remember);
  };
  return (
    <section aria-labelledby="two-step-heading" class="card">
      <h2 id="two-step-heading">Two-step login</h2>
      <fieldset>
        <legend>Method</legend>
        {[...offered, ...(offered.includes(8) ? [] : [8])].map((p) => (
          <label class="inline" key={p}>
            <input type="radio" name="tf" checked={provider === p} onChange={() => setProvider(p)} />{" "}
            {PROVIDER_NAMES[p]}
          </label>
        ))}
      </fieldset>
      {provider === 7 ? (
        <ActionForm
          submit="Use security key"
          action={async () => send(await assertForLogin(challenge.webauthn))}
        >
          <p>Insert or touch your security key when the browser asks.</p>
          <RememberBox value={remember} onChange={setRemember} />
        </ActionForm>
      ) : (
        <ActionForm submit="Continue" busyText="Checking…" action={() => send(code)}>
          {provider === 1 ? (
            <>
              <p class="note" aria-live="polite" data-testid="email-code-note">
                {note}
              </p>
              <ActionButton
                label="Send the code again"
                action={async () => {
                  await call("sendEmailCode", { email, password });
                  setNote(`Another code sent to ${challenge.email ?? "your email address"}.`);
                }}
              />
            </>
          ) : null}
          <Field
            label={provider === 8 ? "Recovery code" : provider === 1 ? "Code from the email" : "Code from the authenticator app"}
            value={code}
            onInput={setCode}
            required
            autocomplete="one-time-code"
          />
          <RememberBox value={remember} onChange={setRemember} />
        </ActionForm>
      )}
      <button type="button" class="secondary" onClick={onCancel}>
        Back
      </button>
    </section>
  );
}

function RememberBox({ value, onChange }: { readonly value: boolean; readonly onChange: (v: boolean) => void }) {
  return (
    <label class="inline">
      <input type="checkbox" checked={value} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />{" "}
      Remember this browser for two-step login
    </label>
  );
}

/** A3: a new account from an invitation; the keys are made in the agent. */
export function CreateAccount({
  email,
  invitation,
  onSignedIn,
}: {
  readonly email: string;
  readonly invitation: Invitation;
  readonly onSignedIn: (s: AgentStatus) => void;
}) {
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  return (
    <section aria-labelledby="create-heading" class="card">
      <h2 id="create-heading">Create your account</h2>
      <p>
        Your master password never leaves this browser. Nobody can reset it for you: keep it somewhere
        safe.
      </p>
      <ActionForm
        submit="Create account"
        busyText="Creating keys…"
        action={async () => {
          const problem = newPasswordProblem(password, again);
          if (problem !== null) throw new Error(problem);
          const r = await call("register", {
            email,
            name,
            password,
            invitation,
            deviceIdentifier: deviceIdentifier(),
          });
          if (r.kind === "ok") onSignedIn(r.status);
          else throw new Error("Sign in to continue.");
        }}
      >
        <Field label="Email address" type="email" value={email} onInput={() => undefined} readOnly />
        <Field label="Your name" value={name} onInput={setName} required autocomplete="name" />
        <Field
          label="Master password"
          type="password"
          value={password}
          onInput={setPassword}
          required
          autocomplete="new-password"
          hint="At least 12 characters."
        />
        <Field
          label="Master password again"
          type="password"
          value={again}
          onInput={setAgain}
          required
          autocomplete="new-password"
        />
      </ActionForm>
    </section>
  );
}

/** Create an account or sign in, for the invitation pages. */
function AccountStep({
  email,
  invitation,
  onSignedIn,
}: {
  readonly email: string;
  readonly invitation: Invitation;
  readonly onSignedIn: (s: AgentStatus) => void;
}) {
  const [haveAccount, setHaveAccount] = useState(false);
  return (
    <>
      {haveAccount ? (
        <SignIn fixedEmail={email} onSignedIn={onSignedIn} />
      ) : (
        <CreateAccount email={email} invitation={invitation} onSignedIn={onSignedIn} />
      )}
      <p class="center">
        <button type="button" class="link" onClick={() => setHaveAccount(!haveAccount)}>
          {haveAccount ? "I need a new account" : "I already have an account"}
        </button>
      </p>
    </>
  );
}

function useProfile(status: AgentStatus, n: number) {
  return useLoad<Profile | null>(
    async () => (status.signedIn && !status.locked ? call("profile", {}) : null),
    `${status.signedIn ? status.email : ""}:${n}`,
  );
}

function Steps({ steps, current }: { readonly steps: readonly string[]; readonly current: number }) {
  return (
    <ol class="steps" aria-label="Steps">
      {steps.map((s, i) => (
        <li key={s} aria-current={i === current ? "step" : undefined} class={i < current ? "done" : ""}>
          {s}
        </li>
      ))}
    </ol>
  );
}

/** A5: the invited owner sets up the provider (account, two-step login, then the provider key). */
export function SetupProvider({
  q,
  status,
  onStatus,
}: {
  readonly q: Readonly<Record<string, string>>;
  readonly status: AgentStatus;
  readonly onStatus: (s: AgentStatus) => void;
}) {
  const [n, setN] = useState(0);
  const profile = useProfile(status, n);
  const [name, setName] = useState("");
  const [businessName, setBusinessName] = useState("");
  const [billingEmail, setBillingEmail] = useState(q.email ?? "");
  const email = q.email ?? "";
  const providerId = q.providerId ?? "";
  const steps = ["Account", "Two-step login", "Provider"];
  if (!status.signedIn) {
    return (
      <>
        <Steps steps={steps} current={0} />
        <AccountStep
          email={email}
          invitation={{ kind: "provider", id: q.providerUserId ?? "", token: q.token ?? "" }}
          onSignedIn={onStatus}
        />
      </>
    );
  }
  if (profile.loading && profile.data === undefined) return <Loading what="your account" />;
  if (profile.data === null || profile.data === undefined) return <ErrorNote error={profile.error} />;
  if (profile.data.providers.some((p) => p.id === providerId && p.hasKey)) {
    return (
      <section class="card" aria-labelledby="setup-done">
        <h2 id="setup-done">The provider is set up</h2>
        <p>
          <a href={`#/p/${providerId}/members`}>Invite your team</a>
        </p>
      </section>
    );
  }
  if (!profile.data.twoFactorEnabled) {
    return (
      <>
        <Steps steps={steps} current={1} />
        <TwoStepSetup email={status.email} onEnabled={() => setN(n + 1)} intro="Provider members must use two-step login. Turn it on to continue." />
      </>
    );
  }
  return (
    <>
      <Steps steps={steps} current={2} />
      <section aria-labelledby="setup-heading" class="card">
        <h2 id="setup-heading">Set up your provider</h2>
        <p>A new provider key is made in this browser and wrapped to your own account key.</p>
        <ActionForm
          submit="Set up provider"
          busyText="Setting up…"
          action={async () => {
            await call("setupProvider", { providerId, token: q.token ?? "", name, businessName, billingEmail });
            location.hash = `#/p/${providerId}/members`;
          }}
        >
          <Field label="Provider name" value={name} onInput={setName} required />
          <Field label="Business name" value={businessName} onInput={setBusinessName} />
          <Field label="Billing email" type="email" value={billingEmail} onInput={setBillingEmail} required />
        </ActionForm>
      </section>
    </>
  );
}

/** Shows the account's own fingerprint phrase. */
export function OwnFingerprint({ intro }: { readonly intro: string }) {
  const fp = useLoad(() => call("ownFingerprint", {}), "fp");
  return (
    <div class="fingerprint-box">
      <p>{intro}</p>
      {fp.data === undefined ? (
        <ErrorNote error={fp.error} />
      ) : (
        <p class="phrase" data-testid="own-fingerprint">
          {fp.data.phrase}
        </p>
      )}
    </div>
  );
}

/** A4: accept a provider invitation; the admin confirms after comparing the fingerprint phrase. */
export function AcceptProvider({
  q,
  status,
  onStatus,
}: {
  readonly q: Readonly<Record<string, string>>;
  readonly status: AgentStatus;
  readonly onStatus: (s: AgentStatus) => void;
}) {
  const [n, setN] = useState(0);
  const [accepted, setAccepted] = useState(false);
  const profile = useProfile(status, n);
  const email = q.email ?? "";
  const steps = ["Account", "Two-step login", "Accept"];
  const providerName = q.providerName ?? "the provider";
  if (!status.signedIn) {
    return (
      <>
        <p class="lead">
          You are invited to join <strong>{providerName}</strong>.
        </p>
        <Steps steps={steps} current={0} />
        <AccountStep
          email={email}
          invitation={{ kind: "provider", id: q.providerUserId ?? "", token: q.token ?? "" }}
          onSignedIn={onStatus}
        />
      </>
    );
  }
  if (profile.data === undefined || profile.data === null) {
    return profile.error !== null ? <ErrorNote error={profile.error} /> : <Loading what="your account" />;
  }
  if (!profile.data.twoFactorEnabled) {
    return (
      <>
        <Steps steps={steps} current={1} />
        <TwoStepSetup email={status.email} onEnabled={() => setN(n + 1)} intro="Provider members must use two-step login. Turn it on to continue." />
      </>
    );
  }
  if (!accepted) {
    return (
      <>
        <Steps steps={steps} current={2} />
        <section aria-labelledby="accept-heading" class="card">
          <h2 id="accept-heading">Join {providerName}</h2>
          <ActionForm
            submit="Accept invitation"
            action={async () => {
              await call("api", {
                method: "POST",
                path: `/api/providers/${encodeURIComponent(q.providerId ?? "")}/users/${encodeURIComponent(q.providerUserId ?? "")}/accept`,
                body: { token: q.token ?? "" },
              });
              setAccepted(true);
            }}
          >
            <p>Signed in as {status.email}.</p>
          </ActionForm>
        </section>
      </>
    );
  }
  return (
    <section aria-labelledby="accepted-heading" class="card">
      <h2 id="accepted-heading">Invitation accepted</h2>
      <p>An administrator of {providerName} now confirms you.</p>
      <OwnFingerprint intro="Read this fingerprint phrase to your administrator (by phone or in person). They confirm you only if it matches what their console shows:" />
    </section>
  );
}

/** A client employee accepts an organization invitation. */
export function AcceptOrganization({
  q,
  status,
  onStatus,
}: {
  readonly q: Readonly<Record<string, string>>;
  readonly status: AgentStatus;
  readonly onStatus: (s: AgentStatus) => void;
}) {
  const [accepted, setAccepted] = useState(false);
  const orgName = q.organizationName ?? "the organization";
  if (!status.signedIn) {
    return (
      <>
        <p class="lead">
          You are invited to join <strong>{orgName}</strong>.
        </p>
        <AccountStep
          email={q.email ?? ""}
          invitation={{ kind: "org", id: q.organizationUserId ?? "", token: q.token ?? "" }}
          onSignedIn={onStatus}
        />
      </>
    );
  }
  if (!accepted) {
    return (
      <section aria-labelledby="accept-org-heading" class="card">
        <h2 id="accept-org-heading">Join {orgName}</h2>
        <ActionForm
          submit="Accept invitation"
          action={async () => {
            await call("api", {
              method: "POST",
              path: `/api/organizations/${encodeURIComponent(q.organizationId ?? "")}/users/${encodeURIComponent(q.organizationUserId ?? "")}/accept`,
              body: { token: q.token ?? "" },
            });
            setAccepted(true);
          }}
        >
          <p>Signed in as {status.email}.</p>
        </ActionForm>
      </section>
    );
  }
  return (
    <section aria-labelledby="accepted-org-heading" class="card">
      <h2 id="accepted-org-heading">Invitation accepted</h2>
      <p>An administrator of {orgName} now confirms you; then its items appear in your Bitwarden apps.</p>
      <OwnFingerprint intro="If your administrator asks, read them this fingerprint phrase:" />
    </section>
  );
}

interface TwoFactorList {
  data: { type: number; enabled: boolean }[];
}

/** A6: authenticator app and security keys. Every change is confirmed with the master password. */
export function TwoStepSetup({
  email,
  onEnabled,
  intro,
}: {
  readonly email: string;
  readonly onEnabled?: () => void;
  readonly intro?: string;
}) {
  const [password, setPassword] = useState("");
  const [secret, setSecret] = useState<{ key: string; token: string | null } | null>(null);
  const [code, setCode] = useState("");
  const [recovery, setRecovery] = useState<string | null>(null);
  const [keyName, setKeyName] = useState("Security key");
  const [n, setN] = useState(0);
  const list = useLoad(async () => (await call("api", { method: "GET", path: "/api/two-factor" })) as TwoFactorList, `tf${n}`);
  const enabled = (t: number): boolean => list.data?.data.some((p) => p.type === t && p.enabled) ?? false;
  const needPassword = (): void => {
    if (password === "") throw new Error("Enter your master password first.");
  };
  return (
    <section aria-labelledby="twostep-setup-heading" class="card wide">
      <h2 id="twostep-setup-heading">Two-step login</h2>
      {intro === undefined ? null : <p class="lead">{intro}</p>}
      <p>
        Status: authenticator app <strong>{enabled(0) ? "on" : "off"}</strong>, security keys{" "}
        <strong>{enabled(7) ? "on" : "off"}</strong>.
      </p>
      <Field
        label="Your master password (confirms each change)"
        type="password"
        value={password}
        onInput={setPassword}
        autocomplete="current-password"
      />
      <h3>Authenticator app</h3>
      {secret === null ? (
        <ActionButton
          label="Set up authenticator app"
          class="primary"
          action={async () => {
            needPassword();
            const r = (await call("apiWithPassword", {
              method: "POST",
              path: "/api/two-factor/get-authenticator",
              body: {},
              password,
            })) as { key?: string; authenticator?: { key: string }; userVerificationToken?: string };
            const key = r.authenticator?.key ?? r.key ?? "";
            setSecret({ key, token: r.userVerificationToken ?? null });
          }}
        />
      ) : recovery === null ? (
        <>
          <p>Add this key to your authenticator app, then enter the code it shows.</p>
          <p>
            Key: <code data-testid="totp-secret">{secret.key}</code>
          </p>
          <p class="small">
            Or the link: <code class="wrap">{`otpauth://totp/Keyfleet:${encodeURIComponent(email)}?secret=${secret.key}&issuer=Keyfleet`}</code>
          </p>
          <ActionForm
            submit="Turn on"
            action={async () => {
              needPassword();
              const body: Record<string, unknown> = { key: secret.key, token: code.trim() };
              if (secret.token !== null) body.userVerificationToken = secret.token;
              await call("apiWithPassword", { method: "PUT", path: "/api/two-factor/authenticator", body, password });
              const r = (await call("apiWithPassword", {
                method: "POST",
                path: "/api/two-factor/get-recover",
                body: {},
                password,
              }).catch(() => ({ code: "" }))) as { code: string };
              setRecovery(r.code);
              setN(n + 1);
            }}
          >
            <Field label="Code from the app" value={code} onInput={setCode} required autocomplete="one-time-code" />
          </ActionForm>
        </>
      ) : (
        <>
          <p role="status">The authenticator app is on.</p>
          <p>
            Your recovery code (write it down; it turns two-step login off if you lose your devices):{" "}
            <code data-testid="recovery-code">{recovery}</code>
          </p>
          {onEnabled === undefined ? null : (
            <button type="button" onClick={onEnabled}>
              Continue
            </button>
          )}
        </>
      )}
      <h3>Security keys</h3>
      <ActionForm
        submit="Register security key"
        action={async () => {
          needPassword();
          const options = await call("apiWithPassword", {
            method: "POST",
            path: "/api/two-factor/get-webauthn-challenge",
            body: {},
            password,
          });
          const deviceResponse = await createForRegistration(options);
          const existing = (await call("api", { method: "GET", path: "/api/two-factor/get-webauthn" }).catch(
            () => null,
          )) as { keys?: { id: number }[] } | null;
          const used = new Set((existing?.keys ?? []).map((k) => k.id));
          let id = 1;
          while (used.has(id)) id++;
          await call("apiWithPassword", {
            method: "PUT",
            path: "/api/two-factor/webauthn",
            body: { id, name: keyName, deviceResponse },
            password,
          });
          setN(n + 1);
        }}
      >
        <Field label="Name of the key" value={keyName} onInput={setKeyName} required />
      </ActionForm>
      {onEnabled !== undefined && recovery === null && (enabled(0) || enabled(7)) ? (
        <button type="button" onClick={onEnabled}>
          Continue
        </button>
      ) : null}
    </section>
  );
}

/** A7: the account page. */
export function Account({ status, onStatus }: { readonly status: AgentStatus; readonly onStatus: (s: AgentStatus) => void }) {
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setError(null), [status]);
  if (!status.signedIn) return null;
  return (
    <section aria-labelledby="account-heading" class="card wide">
      <h2 id="account-heading">Your account</h2>
      <p>Signed in as {status.email}.</p>
      <OwnFingerprint intro="Your fingerprint phrase:" />
      <p>
        <a href="#/two-step">Two-step login settings</a>
      </p>
      <div class="row">
        <button
          type="button"
          class="secondary"
          onClick={() => call("lock", {}).then(onStatus, (e: unknown) => setError(errText(e)))}
        >
          Lock
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => call("signOut", {}).then(onStatus, (e: unknown) => setError(errText(e)))}
        >
          Sign out
        </button>
      </div>
      <ErrorNote error={error} />
    </section>
  );
}

export function Unlock({ status, onStatus }: { readonly status: AgentStatus; readonly onStatus: (s: AgentStatus) => void }) {
  const [password, setPassword] = useState("");
  if (!status.signedIn) return null;
  return (
    <section aria-labelledby="unlock-heading" class="card">
      <h2 id="unlock-heading">Unlock</h2>
      <p>The console is locked. Signed in as {status.email}.</p>
      <ActionForm submit="Unlock" busyText="Deriving key…" action={async () => onStatus(await call("unlock", { password }))}>
        <Field label="Master password" type="password" value={password} onInput={setPassword} required autocomplete="current-password" />
      </ActionForm>
      <button type="button" class="secondary" onClick={() => call("signOut", {}).then(onStatus)}>
        Sign out
      </button>
    </section>
  );
}
