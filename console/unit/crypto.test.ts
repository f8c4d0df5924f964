// crypto.ts against the vectors keyfleet-crypto verifies (crates/keyfleet-crypto/tests/vectors.json),
// plus round trips. Runs in Node 20 through `npm run unit`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import vectors from "../../crates/keyfleet-crypto/tests/vectors.json";
import {
  type Bytes,
  CryptoError,
  type CryptoErrorKind,
  type Kdf,
  PrivateKey,
  PublicKey,
  SymmetricKey,
  checkMinimums,
  decryptAes,
  decryptRsa,
  decryptStr,
  deriveMasterKey,
  encryptAes,
  encryptAesWithIv,
  encryptRsa,
  encryptStr,
  fingerprintPhrase,
  fromB64,
  generateRsaKeypair,
  generateSymmetricKey,
  kdfFromWire,
  makeAccountKeys,
  masterPasswordHash,
  normalizeEmail,
  parseEncString,
  recoveryCredentials,
  sha256,
  stretchMasterKey,
  toB64,
  unlockPrivateKey,
  unlockUserKey,
  utf8,
} from "../src/crypto";
import { EFF_LONG_WORDLIST } from "../src/wordlist";

const hex = (b: Bytes): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

interface WireKdf {
  type: number;
  iterations: number;
  memoryMiB?: number;
  parallelism?: number;
}
const kdfOf = (k: WireKdf): Kdf => kdfFromWire(k.type, k.iterations, k.memoryMiB, k.parallelism);

const isCryptoError =
  (kind: CryptoErrorKind) =>
  (e: unknown): boolean =>
    e instanceof CryptoError && e.kind === kind;

const keyOf = (b64: string): Promise<SymmetricKey> => SymmetricKey.fromBytes(fromB64(b64));

describe("vectors.json, as keyfleet-crypto verifies it", () => {
  test("e-mails normalise like Rust's trim and to_lowercase", () => {
    assert.ok(vectors.normalizeEmail.length > 0);
    for (const c of vectors.normalizeEmail) assert.equal(normalizeEmail(c.input), c.normalized, JSON.stringify(c.input));
  });

  for (const c of vectors.kdf) {
    test(`KDF: ${c.name}`, async () => {
      const kdf = kdfOf(c.kdf);
      assert.equal(normalizeEmail(c.email), c.normalizedEmail);
      const masterKey = await deriveMasterKey(c.password, c.email, kdf);
      assert.equal(hex(masterKey.bytes), c.masterKeyHex);
      assert.equal(await masterPasswordHash(masterKey, c.password), c.masterPasswordHash);
      assert.equal(hex((await stretchMasterKey(masterKey)).toBytes()), c.stretchedKeyHex);
    });
  }

  test("type 2 decrypts, and re-encrypting with the same IV gives the identical string", async () => {
    assert.equal(vectors.aes.length, 5);
    for (const c of vectors.aes) {
      const key = await keyOf(c.keyB64);
      const plaintext = fromB64(c.plaintextB64);
      assert.deepEqual(await decryptAes(c.encString, key), plaintext, c.name);
      const parsed = parseEncString(c.encString);
      assert.equal(parsed.type, 2);
      if (parsed.type !== 2) return;
      assert.equal(await encryptAesWithIv(key, parsed.iv, plaintext), c.encString, c.name);
    }
  });

  test("tampered IV, ciphertext or MAC and a wrong key are refused before decrypting", async () => {
    assert.equal(vectors.aesTampered.length, 4);
    for (const c of vectors.aesTampered) {
      const key = await keyOf(c.keyB64);
      await assert.rejects(decryptAes(c.encString, key), isCryptoError("MacMismatch"), c.name);
    }
  });

  test("malformed EncStrings are refused as Rust refuses them", async () => {
    const key = await generateSymmetricKey();
    for (const s of vectors.malformed) {
      assert.throws(() => parseEncString(s), isCryptoError("InvalidEncString"), JSON.stringify(s));
      await assert.rejects(decryptAes(s, key), isCryptoError("InvalidEncString"), JSON.stringify(s));
    }
  });

  test("type 4 decrypts with the throw-away PKCS#8 key", async () => {
    const privateKey = await PrivateKey.fromPkcs8Der(fromB64(vectors.rsa.privateKeyPkcs8B64));
    assert.equal((await privateKey.publicKey()).toSpkiDerB64(), vectors.rsa.publicKeySpkiB64);
    assert.deepEqual(await privateKey.toPkcs8Der(), fromB64(vectors.rsa.privateKeyPkcs8B64));
    for (const c of vectors.rsa.cases) {
      assert.deepEqual(await decryptRsa(c.encString, privateKey), fromB64(c.plaintextB64), c.name);
    }
    await assert.rejects(decryptAes(vectors.rsa.cases[0]?.encString ?? "", await generateSymmetricKey()), isCryptoError("WrongType"));
  });

  test("the sign-in chain: password → user key → private key → provider key → org key → collection name", async () => {
    const c = vectors.chain;
    const kdf = kdfOf(c.kdf);
    const masterKey = await deriveMasterKey(c.password, c.email, kdf);
    assert.equal(hex(masterKey.bytes), c.masterKeyHex);
    assert.equal(await masterPasswordHash(masterKey, c.password), c.masterPasswordHash);
    assert.equal(hex((await stretchMasterKey(masterKey)).toBytes()), c.stretchedKeyHex);

    const userKey = await unlockUserKey(c.email, c.password, kdf, c.key);
    assert.equal(toB64(userKey.toBytes()), c.userKeyB64);
    const privateKey = await unlockPrivateKey(userKey, c.privateKey);
    assert.equal((await privateKey.publicKey()).toSpkiDerB64(), c.publicKeySpkiB64);
    const providerKey = await SymmetricKey.fromBytes(await decryptRsa(c.providerKey, privateKey));
    assert.equal(toB64(providerKey.toBytes()), c.providerKeyB64);
    const orgKey = await SymmetricKey.fromBytes(await decryptAes(c.providerOrganizationKey, providerKey));
    assert.equal(toB64(orgKey.toBytes()), c.orgKeyB64);
    assert.equal(await decryptStr(c.collectionNameEncrypted, orgKey), c.collectionName);

    await assert.rejects(unlockUserKey(c.email, `${c.password}!`, kdf, c.key), isCryptoError("MacMismatch"));
  });

  test("fingerprint phrases", async () => {
    assert.equal(vectors.fingerprint.length, 3);
    for (const c of vectors.fingerprint) {
      assert.equal(await fingerprintPhrase(fromB64(c.publicKeyDerB64), c.userId), c.phrase, c.name);
    }
    const spki = vectors.fingerprint[1];
    assert.ok(spki);
    const publicKey = await PublicKey.fromSpkiDerB64(spki.publicKeyDerB64);
    assert.equal(await publicKey.fingerprintPhrase(spki.userId), spki.phrase);
  });

  test("wordlist.ts is the same 7,776 words as eff_wordlist::large::LIST", async () => {
    const w = vectors.wordlist;
    assert.equal(EFF_LONG_WORDLIST.length, w.count);
    assert.equal(EFF_LONG_WORDLIST[0], w.first);
    assert.equal(EFF_LONG_WORDLIST[EFF_LONG_WORDLIST.length - 1], w.last);
    assert.equal(hex(await sha256(utf8(EFF_LONG_WORDLIST.join("\n")))), w.sha256HexOfWordsJoinedByNewline);
  });
});

