// The owner's everyday screens: custom roles, provider settings, and inside a launched client its
// groups and policies. Leaves the `ready` world as it found it (apart from a group).
import { expect, test } from "@playwright/test";
import { PERMISSION_DESCRIPTIONS } from "../src/api/generated";
import { checkA11y, fitsTheWindow, fixture, launch, newPerson, signIn } from "./helpers";

test("an owner manages a custom role, the provider's settings, and a client's groups and policies", async ({ browser }) => {
  const { ready } = fixture();
  const { page } = await newPerson(browser);
  await signIn(page, ready.owner);

  await page.goto(`/console/#/p/${ready.providerId}/roles`);
  await page.getByRole("button", { name: "New role" }).click();
  const role = page.getByRole("dialog", { name: "New role" });
  // Exact: a permission's label may mention a name too.
  await role.getByLabel("Name", { exact: true }).fill("Auditor");
  await role.getByLabel(PERMISSION_DESCRIPTIONS.view_events).check();
  await role.getByLabel(PERMISSION_DESCRIPTIONS.view_usage_and_billing).check();
  await checkA11y(page, "P3 role dialog");
  await role.getByRole("button", { name: "Save" }).click();
  await expect(role).toBeHidden();
  await expect(page.getByRole("cell", { name: "Auditor", exact: true })).toBeVisible();
  await checkA11y(page, "P3 roles");
  await page.getByRole("button", { name: "Clone Auditor" }).click();
  const clone = page.getByRole("dialog", { name: "Clone Auditor" });
  await expect(clone.getByLabel("Name", { exact: true })).toHaveValue("Copy of Auditor");
  await expect(clone.getByLabel(PERMISSION_DESCRIPTIONS.view_events)).toBeChecked();
  await clone.getByRole("button", { name: "Save" }).click();
  await expect(clone).toBeHidden();
  const copy = page.locator("tr").filter({ has: page.getByRole("cell", { name: "Copy of Auditor", exact: true }) });
  await expect(copy).toContainText("view_events");
  await page.getByRole("button", { name: "Delete Copy of Auditor" }).click();
  await page.getByRole("button", { name: "Delete Auditor" }).click();
  await expect(page.getByRole("cell", { name: "Auditor", exact: true })).toHaveCount(0);
  await expect(page.getByRole("cell", { name: "Copy of Auditor", exact: true })).toHaveCount(0);

  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByLabel("Provider name")).toHaveValue(ready.providerName);
  await checkA11y(page, "P9 settings");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  // Provider events a page (100) at a time; the fixture launched into Other Co 100 times.
  await page.getByRole("link", { name: "Events" }).click();
  const eventRows = page.locator("section[aria-labelledby=ev-h] tbody tr");
  await expect(eventRows).toHaveCount(100);
  await page.getByRole("button", { name: "Load more events" }).click();
  await expect.poll(() => eventRows.count()).toBeGreaterThan(100);

  // A member's activity: the events done by or to them, from their row in Members.
  await page.getByRole("link", { name: "Members" }).click();
  await page.getByRole("link", { name: `Activity of ${ready.technician.email}` }).click();
  await expect(page.getByRole("heading", { name: "Events" })).toBeVisible();
  await expect(page.getByLabel("Member")).toHaveValue(ready.technician.providerUserId);
  await expect(eventRows.first()).toBeVisible();
  const activity = await eventRows.allTextContents();
  expect(activity.length).toBeLessThan(100);
  for (const row of activity) expect(row).toContain(ready.technician.email);
  await checkA11y(page, "P2 member activity");

  // A narrow window (a phone): every screen fits its width; wide tables scroll inside themselves.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const tab of ["members", "clients", "events", "roles", "usage", "settings"]) {
    await page.goto(`/console/#/p/${ready.providerId}/${tab}`);
    await expect(page.locator("main h3").first()).toBeVisible();
    await expect(page.locator("main table, main form").first()).toBeVisible();
    await fitsTheWindow(page, tab);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole("link", { name: "Clients" }).click();
  await expect(page.getByRole("link", { name: ready.otherClient.name })).toBeVisible();

  // P5b: the owner's own organization becomes a client (its key re-wrapped under the provider's).
  if (ready.linkableOrganization !== undefined) {
    const linkable = ready.linkableOrganization.name;
    await page.getByRole("button", { name: "Link existing organization" }).click();
    const link = page.getByRole("dialog", { name: "Link an existing organization" });
    await link.getByLabel("Organization").selectOption(ready.linkableOrganization.organizationId);
    await link.getByLabel("Your master password").fill(`${ready.owner.password}-wrong`);
    await checkA11y(page, "P5b link dialog");
    await link.getByRole("button", { name: "Link organization" }).click();
    await expect(link.getByRole("alert")).toContainText("Invalid password");
    await link.getByLabel("Your master password").fill(ready.owner.password);
    await link.getByRole("button", { name: "Link organization" }).click();
    await expect(link).toBeHidden();
    await expect(page.getByRole("link", { name: linkable })).toBeVisible();
    const linked = await launch(page, linkable, ready.owner.password);
    await expect(linked.getByRole("heading", { name: linkable, level: 2 })).toBeVisible();
    await linked.close();
  }

  // The client's page: edit its information, and its technicians (put back as they were).
  await page.getByRole("link", { name: ready.assignedClient.name }).click();
  await expect(page.getByRole("heading", { name: ready.assignedClient.name })).toBeVisible();
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  const info = page.getByRole("dialog", { name: `Edit ${ready.assignedClient.name}` });
  await info.getByLabel("Website").fill("https://assigned.example");
  await info.getByLabel("Notes").fill("Call before changes");
  await checkA11y(page, "P5 edit client");
  await info.getByRole("button", { name: "Save" }).click();
  await expect(info).toBeHidden();
  await expect(page.getByText("https://assigned.example")).toBeVisible();
  await expect(page.getByText("Call before changes")).toBeVisible();
  const managedBy = page.locator("dt:text-is('Managed by') + dd");
  await expect(managedBy).toContainText(ready.technician.email);
  for (const on of [false, true]) {
    await page.getByRole("button", { name: "Technicians…" }).click();
    const techs = page.getByRole("dialog", { name: `Technicians of ${ready.assignedClient.name}` });
    await techs.getByLabel(ready.technician.email).setChecked(on);
    if (!on) await checkA11y(page, "P5 technicians of a client");
    await techs.getByRole("button", { name: "Save" }).click();
    await expect(techs).toBeHidden();
    if (on) await expect(managedBy).toContainText(ready.technician.email);
    else await expect(managedBy).not.toContainText(ready.technician.email);
  }
  await page.getByRole("link", { name: "Clients" }).click();
  const tab = await launch(page, ready.assignedClient.name, ready.owner.password);
  await tab.getByRole("link", { name: "Groups" }).click();
  await tab.getByRole("button", { name: "New group" }).click();
  const group = tab.getByRole("dialog", { name: "New group" });
  await group.getByLabel("Group name").fill("Helpdesk");
  await group.getByRole("button", { name: "Save" }).click();
  await expect(tab.getByRole("cell", { name: "Helpdesk", exact: true })).toBeVisible();
  await checkA11y(tab, "C4 groups");
  await tab.getByRole("link", { name: "Policies" }).click();
  await tab.getByRole("button", { name: "Turn on: Single organization" }).click();
  await expect(tab.getByRole("button", { name: "Turn off: Single organization" })).toBeVisible();
  await checkA11y(tab, "C5 policies");
  await tab.getByRole("button", { name: "Turn off: Single organization" }).click();
  await expect(tab.getByRole("button", { name: "Turn on: Single organization" })).toBeVisible();
  await tab.getByRole("link", { name: "Events" }).click();
  await expect(tab.getByRole("heading", { name: "Events" })).toBeVisible();
  await checkA11y(tab, "C6 events");
  // The client's screens in a narrow window too.
  await tab.setViewportSize({ width: 390, height: 844 });
  for (const name of ["Overview", "Members", "Collections", "Items", "Groups", "Policies", "Events"]) {
    await tab.getByRole("link", { name, exact: true }).click();
    await expect(tab.getByRole("heading", { name: name === "Overview" ? "Overview" : name }).first()).toBeVisible();
    await expect(tab.locator("main table, main dl, main form").first()).toBeVisible();
    await fitsTheWindow(tab, `the client's ${name}`);
  }
  await tab.setViewportSize({ width: 1280, height: 800 });

  // Account recovery (issue 16) in a client where it is on: the enrolled user gets a new master
  // password (Rust then signs in with it and reads their old item); the client's owner is for its
  // own owners to recover, and the server's refusal shows.
  if (ready.recovery !== undefined) {
    const r = ready.recovery;
    const rc = await launch(page, r.client.name, ready.owner.password);
    await rc.getByRole("link", { name: "Members" }).click();
    const recover = async (email: string) => {
      await rc.getByRole("button", { name: `Recover the account of ${email}` }).click();
      return rc.getByRole("dialog", { name: `Recover the account of ${email}` });
    };
    const owner = await recover(r.owner);
    await owner.getByLabel("New master password", { exact: true }).fill(r.newPassword);
    await owner.getByLabel("New master password again").fill(r.newPassword);
    await owner.getByRole("button", { name: "Recover account" }).click();
    await expect(owner.getByRole("alert")).toContainText("Provider members cannot recover the accounts of the client's owners");
    await owner.getByRole("button", { name: "Close" }).click();
    await expect(owner).toBeHidden();

    const member = await recover(r.member);
    await member.getByLabel("New master password", { exact: true }).fill("too short");
    await member.getByLabel("New master password again").fill("too short");
    await member.getByRole("button", { name: "Recover account" }).click();
    await expect(member.getByRole("alert")).toContainText("at least 12 characters");
    await member.getByLabel("New master password", { exact: true }).fill(r.newPassword);
    await member.getByLabel("New master password again").fill(`${r.newPassword}!`);
    await member.getByRole("button", { name: "Recover account" }).click();
    await expect(member.getByRole("alert")).toContainText("The two passwords differ.");
    await member.getByLabel("New master password again").fill(r.newPassword);
    await member.getByLabel("Also turn off two-step login").check();
    await checkA11y(rc, "C2 recover account");
    await member.getByRole("button", { name: "Recover account" }).click();
    await expect(member.getByTestId("recovered")).toContainText("asked to choose their own master password");
    await member.getByRole("button", { name: "Close" }).click();
    await rc.close();
  }

  // Lock, then unlock with the master password: the launched tab works again.
  await page.bringToFront();
  await page.goto("/console/#/account");
  await page.getByRole("button", { name: "Lock" }).click();
  await expect(page.getByRole("heading", { name: "Unlock" })).toBeVisible();
  await checkA11y(page, "unlock");
  await page.getByLabel("Master password").fill(ready.owner.password);
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("contentinfo")).toContainText(`Signed in as ${ready.owner.email}`);
  await page.goto(`/console/#/p/${ready.providerId}/clients`);
  await expect(page.getByRole("link", { name: ready.otherClient.name })).toBeVisible();
});
