import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertInsidePrivateNetwork } from "../../src/private-network.ts";
import { extractReadmeExamples } from "../../src/readme-example.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
const run = promisify(execFile);
/** An app's example runs several commands, each a cold start through tsx. */
const EXAMPLE_TIMEOUT_MS = 60_000;

function readmes(): string[] {
  return ["packages", "apps"].flatMap((group) =>
    readdirSync(join(ROOT, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${group}/${entry.name}/README.md`),
  );
}

// An app's example is shell: its commands run from source, as `pnpm build` would install them,
// as executables on PATH. Not shell functions: `wattprint-node &` would then start a subshell,
// and an example's `kill $!` would stop the subshell and leave the node running, holding this
// test's stdout open.
const APPS = {
  wattprint: "apps/cli/src/main.ts",
  "wattprint-node": "apps/bus-node/src/main.ts",
  "wattprint-server": "apps/server/src/main.ts",
};

function installAppCommands(): string {
  const dir = mkdtempSync(join(tmpdir(), "wattprint-readme-bin-"));
  for (const [name, main] of Object.entries(APPS)) {
    const node = `"${process.execPath}" --import tsx --conditions=@wattprint/source`;
    writeFileSync(join(dir, name), `#!/bin/sh\nexec ${node} "${join(ROOT, main)}" "$@"\n`, {
      mode: 0o755,
    });
  }
  return dir;
}

describe("every README's example runs as written", () => {
  assertInsidePrivateNetwork();
  const all = readmes();
  let appBin = "";
  beforeAll(() => {
    appBin = installAppCommands();
  });
  afterAll(() => rmSync(appBin, { recursive: true, force: true }));

  it("finds every package's and app's README", () => {
    for (const name of [
      "packages/core/README.md",
      "packages/rtps/README.md",
      "packages/measure/README.md",
      "apps/cli/README.md",
      "apps/server/README.md",
    ])
      expect(all).toContain(name);
    expect(all.length).toBeGreaterThanOrEqual(13);
  });

  for (const readme of all) {
    const extracted = extractReadmeExamples(readFileSync(join(ROOT, readme), "utf8"));
    if (!extracted.ok) {
      it(readme, () => {
        throw new Error(`${readme}: ${extracted.error.message}`);
      });
      continue;
    }
    for (const example of extracted.value) {
      it(
        `${readme}:${example.line}`,
        async () => {
          const packageDir = dirname(join(ROOT, readme));
          // Inside the package, so the example imports the package by its own name
          // (self-reference) and its dependencies as a user's code would.
          const file = join(
            packageDir,
            `.readme-example-${process.pid}-${example.line}.${example.language}`,
          );
          writeFileSync(
            file,
            example.language === "sh" ? `set -euo pipefail\n${example.code}` : example.code,
          );
          try {
            const [command, args] =
              example.language === "sh"
                ? ["bash", [file]]
                : [process.execPath, ["--import", "tsx", "--conditions=@wattprint/source", file]];
            const { stdout } = await run(command, args, {
              cwd: packageDir,
              timeout: EXAMPLE_TIMEOUT_MS,
              env: { ...process.env, PATH: `${appBin}${delimiter}${process.env.PATH ?? ""}` },
            }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
              throw new Error(
                `${readme}:${example.line}: the example failed\n${error.stderr ?? error.message}`,
              );
            });
            if (example.expectedOutput !== undefined) {
              expect(stdout.trim(), `${relative(ROOT, file)} output`).toBe(example.expectedOutput);
            }
          } finally {
            rmSync(file, { force: true });
          }
        },
        EXAMPLE_TIMEOUT_MS + 10_000,
      );
    }
  }
});
