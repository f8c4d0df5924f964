// The owner's everyday screens: custom roles, provider settings, and inside a launched client its
// groups and policies. Leaves the `ready` world as it found it (apart from a group).
import { expect, test } from "@playwright/test";
import { checkA11y, fixture, launch, newPerson, signIn } from "./helpers";

test("an owner manages a custom role, the provider's settings, and a client's groups and policies", async ({ browser }) => {
  const { ready } = fixture();
  const { page } = await newPerson(browser);
  await signIn(page, ready.owner);

  await page.goto(`/console/#/p/${ready.providerId}/roles`);
  await page.getByRole("button", { name: "New role" }).click();
  const role = page.getByRole("dialog", { name: "New role" });
  await role.getByLabel("Name").fill("Auditor");
  await role.getByLabel("view events").check();
  await role.getByLabel("view usage and billing").check();
  await checkA11y(page, "P3 role dialog");
  await role.getByRole("button", { name: "Save" }).click();
  await expect(role).toBeHidden();
  await expect(page.getByRole("cell", { name: "Auditor", exact: true })).toBeVisible();
  await checkA11y(page, "P3 roles");
  await page.getByRole("button", { name: "Delete Auditor" }).click();
  await expect(page.getByRole("cell", { name: "Auditor", exact: true })).toHaveCount(0);

  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByLabel("Provider name")).toHaveValue(ready.providerName);
  await checkA11y(page, "P9 settings");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  await page.getByRole("link", { name: "Clients" }).click();
  await expect(page.getByRole("link", { name: ready.otherClient.name })).toBeVisible();
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
});
