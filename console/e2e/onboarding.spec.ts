// The "Done when": a provider's owner onboards their team and a first client from the
// browser alone, and a technician sets up a client employee with a shared login.
import { type Page, expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { EFF_LONG_WORDLIST } from "../src/wordlist";
import { checkA11y, createAccount, fixture, launch, newPerson, screenshot, turnOnTotp, writeOut } from "./helpers";

const OWNER_PW = "owner-correct-horse-battery-1";
const PW = (who: string): string => `${who}-staple-battery-horse-42`;
const EMPLOYEE_PW = "employee-lantern-meadow-77";
const ROUTER_PW = "R0uter!admin-pass-2026";

/** The words of a fingerprint phrase: joined with "-", and four words of the list hold one
 * themselves ("drop-down", "felt-tip", "t-shirt", "yo-yo"). */
function phraseWords(phrase: string): string[] {
  const known = new Set(EFF_LONG_WORDLIST);
  const parts = phrase.split("-");
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const joined = `${parts[i] ?? ""}-${parts[i + 1] ?? ""}`;
    if (i + 1 < parts.length && known.has(joined)) {
      words.push(joined);
      i++;
    } else {
      words.push(parts[i] ?? "");
    }
  }
  expect(words.every((w) => known.has(w)), phrase).toBe(true);
  return words;
}

async function inviteLink(page: Page, testId: string, email: string): Promise<string> {
  const link = page.locator(`[data-testid="${testId}"][data-email="${email}"]`);
  await expect(link).toBeVisible();
  return (await link.textContent()) ?? "";
}

async function confirmWithFingerprint(page: Page, email: string, phrase: string): Promise<void> {
  await page.getByRole("button", { name: `Confirm ${email}` }).click();
  const dialog = page.getByRole("dialog", { name: `Confirm ${email}` });
  await expect(dialog.getByTestId("member-fingerprint")).toHaveText(phrase);
  await checkA11y(page, "the confirm dialog");
  await dialog.getByRole("button", { name: "The phrases match: confirm" }).click();
  await expect(dialog).toBeHidden();
}

