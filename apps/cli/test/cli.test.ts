import {
  estimateReportSchema,
  resolveGridIntensity,
  searchCloudInstances,
  searchHardware,
} from "@wattprint/core";
import { describe, expect, it } from "vitest";
import { wattprint as runInProcess } from "./helpers/in-process.ts";
import { expectUsageError, type Outcome } from "./helpers/outcome.ts";

/* In-process through runCli, against the sources: no build needed, no stale dist. */

/** `wattprint ...args` with an empty environment. */
function wattprint(...args: string[]): Promise<Outcome> {
  return runInProcess(args);
}

/** The same, with exactly these environment variables. */
function wattprintWithEnv(env: Record<string, string>, ...args: string[]): Promise<Outcome> {
  return runInProcess(args, { env });
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
    expect(outcome.stdout).toMatch(/^Energy\s+450 Wh/m);
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
    [["--watts=-3", "--duration", "1h"], /--watts expects a number >= 0, got "-3"$/],
    [["--watts", "100", "--duration", "3 parsecs"], /time unit/],
    [["--watts", "100", "--duration", "3"], /no time unit/],
    [
      ["--watts", "100", "--duration", "1h", "--latency", "1ms"],
      /exactly one of --duration, --latency, or --from with --to/,
    ],
    [["--watts", "100", "--duration", "1h", "--pue", "0.5"], /PUE must be a number >= 1/],
    [
      ["--watts", "100", "--duration", "1h", "--utilisation", "1.5"],
      /--utilisation expects a number 0\.\.1, got "1\.5"$/,
    ],
    [["--watts", "abc", "--duration", "1h"], /--watts expects a number/],
    // Quoted as typed (it said got "1.5k"), with the one unit taken.
    [
      ["--watts", "1.5kW", "--duration", "1h"],
      /--watts expects a number of watts >= 0 \(only W: "1500" or "1500W", not kW or mW\), got "1\.5kW"$/,
    ],
    [["--watts", "300mW", "--duration", "1h"], /, got "300mW"$/],
    [["--wats", "100", "--duration", "1h"], /Unknown option '--wats'/],
    [["--duration", "1h"], /give --hardware NAME, --watts W, --machine PRESET or --instance TYPE/],
    // Numbers as people write them: no hex, octal, binary, Infinity, NaN or empty values.
    [
      ["--watts", "0x10", "--duration", "1h"],
      /^wattprint estimate: --watts expects a number >= 0, got "0x10"$/,
    ],
    [["--watts", "0b10", "--duration", "1h"], /--watts expects a number >= 0, got "0b10"$/],
    [["--watts", "Infinity", "--duration", "1h"], /--watts expects a number >= 0, got "Infinity"$/],
    [["--watts", "NaN", "--duration", "1h"], /--watts expects a number >= 0, got "NaN"$/],
    [["--watts", "", "--duration", "1h"], /^wattprint estimate: --watts expects a value, got ""$/],
    [["--hardware", "", "--duration", "1h"], /--hardware expects a value, got ""$/],
    [["--watts", "100", "--duration", ""], /--duration expects a value, got ""$/],
    [
      ["--watts", "100", "--duration", "1h", "--location", ""],
      /--location expects a value, got ""$/,
    ],
    [
      ["--watts", "100", "--duration", "1h", "--pue", "0x2"],
      /--pue: PUE "0x2" is neither a number/,
    ],
    [
      ["--watts", "100", "--duration", "1h", "--count", "0o7"],
      /--count expects an integer >= 1, got "0o7"$/,
    ],
    [
      // Zero inferences answered 0 kWh as if that were a finding.
      ["--hardware", "T4", "--latency", "20ms", "--count", "0"],
      /--count expects an integer >= 1, got "0"$/,
    ],
    [
      ["--watts", "1e400", "--duration", "1h"],
      /--watts expects a number >= 0, got "1e400" \(out of range\)$/,
    ],
    [
      ["--watts", "100", "--duration", "1e305h"],
      /^wattprint estimate: --duration: duration "1e305h" is out of range/,
    ],
    [
      ["--watts", "100", "--latency", "0x10ms"],
      /^wattprint estimate: --latency: "x" in "0x10ms" is not a time unit/,
    ],
    [
      ["--hardware", "99999999999999999999x A100", "--duration", "1h"],
      /--hardware "99999999999999999999x A100" has count 99999999999999999999, not a whole number 1\.\.9007199254740991; write a count as "N x NAME"/,
    ],
  ])("exits 2 with one line for %j", async (args, pattern) => {
    expectUsageError(await wattprint("estimate", ...args), pattern);
  });

  it("exits 2 with one line, not an internal error, when valid numbers overflow together", async () => {
    const outcome = await wattprint("estimate", "--watts", "1e308", "--duration", "1h");
    expectUsageError(
      outcome,
      /^wattprint estimate: result out of range: the energy for 1e\+308 W over 3600 s .*about 1\.8e308 J\); lower one of: --watts 1e308, --duration 1h$/,
    );
    expect(outcome.stderr).not.toMatch(/internal error|ZodError/);
  });

  it("reads exponents, and durations as large as seconds can hold", async () => {
    const watts = await wattprint("estimate", "--watts", "1.5e2", "--duration", "1h", "--json");
    expect(watts.code).toBe(0);
    const report = estimateReportSchema.parse(JSON.parse(watts.stdout));
    expect(report.breakdown[0]?.power).toEqual({ value: 150, unit: "W" });

    const long = await wattprint("estimate", "--watts", "1", "--duration", "1e300h", "--json");
    expect(long.code).toBe(0);
    const huge = estimateReportSchema.parse(JSON.parse(long.stdout));
    expect(huge.work).toEqual({ kind: "duration", duration: { value: 3.6e303, unit: "s" } });
  });
});

