// A security key registered in the console (A6) signs the owner in (A2).
import { expect, test } from "@playwright/test";
import { checkA11y, fixture, newPerson, signIn } from "./helpers";

test("an owner registers a security key and signs in with it", async ({ browser }) => {
  const { ready } = fixture();
  const { page } = await newPerson(browser);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "usb", hasResidentKey: false, hasUserVerification: true, isUserVerified: true },
  });
  await signIn(page, ready.owner);

  await page.goto("/console/#/two-step");
  await page.getByLabel("Your master password (confirms each change)").fill(ready.owner.password);
  await page.getByLabel("Name of the key").fill("Virtual key");
  await page.getByRole("button", { name: "Register security key" }).click();
  await expect(page.getByText(/security keys\s+on/)).toBeVisible();
  await checkA11y(page, "A6 two-step set-up");

  await page.getByRole("link", { name: ready.owner.email }).click();
  await checkA11y(page, "A7 account");
  await page.getByRole("button", { name: "Sign out" }).click();

  await page.getByLabel("Email address").fill(ready.owner.email);
  await page.getByLabel("Master password").fill(ready.owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Two-step login" })).toBeVisible();
  await checkA11y(page, "A2 two-step login");
  await page.getByLabel("Security key").check();
  await page.getByRole("button", { name: "Use security key" }).click();
  await expect(page.getByRole("contentinfo")).toContainText(`Signed in as ${ready.owner.email}`);
});
