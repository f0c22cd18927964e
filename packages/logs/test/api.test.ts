import { utimesSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  getConsumption,
  getEarlyStop,
  getEpochDurations,
  mostRecentPair,
  parseLogs,
  printAggregate,
} from "../src/index.ts";
import { outputLog, SAMPLE_ACTUAL, standardLog, writePair } from "./crafted-logs.test-support.ts";
import { fixture, useTempDirs } from "./helpers.test-support.ts";

const newDir = useTempDirs();

describe("carbontracker's API on one run", () => {
  it("parseLogs without files reads the pair modified last", () => {
    const dir = newDir();
    const old = writePair(
      dir,
      "old",
      standardLog({ epochs: [{ gpu: "100.0", cpu: "10.0" }] }),
      outputLog({ actual: SAMPLE_ACTUAL }),
    );
    const recent = writePair(
      dir,
      "recent",
      standardLog({ epochs: [{ gpu: "300.0", cpu: "30.0" }] }),
      outputLog({ actual: SAMPLE_ACTUAL }),
    );
    utimesSync(old.standard, new Date("2026-01-02"), new Date("2026-01-02"));
    utimesSync(old.output, new Date("2026-01-02"), new Date("2026-01-02"));
    utimesSync(recent.standard, new Date("2026-01-03"), new Date("2026-01-03"));
    utimesSync(recent.output, new Date("2026-01-01"), new Date("2026-01-01"));
    expect(mostRecentPair(dir)).toEqual({ ok: true, value: recent });
    const components = parseLogs(dir);
    expect(components.ok && components.value.gpu?.["avg_power_usages (W)"]).toEqual([[300]]);
    const empty = parseLogs(newDir());
    expect(empty.ok ? null : empty.error).toMatchObject({ kind: "unpaired" });
    const badOptions = parseLogs(dir, undefined, undefined, { maxEpochs: 0 });
    expect(badOptions.ok ? null : badOptions.error).toMatchObject({
      kind: "invalid-options",
      field: "maxEpochs",
    });
  });

  it("reads text as carbontracker's getters do, and names a damaged record instead of returning None", () => {
    expect(getEarlyStop(standardLog({ epochs: [], interrupted: true }))).toBe(true);
    expect(getEarlyStop(standardLog({ epochs: [] }))).toBe(false);
    const durations = getEpochDurations(
      standardLog({ epochs: [{ cpu: "1.0" }, { cpu: "1.0" }], durationText: "1:02:03.25" }),
    );
    expect(durations.ok && durations.value).toEqual([3723.25, 3723.25]);
    const whole = outputLog({ actual: SAMPLE_ACTUAL });
    const cut = whole.slice(0, whole.indexOf("\tCO2eq"));
    const damaged = getConsumption(cut);
    expect(damaged.ok ? null : damaged.error).toMatchObject({ kind: "truncated", path: "<text>" });
  });

  it("printAggregate writes carbontracker's sentence", async () => {
    const lines: string[] = [];
    const printed = await printAggregate(fixture("v243-cpu-only"), {
      write: (line) => lines.push(line),
    });
    expect(printed.ok && printed.value.sentence).toBe(
      "The training of models in this work is estimated to use 0.0000079050150000 kWh of electricity contributing to 0.0000011327919910 kg of CO2eq. This is equivalent to 0.0000106066670000 km travelled by car. Measured by carbontracker (https://github.com/lfwa/carbontracker).",
    );
    expect(lines).toEqual([`${printed.ok ? printed.value.sentence : ""}\n`]);
  });
});