test("an owner onboards their team and a client, and a technician sets up a client employee", async ({ browser }) => {
  const fx = fixture();
  const { page: owner } = await newPerson(browser);

  // The owner opens the set-up link, creates an account, turns on TOTP and sets the provider up.
  await owner.goto(fx.onboarding.setupLink);
  await expect(owner.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await checkA11y(owner, "A3 create account");
  await createAccount(owner, "Olivia Owner", OWNER_PW);
  await checkA11y(owner, "A6 two-step set-up");
  await turnOnTotp(owner, OWNER_PW);
  await expect(owner.getByRole("heading", { name: "Set up your provider" })).toBeVisible();
  await checkA11y(owner, "A5 set up provider");
  await owner.getByLabel("Provider name").fill(fx.onboarding.providerName);
  await owner.getByLabel("Business name").fill("Fleet MSP Ltd");
  await owner.getByRole("button", { name: "Set up provider" }).click();
  await expect(owner.getByRole("heading", { name: "Members" })).toBeVisible();
  await checkA11y(owner, "P2 members");

  // Invites: an admin, then two technicians (no SMTP: the links are shown).
  const invite = async (emails: string[], role: string): Promise<void> => {
    await owner.getByRole("button", { name: "Invite members" }).click();
    const dialog = owner.getByRole("dialog", { name: "Invite members" });
    await dialog.getByLabel("Email addresses").fill(emails.join("\n"));
    await dialog.getByLabel("Role").selectOption(role);
    await checkA11y(owner, "the invite dialog");
    await dialog.getByRole("button", { name: "Invite" }).click();
    await expect(dialog).toBeHidden();
  };
  await invite(["admin@fleet.test"], "admin");
  const links: Record<string, string> = { "admin@fleet.test": await inviteLink(owner, "invite-link", "admin@fleet.test") };
  await invite(["tech1@fleet.test", "tech2@fleet.test"], "technician");
  for (const e of ["tech1@fleet.test", "tech2@fleet.test"]) links[e] = await inviteLink(owner, "invite-link", e);

  // Each invitee, in their own browser: account, TOTP, accept, fingerprint phrase.
  const people: Record<string, { page: Page; phrase: string }> = {};
  for (const [email, link] of Object.entries(links)) {
    const { page } = await newPerson(browser);
    await page.goto(link);
    await createAccount(page, email.split("@")[0] ?? email, PW(email));
    await turnOnTotp(page, PW(email));
    await page.getByRole("button", { name: "Accept invitation" }).click();
    const phrase = (await page.getByTestId("own-fingerprint").textContent()) ?? "";
    expect(phraseWords(phrase)).toHaveLength(5);
    await checkA11y(page, "A4 accepted");
    people[email] = { page, phrase };
  }

  // The owner confirms each after comparing the phrases.
  // (No reload: the agent lives as long as one console tab does; reloading the only tab signs out.)
  await owner.getByRole("link", { name: "Clients" }).click();
  await owner.getByRole("link", { name: "Members" }).click();
  await owner.getByRole("button", { name: /^Pending/ }).click();
  await expect(owner.locator('tr[data-email="tech2@fleet.test"]')).toContainText("Accepted");
  await screenshot(owner, "provider-members-pending");
  await confirmWithFingerprint(owner, "admin@fleet.test", people["admin@fleet.test"]!.phrase);
  // The technicians together: each phrase shown, each confirmed only when ticked.
  await owner.getByRole("button", { name: "Confirm several…" }).click();
  const bulk = owner.getByRole("dialog", { name: "Confirm members" });
  for (const email of ["tech1@fleet.test", "tech2@fleet.test"]) {
    await expect(bulk.locator(`[data-testid="bulk-fingerprint"][data-email="${email}"]`)).toHaveText(people[email]!.phrase);
  }
  await checkA11y(owner, "bulk confirm dialog");
  await bulk.getByRole("button", { name: "Confirm the ticked members" }).click();
  await expect(bulk.getByRole("alert")).toContainText("Tick at least one");
  for (const email of ["tech1@fleet.test", "tech2@fleet.test"]) await bulk.getByLabel(email).check();
  await bulk.getByRole("button", { name: "Confirm the ticked members" }).click();
  await expect(bulk).toBeHidden();
  await owner.getByRole("button", { name: /^Active/ }).click();
  for (const email of Object.keys(people)) await expect(owner.locator(`tr[data-email="${email}"]`)).toContainText("Active");
  await screenshot(owner, "provider-members-active");

  // Three clients; tech1 manages Acme.
  await owner.getByRole("link", { name: "Clients" }).click();
  for (const name of ["Acme", "Globex", "Initech"]) {
    await owner.getByRole("button", { name: "New client" }).click();
    const dialog = owner.getByRole("dialog", { name: "New client" });
    await dialog.getByLabel("Client name").fill(name);
    if (name === "Acme") await checkA11y(owner, "P5a create client");
    await dialog.getByRole("button", { name: "Create client" }).click();
    await expect(dialog).toBeHidden();
    await expect(owner.getByRole("link", { name })).toBeVisible();
  }
  await checkA11y(owner, "P4 clients");
  await owner.getByRole("link", { name: "Members" }).click();
  await owner.getByRole("button", { name: "Clients of tech1@fleet.test" }).click();
  const assign = owner.getByRole("dialog", { name: "Clients of tech1@fleet.test" });
  await assign.getByLabel("Acme").check();
  await assign.getByRole("button", { name: "Save" }).click();
  await expect(assign).toBeHidden();
  await owner.getByRole("link", { name: "Clients" }).click();
  await expect(owner.locator("tr").filter({ hasText: "Acme" })).toContainText("tech1");
  await screenshot(owner, "provider-clients");

  // tech1 sees only Acme and launches into it (a wrong password refused first).
  const tech1 = people["tech1@fleet.test"]!.page;
  await tech1.goto("/console/#/");
  await expect(tech1.getByRole("link", { name: "Acme" })).toBeVisible();
  await expect(tech1.getByRole("link", { name: "Globex" })).toHaveCount(0);
  await expect(tech1.getByRole("link", { name: "Initech" })).toHaveCount(0);
  await tech1.getByRole("button", { name: "Launch Acme" }).click();
  const stepUp = tech1.getByRole("dialog", { name: "Launch Acme" });
  await stepUp.getByLabel("Your master password").fill("not-my-password-at-all");
  await screenshot(tech1, "launch-step-up");
  await stepUp.getByRole("button", { name: "Launch" }).click();
  await expect(stepUp.getByRole("alert")).toContainText("Invalid password");
  await stepUp.getByRole("button", { name: "Close" }).click();
  const acme = await launch(tech1, "Acme", PW("tech1@fleet.test"));
  await expect(acme.getByRole("note")).toContainText("Launched by you from Fleet MSP");
  await checkA11y(acme, "C1 client overview");

  // tech1 invites the employee, who creates an account and accepts.
  await acme.getByRole("link", { name: "Members" }).click();
  await acme.getByRole("button", { name: "Invite members" }).click();
  const orgInvite = acme.getByRole("dialog", { name: "Invite to Acme" });
  await orgInvite.getByLabel("Email addresses").fill("employee@acme.test");
  await orgInvite.getByRole("button", { name: "Invite" }).click();
  const employeeLink = await inviteLink(acme, "org-invite-link", "employee@acme.test");
  const { page: employee } = await newPerson(browser);
  await employee.goto(employeeLink);
  await createAccount(employee, "Erin Employee", EMPLOYEE_PW);
  await employee.getByRole("button", { name: "Accept invitation" }).click();
  const employeePhrase = (await employee.getByTestId("own-fingerprint").textContent()) ?? "";

  // tech1 confirms the employee, makes "Servers" for them and puts the router's login in it.
  await acme.getByRole("link", { name: "Overview" }).click();
  await acme.getByRole("link", { name: "Members" }).click();
  await expect(acme.locator('tr[data-email="employee@acme.test"]')).toContainText("Accepted");
  await checkA11y(acme, "C2 client members");
  await confirmWithFingerprint(acme, "employee@acme.test", employeePhrase);
  await expect(acme.locator('tr[data-email="employee@acme.test"]')).toContainText("Confirmed");
  // Revoked, then restored: access comes back as it was.
  await acme.getByRole("button", { name: "Revoke employee@acme.test" }).click();
  await expect(acme.locator('tr[data-email="employee@acme.test"]')).toContainText("Revoked");
  await acme.getByRole("button", { name: "Restore employee@acme.test" }).click();
  await expect(acme.locator('tr[data-email="employee@acme.test"]')).toContainText("Confirmed");
  await acme.getByRole("link", { name: "Collections" }).click();
  await acme.getByRole("button", { name: "New collection" }).click();
  const col = acme.getByRole("dialog", { name: "New collection" });
  await col.getByLabel("Name", { exact: true }).fill("Servers");
  await col.getByLabel("employee@acme.test").check();
  await col.getByRole("button", { name: "Save" }).click();
  await expect(col).toBeHidden();
  await expect(acme.getByRole("cell", { name: "Servers", exact: true })).toBeVisible();
  await checkA11y(acme, "C3 collections");
  await acme.getByRole("link", { name: "Items" }).click();
  await acme.getByRole("button", { name: "New login item" }).click();
  const item = acme.getByRole("dialog", { name: "New login item" });
  await item.getByLabel("Name", { exact: true }).fill("Router");
  await item.getByLabel("Username").fill("admin");
  await item.getByLabel("Password", { exact: true }).fill(ROUTER_PW);
  await item.getByLabel("Servers").check();
  await item.getByRole("button", { name: "Save" }).click();
  await expect(item).toBeHidden();
  await expect(acme.getByRole("cell", { name: "Router", exact: true })).toBeVisible();
  await screenshot(acme, "client-items");
  await acme.getByRole("button", { name: "Reveal the password of Router" }).click();
  await expect(acme.getByText(ROUTER_PW)).toBeVisible();
  await checkA11y(acme, "C7 items");
  const organizationId = new URL(acme.url()).hash.split("/")[2] ?? "";

  // The owner downloads the provider events and the usage report.
  await owner.getByRole("link", { name: "Events" }).click();
  await expect(owner.getByRole("heading", { name: "Events" })).toBeVisible();
  await checkA11y(owner, "P7 events");
  await screenshot(owner, "provider-events");
  const [events] = await Promise.all([owner.waitForEvent("download"), owner.getByRole("button", { name: "Download CSV" }).click()]);
  const eventsCsv = readFileSync((await events.path())!, "utf8");
  expect(eventsCsv).toContain("date,type,event");
  expect(eventsCsv).toContain("tech1@fleet.test");
  await owner.getByRole("link", { name: "Usage" }).click();
  await checkA11y(owner, "P8 usage");
  const [usage] = await Promise.all([owner.waitForEvent("download"), owner.getByRole("button", { name: "Download usage CSV" }).click()]);
  const usageCsv = readFileSync((await usage.path())!, "utf8");
  expect(usageCsv).toContain("Acme");

  // The owner hands the provider over to the admin (confirmed with her own password) and stays
  // on as an admin, still signed in.
  await owner.getByRole("link", { name: "Members" }).click();
  await owner.getByRole("button", { name: "Make owner: admin@fleet.test" }).click();
  const transfer = owner.getByRole("dialog", { name: "Make admin@fleet.test the owner" });
  await transfer.getByLabel("Your master password").fill(OWNER_PW);
  await checkA11y(owner, "transfer ownership dialog");
  await transfer.getByRole("button", { name: "Transfer ownership" }).click();
  await expect(transfer).toBeHidden();
  await expect(owner.locator('tr[data-email="admin@fleet.test"] td').nth(1)).toHaveText("Owner");
  await expect(owner.getByRole("button", { name: /^Make owner:/ })).toHaveCount(0);
  await expect(owner.getByRole("contentinfo")).toContainText(`Signed in as ${fx.onboarding.ownerEmail}`);
  const providerPath = new URL(owner.url()).hash.split("/").slice(0, 3).join("/");

  // Reloading a person's only console tab signs them out (keys are never stored), and says so.
  const admin = people["admin@fleet.test"]!.page;
  await admin.goto(`/console/${providerPath}/members`);
  await expect(admin.getByRole("contentinfo")).toContainText("Signed in as admin@fleet.test");
  await expect(admin.getByRole("button", { name: `Make owner: ${fx.onboarding.ownerEmail}` })).toBeVisible();
  await admin.reload();
  await expect(admin.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(admin.getByTestId("sign-in-note")).toContainText("signs out when its last tab closes or reloads");
  await admin.getByLabel("Email address").fill("admin@fleet.test");
  await screenshot(admin, "sign-in");
  await checkA11y(admin, "A1 sign in after a reload");

  writeOut("onboarding.json", {
    employeeEmail: "employee@acme.test",
    employeePassword: EMPLOYEE_PW,
    organizationId,
    itemName: "Router",
    itemUsername: "admin",
    itemPassword: ROUTER_PW,
    collectionName: "Servers",
    eventsCsv,
    usageCsv,
  });
});
