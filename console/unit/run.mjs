// `npm run unit`: Node 20 cannot run TypeScript, so each unit/*.test.ts is bundled with esbuild
// into .unit-build/ (git-ignored) and the results are run with `node --test`.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", ".unit-build");
const tests = readdirSync(here)
  .filter((f) => f.endsWith(".test.ts"))
  .sort();

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: tests.map((f) => join(here, f)),
  outdir: out,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "inline",
  logLevel: "warning",
});

const files = tests.map((f) => join(out, f.replace(/\.ts$/, ".mjs")));
// A failing test must end the run, never leave it waiting on an open port or timer: each test
// has 20 s, the runner exits when the tests are done, and the whole run is killed after 2 min.
const run = spawnSync(process.execPath, ["--test", "--test-force-exit", "--test-timeout=20000", ...files], {
  stdio: "inherit",
  timeout: 120_000,
  killSignal: "SIGKILL",
});
if (run.error) console.error(`npm run unit: ${run.error.message}`);
process.exit(run.status ?? 1);
