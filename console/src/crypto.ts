// The console's one crypto module: Bitwarden's client-side crypto model, mirroring the Rust crate
// keyfleet-crypto (crates/keyfleet-crypto/src) function by function, names in camelCase.
// Nothing else in the console touches crypto.subtle. Runs unchanged in Node 20 and in browsers
// (WebCrypto needs a secure context: https, or http://localhost).
//
// Byte compatibility with the Rust side is checked by crates/keyfleet-crypto/tests/vectors.json,
// which both `cargo test -p keyfleet-crypto` and `npm run unit` assert.

import { argon2id } from "hash-wasm";
import { EFF_LONG_WORDLIST } from "./wordlist";

/** What lib.dom's BufferSource accepts under TypeScript >= 5.7 (not Uint8Array<ArrayBufferLike>). */
export type Bytes = Uint8Array<ArrayBuffer>;

/** The kinds of keyfleet_crypto::CryptoError, plus `Unavailable` (no WebCrypto here). */
export type CryptoErrorKind =
  | "InvalidEncString"
  | "MacMismatch"
  | "InvalidKey"
  | "InvalidKdf"
  | "Decrypt"
  | "WrongType"
  | "Unavailable";

/** A crypto failure. Messages never contain key material or plaintext. */
export class CryptoError extends Error {
  constructor(
    readonly kind: CryptoErrorKind,
    detail?: string,
  ) {
    super(detail === undefined ? kind : `${kind}: ${detail}`);
    this.name = "CryptoError";
  }
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) {
    // Browsers hide crypto.subtle outside secure contexts (plain http to a non-localhost host).
    throw new CryptoError("Unavailable", "WebCrypto needs https or localhost");
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Bytes, text and base64

const utf8Encoder = new TextEncoder();
// fatal: invalid UTF-8 is an error, as String::from_utf8 is in Rust.
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

export function utf8(s: string): Bytes {
  return new Uint8Array(utf8Encoder.encode(s));
}

export function fromUtf8(b: Bytes): string {
  try {
    return utf8Decoder.decode(b);
  } catch {
    throw new CryptoError("Decrypt", "not UTF-8");
  }
}

export function concatBytes(...parts: Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Standard base64 with padding. */
export function toB64(b: Bytes): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) {
    s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/**
 * Strict standard base64, as Rust's base64 STANDARD engine: padding required, no whitespace, no
 * stray bits. atob alone is forgiving, so the result must re-encode to the input.
 */
export function fromB64(s: string): Bytes {
  let bin: string;
  try {
    bin = atob(s);
  } catch {
    throw new CryptoError("InvalidEncString", "a part is not base64");
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  if (toB64(out) !== s) throw new CryptoError("InvalidEncString", "a part is not base64");
  return out;
}

/** `n` random bytes from the platform's generator. */
export function randomBytes(n: number): Bytes {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** SHA-256 of `data`. */
export async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().digest("SHA-256", data));
}

async function hmacSha256(key: Bytes, data: Bytes): Promise<Bytes> {
  const k = await subtle().importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await subtle().sign("HMAC", k, data));
}

/**
 * RFC 5869 HKDF-Expand with SHA-256 (step 2 only). WebCrypto's HKDF always runs Extract first,
 * which Bitwarden's stretched key and fingerprint do not, so it is written here with HMAC:
 * T(i) = HMAC(prk, T(i-1) ‖ info ‖ i).
 */
async function hkdfExpand(prk: Bytes, info: Bytes, length: number): Promise<Bytes> {
  if (length > 255 * 32) throw new CryptoError("InvalidKey", "HKDF output too long");
  const out = new Uint8Array(length);
  let t: Bytes = new Uint8Array(0);
  for (let i = 1, at = 0; at < length; i++) {
    t = await hmacSha256(prk, concatBytes(t, info, Uint8Array.of(i)));
    out.set(t.subarray(0, Math.min(32, length - at)), at);
    at += 32;
  }
  return out;
}

// The set of Rust's char::is_whitespace (Unicode White_Space), which str::trim removes. JS's
// String.prototype.trim differs (it strips U+FEFF and keeps U+0085).
const RUST_WHITESPACE = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const TRIM = new RegExp(`^${RUST_WHITESPACE}+|${RUST_WHITESPACE}+$`, "g");

function trimLikeRust(s: string): string {
  return s.replace(TRIM, "");
}

// ---------------------------------------------------------------------------------------------
// KDFs (kdf.rs)

/** The key derivation function an account uses; `type` is the wire enum (0 PBKDF2, 1 Argon2id). */
export type Kdf =
  | { readonly type: 0; readonly iterations: number }
  | { readonly type: 1; readonly iterations: number; readonly memoryMiB: number; readonly parallelism: number };

/** PBKDF2 with 600,000 iterations, the default for new accounts. */
export const DEFAULT_PBKDF2: Kdf = { type: 0, iterations: 600_000 };

/** Argon2id with the clients' current defaults (t=6, 32 MiB, p=4). */
export const DEFAULT_ARGON2ID: Kdf = { type: 1, iterations: 6, memoryMiB: 32, parallelism: 4 };

const isPositiveInt = (v: number | null | undefined): v is number =>
  typeof v === "number" && Number.isInteger(v) && v > 0 && v <= 0x7fffffff;

/** Builds KDF settings from wire values (prelogin, token response). */
export function kdfFromWire(
  kdfType: number,
  iterations: number,
  memory?: number | null,
  parallelism?: number | null,
): Kdf {
  if (!isPositiveInt(iterations)) throw new CryptoError("InvalidKdf", "iterations must be positive");
  if (kdfType === 0) return { type: 0, iterations };
  if (kdfType === 1) {
    if (!isPositiveInt(memory)) throw new CryptoError("InvalidKdf", "Argon2id needs memory");
    if (!isPositiveInt(parallelism)) throw new CryptoError("InvalidKdf", "Argon2id needs parallelism");
    return { type: 1, iterations, memoryMiB: memory, parallelism };
  }
  throw new CryptoError("InvalidKdf", "unknown KDF type");
}

/** The minimums a client accepts at prelogin (anti-downgrade). */
export function checkMinimums(kdf: Kdf): void {
  const ok =
    kdf.type === 0
      ? kdf.iterations >= 5_000
      : kdf.iterations >= 2 && kdf.memoryMiB >= 16 && kdf.parallelism >= 1;
  if (!ok) throw new CryptoError("InvalidKdf", "below the minimum clients accept");
}

/** The 32-byte master key derived from the master password. Never leaves the key agent. */
export class MasterKey {
  constructor(readonly bytes: Bytes) {}
}

/** Trims and lower-cases an email: the KDF salt and the account's identity. */
export function normalizeEmail(email: string): string {
  return trimLikeRust(email).toLowerCase();
}

/** Derives the master key. PBKDF2 salts with the normalised email; Argon2id with its SHA-256. */
export async function deriveMasterKey(password: string, email: string, kdf: Kdf): Promise<MasterKey> {
  const salt = utf8(normalizeEmail(email));
  if (!isPositiveInt(kdf.iterations)) throw new CryptoError("InvalidKdf", "iterations must be positive");
  if (kdf.type === 0) {
    const k = await subtle().importKey("raw", utf8(password), "PBKDF2", false, ["deriveBits"]);
    const bits = await subtle().deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt, iterations: kdf.iterations },
      k,
      256,
    );
    return new MasterKey(new Uint8Array(bits));
  }
  if (!isPositiveInt(kdf.memoryMiB) || !isPositiveInt(kdf.parallelism)) {
    throw new CryptoError("InvalidKdf", "Argon2 parameters rejected");
  }
  let out: Uint8Array;
  try {
    out = await argon2id({
      password: utf8(password),
      salt: await sha256(salt),
      iterations: kdf.iterations,
      memorySize: kdf.memoryMiB * 1024,
      parallelism: kdf.parallelism,
      hashLength: 32,
      outputType: "binary",
    });
  } catch {
    throw new CryptoError("InvalidKdf", "Argon2 failed");
  }
  return new MasterKey(new Uint8Array(out));
}

