// Playwright against a running Keyfleet server (the Rust e2e test starts it and writes the
// fixture file named by KEYFLEET_FIXTURE). Debian's Chromium; never `npx playwright install`.
import { defineConfig } from "@playwright/test";
import { basename, dirname, join } from "node:path";

// The Rust harness may run two stories at once (SQLite and PostgreSQL) from this directory: each
// run keeps its traces and screenshots apart, under the name of its fixture's directory.
const fixture = process.env.KEYFLEET_FIXTURE;
const outputDir = fixture === undefined ? "test-results" : join("test-results", basename(dirname(fixture)));

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  retries: 0,
  fullyParallel: false,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  outputDir,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    baseURL: process.env.KEYFLEET_URL,
    ignoreHTTPSErrors: true, // only Keyfleet's own self-signed CA
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 20_000,
  },
});
