// The key agent: one SharedWorker per origin and browser profile (shared console-design §3). It
// owns the access and refresh tokens, the user key, the RSA private key, the provider keys and the
// launched clients' org keys, makes the API calls and runs all crypto (crypto.ts), so raw keys
// never reach a tab and the rotating refresh token is never shared between tabs. Closing the last
// console tab ends the worker, which signs the user out.

import {
  type AgentStatus,
  ApiFailure,
  type ClientInput,
  type CollectionView,
  type HttpMethod,
  type Invitation,
  type ItemInput,
  type ItemView,
  type LaunchedClient,
  type LoginResult,
  type MemberFingerprint,
  type Profile,
  type ProviderSummary,
  type SecondFactor,
  portTransport,
  serve,
} from "./agent-protocol";
import type {
  OrganizationUserResetPasswordDetailsResponse,
  OrganizationUserResetPasswordRequest,
  ProfileProviderResponse,
} from "./api/generated";
import {
  DEFAULT_PBKDF2,
  type Kdf,
  PrivateKey,
  PublicKey,
  type RecoveryCredentials,
  SymmetricKey,
  checkMinimums,
  decryptAes,
  decryptRsa,
  decryptStr,
  deriveMasterKey,
  encryptAes,
  encryptRsa,
  encryptStr,
  generateRsaKeypair,
  generateSymmetricKey,
  kdfFromWire,
  sha256,
  toB64,
  utf8,
  makeAccountKeys,
  masterPasswordHash,
  normalizeEmail,
  recoveryCredentials,
  stretchMasterKey,
  unlockPrivateKey,
} from "./crypto";
import { parseTokenError, passwordsEqual, type TokenAnswer } from "./login";

/** Bitwarden's DeviceType for the web vault in Chrome. */
const DEVICE_TYPE = "9";

interface Keys {
  readonly userKey: SymmetricKey;
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
}

/** What the agent holds. In memory only: nothing is written to storage. */
interface Session {
  readonly email: string;
  readonly userId: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  readonly kdf: Kdf;
  readonly encUserKey: string;
  /** The login's master password hash, for step-up comparisons. Dropped on lock. */
  mph: string | null;
  keys: Keys | null;
  readonly providerKeys: Map<string, SymmetricKey>;
  readonly providerNames: Map<string, string>;
  readonly orgKeys: Map<string, { key: SymmetricKey; launch: LaunchedClient | null }>;
  /** Public keys last shown as fingerprints, by member id: confirm wraps to exactly these. */
  readonly shownKeys: Map<string, PublicKey>;
  refreshing: Promise<void> | null;
  encPrivateKey: string | null;
}

let session: Session | null = null;

/** Keys are dropped after this long without a request from any tab (tokens stay: unlock needs the password). */
const IDLE_LOCK_MS = 15 * 60 * 1000;
let lastUse = Date.now();

function lockKeys(s: Session): void {
  s.keys = null;
  s.mph = null;
  s.providerKeys.clear();
  s.orgKeys.clear();
  s.shownKeys.clear();
}

setInterval(() => {
  if (session !== null && session.keys !== null && Date.now() - lastUse > IDLE_LOCK_MS) lockKeys(session);
}, 30_000);

function status(): AgentStatus {
  return session === null
    ? { signedIn: false }
    : { signedIn: true, email: session.email, userId: session.userId, locked: session.keys === null };
}

function need(): Session {
  if (session === null) throw new ApiFailure(401, "Not signed in.");
  return session;
}

function needKeys(s: Session): Keys {
  if (s.keys === null) throw new ApiFailure(0, "The console is locked. Unlock it first.");
  return s.keys;
}

// ---------------------------------------------------------------------------------------------
// HTTP

async function failureFrom(r: Response): Promise<ApiFailure> {
  let body: unknown = null;
  try {
    body = await r.json();
  } catch {
    /* not JSON */
  }
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const ve = b.validationErrors;
  const validationErrors =
    typeof ve === "object" && ve !== null ? (ve as Record<string, readonly string[]>) : null;
  let message = typeof b.message === "string" ? b.message : `The server answered ${r.status}.`;
  if (validationErrors !== null) {
    const first = Object.values(validationErrors)[0]?.[0];
    if (typeof first === "string") message = first;
  }
  if (r.status === 404) message = "Not found (or not yours to see).";
  return new ApiFailure(r.status, message, validationErrors);
}

