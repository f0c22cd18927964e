import { execFile, execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { formatNumber } from "@wattprint/core";
import { parseJsonSchema } from "@wattprint/logs";
import { afterEach, describe, expect, it } from "vitest";
import {
  outputLog,
  SAMPLE_ACTUAL,
  standardLog,
  writePair,
} from "../../../packages/logs/test/crafted-logs.test-support.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const FIXTURES = fileURLToPath(
  new URL("../../../packages/logs/test/fixtures/carbontracker-logs/", import.meta.url),
);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns the built binary, as a user would run it. */
async function wattprint(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

function expectUsageError(outcome: Outcome, pattern: RegExp): void {
  expect(outcome.code).toBe(2);
  expect(outcome.stdout).toBe("");
  const lines = outcome.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every fixture run in one folder, plus an unpaired log. */
function mixedFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "wattprint-cli-logs-"));
  dirs.push(dir);
  for (const folder of [
    "v243-pred2-stop3-e5",
    "v231-pred1-e3",
    "v243-cpu-only",
    "v231-noninterp-e3",
    "v243-multi-run",
  ]) {
    cpSync(join(FIXTURES, folder), dir, { recursive: true });
  }
  writeFileSync(join(dir, "orphan_carbontracker.log"), "2026-01-01 00:00:00 - Epoch 1:\n");
  return dir;
}

// The corrected actual energy of each fixture run (every run counts its actual consumption).
const ACTUAL_KWH = [
  0.000114616893, 0.000114629942, 0.000007905015, 0.000114619655, 0.000076420791, 0.000019760837,
];
const ACTUAL_G = [
  0.016424648959, 0.017383665076, 0.001132791991, 0.017382105036, 0.010951131404, 0.002831736312,
];

describe("wattprint logs parse", () => {
  it("--json prints carbontracker's keys: parse_all_logs and aggregate_consumption", async () => {
    const outcome = await wattprint("logs", "parse", join(FIXTURES, "v243-multi-run"), "--json");
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toBe("");
    const printed = parseJsonSchema.parse(JSON.parse(outcome.stdout));
    expect(printed.parse_all_logs.map((l) => [l.actual?.epochs, l.pred?.epochs])).toEqual([
      [2, 2],
      [3, 3],
    ]);
    expect(printed.parse_all_logs[0]?.components.gpu?.devices).toEqual(["NVIDIA Sim"]);
    const [kWh, g, equivalents] = printed.aggregate_consumption;
    expect(kWh).toBeCloseTo(0.000076420791 + 0.000019760837, 18);
    expect(g).toBeCloseTo(0.010951131404 + 0.002831736312, 18);
    expect(equivalents["km travelled by car"]).toBeCloseTo(0.000102538684 + 0.000026514385, 18);
  });

  it("prints a table per pair, reports a skipped file on stderr, and --strict makes it fail", async () => {
    const dir = mixedFolder();
    const outcome = await wattprint("logs", "parse", dir);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout.match(/^== /gm)).toHaveLength(6);
    expect(outcome.stdout).toContain(
      "== 1823.993592_2026-11-28T225326Z (counts its actual consumption) ==",
    );
    expect(outcome.stdout).toMatch(/cpu\s+Intel\(R\) Xeon\(R\) CPU @ 2\.20GHz\s+2\s+30\s+18\n/);
    expect(outcome.stderr).toContain(
      `skipped (unpaired) ${join(dir, "orphan_carbontracker.log")} has no output log`,
    );
    expect(outcome.stderr).toContain("6 pair(s) read, 1 file(s) skipped");
    const strict = await wattprint("logs", "parse", dir, "--strict");
    expect(strict.code).toBe(1);
  });
});

/** A folder of its own for a test's crafted logs, removed after the test. */
function emptyFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "wattprint-cli-logs-"));
  dirs.push(dir);
  return dir;
}

describe("wattprint logs parse's component table", () => {
  it("gives the mean power weighted by epoch duration, agreeing with the energy column", async () => {
    const dir = emptyFolder();
    // Epoch 1: 10 s at 100 W; epoch 2: 1,000 s at 300 W. 301,000 J over 1,010 s = 298.0 W;
    // the equal-weight mean of the epochs' powers would be 200 W.
    const standard = standardLog({
      components: "GPU with device(s) NVIDIA Sim.",
      epochs: [{ gpu: "100.0" }, { gpu: "300.0" }],
    }).replace(/(Epoch 2:\n[^\n]*Duration: )0:00:10\.00/, "$10:16:40.00");
    expect(standard).toContain("Duration: 0:16:40.00");
    writePair(dir, "weighted", standard, outputLog({ actual: SAMPLE_ACTUAL }));
    const outcome = await wattprint("logs", "parse", dir);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^gpu\s+NVIDIA Sim\s+2\s+298\.02\s+301000$/m);
  });
});