/** What the client sends to authenticate: base64 of PBKDF2-SHA256(master key, salt = password, 1). */
export async function masterPasswordHash(masterKey: MasterKey, password: string): Promise<string> {
  const k = await subtle().importKey("raw", masterKey.bytes, "PBKDF2", false, ["deriveBits"]);
  const bits = await subtle().deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: utf8(password), iterations: 1 },
    k,
    256,
  );
  return toB64(new Uint8Array(bits));
}

/** HKDF-Expand (no extract) of the master key into a 64-byte enc‖mac key. */
export async function stretchMasterKey(masterKey: MasterKey): Promise<SymmetricKey> {
  const enc = await hkdfExpand(masterKey.bytes, utf8("enc"), 32);
  const mac = await hkdfExpand(masterKey.bytes, utf8("mac"), 32);
  return SymmetricKey.fromBytes(concatBytes(enc, mac));
}

// ---------------------------------------------------------------------------------------------
// Keys (keys.rs)

/** A user, organization, provider or item key: 32 bytes for AES-256-CBC, 32 for HMAC-SHA256. */
export class SymmetricKey {
  private constructor(
    private readonly raw: Bytes,
    /** The AES-256-CBC half, as a non-extractable CryptoKey. */
    readonly encKey: CryptoKey,
    /** The HMAC-SHA256 half, as a non-extractable CryptoKey. */
    readonly macKey: CryptoKey,
  ) {}