async function anonJson(path: string, body: unknown): Promise<Response> {
  return fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Device-Type": DEVICE_TYPE },
    body: JSON.stringify(body),
  });
}

async function tokenCall(form: Record<string, string>): Promise<Response> {
  return fetch("/identity/connect/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Device-Type": DEVICE_TYPE },
    body: new URLSearchParams(form).toString(),
  });
}

async function refresh(s: Session): Promise<void> {
  if (s.refreshing === null) {
    s.refreshing = (async () => {
      const r = await tokenCall({ grant_type: "refresh_token", client_id: "web", refresh_token: s.refreshToken });
      if (!r.ok) {
        if (session === s) session = null;
        throw new ApiFailure(401, "Your session ended. Sign in again.");
      }
      const t = (await r.json()) as TokenAnswer;
      s.accessToken = t.access_token;
      if (typeof t.refresh_token === "string") s.refreshToken = t.refresh_token;
      s.expiresAt = Date.now() + (t.expires_in ?? 3600) * 1000;
    })().finally(() => {
      s.refreshing = null;
    });
  }
  return s.refreshing;
}

async function request(method: HttpMethod, path: string, body: unknown, as: "json" | "text" = "json"): Promise<unknown> {
  if (!path.startsWith("/api/") && !path.startsWith("/events/")) throw new ApiFailure(0, "Only API paths.");
  const s = need();
  if (Date.now() > s.expiresAt - 60_000) await refresh(s);
  const send = (): Promise<Response> =>
    fetch(path, {
      method,
      headers: {
        Authorization: `Bearer ${s.accessToken}`,
        "Device-Type": DEVICE_TYPE,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
  let r: Response;
  try {
    r = await send();
  } catch (e) {
    throw new ApiFailure(0, `${e instanceof Error ? e.message : "Network error"} (${method} ${path.split("?")[0] ?? ""})`);
  }
  if (r.status === 401) {
    await refresh(s);
    r = await send();
    if (r.status === 401) {
      if (session === s) session = null;
      throw new ApiFailure(401, "Your session ended. Sign in again.");
    }
  }
  if (!r.ok) throw await failureFrom(r);
  const text = await r.text();
  if (as === "text") return text;
  return text === "" ? null : (JSON.parse(text) as unknown);
}

// ---------------------------------------------------------------------------------------------
// Sign in

async function prelogin(email: string): Promise<Kdf> {
  let r = await anonJson("/identity/accounts/prelogin/password", { email });
  if (r.status === 404) r = await anonJson("/identity/accounts/prelogin", { email });
  if (!r.ok) throw await failureFrom(r);
  const p = (await r.json()) as {
    kdfSettings?: { kdfType: number; iterations: number; memory: number | null; parallelism: number | null };
    kdf: number;
    kdfIterations: number;
    kdfMemory: number | null;
    kdfParallelism: number | null;
  };
  const kdf =
    p.kdfSettings !== undefined
      ? kdfFromWire(p.kdfSettings.kdfType, p.kdfSettings.iterations, p.kdfSettings.memory, p.kdfSettings.parallelism)
      : kdfFromWire(p.kdf, p.kdfIterations, p.kdfMemory, p.kdfParallelism);
  checkMinimums(kdf);
  return kdf;
}

function jwtSub(token: string): string {
  const part = token.split(".")[1] ?? "";
  const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
  const sub = (JSON.parse(json) as { sub?: unknown }).sub;
  if (typeof sub !== "string") throw new ApiFailure(0, "The server's token names no user.");
  return sub;
}

async function login(
  email: string,
  password: string,
  deviceIdentifier: string,
  secondFactor: SecondFactor | null,
): Promise<LoginResult> {
  const kdf = await prelogin(email);
  const masterKey = await deriveMasterKey(password, email, kdf);
  const mph = await masterPasswordHash(masterKey, password);
  const form: Record<string, string> = {
    grant_type: "password",
    username: normalizeEmail(email),
    password: mph,
    scope: "api offline_access",
    client_id: "web",
    deviceType: DEVICE_TYPE,
    deviceIdentifier,
    deviceName: "chrome",
  };
  if (secondFactor !== null) {
    form.twoFactorToken = secondFactor.token;
    form.twoFactorProvider = String(secondFactor.provider);
    form.twoFactorRemember = secondFactor.remember ? "1" : "0";
  }
  const r = await tokenCall(form);
  const body = (await r.json().catch(() => ({}))) as unknown;
  if (!r.ok) {
    const e = parseTokenError(body);
    if (e.kind === "twoFactor") return { kind: "twoFactor", challenge: e.challenge };
    throw new ApiFailure(r.status, e.message);
  }
  const t = body as TokenAnswer;
  if (typeof t.Key !== "string") throw new ApiFailure(0, "The account has no keys.");
  const stretched = await stretchMasterKey(masterKey);
  let userKey: SymmetricKey;
  try {
    userKey = await SymmetricKey.fromBytes(await decryptAes(t.Key, stretched));
  } catch {
    throw new ApiFailure(0, "The master password does not unlock this account's key.");
  }
  const encPrivateKey = t.AccountKeys?.publicKeyEncryptionKeyPair?.wrappedPrivateKey ?? t.PrivateKey ?? null;
  session = {
    email: normalizeEmail(email),
    userId: jwtSub(t.access_token),
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? "",
    expiresAt: Date.now() + (t.expires_in ?? 3600) * 1000,
    kdf,
    encUserKey: t.Key,
    encPrivateKey,
    mph,
    keys: null,
    providerKeys: new Map(),
    providerNames: new Map(),
    orgKeys: new Map(),
    shownKeys: new Map(),
    refreshing: null,
  };
  await openKeys(session, userKey);
  return { kind: "ok", status: status(), rememberToken: t.TwoFactorToken ?? null };
}

async function openKeys(s: Session, userKey: SymmetricKey): Promise<void> {
  if (s.encPrivateKey === null) throw new ApiFailure(0, "The account has no key pair.");
  const privateKey = await unlockPrivateKey(userKey, s.encPrivateKey);
  s.keys = { userKey, privateKey, publicKey: await privateKey.publicKey() };
}

async function register(
  email: string,
  name: string,
  password: string,
  invitation: Invitation,
  deviceIdentifier: string,
): Promise<LoginResult> {
  const kdf = DEFAULT_PBKDF2;
  const keys = await makeAccountKeys(email, password, kdf);
  const salt = normalizeEmail(email);
  const kdfBlock = { kdfType: kdf.type, iterations: kdf.iterations, memory: null, parallelism: null };
  const body: Record<string, unknown> = {
    email: salt,
    name,
    masterPasswordHash: keys.masterPasswordHash,
    masterPasswordHint: null,
    userSymmetricKey: keys.encryptedUserKey,
    userAsymmetricKeys: { publicKey: keys.publicKeyB64, encryptedPrivateKey: keys.encryptedPrivateKey },
    kdf: kdf.type,
    kdfIterations: kdf.iterations,
    kdfMemory: null,
    kdfParallelism: null,
    masterPasswordAuthentication: { kdf: kdfBlock, masterPasswordAuthenticationHash: keys.masterPasswordHash, salt },
    masterPasswordUnlock: { kdf: kdfBlock, masterKeyWrappedUserKey: keys.encryptedUserKey, salt },
  };
  if (invitation.kind === "provider") {
    body.providerInviteToken = invitation.token;
    body.providerUserId = invitation.id;
  } else {
    body.orgInviteToken = invitation.token;
    body.organizationUserId = invitation.id;
  }
  const r = await anonJson("/identity/accounts/register/finish", body);
  if (!r.ok) throw await failureFrom(r);
  return login(email, password, deviceIdentifier, null);
}

async function unlock(password: string): Promise<AgentStatus> {
  const s = need();
  const masterKey = await deriveMasterKey(password, s.email, s.kdf);
  let userKey: SymmetricKey;
  try {
    userKey = await SymmetricKey.fromBytes(await decryptAes(s.encUserKey, await stretchMasterKey(masterKey)));
  } catch {
    throw new ApiFailure(0, "Wrong master password.");
  }
  s.mph = await masterPasswordHash(masterKey, password);
  await openKeys(s, userKey);
  return status();
}

/** Derives the hash for `password` and compares it with the login's, in constant time. */
async function stepUp(s: Session, password: string): Promise<string> {
  needKeys(s);
  const mph = await masterPasswordHash(await deriveMasterKey(password, s.email, s.kdf), password);
  if (s.mph === null || !passwordsEqual(mph, s.mph)) {
    throw new ApiFailure(400, "Invalid password.", { MasterPasswordHash: ["Invalid password."] });
  }
  return mph;
}

// ---------------------------------------------------------------------------------------------
// Profile and keys

interface SyncProfile {
  id: string;
  email: string;
  name: string | null;
  twoFactorEnabled: boolean;
  organizations: { id: string; name: string; key: string | null }[];
  providers: Pick<ProfileProviderResponse, "id" | "name" | "key" | "role" | "rolePermissions" | "roleScope">[];
}

async function loadProfile(): Promise<Profile> {
  const s = need();
  const sync = (await request("GET", "/api/sync?excludeDomains=true", undefined)) as { profile: SyncProfile };
  const p = sync.profile;
  const providers: ProviderSummary[] = [];
  for (const pr of p.providers ?? []) {
    s.providerNames.set(pr.id, pr.name);
    if (pr.key !== null && s.keys !== null && !s.providerKeys.has(pr.id)) {
      try {
        s.providerKeys.set(pr.id, await SymmetricKey.fromBytes(await decryptRsa(pr.key, s.keys.privateKey)));
      } catch {
        /* shown as no key */
      }
    }
    providers.push({
      id: pr.id,
      name: pr.name,
      role: pr.role,
      permissions: pr.rolePermissions,
      scope: pr.roleScope,
      hasKey: s.providerKeys.has(pr.id),
    });
  }
  return {
    userId: p.id,
    email: p.email,
    name: p.name,
    twoFactorEnabled: p.twoFactorEnabled,
    providers,
    organizations: (p.organizations ?? []).map((o) => ({ id: o.id, name: o.name })),
  };
}

async function providerKey(s: Session, providerId: string): Promise<SymmetricKey> {
  let k = s.providerKeys.get(providerId);
  if (k === undefined) {
    await loadProfile();
    k = s.providerKeys.get(providerId);
  }
  if (k === undefined) throw new ApiFailure(404, "Not found (or not yours to see).");
  return k;
}

async function orgKey(s: Session, organizationId: string): Promise<SymmetricKey> {
  const k = s.orgKeys.get(organizationId);
  if (k !== undefined) return k.key;
  // A member's own org key: type 4 under the account's public key, from sync.
  const keys = needKeys(s);
  const sync = (await request("GET", "/api/sync?excludeDomains=true", undefined)) as { profile: SyncProfile };
  const o = sync.profile.organizations.find((x) => x.id === organizationId);
  if (o === undefined || o.key === null) throw new ApiFailure(404, "Not found (or not yours to see).");
  const key = await SymmetricKey.fromBytes(await decryptRsa(o.key, keys.privateKey));
  s.orgKeys.set(organizationId, { key, launch: null });
  return key;
}

async function fingerprints(
  s: Session,
  path: string,
  ids: string[],
  scope: string,
): Promise<MemberFingerprint[]> {
  const list = (await request("POST", path, { ids })) as { data: { id: string; userId: string; key: string | null }[] };
  const out: MemberFingerprint[] = [];
  for (const m of list.data) {
    if (m.key === null) continue;
    const pk = await PublicKey.fromSpkiDerB64(m.key);
    s.shownKeys.set(`${scope}:${m.id}`, pk);
    out.push({ id: m.id, userId: m.userId, phrase: await pk.fingerprintPhrase(m.userId) });
  }
  return out;
}

function shownKey(s: Session, scope: string, id: string): PublicKey {
  const pk = s.shownKeys.get(`${scope}:${id}`);
  if (pk === undefined) throw new ApiFailure(0, "Show the member's fingerprint phrase first.");
  return pk;
}

// ---------------------------------------------------------------------------------------------
// Clients

async function createClient(providerId: string, c: ClientInput): Promise<unknown> {
  const s = need();
  const pk = await providerKey(s, providerId);
  const key = await generateSymmetricKey();
  const [priv, pub] = await generateRsaKeypair();
  const body: Record<string, unknown> = {
    name: c.name,
    planType: c.planType,
    seats: c.seats,
    key: await encryptAes(pk, key.toBytes()),
    keyPair: { publicKey: pub.toSpkiDerB64(), encryptedPrivateKey: await encryptAes(key, await priv.toPkcs8Der()) },
    collectionName: await encryptStr(key, c.collectionName || "Default collection"),
  };
  if (c.ownerEmail !== "") body.ownerEmail = c.ownerEmail;
  return request("POST", `/api/providers/${encodeURIComponent(providerId)}/clients`, body);
}

async function launch(providerId: string, poid: string, password: string): Promise<LaunchedClient> {
  const s = need();
  const mph = await stepUp(s, password);
  const pk = await providerKey(s, providerId);
  const r = (await request(
    "POST",
    `/api/providers/${encodeURIComponent(providerId)}/clients/${encodeURIComponent(poid)}/launch`,
    { masterPasswordHash: mph },
  )) as { organizationId: string; organizationName: string; key: string };
  const key = await SymmetricKey.fromBytes(await decryptAes(r.key, pk));
  const launched: LaunchedClient = {
    organizationId: r.organizationId,
    organizationName: r.organizationName,
    providerId,
    providerName: s.providerNames.get(providerId) ?? "your provider",
  };
  s.orgKeys.set(r.organizationId, { key, launch: launched });
  return launched;
}

// ---------------------------------------------------------------------------------------------
// Inside a client: collections and items

const org = (id: string): string => `/api/organizations/${encodeURIComponent(id)}`;

async function collections(organizationId: string, details: boolean): Promise<CollectionView[]> {
  const s = need();
  const key = await orgKey(s, organizationId);
  const path = `${org(organizationId)}/collections${details ? "/details" : ""}`;
  const list = (await request("GET", path, undefined)) as {
    data: { id: string; name: string; users?: CollectionView["users"] }[];
  };
  const out: CollectionView[] = [];
  for (const c of list.data) {
    let name: string;
    try {
      name = await decryptStr(c.name, key);
    } catch {
      name = "(cannot decrypt)";
    }
    out.push({ id: c.id, name, users: c.users ?? [] });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

interface UriWire {
  uri: string | null;
  uriChecksum?: string | null;
  match?: number | null;
}

interface LoginWire {
  username: string | null;
  password: string | null;
  passwordRevisionDate?: string | null;
  uris: UriWire[] | null;
  [more: string]: unknown;
}

interface CipherWire {
  id: string;
  type: number;
  name: string;
  notes: string | null;
  login: LoginWire | null;
  collectionIds: string[];
  deletedDate: string | null;
  revisionDate?: string;
  key?: string | null;
  favorite?: boolean;
  reprompt?: number | null;
  fields?: unknown;
  passwordHistory?: { password: string; lastUsedDate: string }[] | null;
  card?: unknown;
  identity?: unknown;
  secureNote?: unknown;
  sshKey?: unknown;
}

/** The official clients' URI checksum: the URI's SHA-256 in Base64, encrypted with the item's key. */
async function uriChecksum(key: SymmetricKey, uri: string): Promise<string> {
  return encryptStr(key, toB64(await sha256(utf8(uri))));
}

async function orgCiphers(organizationId: string): Promise<CipherWire[]> {
  const list = (await request(
    "GET",
    `/api/ciphers/organization-details?organizationId=${encodeURIComponent(organizationId)}`,
    undefined,
  )) as { data: CipherWire[] };
  return list.data;
}

async function dec(s: string | null | undefined, key: SymmetricKey): Promise<string> {
  if (s === null || s === undefined || s === "") return "";
  try {
    return await decryptStr(s, key);
  } catch {
    return "(cannot decrypt)";
  }
}

async function cipherKey(c: CipherWire, key: SymmetricKey): Promise<SymmetricKey> {
  if (typeof c.key === "string" && c.key !== "") return SymmetricKey.fromBytes(await decryptAes(c.key, key));
  return key;
}

async function items(organizationId: string): Promise<ItemView[]> {
  const s = need();
  const key = await orgKey(s, organizationId);
  const out: ItemView[] = [];
  for (const c of await orgCiphers(organizationId)) {
    const k = await cipherKey(c, key);
    out.push({
      id: c.id,
      type: c.type,
      name: await dec(c.name, k),
      username: await dec(c.login?.username, k),
      uri: await dec(c.login?.uris?.[0]?.uri, k),
      collectionIds: c.collectionIds ?? [],
      deleted: c.deletedDate !== null && c.deletedDate !== undefined,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function saveItem(organizationId: string, id: string | null, item: ItemInput): Promise<{ id: string }> {
  const s = need();
  const key = await orgKey(s, organizationId);
  if (id === null) {
    const enc = async (v: string): Promise<string | null> => (v === "" ? null : encryptStr(key, v));
    const cipher = {
      type: 1,
      organizationId,
      name: await encryptStr(key, item.name),
      notes: null,
      favorite: false,
      reprompt: 0,
      fields: [],
      login: {
        username: await enc(item.username),
        password: await enc(item.password ?? ""),
        uris: item.uri === "" ? [] : [{ uri: await enc(item.uri), uriChecksum: await uriChecksum(key, item.uri), match: null }],
        totp: null,
      },
    };
    const r = (await request("POST", "/api/ciphers/admin", { cipher, collectionIds: item.collectionIds })) as { id: string };
    return { id: r.id };
  }
  const current = (await orgCiphers(organizationId)).find((c) => c.id === id);
  if (current === undefined) throw new ApiFailure(404, "Not found (or not yours to see).");
  const r = (await request("PUT", `/api/ciphers/${encodeURIComponent(id)}/admin`, {
    ...(await edited(current, await cipherKey(current, key), item)),
    organizationId,
    collectionIds: item.collectionIds,
  })) as { id: string; collectionIds?: string[] | null };
  // Collections are a separate call, made only when they change (the server answers 404 to a
  // launcher who has no collection access of their own; reported).
  const before = new Set(r.collectionIds ?? []);
  if (before.size !== item.collectionIds.length || item.collectionIds.some((c) => !before.has(c))) {
    await request("PUT", `/api/ciphers/${encodeURIComponent(id)}/collections-admin`, {
      collectionIds: item.collectionIds,
    });
  }
  return { id: r.id };
}

/**
 * The update body for `current` with `item`'s changes, encrypted with the item's own key `k`:
 * what the console does not edit goes back as the server sent it, and a changed password moves
 * the old one into the history (five kept), as the official clients do.
 */
async function edited(current: CipherWire, k: SymmetricKey, item: ItemInput): Promise<Record<string, unknown>> {
  const enc = async (v: string): Promise<string | null> => (v === "" ? null : encryptStr(k, v));
  let login = current.login;
  let history = current.passwordHistory ?? null;
  if (current.type === 1) {
    const now = new Date().toISOString();
    const next: LoginWire = { ...(current.login ?? { username: null, password: null, uris: null }) };
    if (item.username !== (await dec(current.login?.username, k))) next.username = await enc(item.username);
    if (item.password !== null && item.password !== (await dec(current.login?.password, k))) {
      if (next.password !== null && next.password !== undefined) {
        history = [{ password: next.password, lastUsedDate: now }, ...(history ?? [])].slice(0, 5);
      }
      next.password = await enc(item.password);
      next.passwordRevisionDate = now;
    }
    const uris = [...(current.login?.uris ?? [])];
    if (item.uri !== (await dec(uris[0]?.uri, k))) {
      if (item.uri === "") uris.shift();
      else {
        const first = { uri: await enc(item.uri), uriChecksum: await uriChecksum(k, item.uri), match: uris[0]?.match ?? null };
        if (uris.length === 0) uris.push(first);
        else uris[0] = first;
      }
    }
    next.uris = uris;
    login = next;
  }
  return {
    type: current.type,
    key: current.key ?? null,
    name: await encryptStr(k, item.name),
    notes: current.notes ?? null,
    favorite: current.favorite ?? false,
    reprompt: current.reprompt ?? 0,
    fields: current.fields ?? null,
    passwordHistory: history,
    login,
    card: current.card ?? null,
    identity: current.identity ?? null,
    secureNote: current.secureNote ?? null,
    sshKey: current.sshKey ?? null,
    lastKnownRevisionDate: current.revisionDate ?? null,
  };
}

async function revealPassword(organizationId: string, id: string, copy: boolean): Promise<{ password: string }> {
  const s = need();
  const key = await orgKey(s, organizationId);
  const c = (await orgCiphers(organizationId)).find((x) => x.id === id);
  if (c === undefined) throw new ApiFailure(404, "Not found (or not yours to see).");
  const password = await dec(c.login?.password, await cipherKey(c, key));
  await request("POST", "/events/collect", [
    { type: copy ? 1111 : 1108, cipherId: id, organizationId, date: new Date().toISOString() },
  ]).catch(() => undefined);
  return { password };
}

// ---------------------------------------------------------------------------------------------
// Account recovery

async function recoverAccount(
  organizationId: string,
  id: string,
  email: string,
  password: string,
  resetTwoFactor: boolean,
): Promise<{ ok: true }> {
  const s = need();
  const key = await orgKey(s, organizationId);
  const member = `${org(organizationId)}/users/${encodeURIComponent(id)}`;
  let details: OrganizationUserResetPasswordDetailsResponse;
  try {
    details = (await request("GET", `${member}/reset-password-details`, undefined)) as OrganizationUserResetPasswordDetailsResponse;
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 404) throw await whyNotRecoverable(member, e);
    throw e;
  }
  let credentials: RecoveryCredentials;
  try {
    credentials = await recoveryCredentials(details, key, email, password);
  } catch {
    throw new ApiFailure(0, "This member's recovery key does not open with the organization's key.");
  }
  const body: OrganizationUserResetPasswordRequest = { resetMasterPassword: true, resetTwoFactor, ...credentials };
  await request("PUT", `${member}/recover-account`, body);
  return { ok: true };
}

/**
 * The details hide a member the caller may not recover behind a 404, as the official server does;
 * `recover-account` decides who may recover whom before it reads the body and says why in a 400.
 * So it is asked with nothing it could act on (no credentials, two-step login kept): its refusal
 * is the answer, and its complaint about the missing credentials means the 404 stands.
 */
async function whyNotRecoverable(member: string, notFound: ApiFailure): Promise<ApiFailure> {
  const body: OrganizationUserResetPasswordRequest = { resetMasterPassword: true, resetTwoFactor: false };
  const why = await request("PUT", `${member}/recover-account`, body).then(
    () => null,
    (e: unknown) => e,
  );
  const refusal =
    why instanceof ApiFailure && why.status === 400 && !("newMasterPasswordHash" in (why.validationErrors ?? {}));
  return refusal ? why : notFound;
}

// ---------------------------------------------------------------------------------------------
// Wiring

// lib.dom has no SharedWorkerGlobalScope (and lib.webworker clashes with it), so name only what is
// used: each tab's connection arrives as a `connect` event carrying its port.
const scope = globalThis as unknown as {
  addEventListener(type: "connect", listener: (e: MessageEvent) => void): void;
};

const pid = (id: string): string => `/api/providers/${encodeURIComponent(id)}`;

scope.addEventListener("connect", (e) => {
  const port = e.ports[0];
  if (port === undefined) return;
  const transport = portTransport(port);
  serve(
    {
      post: (m) => transport.post(m),
      listen: (h) =>
        transport.listen((m) => {
          lastUse = Date.now();
          h(m);
        }),
    },
    {
    ping: async () => ({ pong: true }),
    status: async () => status(),
    login: ({ email, password, deviceIdentifier, secondFactor }) => login(email, password, deviceIdentifier, secondFactor),
    sendEmailCode: async ({ email, password }) => {
      const kdf = await prelogin(email);
      const mph = await masterPasswordHash(await deriveMasterKey(password, email, kdf), password);
      const r = await anonJson("/api/two-factor/send-email-login", { email, masterPasswordHash: mph });
      if (!r.ok) throw await failureFrom(r);
      return { sent: true };
    },
    register: ({ email, name, password, invitation, deviceIdentifier }) =>
      register(email, name, password, invitation, deviceIdentifier),
    unlock: ({ password }) => unlock(password),
    lock: async () => {
      lockKeys(need());
      return status();
    },
    signOut: async () => {
      session = null;
      return status();
    },
    profile: () => loadProfile(),
    api: ({ method, path, body, as }) => request(method, path, body, as ?? "json"),
    apiWithPassword: async ({ method, path, body, password }) => {
      const mph = await stepUp(need(), password);
      return request(method, path, { ...body, masterPasswordHash: mph });
    },
    ownFingerprint: async () => {
      const s = need();
      return { phrase: await needKeys(s).publicKey.fingerprintPhrase(s.userId) };
    },
    setupProvider: async ({ providerId, token, name, businessName, billingEmail }) => {
      const s = need();
      const keys = needKeys(s);
      const key = await generateSymmetricKey();
      const body: Record<string, unknown> = {
        name,
        billingEmail,
        token,
        key: await encryptRsa(keys.publicKey, key.toBytes()),
      };
      if (businessName !== "") body.businessName = businessName;
      await request("POST", `${pid(providerId)}/setup`, body);
      s.providerKeys.set(providerId, key);
      s.providerNames.set(providerId, name);
      return { ok: true };
    },
    providerFingerprints: ({ providerId, ids }) =>
      fingerprints(need(), `${pid(providerId)}/users/public-keys`, ids, `p:${providerId}`),
    confirmProviderMember: async ({ providerId, id }) => {
      const s = need();
      const pk = shownKey(s, `p:${providerId}`, id);
      const key = await providerKey(s, providerId);
      await request("POST", `${pid(providerId)}/users/${encodeURIComponent(id)}/confirm`, {
        key: await encryptRsa(pk, key.toBytes()),
      });
      return { ok: true };
    },
    createClient: ({ providerId, client }) => createClient(providerId, client),
    linkClient: async ({ providerId, organizationId, password }) => {
      const s = need();
      const mph = await stepUp(s, password);
      const pk = await providerKey(s, providerId);
      const key = await orgKey(s, organizationId);
      return request("POST", `${pid(providerId)}/clients/existing`, {
        organizationId,
        key: await encryptAes(pk, key.toBytes()),
        masterPasswordHash: mph,
      });
    },
    launch: ({ providerId, providerOrganizationId, password }) => launch(providerId, providerOrganizationId, password),
    launched: async ({ organizationId }) => session?.orgKeys.get(organizationId)?.launch ?? null,
    orgFingerprints: ({ organizationId, ids }) =>
      fingerprints(need(), `${org(organizationId)}/users/public-keys`, ids, `o:${organizationId}`),
    confirmOrgMember: async ({ organizationId, id }) => {
      const s = need();
      const pk = shownKey(s, `o:${organizationId}`, id);
      const key = await orgKey(s, organizationId);
      await request("POST", `${org(organizationId)}/users/${encodeURIComponent(id)}/confirm`, {
        key: await encryptRsa(pk, key.toBytes()),
      });
      return { ok: true };
    },
    collections: ({ organizationId, details }) => collections(organizationId, details),
    saveCollection: async ({ organizationId, id, name, users }) => {
      const s = need();
      const key = await orgKey(s, organizationId);
      const body = { name: await encryptStr(key, name), groups: [], users };
      const r = (await request(
        id === null ? "POST" : "PUT",
        id === null ? `${org(organizationId)}/collections` : `${org(organizationId)}/collections/${encodeURIComponent(id)}`,
        body,
      )) as { id: string };
      return { id: r.id };
    },
    items: ({ organizationId }) => items(organizationId),
    saveItem: ({ organizationId, id, item }) => saveItem(organizationId, id, item),
    revealPassword: ({ organizationId, id, copy }) => revealPassword(organizationId, id, copy),
    recoverAccount: ({ organizationId, id, email, password, resetTwoFactor }) =>
      recoverAccount(organizationId, id, email, password, resetTwoFactor),
    },
  );
});
