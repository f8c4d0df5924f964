// Several clients launched at once, each in its own tab sharing one key agent.
import { expect, test } from "@playwright/test";
import { checkA11y, fixture, launch, newPerson, signIn } from "./helpers";

test("an owner launches two clients into two tabs at once, after a wrong password is refused", async ({ browser }) => {
  const { ready } = fixture();
  const { page } = await newPerson(browser);
  await signIn(page, ready.owner);
  await page.goto(`/console/#/p/${ready.providerId}/clients`);
  const a = ready.assignedClient.name;
  const b = ready.otherClient.name;

  await page.getByRole("button", { name: `Launch ${a}` }).click();
  const dialog = page.getByRole("dialog", { name: `Launch ${a}` });
  await dialog.getByLabel("Your master password").fill(`${ready.owner.password}-wrong`);
  await dialog.getByRole("button", { name: "Launch" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Invalid password");
  await checkA11y(page, "P6 step-up refused");
  await dialog.getByRole("button", { name: "Close" }).click();

  const tabA = await launch(page, a, ready.owner.password);
  const tabB = await launch(page, b, ready.owner.password);
  for (const [tab, name] of [
    [tabA, a],
    [tabB, b],
  ] as const) {
    await tab.bringToFront();
    await tab.getByRole("link", { name: "Members" }).click();
    await expect(tab.getByRole("table", { name: `Members of ${name}` })).toBeVisible();
    await expect(tab.getByRole("heading", { level: 2 })).toHaveText(name);
  }
  // Both stay usable side by side.
  await tabA.bringToFront();
  await tabA.getByRole("link", { name: "Collections" }).click();
  await expect(tabA.getByRole("heading", { name: "Collections" })).toBeVisible();
  await checkA11y(tabA, "C3 collections");
  await tabB.getByRole("link", { name: "Items" }).click();
  await expect(tabB.getByRole("heading", { name: "Items" })).toBeVisible();
});