  /** From the 64-byte wire form (enc ‖ mac). */
  static async fromBytes(b: Bytes): Promise<SymmetricKey> {
    if (b.length !== 64) throw new CryptoError("InvalidKey", "a symmetric key is 64 bytes");
    const raw = new Uint8Array(b);
    const encKey = await subtle().importKey("raw", raw.slice(0, 32), "AES-CBC", false, ["encrypt", "decrypt"]);
    const macKey = await subtle().importKey("raw", raw.slice(32), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    return new SymmetricKey(raw, encKey, macKey);
  }

  /** A fresh random key. */
  static generate(): Promise<SymmetricKey> {
    return SymmetricKey.fromBytes(randomBytes(64));
  }

  /** The 64-byte wire form (enc ‖ mac), a copy: needed to wrap this key for someone else. */
  toBytes(): Bytes {
    return new Uint8Array(this.raw);
  }
}

/** A fresh random symmetric key. */
export function generateSymmetricKey(): Promise<SymmetricKey> {
  return SymmetricKey.generate();
}

const RSA_OAEP_SHA1 = { name: "RSA-OAEP", hash: "SHA-1" } as const;

/** An RSA public key (shared in clear as base64 SPKI DER). */
export class PublicKey {
  private constructor(
    readonly key: CryptoKey,
    private readonly spki: Bytes,
  ) {}

  static async fromSpkiDer(der: Bytes): Promise<PublicKey> {
    let key: CryptoKey;
    try {
      key = await subtle().importKey("spki", der, RSA_OAEP_SHA1, true, ["encrypt"]);
    } catch {
      throw new CryptoError("InvalidKey", "public key is not RSA SPKI");
    }
    return new PublicKey(key, new Uint8Array(der));
  }

  /** Parses base64 SPKI DER (surrounding white space ignored, as in Rust). */
  static async fromSpkiDerB64(s: string): Promise<PublicKey> {
    let der: Bytes;
    try {
      der = fromB64(trimLikeRust(s));
    } catch {
      throw new CryptoError("InvalidKey", "public key is not base64");
    }
    return PublicKey.fromSpkiDer(der);
  }

  /** The DER SubjectPublicKeyInfo (a copy). */
  toSpkiDer(): Bytes {
    return new Uint8Array(this.spki);
  }

  /** Base64 of the DER SubjectPublicKeyInfo, as the protocol sends public keys. */
  toSpkiDerB64(): string {
    return toB64(this.spki);
  }

  /** The account fingerprint phrase Bitwarden apps show for this key and `userId`. */
  fingerprintPhrase(userId: string): Promise<string> {
    return fingerprintPhrase(this.spki, userId);
  }
}

/** An RSA private key (stored only wrapped, as PKCS#8 DER under the user or org key). */
export class PrivateKey {
  private constructor(readonly key: CryptoKey) {}

  /** Parses PKCS#8 DER. */
  static async fromPkcs8Der(der: Bytes): Promise<PrivateKey> {
    try {
      // Extractable so that a new key pair can be wrapped and its public half recovered.
      return new PrivateKey(await subtle().importKey("pkcs8", der, RSA_OAEP_SHA1, true, ["decrypt"]));
    } catch {
      throw new CryptoError("InvalidKey", "private key is not RSA PKCS#8");
    }
  }