describe("account recovery, as keyfleet-client's recovery_credentials", () => {
  // The chain vector's account key pair stands in for an org key pair: its private key goes under
  // the org key (the details' encryptedPrivateKey) and its type-4 provider key is a 64-byte key
  // wrapped to it, as an enrolment wraps a user key. The new password and salt are the chain's, so
  // the credentials must be the ones keyfleet-crypto derived for them (Argon2id).
  const details = async (salt: string | null) => {
    const c = vectors.chain;
    const userKey = await unlockUserKey(c.email, c.password, kdfOf(c.kdf), c.key);
    const orgKey = await keyOf(c.orgKeyB64);
    const pkcs8 = await (await unlockPrivateKey(userKey, c.privateKey)).toPkcs8Der();
    return {
      orgKey,
      details: {
        kdf: c.kdf.type,
        kdfIterations: c.kdf.iterations,
        kdfMemory: c.kdf.memoryMiB,
        kdfParallelism: c.kdf.parallelism,
        masterPasswordSalt: salt,
        resetPasswordKey: c.providerKey,
        encryptedPrivateKey: await encryptAes(orgKey, pkcs8),
      },
    };
  };

  test("the type-4 enrolment unwraps with the org private key; the new hash and key match the vectors", async () => {
    const c = vectors.chain;
    const stretched = await SymmetricKey.fromBytes(Uint8Array.from(c.stretchedKeyHex.match(/../g) ?? [], (h) => parseInt(h, 16)));
    for (const [salt, email] of [
      [c.normalizedEmail, "someone.else@example.com"],
      [null, c.email],
      ["", c.email],
    ] as const) {
      const { orgKey, details: d } = await details(salt);
      const r = await recoveryCredentials(d, orgKey, email, c.password);
      assert.equal(r.newMasterPasswordHash, c.masterPasswordHash, String(salt));
      assert.match(r.key, /^2\./);
      assert.equal(toB64(await decryptAes(r.key, stretched)), c.providerKeyB64, String(salt));
    }
  });

  test("a wrong org key or a tampered enrolment is refused", async () => {
    const c = vectors.chain;
    const { orgKey, details: d } = await details(c.normalizedEmail);
    await assert.rejects(recoveryCredentials(d, await generateSymmetricKey(), c.email, "x"), isCryptoError("MacMismatch"));
    const [, other] = await generateRsaKeypair();
    const foreign = { ...d, resetPasswordKey: await encryptRsa(other, (await generateSymmetricKey()).toBytes()) };
    await assert.rejects(recoveryCredentials(foreign, orgKey, c.email, "x"), isCryptoError("Decrypt"));
  });

  test("round trip with PBKDF2: the user key opens under the new password", async () => {
    const kdf: Kdf = { type: 0, iterations: 5_000 };
    const orgKey = await generateSymmetricKey();
    const [orgPrivate, orgPublic] = await generateRsaKeypair();
    const userKey = await generateSymmetricKey();
    const r = await recoveryCredentials(
      {
        kdf: 0,
        kdfIterations: 5_000,
        kdfMemory: null,
        kdfParallelism: null,
        masterPasswordSalt: "member@example.com",
        resetPasswordKey: await encryptRsa(orgPublic, userKey.toBytes()),
        encryptedPrivateKey: await encryptAes(orgKey, await orgPrivate.toPkcs8Der()),
      },
      orgKey,
      "ignored@example.com",
      "new password",
    );
    const masterKey = await deriveMasterKey("new password", "member@example.com", kdf);
    assert.equal(r.newMasterPasswordHash, await masterPasswordHash(masterKey, "new password"));
    assert.deepEqual((await unlockUserKey("Member@Example.com ", "new password", kdf, r.key)).toBytes(), userKey.toBytes());
  });
});

