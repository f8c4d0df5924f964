// `npm run build`: bundles the console into crates/keyfleet-console/assets/, which is committed
// and embedded in the server binary. Exactly four files, fixed names, not minified (readable
// diffs), deterministic: two builds of the same sources give identical bytes, so CI can rebuild
// and `git diff --exit-code` the output.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "crates", "keyfleet-console", "assets");
const FILES = ["index.html", "app.css", "app.js", "agent.js"];

// Start empty so nothing stale (or a stray source map) survives.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  absWorkingDir: here, // paths in the bundles' comments are relative to console/
  tsconfig: join(here, "tsconfig.json"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  minify: false,
  sourcemap: false,
  legalComments: "inline",
  jsx: "automatic",
  jsxImportSource: "preact",
  logLevel: "warning",
};

// A SharedWorker is a classic script here, so both bundles are IIFEs.
await build({ ...common, entryPoints: ["src/app.tsx"], outfile: join(out, "app.js") });
await build({ ...common, entryPoints: ["src/agent.ts"], outfile: join(out, "agent.js") });
copyFileSync(join(here, "src", "index.html"), join(out, "index.html"));
copyFileSync(join(here, "src", "app.css"), join(out, "app.css"));

const present = readdirSync(out).sort();
if (present.join() !== [...FILES].sort().join()) {
  throw new Error(`assets/ holds ${present.join(", ")}; expected exactly ${FILES.join(", ")}`);
}

let raw = 0;
let gz = 0;
for (const f of FILES) {
  const bytes = readFileSync(join(out, f));
  const z = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += z;
  const sha = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  console.log(`${f.padEnd(10)} ${String(bytes.length).padStart(8)} B  ${String(z).padStart(7)} B gzip  sha256 ${sha}…`);
}
console.log(`${"total".padEnd(10)} ${String(raw).padStart(8)} B  ${String(gz).padStart(7)} B gzip`);