  /** PKCS#8 DER. */
  async toPkcs8Der(): Promise<Bytes> {
    return new Uint8Array(await subtle().exportKey("pkcs8", this.key));
  }

  /** The matching public key (WebCrypto has no direct way: through the JWK's n and e). */
  async publicKey(): Promise<PublicKey> {
    const { n, e } = await subtle().exportKey("jwk", this.key);
    if (n === undefined || e === undefined) throw new CryptoError("InvalidKey", "not an RSA key");
    const pub = await subtle().importKey(
      "jwk",
      { kty: "RSA", n, e, alg: "RSA-OAEP", ext: true },
      RSA_OAEP_SHA1,
      true,
      ["encrypt"],
    );
    return PublicKey.fromSpkiDer(new Uint8Array(await subtle().exportKey("spki", pub)));
  }
}

/** A new RSA-2048 key pair with e = 65537, for RSA-OAEP-SHA1: [private, public] as in Rust. */
export async function generateRsaKeypair(): Promise<[PrivateKey, PublicKey]> {
  const pair = await subtle().generateKey(
    { ...RSA_OAEP_SHA1, modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1) },
    true,
    ["encrypt", "decrypt"],
  );
  const privateKey = await PrivateKey.fromPkcs8Der(new Uint8Array(await subtle().exportKey("pkcs8", pair.privateKey)));
  const publicKey = await PublicKey.fromSpkiDer(new Uint8Array(await subtle().exportKey("spki", pair.publicKey)));
  return [privateKey, publicKey];
}

// ---------------------------------------------------------------------------------------------
// EncStrings (enc_string.rs)

/** A parsed EncString of a type Keyfleet encrypts or decrypts. */
export type EncString =
  /** Type 2: AES-256-CBC + HMAC-SHA256 over iv ‖ data. */
  | { readonly type: 2; readonly iv: Bytes; readonly data: Bytes; readonly mac: Bytes }
  /** Type 4: RSA-2048-OAEP-SHA1. */
  | { readonly type: 4; readonly data: Bytes };

/** Parses `"<type>.<b64>|…"`, refusing what keyfleet-crypto's `FromStr` refuses. */
export function parseEncString(s: string): EncString {
  const dot = s.indexOf(".");
  if (dot < 0) throw new CryptoError("InvalidEncString", "missing type prefix");
  const t = s.slice(0, dot);
  if (!/^[0-7]$/.test(t)) throw new CryptoError("InvalidEncString", "unknown type");
  const parts = s.slice(dot + 1).split("|");
  if (parts.some((p) => p === "")) throw new CryptoError("InvalidEncString", "empty part");
  if (t === "2" && parts.length === 3) {
    const [iv, data, mac] = parts.map(fromB64) as [Bytes, Bytes, Bytes];
    if (iv.length !== 16) throw new CryptoError("InvalidEncString", "iv must be 16 bytes");
    if (data.length === 0 || data.length % 16 !== 0) {
      throw new CryptoError("InvalidEncString", "ciphertext must be whole AES blocks");
    }
    if (mac.length !== 32) throw new CryptoError("InvalidEncString", "mac must be 32 bytes");
    return { type: 2, iv, data, mac };
  }
  if (t === "4" && parts.length === 1) return { type: 4, data: fromB64(parts[0] as string) };
  if (t === "2" || t === "4") throw new CryptoError("InvalidEncString", "wrong number of parts");
  throw new CryptoError("InvalidEncString", "unsupported type");
}

/** The wire form of an EncString. */
export function formatEncString(e: EncString): string {
  return e.type === 2 ? `2.${toB64(e.iv)}|${toB64(e.data)}|${toB64(e.mac)}` : `4.${toB64(e.data)}`;
}

/**
 * Type 2 with a caller-chosen IV. Internal: exported only so the unit tests can prove that both
 * implementations produce identical strings. Production code calls `encryptAes` (random IV).
 * @internal
 */
