import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { estimateReportSchema, resolveGridIntensity } from "@wattprint/core";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns the built binary, as a user would run it. */
async function wattprint(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 15_000 });
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
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
}

describe("wattprint estimate", () => {
  it("returns a JSON report a reader can verify by hand", async () => {
    const outcome = await wattprint(
      "estimate",
      "--hardware",
      "NVIDIA A100 40GB PCIe",
      "--duration",
      "2h",
      "--location",
      "DE",
      "--json",
    );
    expect(outcome.code).toBe(0);
    const report = estimateReportSchema.parse(JSON.parse(outcome.stdout));
    const germany = resolveGridIntensity({ location: "DE" });
    if (!germany.ok) throw new Error("DE must resolve");
    // 250 W board power x 2 h = 0.5 kWh; x PUE 1.56 = 0.78 kWh; x Germany's Ember intensity.
    expect(report.breakdown[0]).toMatchObject({
      name: "NVIDIA A100 PCIe 40GB",
      power: { value: 250, unit: "W" },
    });
    expect(report.itEnergy.value).toBeCloseTo(0.5, 12);
    expect(report.pue.value).toBe(1.56);
    expect(report.energy.value).toBeCloseTo(0.78, 12);
    expect(report.intensity).toMatchObject({
      zone: "DE",
      level: "country",
      value: germany.value.intensity.value,
    });
    expect(report.carbon.value).toBeCloseTo(0.78 * germany.value.intensity.value, 9);
    expect(report.intensity.source.licence).toMatch(/CC BY/);
    expect(report.breakdown[0]?.source.url).toMatch(/^https:\/\/www\.nvidia\.com/);
    expect(report.pue.source.id).toBe("uptime-gdcs-2024");
  });

  it("prints a readable table with sources by default", async () => {
    const outcome = await wattprint(
      "estimate",
      "--watts",
      "300",
      "--duration",
      "90min",
      "--location",
      "FR",
      "--pue",
      "1",
    );
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^Energy\s+0\.45 kWh/m);
    expect(outcome.stdout).toMatch(/France, country, 2024/);
    expect(outcome.stdout).toMatch(/source: Ember/);
    expect(outcome.stdout).toMatch(/km driven by an average new car/);
  });

  it("estimates inferences as latency x count, with several devices", async () => {
    const outcome = await wattprint(
      "estimate",
      "--hardware",
      "2x Tesla T4",
      "--latency",
      "120ms",
      "--count",
      "1000",
      "--intensity",
      "100",
      "--pue",
      "local",
      "--json",
    );
    expect(outcome.code).toBe(0);
    const report = estimateReportSchema.parse(JSON.parse(outcome.stdout));
    // 2 x 70 W x 0.12 s x 1000 = 16.8 kJ = 0.004667 kWh -> 0.4667 g at 100 g/kWh
    expect(report.work).toEqual({
      kind: "inferences",
      latency: { value: 0.12, unit: "s" },
      count: 1000,
    });
    expect(report.energy.value).toBeCloseTo(16_800 / 3.6e6, 12);
    expect(report.carbon.value).toBeCloseTo((16_800 / 3.6e6) * 100, 9);
    expect(report.intensity.level).toBe("override");
  });

  it("exits 2 for an unknown location, naming close matches and how to list zones", async () => {
    expectUsageError(
      await wattprint("estimate", "--location", "Atlantis", "--watts", "100", "--duration", "1h"),
      /unknown location "Atlantis"; did you mean .+\? \(run `wattprint zones <query>`/,
    );
    expectUsageError(
      await wattprint("estimate", "--location", "Spian", "--watts", "100", "--duration", "1h"),
      /did you mean Spain/,
    );
  });

  it.each([
    [
      ["--hardware", "Quantum Toaster 9000", "--duration", "1h"],
      /unknown hardware "Quantum Toaster 9000"/,
    ],
    [["--watts", "-3", "--duration", "1h"], /--watts/],
    [["--watts=-3", "--duration", "1h"], /--watts must be at least 0/],
    [["--watts", "100", "--duration", "3 parsecs"], /time unit/],
    [["--watts", "100", "--duration", "3"], /no time unit/],
    [
      ["--watts", "100", "--duration", "1h", "--latency", "1ms"],
      /exactly one of --duration or --latency/,
    ],
    [["--watts", "100", "--duration", "1h", "--pue", "0.5"], /PUE must be a number >= 1/],
    [
      ["--watts", "100", "--duration", "1h", "--utilisation", "1.5"],
      /--utilisation must be at most 1/,
    ],
    [["--watts", "abc", "--duration", "1h"], /--watts expects a number/],
    [["--wats", "100", "--duration", "1h"], /Unknown option '--wats'/],
    [["--duration", "1h"], /give --hardware NAME or --watts W/],
  ])("exits 2 with one line for %j", async (args, pattern) => {
    expectUsageError(await wattprint("estimate", ...args), pattern);
  });
});

describe("wattprint zones and hardware", () => {
  it("searches zones with intensity, year and source", async () => {
    const outcome = await wattprint("zones", "california");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/US-CAL-CISO/);
    expect(outcome.stdout).toMatch(/electricity-maps/);
  });

  it("searches hardware with rated power and source", async () => {
    const outcome = await wattprint("hardware", "h100", "--json");
    expect(outcome.code).toBe(0);
    const rows = JSON.parse(outcome.stdout) as { name: string; tdpW: number }[];
    expect(rows.map((row) => row.name)).toContain("NVIDIA H100 SXM5 80GB");
    expect(rows.find((row) => row.name === "NVIDIA H100 SXM5 80GB")?.tdpW).toBe(700);
  });

  it("limits results, says when nothing matches, and refuses a bad limit", async () => {
    const limited = await wattprint("hardware", "a100", "--limit", "1", "--json");
    expect(JSON.parse(limited.stdout)).toHaveLength(1);
    const none = await wattprint("zones", "atlantis");
    expect(none).toMatchObject({ code: 0, stdout: 'no zone matches "atlantis"\n' });
    expectUsageError(await wattprint("zones", "--limit", "0"), /--limit must be at least 1/);
  });

  it("answers help with 0, no command and unknown commands with 2", async () => {
    expect((await wattprint("--help")).code).toBe(0);
    expect((await wattprint()).code).toBe(2);
    expectUsageError(await wattprint("frobnicate"), /unknown command "frobnicate"/);
  });
});
