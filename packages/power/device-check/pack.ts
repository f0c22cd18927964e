/**
 * Packs `nvml-check.ts` into a folder that runs on a machine with nothing installed but a
 * driver: the check bundled into one ES module (its dependencies with it, koffi aside), koffi
 * and its Linux x64 binary copied beside it, a `run.sh`, and with --with-node this machine's
 * Node compressed with xz (about a quarter of its 99 MB), which `run.sh` unpacks to /tmp.
 *
 * Usage: node --import tsx device-check/pack.ts <out-dir> [--with-node]
 * (`pnpm --filter @wattprint/power device-check:pack`, which writes ../../.device-check).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const [outArg, ...flags] = process.argv.slice(2);
if (outArg === undefined || flags.some((f) => f !== "--with-node")) {
  console.error("usage: pack.ts <out-dir> [--with-node]");
  process.exit(2);
}
const out = resolve(outArg);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(HERE, "nvml-check.ts")],
  outfile: join(out, "nvml-check.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // A native addon, and the read thread resolves it by name from beside the bundle.
  external: ["koffi"],
  // Bundled CommonJS dependencies call require(): give the module one.
  banner: {
    js: 'import { createRequire as __wattprintRequire } from "node:module"; const require = __wattprintRequire(import.meta.url);',
  },
  logLevel: "warning",
});

// koffi, and the package holding its Linux x64 binary, as real folders (pnpm links them).
// koffi looks for the binary's package beside its own folder; so does this.
const fromPower = createRequire(join(HERE, "..", "package.json"));
const koffiDir = dirname(realpathSync(fromPower.resolve("koffi")));
cpSync(koffiDir, join(out, "node_modules", "koffi"), { recursive: true, dereference: true });
const binaryDir = realpathSync(join(koffiDir, "..", "@koromix", "koffi-linux-x64"));
cpSync(binaryDir, join(out, "node_modules", "@koromix", "koffi-linux-x64"), {
  recursive: true,
  dereference: true,
});

if (flags.includes("--with-node")) {
  const xz = spawnSync("xz", ["-T0", "-6", "-c", process.execPath], {
    maxBuffer: 200 * 1024 * 1024,
  });
  if (xz.status !== 0) throw new Error(`xz failed: ${xz.stderr.toString()}`);
  writeFileSync(join(out, "node.xz"), xz.stdout);
}

writeFileSync(
  join(out, "run.sh"),
  `#!/bin/bash
# Runs the NVML check on this machine: the packed Node if there is one, else the node on PATH.
set -euo pipefail
here="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
node=node
if [ -f "$here/node.xz" ]; then
  mkdir -p /tmp/wattprint-node
  if command -v xz >/dev/null; then
    xz -dc "$here/node.xz" > /tmp/wattprint-node/node
  else
    # Python's lzma reads the same format where xz is not installed.
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$here/node.xz" /tmp/wattprint-node/node
  fi
  chmod +x /tmp/wattprint-node/node
  node=/tmp/wattprint-node/node
fi
nvidia-smi -L >&2 || true
exec "$node" "$here/nvml-check.mjs"
`,
  { mode: 0o755 },
);
console.log(`packed ${out}`);
