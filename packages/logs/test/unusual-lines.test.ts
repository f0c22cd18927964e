import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  aggregateConsumption,
  getAvgPowerUsages,
  getConsumption,
  getDevices,
  getEarlyStop,
  getEpochDurations,
  parseAllLogs,
} from "../src/index.ts";
import { writePair } from "./crafted-logs.test-support.ts";
import { fixture, useTempDirs } from "./helpers.test-support.ts";

/**
 * Lines carbontracker does not write but a log edited or damaged by hand may hold, read as
 * carbontracker's parser reads them and counted where they change what is read.
 */
const newDir = useTempDirs();

// A run of 5 epochs stopped after 2: its output log holds a prediction for 5 and the actual 2.
const RUN = fixture("v243-pred2-stop3-e5");
const STEM = "1795.279208_2026-11-28T225323Z";
const STANDARD = readFileSync(join(RUN, `${STEM}_carbontracker.log`), "utf8");
const OUTPUT = readFileSync(join(RUN, `${STEM}_carbontracker_output.log`), "utf8");
const ACTUAL_KWH = 0.000114616893;
const PREDICTED_KWH = 0.000191030735;

async function readBothWays(dir: string) {
  const parsed = await parseAllLogs(dir);
  const aggregate = await aggregateConsumption(dir);
  if (!parsed.ok || !aggregate.ok) throw new Error("the folder did not read");
  return { parsed: parsed.value, aggregate: aggregate.value };
}

describe("the early-stop flag on a line without a date stamp", () => {
  it("is found, as carbontracker's re.search finds it, and the actual record is counted", async () => {
    const stamped = "2026-11-28 22:53:24 - Training was interrupted";
    expect(STANDARD).toContain(stamped);
    const standard = STANDARD.replace(stamped, "Training was interrupted");
    const dir = newDir();
    writePair(dir, STEM, standard, OUTPUT);
    const { parsed, aggregate } = await readBothWays(dir);
    expect(getEarlyStop(standard)).toBe(true);
    expect(parsed.logs[0]?.early_stop).toBe(true);
    expect(aggregate.energyKWh).toBeCloseTo(ACTUAL_KWH, 15);
  });

  it("as in the unedited fixture", async () => {
    const { parsed, aggregate } = await readBothWays(RUN);
    expect(parsed.logs[0]?.early_stop).toBe(true);
    expect(aggregate.energyKWh).toBeCloseTo(ACTUAL_KWH, 15);
  });
});

describe("an output log that repeats a field, a record or an equivalent's unit", () => {
  const actualEnergy = `\tEnergy:\t${ACTUAL_KWH.toFixed(12)} kWh\n`;

  it("a field written twice: the first is read, and the pair counted", async () => {
    expect(OUTPUT).toContain(actualEnergy);
    const dir = newDir();
    writePair(
      dir,
      STEM,
      STANDARD,
      OUTPUT.replace(actualEnergy, `${actualEnergy}\tEnergy:\t9.0 kWh\n`),
    );
    const { parsed, aggregate } = await readBothWays(dir);
    expect(parsed.logs[0]?.actual?.["energy (kWh)"]).toBe(ACTUAL_KWH);
    expect(aggregate.energyKWh).toBeCloseTo(ACTUAL_KWH, 15);
    expect(parsed.counters.pairsWithRepeats).toBe(1);
    expect(aggregate.counters.pairsWithRepeats).toBe(1);
  });

  it("a Time or CO2eq written twice, in a form only the string parser reads: the first", async () => {
    const dir = newDir();
    const output = OUTPUT.replace(
      "\tTime:\t0:00:01\n",
      "\tTime:\t0:00:01\n\tTime:\t9:00:00\n",
    ).replace("\tCO2eq:\t0.016424648959 g\n", "\tCO2eq:\t0.016424648959 g\n\tCO2eq:\t9e3 g\n");
    writePair(dir, STEM, STANDARD, output);
    const { parsed, aggregate } = await readBothWays(dir);
    expect(parsed.logs[0]?.actual?.["duration (s)"]).toBe(1);
    expect(parsed.logs[0]?.actual?.["co2eq (g)"]).toBe(0.016424648959);
    expect(aggregate.co2eqG).toBeCloseTo(0.016424648959, 15);
    expect(aggregate.counters.pairsWithRepeats).toBe(1);
  });

  it("a second actual record: the first is read, and the pair counted", async () => {
    const second =
      "2026-11-28 22:53:25 - CarbonTracker: \nActual consumption for 2 epoch(s):\n\tTime:\t0:00:09\n\tEnergy:\t9.000000000000 kWh\n\tCO2eq:\t9.000000000000 g\n";
    const dir = newDir();
    writePair(
      dir,
      STEM,
      STANDARD,
      OUTPUT.replace(/(2026-11-28 22:53:24 - CarbonTracker: Finished)/, `${second}$1`),
    );
    const { parsed, aggregate } = await readBothWays(dir);
    expect(parsed.logs[0]?.actual?.["energy (kWh)"]).toBe(ACTUAL_KWH);
    expect(aggregate.energyKWh).toBeCloseTo(ACTUAL_KWH, 15);
    expect(aggregate.counters.pairsWithRepeats).toBe(1);
  });

  it("an equivalent's unit written twice: the last, as carbontracker's dict keeps it", async () => {
    const km = "\t0.000153788848 km travelled by car\n";
    const dir = newDir();
    writePair(dir, STEM, STANDARD, OUTPUT.replace(km, `\t5 km travelled by car\n${km}`));
    const { parsed, aggregate } = await readBothWays(dir);
    expect(parsed.logs[0]?.actual?.equivalents).toEqual({ "km travelled by car": 0.000153788848 });
    expect(aggregate.counters.pairsWithRepeats).toBe(1);
  });

  it("the fixture itself repeats nothing", async () => {
    const { parsed, aggregate } = await readBothWays(RUN);
    expect(parsed.counters.pairsWithRepeats).toBe(0);
    expect(aggregate.counters.pairsWithRepeats).toBe(0);
    expect(aggregate.energyKWh).not.toBeCloseTo(PREDICTED_KWH, 6);
  });
});

