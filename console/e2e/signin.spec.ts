// Signing in with each second step but the security key (webauthn.spec.ts): a recovery code, a
// mailed code, and a remembered browser. Runs only against the server with a mail receiver that
// console::people_sign_in_to_the_console_with_each_second_step starts.
import { type Page, expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { checkA11y, fixture, freshTotp, newPerson, type Person } from "./helpers";

const signInFixture = fixture().signIn;
test.skip(signInFixture === undefined, "needs the server with a mail receiver (see the file's comment)");
const fx = signInFixture!;

async function passwordStep(page: Page, who: Person): Promise<void> {
  await page.goto("/console/#/");
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Master password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function expectSignedIn(page: Page, who: Person): Promise<void> {
  await expect(page.getByRole("contentinfo")).toContainText(`Signed in as ${who.email}`);
}

async function signOut(page: Page): Promise<void> {
  await page.goto("/console/#/account");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

function mails(to: string): string[] {
  const all = JSON.parse(readFileSync(fx.mailFile, "utf8")) as { to: string[]; text: string }[];
  return all.filter((m) => m.to.includes(to)).map((m) => m.text);
}

/** The code in the first mail to `to` after the `seen` ones, waiting for it to arrive. */
async function nextCode(to: string, seen: number): Promise<string> {
  await expect.poll(() => mails(to).length, { message: `a mail to ${to}` }).toBeGreaterThan(seen);
  const text = mails(to)[seen] ?? "";
  const code = text.split(/\r?\n/).map((l) => l.trim()).find((l) => /^\d{6}$/.test(l));
  expect(code, text).toBeDefined();
  return code ?? "";
}

test("a recovery code signs in once and turns two-step login off", async ({ browser }) => {
  const { person, recoveryCode } = fx.recover;
  const { page } = await newPerson(browser);
  await passwordStep(page, person);
  await expect(page.getByRole("heading", { name: "Two-step login" })).toBeVisible();
  await page.getByRole("radio", { name: "Recovery code" }).check();
  await page.getByRole("textbox", { name: "Recovery code" }).fill("not-the-recovery-code-0000");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await page.getByRole("textbox", { name: "Recovery code" }).fill(recoveryCode);
  await page.getByRole("button", { name: "Continue" }).click();
  await expectSignedIn(page, person);
  // Two-step login is off now, and the console says provider members need it.
  await expect(page.getByText("Provider members need two-step login")).toBeVisible();
  await checkA11y(page, "home without two-step login");
});

test("a code mailed on choosing email signs in; a wrong one is refused", async ({ browser }) => {
  const who = fx.mailed;
  const { page } = await newPerson(browser);
  const seen = mails(who.email).length;
  await passwordStep(page, who);
  await expect(page.getByRole("heading", { name: "Two-step login" })).toBeVisible();
  // Email is this account's only method: chosen, and a code is mailed at once.
  await expect(page.getByRole("radio", { name: "Email" })).toBeChecked();
  await expect(page.getByTestId("email-code-note")).toContainText("Code sent to");
  const code = await nextCode(who.email, seen);
  await checkA11y(page, "A2 email code");
  await page.getByLabel("Code from the email").fill(code === "000000" ? "000001" : "000000");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
  await expectSignedIn(page, who);
});

test("a remembered browser skips the second step; another browser does not", async ({ browser }) => {
  const who = fx.remember;
  const { page } = await newPerson(browser);
  await passwordStep(page, who);
  await page.getByLabel("Code from the authenticator app").fill(await freshTotp(who.totpSecret));
  await page.getByLabel("Remember this browser for two-step login").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expectSignedIn(page, who);
  await signOut(page);

  await passwordStep(page, who);
  await expectSignedIn(page, who);
  await expect(page.getByRole("heading", { name: "Two-step login" })).toHaveCount(0);

  const { page: elsewhere } = await newPerson(browser);
  await passwordStep(elsewhere, who);
  await expect(elsewhere.getByRole("heading", { name: "Two-step login" })).toBeVisible();
});
