// A technician sees only the clients assigned to them, and a URL to another client shows nothing
// of it (not even its name).
import { expect, test } from "@playwright/test";
import { checkA11y, fixture, launch, newPerson, signIn } from "./helpers";

test("a technician sees only their assigned client, and another client's URLs show nothing of it", async ({ browser }) => {
  const { ready } = fixture();
  const { page } = await newPerson(browser);
  await signIn(page, ready.technician);
  await expect(page.getByRole("link", { name: ready.assignedClient.name })).toBeVisible();
  await expect(page.getByRole("link", { name: ready.otherClient.name })).toHaveCount(0);
  await checkA11y(page, "P4 clients (technician)");
  const others = [page.getByText(ready.otherClient.name), page.getByText(ready.otherItem?.name ?? "Other secret")];

  // The other client's console route: nothing launched, nothing fetched.
  await page.goto(`/console/#/c/${ready.otherClient.organizationId}`);
  await expect(page.getByRole("heading", { name: "Client not found" })).toBeVisible();
  for (const o of others) await expect(o).toHaveCount(0);
  await checkA11y(page, "client not found");

  // The provider's detail page of the other client: the server answers 404.
  await page.goto(`/console/#/p/${ready.providerId}/clients/${ready.otherClient.providerOrganizationId}`);
  await expect(page.getByRole("heading", { name: "Client not found" })).toBeVisible();
  for (const o of others) await expect(o).toHaveCount(0);

  // Their own client's page works.
  await page.goto(`/console/#/p/${ready.providerId}/clients/${ready.assignedClient.providerOrganizationId}`);
  await expect(page.getByRole("heading", { name: ready.assignedClient.name })).toBeVisible();
  // Screens the technician's role does not include are not offered.
  await expect(page.getByRole("link", { name: "Members" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Settings" })).toHaveCount(0);

  // Launched into their own client, the other client's Rust-made item is nowhere.
  await page.goto(`/console/#/p/${ready.providerId}/clients`);
  const tab = await launch(page, ready.assignedClient.name, ready.technician.password);
  await tab.getByRole("link", { name: "Items" }).click();
  await expect(tab.getByRole("heading", { name: "Items" })).toBeVisible();
  await expect(tab.getByRole("table")).toBeVisible();
  await expect(tab.getByText(ready.otherItem?.name ?? "Other secret")).toHaveCount(0);
  await tab.close();
});