export async function encryptAesWithIv(key: SymmetricKey, iv: Bytes, plaintext: Bytes): Promise<string> {
  if (iv.length !== 16) throw new CryptoError("InvalidKey", "an AES-CBC IV is 16 bytes");
  // WebCrypto's AES-CBC adds PKCS#7 padding, as Rust's encrypt_padded_vec_mut::<Pkcs7> does.
  const data = new Uint8Array(await subtle().encrypt({ name: "AES-CBC", iv }, key.encKey, plaintext));
  const mac = new Uint8Array(await subtle().sign("HMAC", key.macKey, concatBytes(iv, data)));
  return formatEncString({ type: 2, iv, data, mac });
}

/** Encrypts with a symmetric key (type 2, fresh random IV). */
export function encryptAes(key: SymmetricKey, plaintext: Bytes): Promise<string> {
  return encryptAesWithIv(key, randomBytes(16), plaintext);
}

/** Decrypts a type-2 EncString, verifying its MAC first (subtle.verify compares in constant time). */
export async function decryptAes(encString: string, key: SymmetricKey): Promise<Bytes> {
  const e = parseEncString(encString);
  if (e.type !== 2) throw new CryptoError("WrongType");
  if (!(await subtle().verify("HMAC", key.macKey, e.mac, concatBytes(e.iv, e.data)))) {
    throw new CryptoError("MacMismatch");
  }
  try {
    return new Uint8Array(await subtle().decrypt({ name: "AES-CBC", iv: e.iv }, key.encKey, e.data));
  } catch {
    throw new CryptoError("Decrypt");
  }
}

/** Encrypts to a public key (type 4, RSA-OAEP-SHA1). */
export async function encryptRsa(publicKey: PublicKey, plaintext: Bytes): Promise<string> {
  let data: Bytes;
  try {
    data = new Uint8Array(await subtle().encrypt({ name: "RSA-OAEP" }, publicKey.key, plaintext));
  } catch {
    throw new CryptoError("InvalidKey", "RSA encryption failed");
  }
  return formatEncString({ type: 4, data });
}

/** Decrypts a type-4 EncString with a private key. */
export async function decryptRsa(encString: string, privateKey: PrivateKey): Promise<Bytes> {
  const e = parseEncString(encString);
  if (e.type !== 4) throw new CryptoError("WrongType");
  try {
    return new Uint8Array(await subtle().decrypt({ name: "RSA-OAEP" }, privateKey.key, e.data));
  } catch {
    throw new CryptoError("Decrypt");
  }
}

/** Convenience: encrypts a UTF-8 string (type 2). */
export function encryptStr(key: SymmetricKey, plaintext: string): Promise<string> {
  return encryptAes(key, utf8(plaintext));
}

/** Convenience: decrypts a type-2 string into UTF-8. */
export async function decryptStr(encString: string, key: SymmetricKey): Promise<string> {
  return fromUtf8(await decryptAes(encString, key));
}

// ---------------------------------------------------------------------------------------------
// Account key material (account.rs)

/** Everything a new account sends to the server, plus the user key for the caller to keep. */
export interface NewAccountKeys {
  /** The master password hash (the login secret). */
  readonly masterPasswordHash: string;
  /** The user key, in memory only. */
  readonly userKey: SymmetricKey;
  /** The user key wrapped under the stretched master key (type 2). */
  readonly encryptedUserKey: string;
  /** Base64 SPKI of the new RSA public key. */
  readonly publicKeyB64: string;
  /** The PKCS#8 private key wrapped under the user key (type 2). */
  readonly encryptedPrivateKey: string;
}

/** Generates a user key and an RSA pair and wraps them as registration needs. */
export async function makeAccountKeys(email: string, password: string, kdf: Kdf): Promise<NewAccountKeys> {
  const masterKey = await deriveMasterKey(password, email, kdf);
  const stretched = await stretchMasterKey(masterKey);
  const userKey = await SymmetricKey.generate();
  const [privateKey, publicKey] = await generateRsaKeypair();
  return {
    masterPasswordHash: await masterPasswordHash(masterKey, password),
    encryptedUserKey: await encryptAes(stretched, userKey.toBytes()),
    publicKeyB64: publicKey.toSpkiDerB64(),
    encryptedPrivateKey: await encryptAes(userKey, await privateKey.toPkcs8Der()),
    userKey,
  };
}

