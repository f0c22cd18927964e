// `pnpm align-packages`: brings every package.json's derived fields and LICENSE copy in line
// with the publishing rules (manifest-rules.ts), then says what it changed.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { alignWorkspace } from "./align.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
const changed = alignWorkspace(root);
if (!changed.ok) {
  process.stderr.write(`align-packages: ${changed.error.message}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(
    changed.value.length === 0
      ? "align-packages: every package is in line\n"
      : `align-packages: updated ${changed.value.join(", ")}; run \`pnpm exec biome format --write .\` and review the diff\n`,
  );
}
