// WebAuthn runs in a window (not in the worker): the tab turns the server's options into the
// browser's, and the browser's answers into Bitwarden's wire shapes. No keys are involved here: the
// authenticator holds its own.

function b64urlToBytes(s: string): Uint8Array<ArrayBuffer> {
  const std = s.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(std.padEnd(Math.ceil(std.length / 4) * 4, "="));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToB64url(b: ArrayBuffer): string {
  let bin = "";
  for (const x of new Uint8Array(b)) bin += String.fromCharCode(x);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function bytesToB64(b: ArrayBuffer): string {
  let bin = "";
  for (const x of new Uint8Array(b)) bin += String.fromCharCode(x);
  return btoa(bin);
}

type Json = Record<string, unknown>;
const obj = (x: unknown): Json => (typeof x === "object" && x !== null ? (x as Json) : {});

/** webauthn-rs wraps options in `publicKey`; Bitwarden's are flat. */
function unwrap(options: unknown): Json {
  const o = obj(options);
  return "publicKey" in o ? obj(o.publicKey) : o;
}

/** Signs the login challenge the agent forwarded; answers Bitwarden's `twoFactorToken` JSON. */
export async function assertForLogin(options: unknown): Promise<string> {
  const o = unwrap(options);
  const allow = Array.isArray(o.allowCredentials) ? o.allowCredentials : [];
  const publicKey: PublicKeyCredentialRequestOptions = {
    challenge: b64urlToBytes(String(o.challenge)),
    allowCredentials: allow.map((c) => ({
      type: "public-key" as const,
      id: b64urlToBytes(String(obj(c).id)),
    })),
    userVerification: (o.userVerification as UserVerificationRequirement | undefined) ?? "discouraged",
  };
  if (typeof o.rpId === "string") publicKey.rpId = o.rpId;
  if (typeof o.timeout === "number") publicKey.timeout = o.timeout;
  const cred = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential | null;
  if (cred === null) throw new Error("No security key answered.");
  const r = cred.response as AuthenticatorAssertionResponse;
  return JSON.stringify({
    id: cred.id,
    rawId: bytesToB64url(cred.rawId),
    type: cred.type,
    extensions: {},
    response: {
      authenticatorData: bytesToB64url(r.authenticatorData),
      clientDataJson: bytesToB64url(r.clientDataJSON),
      signature: bytesToB64url(r.signature),
      userHandle: r.userHandle === null ? null : bytesToB64url(r.userHandle),
    },
  });
}

/** Registers a security key from the server's creation options; answers Bitwarden's `deviceResponse`. */
export async function createForRegistration(options: unknown): Promise<Json> {
  const o = unwrap(options);
  const user = obj(o.user);
  const exclude = Array.isArray(o.excludeCredentials) ? o.excludeCredentials : [];
  const publicKey: PublicKeyCredentialCreationOptions = {
    rp: obj(o.rp) as unknown as PublicKeyCredentialRpEntity,
    user: {
      id: b64urlToBytes(String(user.id)),
      name: String(user.name),
      displayName: String(user.displayName ?? user.name),
    },
    challenge: b64urlToBytes(String(o.challenge)),
    pubKeyCredParams: (Array.isArray(o.pubKeyCredParams)
      ? o.pubKeyCredParams
      : [{ type: "public-key", alg: -7 }]) as PublicKeyCredentialParameters[],
    excludeCredentials: exclude.map((c) => ({ type: "public-key" as const, id: b64urlToBytes(String(obj(c).id)) })),
  };
  if (typeof o.timeout === "number") publicKey.timeout = o.timeout;
  if (typeof o.attestation === "string") publicKey.attestation = o.attestation as AttestationConveyancePreference;
  if (typeof o.authenticatorSelection === "object" && o.authenticatorSelection !== null) {
    publicKey.authenticatorSelection = o.authenticatorSelection as AuthenticatorSelectionCriteria;
  }
  const cred = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential | null;
  if (cred === null) throw new Error("No security key answered.");
  const r = cred.response as AuthenticatorAttestationResponse;
  return {
    id: cred.id,
    rawId: bytesToB64url(cred.rawId),
    type: cred.type,
    extensions: {},
    response: {
      AttestationObject: bytesToB64(r.attestationObject),
      clientDataJson: bytesToB64(r.clientDataJSON),
    },
  };
}
