// Pure sign-in logic the key agent uses: reading the token endpoint's answers. No DOM, no crypto,
// so the unit tests run it directly.

import type { TwoFactorChallenge } from "./agent-protocol";

/** The token endpoint's success answer (the fields the console reads). */
export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  Key?: string;
  PrivateKey?: string;
  AccountKeys?: { publicKeyEncryptionKeyPair?: { wrappedPrivateKey?: string } } | null;
  TwoFactorToken?: string;
}

export type TokenError =
  | { readonly kind: "twoFactor"; readonly challenge: TwoFactorChallenge }
  | { readonly kind: "refused"; readonly message: string };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;

/** A 400 from /identity/connect/token: a two-step challenge (non-empty TwoFactorProviders2) or a refusal. */
export function parseTokenError(body: unknown): TokenError {
  if (isObject(body) && isObject(body.TwoFactorProviders2) && Object.keys(body.TwoFactorProviders2).length > 0) {
    const p2 = body.TwoFactorProviders2;
    const providers = Object.keys(p2)
      .map(Number)
      .filter((n) => Number.isInteger(n))
      .sort((a, b) => a - b);
    const emailParams = p2["1"];
    const email = isObject(emailParams) && typeof emailParams.Email === "string" ? emailParams.Email : null;
    return { kind: "twoFactor", challenge: { providers, email, webauthn: p2["7"] ?? null } };
  }
  if (isObject(body)) {
    const em = body.ErrorModel ?? body.errorModel;
    if (isObject(em)) {
      const m = em.Message ?? em.message;
      if (typeof m === "string") return { kind: "refused", message: m };
    }
    if (typeof body.message === "string") return { kind: "refused", message: body.message };
    if (typeof body.error_description === "string") return { kind: "refused", message: body.error_description };
  }
  return { kind: "refused", message: "Sign-in failed." };
}

/** Compares two strings without an early exit (the step-up check). */
export function passwordsEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return diff === 0;
}

/** The console's rule for a new master password (an account's, or one set by account recovery). */
export const MIN_MASTER_PASSWORD_LENGTH = 12;

/** Why `password` (typed twice) cannot be a new master password, or null when it can. */
export function newPasswordProblem(password: string, again: string): string | null {
  if (password.length < MIN_MASTER_PASSWORD_LENGTH) {
    return `Use a master password of at least ${MIN_MASTER_PASSWORD_LENGTH} characters.`;
  }
  if (password !== again) return "The two passwords differ.";
  return null;
}
