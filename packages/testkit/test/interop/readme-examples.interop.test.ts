import { execFile } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { assertInsidePrivateNetwork } from "../../src/private-network.ts";
import { extractReadmeExample } from "../../src/readme-example.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
const run = promisify(execFile);

/**
 * READMEs still in their old shape, to be reshaped (purpose, install, example, API, errors,
 * performance, layout) before this list goes away. Each one shrinks what this test guards.
 */
const NOT_YET_SHAPED = new Set<string>([
  "apps/bus-node/README.md",
  "apps/cli/README.md",
  "packages/messages/README.md",
  "packages/node/README.md",
  "packages/rtps/README.md",
  "packages/testkit/README.md",
]);

function readmes(): string[] {
  return ["packages", "apps"].flatMap((group) =>
    readdirSync(join(ROOT, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${group}/${entry.name}/README.md`),
  );
}

// An app's example is shell: its commands run from source, as `pnpm build` would install them.
const APP_COMMANDS = `
wattprint() { node --import tsx --conditions=@wattprint/source "${ROOT}/apps/cli/src/main.ts" "$@"; }
wattprint-node() { node --import tsx --conditions=@wattprint/source "${ROOT}/apps/bus-node/src/main.ts" "$@"; }
set -euo pipefail
`;

describe("every README's example runs as written", () => {
  assertInsidePrivateNetwork();
  const all = readmes();

  it("finds the READMEs, and the not-yet-shaped list names only real ones", () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const name of NOT_YET_SHAPED) expect(all).toContain(name);
  });

  for (const readme of all.filter((name) => !NOT_YET_SHAPED.has(name))) {
    it(readme, async () => {
      const extracted = extractReadmeExample(readFileSync(join(ROOT, readme), "utf8"));
      if (!extracted.ok) throw new Error(`${readme}: ${extracted.error.message}`);
      const example = extracted.value;
      const packageDir = dirname(join(ROOT, readme));
      // Inside the package, so the example imports the package by its own name (self-reference)
      // and its dependencies as a user's code would.
      const file = join(packageDir, `.readme-example-${process.pid}.${example.language}`);
      writeFileSync(file, example.language === "sh" ? APP_COMMANDS + example.code : example.code);
      try {
        const [command, args] =
          example.language === "sh"
            ? ["bash", [file]]
            : [process.execPath, ["--import", "tsx", "--conditions=@wattprint/source", file]];
        const { stdout } = await run(command, args, { cwd: packageDir, timeout: 30_000 }).catch(
          (error: { stdout?: string; stderr?: string; message: string }) => {
            throw new Error(
              `${readme}:${example.line}: the example failed\n${error.stderr ?? error.message}`,
            );
          },
        );
        if (example.expectedOutput !== undefined) {
          expect(stdout.trim(), `${relative(ROOT, file)} output`).toBe(example.expectedOutput);
        }
      } finally {
        rmSync(file, { force: true });
      }
    });
  }
});
