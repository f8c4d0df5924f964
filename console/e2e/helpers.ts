// Shared by the specs: the fixture the Rust harness writes, TOTP codes, axe checks, sign-in.
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, type Page, expect } from "@playwright/test";
import { createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Person {
  email: string;
  password: string;
  totpSecret: string;
  providerUserId?: string;
}
export interface ClientRef {
  providerOrganizationId: string;
  organizationId: string;
  name: string;
}
export interface Fixture {
  url: string;
  outDir: string;
  /** Only in the run with a mail server (console::people_sign_in_to_the_console_with_each_second_step). */
  signIn?: {
    /** JSON `[{to, text}]` of every mail the server sent, kept current by the harness. */
    mailFile: string;
    recover: { person: Person; recoveryCode: string };
    remember: Person;
    mailed: Person;
  };
  onboarding: { providerName: string; ownerEmail: string; setupLink: string };
  ready: {
    providerId: string;
    providerName: string;
    owner: Person;
    technician: Person & { providerUserId: string };
    assignedClient: ClientRef;
    otherClient: ClientRef;
    /** An item keyfleet-client (Rust) created in otherClient. */
    otherItem?: { name: string; password: string };
    /** An organization of the owner's own, not yet a client. */
    linkableOrganization?: { organizationId: string; name: string };
    /**
     * A client with account recovery on: its owner and a user (e-mail addresses) are enrolled;
     * the spec gives the user `newPassword`, which Rust then signs in with.
     */
    recovery?: { client: ClientRef; owner: string; member: string; newPassword: string };
  };
}

export function fixture(): Fixture {
  const path = process.env.KEYFLEET_FIXTURE;
  if (path === undefined) throw new Error("KEYFLEET_FIXTURE is not set");
  return JSON.parse(readFileSync(path, "utf8")) as Fixture;
}

/** A 1280×800 PNG for the README when KEYFLEET_SCREENSHOTS names a directory. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.KEYFLEET_SCREENSHOTS;
  if (dir === undefined || dir === "") return;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

export function writeOut(name: string, value: unknown): void {
  writeFileSync(join(fixture().outDir, name), JSON.stringify(value, null, 2));
}

function base32(s: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of s.toUpperCase().replace(/[\s=]/g, "")) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238: HMAC-SHA1, 30-second steps, 6 digits. */
export function totp(secret: string, at = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = createHmac("sha1", base32(secret)).update(counter).digest();
  const o = (h[h.length - 1] as number) & 0x0f;
  const n = (h.readUInt32BE(o) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, "0");
}

/**
 * A fresh code: waits out the last seconds of a step (so the code is still good when it arrives)
 * and any step whose code this run already sent for the secret (servers refuse a replayed code).
 * The steps used are kept in the fixture's outDir, so they hold across spec files.
 */
export async function freshTotp(secret: string): Promise<string> {
  const file = join(fixture().outDir, ".totp-steps.json");
  let used: Record<string, number> = {};
  try {
    used = JSON.parse(readFileSync(file, "utf8")) as Record<string, number>;
  } catch {
    /* first use */
  }
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    const left = 30_000 - (Date.now() % 30_000);
    if (left >= 4_000 && (used[secret] ?? -1) < step) {
      used[secret] = step;
      writeFileSync(file, JSON.stringify(used));
      return totp(secret);
    }
    await new Promise((r) => setTimeout(r, left + 200));
  }
}

/** No serious or critical axe violations on the page as it is now. */
export async function checkA11y(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `accessibility of ${what}`,
  ).toEqual([]);
}

/** The page is no wider than the window (wide tables scroll inside their own box). */
export async function fitsTheWindow(page: Page, what: string): Promise<void> {
  // Runs in the page (the specs' own types have no DOM: they run in Node).
  type Root = { documentElement: { scrollWidth: number; clientWidth: number } };
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: Root }).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  expect(overflow, `${what} is wider than the window`).toBeLessThanOrEqual(0);
}

export async function newPerson(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  return { context, page };
}

/** A1 + A2 with the authenticator app. */
export async function signIn(page: Page, who: Person, url = "/console/#/"): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Master password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Two-step login" })).toBeVisible();
  await page.getByLabel("Code from the authenticator app").fill(await freshTotp(who.totpSecret));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("contentinfo")).toContainText(`Signed in as ${who.email}`);
}

/** A3: create the account on an invitation page (PBKDF2 and RSA key generation run in the agent). */
export async function createAccount(page: Page, name: string, password: string): Promise<void> {
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Master password", { exact: true }).fill(password);
  await page.getByLabel("Master password again").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** A6: turns on the authenticator app; answers the secret. */
export async function turnOnTotp(page: Page, password: string): Promise<string> {
  await expect(page.getByRole("heading", { name: "Two-step login" })).toBeVisible();
  await page.getByLabel("Your master password (confirms each change)").fill(password);
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await page.getByLabel("Code from the app").fill(await freshTotp(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-code")).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();
  return secret;
}

/** Step-up dialog of a launch: answers the new tab. */
export async function launch(page: Page, clientName: string, password: string): Promise<Page> {
  await page.getByRole("button", { name: `Launch ${clientName}` }).click();
  const dialog = page.getByRole("dialog", { name: `Launch ${clientName}` });
  await dialog.getByLabel("Your master password").fill(password);
  const [tab] = await Promise.all([
    page.context().waitForEvent("page"),
    dialog.getByRole("button", { name: "Launch" }).click(),
  ]);
  await expect(tab.getByRole("heading", { name: clientName, level: 2 })).toBeVisible();
  return tab;
}