/** Recovers the user key from its wrapped form; a wrong password fails the MAC check. */
export async function unlockUserKey(
  email: string,
  password: string,
  kdf: Kdf,
  encryptedUserKey: string,
): Promise<SymmetricKey> {
  const stretched = await stretchMasterKey(await deriveMasterKey(password, email, kdf));
  return SymmetricKey.fromBytes(await decryptAes(encryptedUserKey, stretched));
}

/** Unwraps an account's private key with its user key. */
export async function unlockPrivateKey(userKey: SymmetricKey, encryptedPrivateKey: string): Promise<PrivateKey> {
  return PrivateKey.fromPkcs8Der(await decryptAes(encryptedPrivateKey, userKey));
}

// ---------------------------------------------------------------------------------------------
// Fingerprint phrase (fingerprint.rs)

/** Words in a phrase: the fewest that carry 64 bits with a 7,776-word list. */
const FINGERPRINT_WORDS = 5;

/** Divides the big-endian number in `digits` by `divisor` in place; answers the remainder. */
function divRem(digits: Uint8Array, divisor: number): number {
  let remainder = 0;
  for (let i = 0; i < digits.length; i++) {
    // remainder < divisor <= 2^13, so current < 2^21: exact in a double.
    const current = remainder * 256 + (digits[i] as number);
    digits[i] = Math.floor(current / divisor);
    remainder = current % divisor;
  }
  return remainder;
}

/**
 * The fingerprint phrase of `publicKeyDer` (SPKI) for the account `fingerprintMaterial` (its user
 * id): five words of the EFF long list drawn from HKDF-Expand(SHA-256(key), info = user id).
 */
export async function fingerprintPhrase(publicKeyDer: Bytes, fingerprintMaterial: string): Promise<string> {
  const material = await hkdfExpand(await sha256(publicKeyDer), utf8(fingerprintMaterial), 32);
  const words: string[] = [];
  for (let i = 0; i < FINGERPRINT_WORDS; i++) {
    words.push(EFF_LONG_WORDLIST[divRem(material, EFF_LONG_WORDLIST.length)] as string);
  }
  return words.join("-");
}

// ---------------------------------------------------------------------------------------------
// Account recovery (keyfleet-client's orgs/recovery.rs, built from the functions above)

/** What `reset-password-details` sends an administrator's client (the fields the crypto reads). */
export interface RecoveryDetails {
  readonly kdf: number;
  readonly kdfIterations: number;
  readonly kdfMemory: number | null;
  readonly kdfParallelism: number | null;
  /** The member's KDF salt; empty or missing from older servers: their normalised email. */
  readonly masterPasswordSalt?: string | null;
  /** The member's user key wrapped to the org public key (type 4). */
  readonly resetPasswordKey: string;
  /** The org's PKCS#8 private key under the org key (type 2). */
  readonly encryptedPrivateKey: string;
}

/** The body fields `recover-account` needs for a new master password. */
export interface RecoveryCredentials {
  readonly newMasterPasswordHash: string;
  /** The member's (unchanged) user key under the new stretched master key (type 2). */
  readonly key: string;
}

/**
 * `recovery_credentials`: unwraps the member's user key with the org private key (itself under
 * `orgKey`), derives the new master key from `newPassword` with the member's KDF and salt, and
 * re-wraps the same user key under it, so the member's vault stays readable. `email` is the salt
 * only when the details carry none.
 */
export async function recoveryCredentials(
  details: RecoveryDetails,
  orgKey: SymmetricKey,
  email: string,
  newPassword: string,
): Promise<RecoveryCredentials> {
  const orgPrivate = await PrivateKey.fromPkcs8Der(await decryptAes(details.encryptedPrivateKey, orgKey));
  const userKey = await SymmetricKey.fromBytes(await decryptRsa(details.resetPasswordKey, orgPrivate));
  const kdf = kdfFromWire(details.kdf, details.kdfIterations, details.kdfMemory, details.kdfParallelism);
  const salt = details.masterPasswordSalt ?? "";
  const masterKey = await deriveMasterKey(newPassword, salt === "" ? email : salt, kdf);
  return {
    newMasterPasswordHash: await masterPasswordHash(masterKey, newPassword),
    key: await encryptAes(await stretchMasterKey(masterKey), userKey.toBytes()),
  };
}