describe("a folder where no log pair is read", () => {
  it("is nothing to report: exit 1, no 0 kWh sentence, table or page, strict or not", async () => {
    const dir = emptyFolder();
    const line = `wattprint logs: nothing to report: no carbontracker log pair read in ${dir}`;
    for (const strict of [[], ["--strict"]]) {
      const aggregated = await wattprint("logs", "aggregate", dir, ...strict);
      expect(aggregated).toEqual({ code: 1, stdout: "", stderr: `${line}\n` });
      const parsed = await wattprint("logs", "parse", dir, ...strict);
      expect(parsed).toEqual({ code: 1, stdout: "", stderr: `${line}\n` });
    }
    const html = join(emptyFolder(), "e.html");
    const reported = await wattprint("logs", "report", dir, "--html", html);
    expect(reported).toEqual({ code: 1, stdout: "", stderr: `${line}\n` });
    expect(() => readFileSync(html)).toThrow(/ENOENT/);
  });

  it("--json still prints its document, with no pair in it, and exits 1", async () => {
    const dir = emptyFolder();
    const outcome = await wattprint("logs", "parse", dir, "--json");
    expect(outcome.code).toBe(1);
    expect(parseJsonSchema.parse(JSON.parse(outcome.stdout)).parse_all_logs).toEqual([]);
    // With --json, the failure on stderr is JSON too, with its own kind.
    expect(JSON.parse(outcome.stderr)).toEqual({
      kind: "nothing-to-report",
      message: `wattprint logs: nothing to report: no carbontracker log pair read in ${dir}`,
    });
  });

  it("names the subfolders that hold logs when given the folder above them", async () => {
    const parent = emptyFolder();
    for (const run of ["v231-pred1-e3", "v243-cpu-only"]) {
      cpSync(join(FIXTURES, run), join(parent, run), { recursive: true });
    }
    mkdirSync(join(parent, "notes"));
    const outcome = await wattprint("logs", "parse", parent);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe("");
    expect(outcome.stderr).toBe(
      `wattprint logs: nothing to report: no carbontracker log pair read in ${parent}; logs are in its subfolder(s) ${join(parent, "v231-pred1-e3")}, ${join(parent, "v243-cpu-only")} (it does not look into subfolders: name one)\n`,
    );
  });
});

describe("logs on runs with no consumption record", () => {
  // A run stopped before its first epoch ended (or was predicted) writes a pair with no
  // record: read, but nothing to sum.
  function recordlessPair(dir: string, stem: string): void {
    writePair(dir, stem, standardLog({ epochs: [{ cpu: "10.0" }] }), outputLog({}));
  }

  it("aggregate and report have nothing to report when no run read has a record", async () => {
    const dir = emptyFolder();
    recordlessPair(dir, "stopped");
    const aggregate = await wattprint("logs", "aggregate", dir);
    expect(aggregate.code).toBe(1);
    expect(aggregate.stdout).not.toMatch(/estimated to use/);
    expect(aggregate.stderr).toContain(
      `wattprint logs: nothing to report: 1 pair(s) read in ${dir}, none with a consumption record`,
    );
    const html = join(emptyFolder(), "report.html");
    const report = await wattprint("logs", "report", dir, "--html", html);
    expect(report.code).toBe(1);
    expect(report.stdout).toBe("");
    expect(readdirSync(join(html, ".."))).toEqual([]);
  });

  it("parse and aggregate print figures as the log holds them, not padded to 12 decimals", async () => {
    const dir = emptyFolder();
    writePair(
      dir,
      "short",
      standardLog({ epochs: [{ cpu: "10.0" }] }),
      outputLog({ actual: { epochs: 1, kWh: "2.5", g: "345.678", km: "3.2" } }),
    );
    const parse = await wattprint("logs", "parse", dir);
    expect(parse.code).toBe(0);
    expect(parse.stdout).toMatch(/actual +1 +20 +2\.5 +345\.678 +3\.2 km travelled by car\n/);
    expect(parse.stdout).not.toMatch(/345\.6780/);
    const aggregate = await wattprint("logs", "aggregate", dir);
    expect(aggregate.stdout).toMatch(/short +actual +1 +2\.5 +345\.678 +no\n/);
  });

  it("aggregate counts the runs left out of the total beside those in it", async () => {
    const dir = emptyFolder();
    recordlessPair(dir, "a-stopped");
    writePair(
      dir,
      "b-done",
      standardLog({ epochs: [{ cpu: "10.0" }] }),
      outputLog({ actual: SAMPLE_ACTUAL }),
    );
    const outcome = await wattprint("logs", "aggregate", dir);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/estimated to use/);
    expect(outcome.stderr).toBe(
      "wattprint logs: 2 pair(s) read, 1 run(s) with no consumption record, actual or predicted (not in the total)\n",
    );
  });
});

