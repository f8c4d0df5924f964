// The agent's reading of the token endpoint's answers, and the step-up comparison.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newPasswordProblem, parseTokenError, passwordsEqual } from "../src/login";

test("a 400 with TwoFactorProviders2 is a two-step challenge with its providers and parameters", () => {
  const e = parseTokenError({
    error: "invalid_grant",
    error_description: "Two factor required.",
    TwoFactorProviders: ["0", "1", "7"],
    TwoFactorProviders2: { "7": { challenge: "abc", allowCredentials: [] }, "0": null, "1": { Email: "o***@fleet.test" } },
  });
  assert.equal(e.kind, "twoFactor");
  if (e.kind !== "twoFactor") return;
  assert.deepEqual(e.challenge.providers, [0, 1, 7]);
  assert.equal(e.challenge.email, "o***@fleet.test");
  assert.deepEqual(e.challenge.webauthn, { challenge: "abc", allowCredentials: [] });
});

test("an empty TwoFactorProviders2 is not a challenge", () => {
  assert.equal(parseTokenError({ TwoFactorProviders2: {}, error: "invalid_grant" }).kind, "refused");
});

test("a refusal shows the server's ErrorModel message, else its description", () => {
  assert.deepEqual(
    parseTokenError({
      error: "invalid_grant",
      error_description: "invalid_username_or_password",
      ErrorModel: { Message: "Username or password is incorrect. Try again.", Object: "error" },
    }),
    { kind: "refused", message: "Username or password is incorrect. Try again." },
  );
  assert.deepEqual(parseTokenError({ error: "invalid_grant", error_description: "nope" }), { kind: "refused", message: "nope" });
  assert.deepEqual(parseTokenError("not json"), { kind: "refused", message: "Sign-in failed." });
});

test("the step-up comparison is exact", () => {
  assert.ok(passwordsEqual("kE9E2k+V3I=", "kE9E2k+V3I="));
  assert.ok(!passwordsEqual("kE9E2k+V3I=", "kE9E2k+V3J="));
  assert.ok(!passwordsEqual("abc", "abcd"));
  assert.ok(!passwordsEqual("", "a"));
  assert.ok(passwordsEqual("", ""));
});

test("a new master password: at least 12 characters, typed the same twice", () => {
  assert.equal(newPasswordProblem("short", "short"), "Use a master password of at least 12 characters.");
  assert.equal(newPasswordProblem("long enough pw", "long enough pW"), "The two passwords differ.");
  assert.equal(newPasswordProblem("long enough pw", "long enough pw"), null);
});
