// Suspension applies to the very next request of an open console; restoring gives access back.
// Runs last among the `ready` stories and leaves the technician restored.
import { expect, test } from "@playwright/test";
import { checkA11y, fixture, newPerson, signIn } from "./helpers";

test("a technician suspended while their console is open sees no clients on their next action, and sees them again once restored", async ({ browser }) => {
  const { ready } = fixture();
  const { page: tech } = await newPerson(browser);
  await signIn(tech, ready.technician);
  await tech.goto(`/console/#/p/${ready.providerId}/clients`);
  await expect(tech.getByRole("link", { name: ready.assignedClient.name })).toBeVisible();

  const { page: owner } = await newPerson(browser);
  await signIn(owner, ready.owner);
  await owner.goto(`/console/#/p/${ready.providerId}/members`);
  const row = owner.locator(`tr[data-email="${ready.technician.email}"]`);
  try {
    await owner.getByRole("button", { name: `Suspend ${ready.technician.email}` }).click();
    await expect(row).toContainText("suspended");
    await owner.getByLabel("Suspended only").check();
    await expect(row).toBeVisible();
    await checkA11y(owner, "P2 members, suspended filter");

    // The technician's next action.
    await tech.getByRole("link", { name: "Overview" }).click();
    await tech.getByRole("link", { name: "Clients" }).click();
    await expect(tech.getByRole("alert")).toBeVisible();
    await expect(tech.getByRole("link", { name: ready.assignedClient.name })).toHaveCount(0);
  } finally {
    await owner.getByLabel("Suspended only").uncheck();
    await owner.getByRole("button", { name: `Restore ${ready.technician.email}` }).click();
    await expect(row).not.toContainText("suspended");
  }
  await tech.getByRole("link", { name: "Overview" }).click();
  await tech.getByRole("link", { name: "Clients" }).click();
  await expect(tech.getByRole("link", { name: ready.assignedClient.name })).toBeVisible();
});