/** The v2.4.3 CPU-only run with a power line that is not a number: its standard log cannot be read. */
function damagedStandardLogFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "wattprint-cli-logs-"));
  dirs.push(dir);
  cpSync(join(FIXTURES, "v243-cpu-only"), dir, { recursive: true });
  const standard = join(dir, "1823.993592_2026-11-28T225326Z_carbontracker.log");
  writeFileSync(
    standard,
    readFileSync(standard, "utf8").replace(/(for cpu: )\S+/, "$1not-a-number"),
  );
  return dir;
}

describe("a run whose standard log is damaged", () => {
  it("is counted from its output log, said on stderr, and fails --strict", async () => {
    const dir = damagedStandardLogFolder();
    const outcome = await wattprint("logs", "aggregate", dir);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/ actual /);
    expect(outcome.stderr).toMatch(
      /^wattprint logs: read without its standard log \(malformed\) /m,
    );
    expect(outcome.stderr).toContain(
      "wattprint logs: 1 pair(s) read, 1 run(s) counted from the output log alone",
    );
    expect((await wattprint("logs", "aggregate", dir, "--strict")).code).toBe(1);
  });
});

describe("wattprint logs aggregate", () => {
  it("prints a row per run and carbontracker's sentence with the corrected totals, naming no measurer", async () => {
    const dir = mixedFolder();
    const outcome = await wattprint("logs", "aggregate", dir);
    expect(outcome.code).toBe(0);
    const rows = outcome.stdout.split("\n").filter((l) => /_20\d\d-/.test(l));
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toMatch(/ actual /);
    const kWh = ACTUAL_KWH.reduce((a, b) => a + b, 0);
    const kg = ACTUAL_G.reduce((a, b) => a + b, 0) / 1000;
    const [sentence = "", note = ""] = outcome.stdout.trimEnd().split("\n").slice(-2);
    // Some of the fixtures' runs log no equivalent: the line after the sentence says theirs
    // is computed, at what rate and from which source.
    expect(note).toMatch(
      /^\d of 6 run\(s\) hold no equivalent in their logs: their km travelled by car is computed from their CO2eq by wattprint, after EEA, .*106\.8 gCO2\/km.*\(https:\/\/www\.eea\.europa\.eu\/.*\)\.$/,
    );
    const match =
      /^The training of models in this work is estimated to use (\d+\.\d{16}) kWh of electricity contributing to (\d+\.\d{16}) kg of CO2eq\. This is equivalent to (\d+\.\d{16}) km travelled by car\. Read from logs in carbontracker's format \(https:\/\/github\.com\/lfwa\/carbontracker\); each standard log's first line says what wrote it\.$/.exec(
        sentence,
      );
    expect(match).not.toBeNull();
    expect(Number(match?.[1])).toBeCloseTo(kWh, 15);
    expect(Number(match?.[2])).toBeCloseTo(kg, 15);
  });
});

