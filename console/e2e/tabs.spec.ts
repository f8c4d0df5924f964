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

  // The reverse direction: an item keyfleet-client (Rust) encrypted, decrypted in the browser.
  const secret = ready.otherItem ?? { name: "Other secret", password: "never-shown-1" };
  await tabB.bringToFront();
  await expect(tabB.getByRole("cell", { name: secret.name, exact: true })).toBeVisible();
  await expect(tabB.getByText(secret.password)).toHaveCount(0);
  await tabB.getByRole("button", { name: `Reveal the password of ${secret.name}` }).click();
  await expect(tabB.getByText(secret.password, { exact: true })).toBeVisible();

  // And an item a client's member made with the stock bw CLI.
  const bwRow = tabB.locator("tr").filter({ has: tabB.getByRole("cell", { name: "Made with bw", exact: true }) });
  await expect(bwRow).toContainText("bw-admin");
  await tabB.getByRole("button", { name: "Reveal the password of Made with bw" }).click();
  await expect(tabB.getByText("bw-made-pw-7", { exact: true })).toBeVisible();

  // An item the apps made (its own key, notes, a custom field, TOTP, two URIs): the console edits
  // what it shows and leaves the rest as it was (the harness decrypts it afterwards); keeping the
  // password logs no reveal.
  await tabB.getByRole("button", { name: "Edit Core router" }).click();
  const rich = tabB.getByRole("dialog", { name: "Edit Core router" });
  await expect(rich.getByLabel("Username")).toHaveValue("admin");
  await expect(rich.getByLabel("Website")).toHaveValue("https://core.example");
  await rich.getByLabel("Name", { exact: true }).fill("Core router (edited)");
  await rich.getByLabel("Username").fill("netops");
  await rich.getByLabel("Website").fill("https://core2.example");
  await rich.getByRole("button", { name: "Save" }).click();
  await expect(rich).toBeHidden();
  await expect(tabB.getByRole("cell", { name: "Core router (edited)", exact: true })).toBeVisible();

  // An item's life: created, edited and moved to another collection, trashed, restored, trashed
  // again and deleted forever.
  tabB.on("dialog", (d) => void d.accept());
  const run = String(Date.now() % 100_000); // names unique to this run
  const temp = `Temp switch ${run}`;
  const core = `Core switch ${run}`;
  const network = `Network ${run}`;
  await tabB.getByRole("link", { name: "Collections" }).click();
  await tabB.getByRole("button", { name: "New collection" }).click();
  const col = tabB.getByRole("dialog", { name: "New collection" });
  await col.getByLabel("Name", { exact: true }).fill(network);
  await col.getByRole("button", { name: "Save" }).click();
  await expect(col).toBeHidden();
  await tabB.getByRole("link", { name: "Items" }).click();
  await tabB.getByRole("button", { name: "New login item" }).click();
  const create = tabB.getByRole("dialog", { name: "New login item" });
  await create.getByLabel("Name", { exact: true }).fill(temp);
  await create.getByLabel("Password", { exact: true }).fill("temp-pw-1");
  await create.getByRole("group", { name: "Collections" }).getByRole("checkbox").first().check();
  await create.getByRole("button", { name: "Save" }).click();
  await expect(create).toBeHidden();
  await tabB.getByRole("button", { name: `Edit ${temp}` }).click();
  const edit = tabB.getByRole("dialog", { name: `Edit ${temp}` });
  await edit.getByLabel("Name", { exact: true }).fill(core);
  await edit.getByLabel("Username").fill("netadmin");
  const collections = edit.getByRole("group", { name: "Collections" });
  await collections.getByRole("checkbox").first().uncheck();
  await collections.getByLabel(network).check();
  await checkA11y(tabB, "C7 item dialog");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  const row = tabB.locator("tr").filter({ has: tabB.getByRole("cell", { name: core, exact: true }) });
  await expect(row).toContainText("netadmin");
  await expect(row.getByRole("cell", { name: network, exact: true })).toBeVisible();
  await tabB.getByRole("button", { name: `Reveal the password of ${core}` }).click();
  await expect(tabB.getByText("temp-pw-1", { exact: true })).toBeVisible();
  // The client's event log names the item by its decrypted name.
  await tabB.getByRole("link", { name: "Events" }).click();
  await expect(tabB.locator('tr[data-type="1101"]').filter({ hasText: core }).first()).toBeVisible();
  await checkA11y(tabB, "C6 events with item names");
  await tabB.getByRole("link", { name: "Items" }).click();
  await tabB.getByRole("button", { name: `Move to trash: ${core}` }).click();
  await expect(tabB.getByRole("cell", { name: core, exact: true })).toHaveCount(0);
  await tabB.getByLabel("Show trash").check();
  await tabB.getByRole("button", { name: `Restore ${core}` }).click();
  await expect(tabB.getByRole("cell", { name: core, exact: true })).toHaveCount(0);
  await tabB.getByLabel("Show trash").uncheck();
  await tabB.getByRole("button", { name: `Move to trash: ${core}` }).click();
  await tabB.getByLabel("Show trash").check();
  await checkA11y(tabB, "C7 trash");
  await tabB.getByRole("button", { name: `Delete forever: ${core}` }).click();
  await expect(tabB.getByRole("cell", { name: core, exact: true })).toHaveCount(0);
  await tabB.getByLabel("Show trash").uncheck();
  await expect(tabB.getByRole("cell", { name: secret.name, exact: true })).toBeVisible();

  // The reveal was posted to /events/collect and is in the client's log, with the item's name (decrypted here).
  await tabB.getByRole("link", { name: "Events" }).click();
  await expect(tabB.locator('tr[data-type="1108"]').filter({ hasText: secret.name }).first()).toContainText(
    "Password revealed",
  );
  await expect(tabB.locator('tr[data-type="1108"]').filter({ hasText: "Core router" })).toHaveCount(0);
});