describe("round trips", () => {
  test("type 2 encrypt then decrypt, for several lengths; a fresh IV each time", async () => {
    const key = await generateSymmetricKey();
    for (const n of [0, 1, 15, 16, 17, 64, 1000]) {
      const plaintext = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
      const enc = await encryptAes(key, plaintext);
      assert.match(enc, /^2\.[^|]+\|[^|]+\|[^|]+$/);
      assert.deepEqual(await decryptAes(enc, key), plaintext);
      assert.notEqual(await encryptAes(key, plaintext), enc);
    }
    const text = "Zürich – 東京 ✓";
    assert.equal(await decryptStr(await encryptStr(key, text), key), text);
    await assert.rejects(decryptStr(await encryptStr(key, text), await generateSymmetricKey()), isCryptoError("MacMismatch"));
  });

  test("symmetric keys are 64 bytes", async () => {
    await assert.rejects(SymmetricKey.fromBytes(new Uint8Array(32)), isCryptoError("InvalidKey"));
    assert.equal((await generateSymmetricKey()).toBytes().length, 64);
  });

  test("RSA: generate, export and import, wrap a key, unwrap it only with the matching private key", async () => {
    const [privateKey, publicKey] = await generateRsaKeypair();
    const [otherPrivate] = await generateRsaKeypair();
    const imported = await PublicKey.fromSpkiDerB64(` ${publicKey.toSpkiDerB64()}\n`);
    assert.equal((await privateKey.publicKey()).toSpkiDerB64(), publicKey.toSpkiDerB64());
    const reimported = await PrivateKey.fromPkcs8Der(await privateKey.toPkcs8Der());
    const key = await generateSymmetricKey();
    const wrapped = await encryptRsa(imported, key.toBytes());
    assert.match(wrapped, /^4\.[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(await decryptRsa(wrapped, reimported), key.toBytes());
    await assert.rejects(decryptRsa(wrapped, otherPrivate), isCryptoError("Decrypt"));
    await assert.rejects(decryptRsa(await encryptStr(key, "x"), privateKey), isCryptoError("WrongType"));
    await assert.rejects(PublicKey.fromSpkiDerB64("not a key"), isCryptoError("InvalidKey"));
  });

  test("makeAccountKeys, then unlock with the password only", async () => {
    const kdf: Kdf = { type: 0, iterations: 5_000 };
    const keys = await makeAccountKeys("A@Example.com", "pw", kdf);
    const userKey = await unlockUserKey(" a@example.com", "pw", kdf, keys.encryptedUserKey);
    assert.deepEqual(userKey.toBytes(), keys.userKey.toBytes());
    const privateKey = await unlockPrivateKey(userKey, keys.encryptedPrivateKey);
    assert.equal((await privateKey.publicKey()).toSpkiDerB64(), keys.publicKeyB64);
    const masterKey = await deriveMasterKey("pw", "a@example.com", kdf);
    assert.equal(await masterPasswordHash(masterKey, "pw"), keys.masterPasswordHash);
    await assert.rejects(unlockUserKey("a@example.com", "wrong", kdf, keys.encryptedUserKey), isCryptoError("MacMismatch"));
  });

  test("wire KDF settings are checked as in kdf.rs", () => {
    assert.deepEqual(kdfFromWire(0, 600_000), { type: 0, iterations: 600_000 });
    assert.throws(() => kdfFromWire(1, 3, null, 4), isCryptoError("InvalidKdf"));
    assert.throws(() => kdfFromWire(2, 3), isCryptoError("InvalidKdf"));
    assert.throws(() => kdfFromWire(0, -1), isCryptoError("InvalidKdf"));
    assert.throws(() => checkMinimums({ type: 0, iterations: 4_999 }), isCryptoError("InvalidKdf"));
    checkMinimums({ type: 0, iterations: 5_000 });
    checkMinimums({ type: 1, iterations: 2, memoryMiB: 16, parallelism: 1 });
    assert.throws(() => checkMinimums({ type: 1, iterations: 2, memoryMiB: 15, parallelism: 1 }), isCryptoError("InvalidKdf"));
  });
});
