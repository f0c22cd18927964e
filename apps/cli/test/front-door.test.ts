import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { wattprint } from "./helpers/in-process.ts";
import { expectUsageError } from "./helpers/outcome.ts";

/* The command line's own words: --version, help <command>, did-you-mean, errors as JSON. */

const VERSION = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
  .version as string;

describe("wattprint --version", () => {
  it.each([["--version"], ["-V"], ["version"]])("%s prints the package's version", async (flag) => {
    expect(await wattprint([flag])).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  it.each([["--version"], ["-V"], ["version"]])(
    "%s with an argument says it takes none",
    async (flag) => {
      expectUsageError(
        await wattprint([flag, "extra"]),
        new RegExp(`^wattprint: ${flag} takes no arguments$`),
      );
    },
  );
});

describe("wattprint help <command>", () => {
  it("is the command's --help", async () => {
    const help = await wattprint(["help", "estimate"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: wattprint estimate/);
    expect(help.stdout).toBe((await wattprint(["estimate", "--help"])).stdout);
  });

  it("reaches a subcommand's help", async () => {
    const help = await wattprint(["help", "hardware", "detect"]);
    expect(help.stdout).toBe((await wattprint(["hardware", "detect", "--help"])).stdout);
    expect(help.stdout).toMatch(/usage: wattprint hardware detect/);
  });

  it("says how to reach it from the overview", async () => {
    expect((await wattprint(["help"])).stdout).toContain("wattprint help <command>");
  });
});

describe("did you mean", () => {
  it("suggests the command a typo was meant as", async () => {
    expectUsageError(
      await wattprint(["estimat", "--watts", "1"]),
      /^wattprint: unknown command "estimat"; did you mean estimate\?; commands: estimate, zones/,
    );
    expectUsageError(await wattprint(["help", "zone"]), /did you mean zones\?/);
  });

  it("names only the command list when nothing is close", async () => {
    expectUsageError(
      await wattprint(["frobnicate"]),
      /^wattprint: unknown command "frobnicate"; commands: /,
    );
  });

  it("suggests the flag a typo was meant as, naming the command", async () => {
    expectUsageError(
      await wattprint(["estimate", "--wats", "100", "--duration", "1h"]),
      /^wattprint estimate: Unknown option '--wats'; did you mean --watts\?$/,
    );
    expectUsageError(
      await wattprint(["zones", "--limt", "3"]),
      /^wattprint zones: Unknown option '--limt'; did you mean --limit\?$/,
    );
  });
});

describe("errors as JSON under --json", () => {
  const failureOf = (stderr: string) => {
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    return JSON.parse(lines[0] ?? "") as { kind: string; message: string };
  };

  it("a usage error is one failure object on stderr, exit 2, nothing on stdout", async () => {
    const outcome = await wattprint(["estimate", "--watts", "0x10", "--duration", "1h", "--json"]);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe("");
    expect(failureOf(outcome.stderr)).toEqual({
      kind: "usage-error",
      message: 'wattprint estimate: --watts expects a number >= 0, got "0x10"',
    });
  });

  it("an unknown command too, with its suggestion", async () => {
    const outcome = await wattprint(["zonse", "--json"]);
    expect(outcome.code).toBe(2);
    expect(failureOf(outcome.stderr)).toMatchObject({
      kind: "unknown-command",
      message: expect.stringContaining("did you mean zones?"),
    });
  });

  it("an unknown flag of a command that has --json", async () => {
    const outcome = await wattprint(["zones", "--jsno", "--json"]);
    expect(failureOf(outcome.stderr)).toEqual({
      kind: "usage-error",
      message: "wattprint zones: Unknown option '--jsno'; did you mean --json?",
    });
  });

  it("a command's own stderr lines become diagnostics, one object each", async () => {
    const outcome = await wattprint(["logs", "parse", "/nonexistent/wattprint-logs", "--json"]);
    expect(outcome.code).not.toBe(0);
    for (const line of outcome.stderr.trimEnd().split("\n")) {
      expect(JSON.parse(line)).toMatchObject({
        kind: expect.any(String),
        message: expect.any(String),
      });
    }
  });

  it("without --json the same error stays one line of text", async () => {
    expectUsageError(
      await wattprint(["estimate", "--watts", "0x10", "--duration", "1h"]),
      /^wattprint estimate: --watts expects/,
    );
  });
});

// The built binary with a real pipe: `head` exits after two lines and closes the pipe while
// wattprint still writes (zones --json is ~200 kB, well past a pipe's 64 kB buffer).
const BIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const run = promisify(execFile);

describe("a closed pipe", () => {
  it("ends quietly with status 0 instead of an EPIPE stack trace", async () => {
    const script = `"${process.execPath}" "${BIN}" zones --json | head -2 >/dev/null; echo "status=\${PIPESTATUS[0]}"`;
    const { stdout, stderr } = await run("bash", ["-c", script], { timeout: 15_000 });
    expect(stdout.trim()).toBe("status=0");
    expect(stderr).toBe("");
  });

  it("the built bin is executable on its own, through its shebang", async () => {
    const { stdout } = await run(BIN, ["--version"], { timeout: 15_000 });
    expect(stdout).toBe(`${VERSION}\n`);
  });
});