describe("text in memory is read as the same bytes in a file are", () => {
  it("a standard log cut inside its last power value: truncated, not a value of 5 W", async () => {
    const cut = STANDARD.slice(0, STANDARD.lastIndexOf("cpu: 50.0") + "cpu: 5".length);
    const usages = getAvgPowerUsages(cut);
    expect(usages.ok).toBe(false);
    if (!usages.ok) expect(usages.error.kind).toBe("truncated");
    expect(getEpochDurations(cut).ok).toBe(false);
    const dir = newDir();
    writePair(dir, STEM, cut, OUTPUT);
    const { parsed } = await readBothWays(dir);
    expect(parsed.warnings.map((w) => w.kind)).toEqual(["truncated"]);
  });

  it("an output log cut inside a record's field: truncated; after a complete record: read", () => {
    const cut = OUTPUT.slice(0, OUTPUT.indexOf("0.016424648959 g") + "0.0164".length);
    const consumption = getConsumption(cut);
    expect(consumption.ok).toBe(false);
    if (!consumption.ok) expect(consumption.error.kind).toBe("truncated");
    const whole = getConsumption(OUTPUT.trimEnd());
    expect(whole.ok && whole.value[0]?.["energy (kWh)"]).toBe(ACTUAL_KWH);
  });

  it("the whole log, ended by a line break, reads as before", () => {
    const usages = getAvgPowerUsages(STANDARD);
    expect(usages.ok && usages.value.cpu).toEqual([[50], [50], [50]]);
  });

  it("getDevices reads lone CR line ends as getEpochDurations does", () => {
    const cpuOnly = readFileSync(
      join(fixture("v243-cpu-only"), "1823.993592_2026-11-28T225326Z_carbontracker.log"),
      "utf8",
    );
    const devices = getDevices(cpuOnly);
    expect(Object.keys(devices)).toEqual(["cpu"]);
    expect(getDevices(cpuOnly.replaceAll("\n", "\r"))).toEqual(devices);
    expect(getDevices(cpuOnly.replaceAll("\n", "\r\n"))).toEqual(devices);
  });
});

describe("a log whose file name is not UTF-8", () => {
  it("is unreadable, saying why and what to do, in both orders; not missing or unpaired", async () => {
    const dir = newDir();
    const stem = Buffer.concat([Buffer.from("run"), Buffer.from([0xff]), Buffer.from(`_${STEM}`)]);
    const named = (suffix: string) =>
      Buffer.concat([Buffer.from(`${dir}/`), stem, Buffer.from(suffix)]);
    writeFileSync(named("_carbontracker.log"), STANDARD);
    writeFileSync(named("_carbontracker_output.log"), OUTPUT);
    for (const order of ["name", "directory"] as const) {
      const parsed = await parseAllLogs(dir, { order });
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect(parsed.value.logs).toEqual([]);
      expect(parsed.value.skipped).toHaveLength(2);
      for (const problem of parsed.value.skipped) {
        expect(problem.kind).toBe("unreadable");
        expect(problem.message).toContain("the file name is not UTF-8");
      }
    }
  });
});

describe("a log whose content is not UTF-8", () => {
  it("is read with U+FFFD for its bad bytes, and the pair counted", async () => {
    const dir = newDir();
    const at = STANDARD.indexOf("NVIDIA Sim");
    expect(at).toBeGreaterThan(0);
    const standard = Buffer.concat([
      Buffer.from(STANDARD.slice(0, at)),
      Buffer.from([0x4e, 0xff, 0x53]),
      Buffer.from(STANDARD.slice(at + "NVIDIA Sim".length)),
    ]);
    writePair(dir, STEM, standard.toString("latin1"), OUTPUT);
    writeFileSync(join(dir, `${STEM}_carbontracker.log`), standard);
    const { parsed, aggregate } = await readBothWays(dir);
    expect(parsed.logs[0]?.components.gpu?.devices).toEqual(["N\uFFFDS"]);
    expect(parsed.counters.pairsNotUtf8).toBe(1);
    expect(aggregate.counters.pairsNotUtf8).toBe(1);
    const { parsed: clean } = await readBothWays(RUN);
    expect(clean.counters.pairsNotUtf8).toBe(0);
  });
});