describe("wattprint bus send-task usage errors (refused before any socket opens)", () => {
  it.each([
    [
      ["--interface", "999.999.999.999"],
      /^wattprint bus send-task: --interface expects the IPv4 address of one of this machine's interfaces \(e\.g\. 192\.168\.1\.20\), got "999\.999\.999\.999"$/,
    ],
    [
      ["--interface", "8.8.8.8"],
      /^wattprint bus send-task: --interface: no interface with address 8\.8\.8\.8 on this machine \(it has 127\.0\.0\.1.*\)$/,
    ],
    [["--interface", "eth0"], /--interface expects the IPv4 address .*, got "eth0"$/],
    [
      ["--domain", "232"],
      /^wattprint bus send-task: --domain expects an integer 0\.\.231, got "232"$/,
    ],
    [["--domain", "0x10"], /--domain expects an integer 0\.\.231, got "0x10"$/],
    [["--model", ""], /^wattprint bus send-task: --model expects a value, got ""$/],
    [["--hw="], /^wattprint bus send-task: --hw expects a value, got ""$/],
    [["--region", ""], /--region expects a value, got ""$/],
    [["--power", "0x10"], /--power expects a number >= 0, got "0x10"$/],
    [["--timeout", "1e300"], /--timeout expects a number 0\.1\.\.86400 \(seconds\), got "1e300"$/],
    [["--num-outputs", "1e10"], /--num-outputs expects an integer 1\.\.4294967295, got "1e10"$/],
  ])("exits 2 with one line for %j", async (args, pattern) => {
    expectUsageError(await wattprint("bus", "send-task", ...args), pattern);
  });

  it.each([
    [
      { SUSTAINML_DOMAIN_ID: "banana" },
      /^wattprint bus send-task: SUSTAINML_DOMAIN_ID expects an integer 0\.\.231, got "banana"$/,
    ],
    [{ SUSTAINML_DOMAIN_ID: "" }, /SUSTAINML_DOMAIN_ID expects an integer 0\.\.231, got ""$/],
    [
      { WATTPRINT_INTERFACE: "eth0" },
      /^wattprint bus send-task: WATTPRINT_INTERFACE expects the IPv4 address .*, got "eth0"$/,
    ],
    [
      { WATTPRINT_INTERFACE: "8.8.8.8" },
      /^wattprint bus send-task: WATTPRINT_INTERFACE: no interface with address 8\.8\.8\.8/,
    ],
  ])("names a bad environment variable %j", async (env, pattern) => {
    expectUsageError(await wattprintWithEnv(env, "bus", "send-task"), pattern);
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
    expectUsageError(
      await wattprint("zones", "--limit", "0"),
      /--limit expects an integer >= 1, got "0"$/,
    );
  });

  it("--limit cuts every section of the listing, and says on stderr how many rows it left out", async () => {
    /** The data rows of the table under `title` (the first table when no title is given). */
    const rowsOf = (stdout: string, title?: string): string[] => {
      const lines = stdout.split("\n");
      const start = title === undefined ? 0 : lines.indexOf(`${title}:`) + 1;
      expect(start).toBeGreaterThanOrEqual(0);
      const end = lines.indexOf("", start);
      return lines.slice(start + 2, end === -1 ? undefined : end);
    };
    const epyc = searchHardware("epyc").length;
    const instances = searchCloudInstances("epyc").length;
    expect(epyc).toBeGreaterThan(5);
    expect(instances).toBeGreaterThan(5);
    const hardware = await wattprint("hardware", "epyc", "--limit", "5");
    expect(hardware.code).toBe(0);
    expect(rowsOf(hardware.stdout)).toHaveLength(5);
    expect(rowsOf(hardware.stdout, "cloud instances (--instance)")).toHaveLength(5);
    expect(hardware.stderr).toBe(
      `wattprint hardware: --limit 5 left out ${epyc - 5} of ${epyc} hardware rows, ${instances - 5} of ${instances} cloud instance rows; raise --limit to see them\n`,
    );

    const zones = await wattprint("zones", "--limit", "3");
    expect(zones.code).toBe(0);
    expect(rowsOf(zones.stdout)).toHaveLength(3);
    expect(rowsOf(zones.stdout, "cloud regions (--region)")).toHaveLength(3);
    expect(zones.stderr).toMatch(
      /^wattprint zones: --limit 3 left out \d+ of \d+ zone rows, \d+ of \d+ cloud region rows; raise --limit to see them\n$/,
    );

    // --json prints the first table alone: its cut is counted, as a JSON diagnostic.
    const json = await wattprint("hardware", "epyc", "--limit", "5", "--json");
    expect(JSON.parse(json.stdout)).toHaveLength(5);
    expect(JSON.parse(json.stderr)).toEqual({
      kind: "diagnostic",
      message: `wattprint hardware: --limit 5 left out ${epyc - 5} of ${epyc} hardware rows; raise --limit to see them`,
    });

    // A limit that cuts nothing says nothing.
    const all = await wattprint("hardware", "epyc", "--limit", "1000");
    expect(all.stderr).toBe("");
    expect(rowsOf(all.stdout)).toHaveLength(epyc);
  });

  it("answers help with 0, no command and unknown commands with 2", async () => {
    expect((await wattprint("--help")).code).toBe(0);
    expect((await wattprint()).code).toBe(2);
    expectUsageError(await wattprint("frobnicate"), /unknown command "frobnicate"/);
  });
});

describe("a command that needs a subcommand and got none", () => {
  it.each(["logs", "bus"])(
    "wattprint %s prints its usage to stderr and exits 2; --help to stdout",
    async (command) => {
      const bare = await wattprint(command);
      expect(bare.code).toBe(2);
      expect(bare.stdout).toBe("");
      expect(bare.stderr).toMatch(/^usage: wattprint /);
      const asked = await wattprint(command, "--help");
      expect(asked.code).toBe(0);
      expect(asked.stdout).toBe(bare.stderr);
    },
  );
});