describe("wattprint logs report", () => {
  it("writes a self-contained HTML file", async () => {
    const dir = mixedFolder();
    const out = join(dir, "report.html");
    const outcome = await wattprint("logs", "report", dir, "--html", out);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(
      /^wrote .*report\.html: 6 run\(s\), .* kWh, .* g CO2eq, 1 file\(s\) skipped\n$/,
    );
    const html = readFileSync(out, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('data-testid="power-chart"');
    expect(html).not.toMatch(/<script|src=|href=/i);
  });
});

describe("wattprint logs report: its target and --strict", () => {
  it("--strict fails on a run read without its standard log, as parse and aggregate do", async () => {
    const dir = damagedStandardLogFolder();
    const out = join(dir, "report.html");
    const lenient = await wattprint("logs", "report", dir, "--html", out);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(
      /^wattprint logs: read without its standard log \(malformed\) /m,
    );
    expect(lenient.stderr).toContain("1 run(s) counted from the output log alone");
    const strict = await wattprint("logs", "report", dir, "--html", out, "--strict");
    expect(strict.code).toBe(1);
  });

  it("refuses to write over a log of the folder it reads, leaving the log whole", async () => {
    const dir = mixedFolder();
    const log = join(dir, "1823.993592_2026-11-28T225326Z_carbontracker.log");
    const before = readFileSync(log, "utf8");
    for (const named of [log, join(dir, "new_carbontracker_output.log")]) {
      expectUsageError(
        await wattprint("logs", "report", dir, "--html", named),
        /^wattprint logs report: --html .*_carbontracker(_output)?\.log is a carbontracker log name in the folder being read/,
      );
    }
    expect(readFileSync(log, "utf8")).toBe(before);
    expect(readdirSync(dir)).not.toContain("new_carbontracker_output.log");
  });

  it("refuses a FIFO or a folder as --html instead of hanging or failing late", async () => {
    const dir = mixedFolder();
    const elsewhere = mkdtempSync(join(tmpdir(), "wattprint-cli-logs-out-"));
    dirs.push(elsewhere);
    const fifo = join(elsewhere, "report.html");
    execFileSync("mkfifo", [fifo]);
    expectUsageError(
      await wattprint("logs", "report", dir, "--html", fifo),
      /^wattprint logs report: --html .*report\.html is not a regular file/,
    );
    const folder = join(elsewhere, "sub.html");
    mkdirSync(folder);
    expectUsageError(
      await wattprint("logs", "report", dir, "--html", folder),
      /is not a regular file/,
    );
  });

  it("replaces an existing report whole, leaving no temporary file", async () => {
    const dir = mixedFolder();
    const elsewhere = mkdtempSync(join(tmpdir(), "wattprint-cli-logs-out-"));
    dirs.push(elsewhere);
    const out = join(elsewhere, "report.html");
    writeFileSync(out, "old");
    const outcome = await wattprint("logs", "report", dir, "--html", out);
    expect(outcome.code).toBe(0);
    expect(readFileSync(out, "utf8").startsWith("<!doctype html>")).toBe(true);
    expect(readdirSync(elsewhere)).toEqual(["report.html"]);
    // Three significant digits, the core's number format, as the README documents.
    const kWh = formatNumber(ACTUAL_KWH.reduce((a, b) => a + b, 0));
    const g = formatNumber(ACTUAL_G.reduce((a, b) => a + b, 0));
    expect(outcome.stdout).toContain(`: 6 run(s), ${kWh} kWh, ${g} g CO2eq`);
  });
});

describe("wattprint logs: user mistakes exit 2 with one line", () => {
  it("report --max-runs is bounded: each drawn run is held in memory until the page is written", async () => {
    const dir = mixedFolder();
    const out = join(dir, "r.html");
    for (const value of ["1001", "1e12"]) {
      expectUsageError(
        await wattprint("logs", "report", dir, "--html", out, "--max-runs", value),
        new RegExp(
          `^wattprint logs report: --max-runs expects an integer 0\\.\\.1000, got "${value}"$`,
        ),
      );
    }
    const most = await wattprint("logs", "report", dir, "--html", out, "--max-runs", "1000");
    expect(most.code).toBe(0);
  });

  it("no such folder, not a folder, no folder, no --html, unknown subcommand, stray flag", async () => {
    const dir = mixedFolder();
    expectUsageError(
      await wattprint("logs", "parse", join(dir, "nope")),
      /^wattprint logs: .*nope: no such directory$/,
    );
    expectUsageError(
      await wattprint("logs", "aggregate", join(dir, "orphan_carbontracker.log")),
      /^wattprint logs: .*orphan_carbontracker\.log is not a directory$/,
    );
    expectUsageError(
      await wattprint("logs", "report", join(dir, "nope"), "--html", join(dir, "r.html")),
      /no such directory$/,
    );
    expectUsageError(await wattprint("logs", "parse"), /^wattprint logs parse: which folder\?/);
    expectUsageError(await wattprint("logs", "report", dir), /--html FILE is required/);
    expectUsageError(
      await wattprint("logs", "report", dir, "--html", join(dir, "no/such/r.html")),
      /cannot write/,
    );
    expectUsageError(await wattprint("logs", "summarise", dir), /unknown subcommand "summarise"/);
    expectUsageError(
      await wattprint("logs", "aggregate", dir, "--json"),
      /--json belongs to logs parse/,
    );
    expectUsageError(
      await wattprint("logs", "parse", dir, "--jsno"),
      /^wattprint logs parse: Unknown option '--jsno'/,
    );
  });
});
