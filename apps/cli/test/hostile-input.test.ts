import { spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { expectUsageError } from "./helpers/outcome.ts";
import {
  BIN,
  cleanEnv,
  NO_READERS_ENV,
  SPAWN_TIMEOUT_MS,
  simulatedTo,
  spawnBinary,
  waitUntil,
} from "./helpers/spawned.ts";

/*
 * The built binary under hostile or broken surroundings: names with control characters (a
 * command's, a logs folder's files and devices), an interval written in hex, a stderr that the
 * reader closed and a stdout on a full device. Each failed before the fix it came with.
 */
const root = mkdtempSync(join(tmpdir(), "wattprint-hostile-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;
const fresh = (name: string): string => join(root, `${name}-${++runs}`);
const NODE = process.execPath;
const ESC_TITLE = "\u001b]0;owned\u0007";
const FIXTURES = fileURLToPath(
  new URL(
    "../../../packages/logs/test/fixtures/carbontracker-logs/v243-cpu-only/",
    import.meta.url,
  ),
);
/** Any C0 or C1 control character but the line feed: what must never reach a terminal raw. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe.concurrent("hostile input to the built wattprint", {
  timeout: 2 * SPAWN_TIMEOUT_MS,
}, () => {
  it("track: a command named with control characters is escaped in its error (127)", async () => {
    const outcome = await spawnBinary(["track", "--no-logs", "--", `nosuch${ESC_TITLE}`]).closed;
    expect(outcome.code).toBe(127);
    expect(outcome.stderr).toBe(
      "wattprint track: nosuch\\u001b]0;owned\\u0007: command not found\n",
    );
  });

  it("track: an empty command name is not found (127), as a shell says, not a directory", async () => {
    const outcome = await spawnBinary(["track", "--no-logs", "--", ""]).closed;
    expect(outcome.code).toBe(127);
    expect(outcome.stderr).toBe("wattprint track: : command not found\n");
  });

  it("a usage error quoting a value with control characters or a line break stays one inert line", async () => {
    const outcome = await spawnBinary(["zones", "--limit", `1\n2${ESC_TITLE}`]).closed;
    expectUsageError({ ...outcome, code: outcome.code ?? -1 }, /--limit/);
    expect(outcome.stderr).toContain("1\\u000a2\\u001b]0;owned\\u0007");
    expect(outcome.stderr.trimEnd()).not.toMatch(RAW_CONTROL);
  });

  it("track: WATTPRINT_LOCATION with control characters is escaped in the refusal", async () => {
    const env = cleanEnv({ ...NO_READERS_ENV, WATTPRINT_LOCATION: `XX${ESC_TITLE}` });
    const outcome = await spawnBinary(["track", "--no-logs", "--sim-cpu", "1", "--", "true"], {
      env,
    }).closed;
    // The user's own input: a usage error (exit 2), saying where the value came from.
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/unknown location "XX\\u001b\]0;owned\\u0007"/);
    expect(outcome.stderr).toMatch(/\(from WATTPRINT_LOCATION\)$/m);
    expect(outcome.stderr).not.toMatch(RAW_CONTROL);
  });

  it.each(["0x10", "0b11", "0o7"])(
    "--interval %s is refused, not read as a number of seconds in another base",
    async (interval) => {
      const outcome = await spawnBinary([
        "track",
        "--no-logs",
        "--interval",
        interval,
        "--",
        "true",
      ]).closed;
      expectUsageError(
        { ...outcome, code: outcome.code ?? -1 },
        /^wattprint track: --interval takes an interval such as 2s or 500ms/,
      );
      const watch = await spawnBinary(["hardware", "detect", "--watch", interval]).closed;
      expectUsageError({ ...watch, code: watch.code ?? -1 }, /--watch takes an interval/);
    },
  );

  it("logs: file names and device names from someone else's folder are printed escaped", async () => {
    const dir = fresh("logs");
    mkdirSync(dir);
    for (const name of readdirSync(FIXTURES)) {
      // The pair's names start with a title-setting sequence, and so does its CPU's name.
      const text = readFileSync(join(FIXTURES, name), "utf8").replace(
        "device(s) Intel",
        `device(s) ${ESC_TITLE}Intel`,
      );
      writeFileSync(join(dir, `${ESC_TITLE}${name}`), text);
    }
    const output = readdirSync(FIXTURES).find((name) => name.endsWith("_output.log")) as string;
    // An output log without its standard log: skipped, and the skip line quotes its name.
    cpSync(join(FIXTURES, output), join(dir, "\u001b[2Jx_carbontracker_output.log"));
    for (const sub of ["parse", "aggregate"]) {
      const outcome = await spawnBinary(["logs", sub, dir]).closed;
      expect(outcome.code).toBe(0);
      expect(outcome.stdout).toContain("\\u001b]0;owned\\u00071823.993592");
      expect(outcome.stdout).not.toMatch(RAW_CONTROL);
      if (sub === "parse") expect(outcome.stdout).toContain("\\u001b]0;owned\\u0007Intel");
      expect(outcome.stderr).toContain("skipped (unpaired)");
      expect(outcome.stderr).toContain("\\u001b[2Jx_carbontracker_output.log");
      expect(outcome.stderr).not.toMatch(RAW_CONTROL);
    }
  });

  it("track: a reader that closes stderr neither ends wattprint nor orphans the command", async () => {
    const logDir = fresh("stderr-closed");
    const finished = join(root, `finished-${runs}`);
    const script = `setTimeout(() => { require("fs").writeFileSync(${JSON.stringify(finished)}, ""); process.exit(3); }, 800)`;
    const child = spawn(NODE, [BIN, "track", ...simulatedTo(logDir), "--", NODE, "-e", script], {
      env: cleanEnv(NO_READERS_ENV),
      stdio: ["ignore", "ignore", "pipe"],
      timeout: SPAWN_TIMEOUT_MS,
    });
    // The reader takes the first line and goes away, as `2>&1 | head -1` does.
    child.stderr.once("data", () => child.stderr.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(existsSync(finished)).toBe(true);
    expect(code).toBe(3);
    await waitUntil(() => readdirSync(logDir).length === 2);
    const output = readdirSync(logDir).find((f) => f.endsWith("_output.log")) as string;
    expect(readFileSync(join(logDir, output), "utf8")).toMatch(/Actual consumption:/);
  });

  it("a stdout on a full device is one line on stderr and exit 1, not a stack trace", async () => {
    const full = openSync("/dev/full", "w");
    const child = spawn(NODE, [BIN, "zones", "denmark"], {
      env: cleanEnv(NO_READERS_ENV),
      stdio: ["ignore", full, "pipe"],
      timeout: SPAWN_TIMEOUT_MS,
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stderr).toBe(
      "wattprint: cannot write the output: ENOSPC: no space left on device, write\n",
    );
  });

  it("track: a stdout on a full device keeps the command's exit status, and --json says so as JSON", async () => {
    // The track README: after the command ran, the exit status stays the command's for every
    // failure; a lost output exited 1 and the command's 3 was lost.
    const full = openSync("/dev/full", "w");
    const child = spawn(
      NODE,
      [
        BIN,
        "track",
        "--sim-cpu",
        "1",
        "--no-logs",
        "-q",
        "--location",
        "FR",
        "--json",
        "--",
        "sh",
        "-c",
        "exit 3",
      ],
      { env: cleanEnv(NO_READERS_ENV), stdio: ["ignore", full, "pipe"], timeout: SPAWN_TIMEOUT_MS },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(3);
    expect(JSON.parse(stderr.trim().split("\n").at(-1) ?? "")).toEqual({
      kind: "output-failed",
      message: "wattprint: cannot write the output: ENOSPC: no space left on device, write",
    });
  });

  it("estimate: ten --hardware lists of six are refused by their count, before any is built", async () => {
    // 6^10 combinations: built before the limit was checked, they ran the heap out (exit 134).
    const lists = Array.from({ length: 10 }, () => ["--hardware", "A100,H100,V100,T4,L4,A10"]);
    const outcome = await spawnBinary(["estimate", ...lists.flat(), "--duration", "1h"]).closed;
    expectUsageError(
      { ...outcome, code: outcome.code ?? -1 },
      /^wattprint estimate: that compares 60466176 combinations; at most 64 at once$/,
    );
  });

  /** A number, 131,000 blanks and a letter: `/\s*W$/` backtracked over the blanks for 20 s. */
  const LONG_BLANKS = `1${" ".repeat(131_000)}x`;

  it.each([
    [["estimate", "--watts", LONG_BLANKS, "--duration", "1h"], /--watts expects a number >= 0/],
    [["estimate", "--watts", "1", "--memory", LONG_BLANKS, "--duration", "1h"], /--memory/],
    [["track", "--no-logs", "--sim-cpu", LONG_BLANKS, "--", "true"], /--sim-cpu expects/],
    [["track", "--no-logs", "--sim-gpu", LONG_BLANKS, "--", "true"], /--sim-gpu expects/],
  ])(
    "%# a long value is refused quickly, its error quoting a bounded start of it",
    async (args, pattern) => {
      const outcome = await spawnBinary(args).closed;
      expectUsageError({ ...outcome, code: outcome.code ?? -1 }, pattern);
      expect(outcome.stderr).toContain("... (131002 characters)");
      expect(outcome.stderr.length).toBeLessThan(300);
    },
  );

  it("estimate: a long value in a refused list or count is quoted in part", async () => {
    const long = "x".repeat(60_000);
    for (const args of [
      ["--hardware", `${long},,H100`],
      ["--watts", "1", "--location", `${long},${long}`],
      ["--machine", "dgx-h100", "--count", `0${" ".repeat(100_000)}`],
    ]) {
      const outcome = await spawnBinary(["estimate", ...args, "--duration", "1h"]).closed;
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(/characters\)/);
      expect(outcome.stderr.length).toBeLessThan(300);
    }
  });

  it("a long value quoted by the core's or the tracker's own message is cut there too", async () => {
    const long = "z".repeat(100_000);
    for (const args of [
      ["estimate", "--watts", "1", "--duration", long],
      ["estimate", "--watts", "1", "--duration", "1h", "--pue", long],
      ["estimate", "--watts", "1", "--from", long, "--to", "2026-01-01"],
      ["estimate", "--json", "--watts", "1", "--latency", long],
      ["track", "--no-logs", "--interval", long, "--", "true"],
      ["track", "--no-logs", "--sim-cpu", "1", "--pue", long, "--", "true"],
      [long],
    ]) {
      const outcome = await spawnBinary(args).closed;
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain("... (100000 characters)");
      expect(outcome.stderr.length).toBeLessThan(400);
    }
  });

  it("hardware: a query longer than any name is refused, quoted in part", async () => {
    const outcome = await spawnBinary(["hardware", "a".repeat(131_000)]).closed;
    expectUsageError(
      { ...outcome, code: outcome.code ?? -1 },
      /^wattprint hardware: the query "a+\.\.\. \(131000 characters\)" is longer than 200 characters/,
    );
    expect(outcome.stderr.length).toBeLessThan(300);
    // A query within the limit still searches, its "no match" line quoting a bounded start.
    const miss = await spawnBinary(["hardware", "q".repeat(200)]).closed;
    expect(miss.code).toBe(0);
    expect(miss.stdout).toMatch(/^no hardware matches "q+\.\.\. \(200 characters\)"/);
  });
});
