import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AggregateAccumulator,
  type AggregateTotals,
  aggregateConsumption,
  aggregateSentence,
  type FileProblem,
  getConsumption,
  getEpochDurations,
  logFilePrefixSchema,
  mostRecentPair,
  parseAllLogs,
  parseLogs,
  scanLogDir,
  startLogs,
} from "../src/index.ts";
import {
  outputLog,
  SAMPLE_ACTUAL,
  SAMPLE_PRED,
  samplePair,
  standardLog,
  writePair,
} from "./crafted-logs.test-support.ts";
import { useTempDirs } from "./helpers.test-support.ts";

/**
 * Defects an audit of the parser found, one `describe` each: what the input was, and what
 * is said of it now instead of a throw, a silent loss, or memory growing with the input.
 */
const newDir = useTempDirs();

const TS = "2026-11-28 22:53:24";
const GOOD_STD = standardLog({
  epochs: [
    { gpu: "240.0", cpu: "50.0" },
    { gpu: "240.0", cpu: "50.0" },
  ],
});
const GOOD_OUTPUT = outputLog({ actual: SAMPLE_ACTUAL, pred: SAMPLE_PRED });

/** The output log of the sample pair with its actual consumption's car-km line replaced. */
const withActualEquivalents = (lines: string): string =>
  GOOD_OUTPUT.replace(`\t${SAMPLE_ACTUAL.km} km travelled by car\n`, lines);

/** `parseAllLogs` that fails the test for the folder, returning its value. */
async function parsed(dir: string, options = {}) {
  const result = await parseAllLogs(dir, options);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** `aggregateConsumption` (directory order, the byte paths) likewise. */
async function aggregated(dir: string, options = {}) {
  const result = await aggregateConsumption(dir, options);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function expectSkip(
  skipped: readonly FileProblem[],
  kind: FileProblem["kind"],
  path: string,
  message: RegExp,
) {
  expect(skipped.map((s) => [s.kind, s.path])).toEqual([[kind, path]]);
  expect(skipped[0]?.message).toMatch(message);
}

describe("a stat that fails for more than a missing file never throws", () => {
  it("a lone standard log whose output log's name would be too long: unpaired, in both orders", async () => {
    const dir = newDir();
    samplePair(dir, "0.good");
    // 255 bytes, the longest name most file systems take; its output log would need 262.
    const lone = join(dir, `${"a".repeat(237)}_carbontracker.log`);
    writeFileSync(lone, GOOD_STD);
    const byDirectory = await aggregated(dir);
    expect(byDirectory.runsCounted).toBe(1);
    expectSkip(byDirectory.skipped, "unpaired", lone, /has no output log/);
    const byName = await parsed(dir);
    expect(byName.logs).toHaveLength(1);
    expectSkip(byName.skipped, "unpaired", lone, /has no output log/);
  });

  it("parseLogs(dir) passes over an output log that is a symlink loop; alone, it is unreadable", () => {
    const dir = newDir();
    samplePair(dir, "1.good");
    const loop = join(dir, "loop_carbontracker_output.log");
    symlinkSync("loop_carbontracker_output.log", loop);
    const components = parseLogs(dir);
    expect(components.ok && components.value.gpu?.["avg_power_usages (W)"]).toEqual([[240], [240]]);

    const alone = newDir();
    const aloneLoop = join(alone, "loop_carbontracker_output.log");
    symlinkSync("loop_carbontracker_output.log", aloneLoop);
    const recent = mostRecentPair(alone);
    expect(recent.ok ? null : recent.error).toMatchObject({ kind: "unreadable", path: aloneLoop });
    expect(recent.ok ? "" : recent.error.message).toMatch(/cannot stat .*ELOOP/);
  });
});

describe("equivalent units are bounded, in a record, a folder's totals and the sentence", () => {
  it("a unit longer than 200 characters: malformed; 200 are read", async () => {
    const dir = newDir();
    const long = writePair(
      dir,
      "long",
      GOOD_STD,
      withActualEquivalents(`\t1.0 ${"u".repeat(201)}\n`),
    );
    writePair(dir, "edge", GOOD_STD, withActualEquivalents(`\t1.0 ${"u".repeat(200)}\n`));
    for (const { skipped, runsCounted } of [await aggregated(dir), await parsedTotals(dir)]) {
      expect(runsCounted).toBe(1);
      expectSkip(skipped, "malformed", long.output, /unit is longer than 200 characters/);
    }
    const text = getConsumption(withActualEquivalents(`\t1.0 ${"u".repeat(201)}\n`));
    expect(text.ok ? null : text.error.kind).toBe("malformed");
  });

  it("a folder's totals hold 256 units besides car km; the others are counted, not summed", async () => {
    const dir = newDir();
    // Five runs of 64 units each (the most one record may hold): 320 distinct units.
    for (let run = 0; run < 5; run++) {
      const units = Array.from({ length: 64 }, (_, u) => `\t1.0 unit-${run}-${u}\n`).join("");
      writePair(dir, `${run}.units`, GOOD_STD, withActualEquivalents(units));
    }
    // A later run's car km is kept whatever came before.
    writePair(dir, "9.car", GOOD_STD, GOOD_OUTPUT);
    const totals = await parsedTotals(dir);
    expect(totals.skipped).toEqual([]);
    expect(Object.keys(totals.equivalents)).toHaveLength(257);
    expect(totals.equivalents["km travelled by car"]).toBeCloseTo(Number(SAMPLE_ACTUAL.km), 12);
    expect(totals.equivalentUnitsDropped).toBe(64);
  });

  it("the sentence prints 16 equivalents and how many more, and cuts a caller's long unit", () => {
    const equivalents: Record<string, number> = {};
    for (let u = 0; u < 20; u++) equivalents[`unit ${u}`] = u;
    const totals: AggregateTotals = {
      energyKWh: 1,
      co2eqG: 1000,
      equivalents,
      runsCounted: 1,
      runsWithoutConsumption: 0,
      runsWithUnknownCo2: 0,
      runsWithComputedEquivalents: 0,
      equivalentUnitsDropped: 0,
    };
    const sentence = aggregateSentence(totals);
    expect(sentence).toContain("15.0000000000000000 unit 15 (and 4 more, not printed). ");
    expect(sentence).not.toContain("unit 16");

    const huge = aggregateSentence({ ...totals, equivalents: { ["x".repeat(1_000_000)]: 1 } });
    expect(huge.length).toBeLessThan(400);
    expect(huge).toContain(`1.0000000000000000 ${"x".repeat(57)}...`);
    expect(huge).not.toContain("x".repeat(58));
  });
});

/** `parseAllLogs` then an `AggregateAccumulator` (name order, as the CLI and server do). */
async function parsedTotals(dir: string) {
  const { logs, skipped } = await parsed(dir);
  const accumulator = new AggregateAccumulator();
  for (const pair of logs) accumulator.add(pair);
  return { ...accumulator.totals(), skipped };
}

describe("an equivalents block that cannot be read is reported, never read as none", () => {
  const heading = GOOD_OUTPUT.indexOf("\tThis is equivalent to:\n", GOOD_OUTPUT.indexOf("Actual"));
  const cutAfterHeading = GOOD_OUTPUT.slice(0, heading + "\tThis is equivalent to:\n".length);

  it("an output log that ends right after `This is equivalent to:`: truncated", async () => {
    const dir = newDir();
    const cut = writePair(dir, "cut", GOOD_STD, cutAfterHeading);
    for (const { skipped } of [await aggregated(dir), await parsed(dir)]) {
      expectSkip(skipped, "truncated", cut.output, /stops after "This is equivalent to:"/);
    }
    const text = getConsumption(cutAfterHeading);
    expect(text.ok ? null : text.error.kind).toBe("truncated");
  });

  it("the heading followed by the next record: malformed", async () => {
    const dir = newDir();
    const lost = writePair(dir, "lost", GOOD_STD, withActualEquivalents(""));
    for (const { skipped } of [await aggregated(dir), await parsed(dir)]) {
      expectSkip(skipped, "malformed", lost.output, /stops after "This is equivalent to:"/);
    }
  });

  it("a value that is not a number (`0.0000106.06667`): malformed, counted", async () => {
    const dir = newDir();
    const garbled = writePair(
      dir,
      "garbled",
      GOOD_STD,
      withActualEquivalents("\t0.0000106.06667 km travelled by car\n"),
    );
    for (const { skipped, counters } of [await aggregated(dir), await parsed(dir)]) {
      expectSkip(skipped, "malformed", garbled.output, /unreadable equivalent "0.0000106.06667/);
      expect(counters.skipped.malformed).toBe(1);
    }
  });

  it("a record whose only equivalent is `nan` gets its car km computed, and counted so", async () => {
    const dir = newDir();
    writePair(dir, "nan", GOOD_STD, withActualEquivalents("\tnan km travelled by car\n"));
    const total = await aggregated(dir);
    expect(total.skipped).toEqual([]);
    expect(total.runsWithComputedEquivalents).toBe(1);
    expect(total.equivalents["km travelled by car"]).toBeGreaterThan(0);
  });
});

describe("the power values one standard log may hold are capped", () => {
  const arrays = standardLog({
    epochs: [
      { gpu: "[240.0 250.0 260.0]", cpu: "50.0" },
      { gpu: "[240.0 250.0 260.0]", cpu: "50.0" },
    ],
  });

  it("more than maxPowerValues: too-many-values, the run kept from its output log", async () => {
    const dir = newDir();
    samplePair(dir, "0.good"); // 4 values on 4 lines: 4 + 4 x 8 counted
    // 8 values on 4 lines, each line counting LINE_OVERHEAD_VALUES (8) more: 40.
    const many = writePair(dir, "many", arrays, GOOD_OUTPUT);
    for (const { skipped, warnings, counters } of [
      await aggregated(dir, { maxPowerValues: 39 }),
      await parsed(dir, { maxPowerValues: 39 }),
    ]) {
      expect(skipped).toEqual([]);
      expectSkip(
        warnings,
        "too-many-values",
        many.standard,
        /more than 39 power values in one log/,
      );
      expect(counters.standardLogsUnread).toBe(1);
      expect(counters.pairsParsed).toBe(2);
    }
    expect((await parsed(dir, { maxPowerValues: 40 })).logs).toHaveLength(2);
  });

  it("the option is checked", () => {
    const scan = scanLogDir(newDir(), { maxPowerValues: 0 });
    expect(scan.ok ? null : scan.error).toMatchObject({
      kind: "invalid-options",
      field: "maxPowerValues",
    });
  });
});

describe("a damaged description is reported, not read as no record", () => {
  it.each([
    "Actual consumption for 2e0 epoch(s):",
    "Actual consumption for 2 epoch(s) :",
    "Actual consumption for --2 epoch(s):",
    "actual consumption for two epochs:",
  ])("%s: malformed, with its line", async (bad) => {
    const text = GOOD_OUTPUT.replace("Actual consumption for 2 epoch(s):", bad);
    const read = getConsumption(text);
    expect(read.ok ? null : read.error).toMatchObject({ kind: "malformed" });
    expect(read.ok ? "" : read.error.message).toContain(`unreadable description "${bad}"`);

    const dir = newDir();
    const damaged = writePair(dir, "damaged", GOOD_STD, text);
    for (const { skipped } of [await aggregated(dir), await parsed(dir)]) {
      expectSkip(skipped, "malformed", damaged.output, /unreadable description/);
    }
  });

  it("on the stamped line itself too (2.3's wording)", () => {
    const text = outputLog({ pred: SAMPLE_PRED }).replace(
      `${TS} - CarbonTracker: Average carbon`,
      `${TS} - CarbonTracker: Actual consumption for 2e0 epoch(s):\n${TS} - CarbonTracker: Average carbon`,
    );
    const read = getConsumption(text);
    expect(read.ok ? null : read.error.kind).toBe("malformed");
  });
});

describe("pairs left out of the sort by maxSortedEntries", () => {
  it("are counted in entriesNotSorted only, not also as standard logs without an output log", async () => {
    const dir = newDir();
    for (let run = 0; run < 3; run++) samplePair(dir, `${run}.run`);
    const lone = join(dir, "lone_carbontracker.log");
    writeFileSync(lone, GOOD_STD);
    const { logs, skipped, counters } = await parsed(dir, { maxSortedEntries: 2 });
    expect(logs).toHaveLength(2);
    expect(counters.entriesNotSorted).toBe(1);
    // The standard log truly alone is still reported.
    expectSkip(skipped, "unpaired", lone, /has no output log/);
  });
});

describe("epoch headers numbered out of sequence", () => {
  const block = (n: number) =>
    `${TS} - Epoch ${n}:\n${TS} - Duration: 0:00:10.00\n` +
    `${TS} - Average power usage (W) for gpu: 240.0\n${TS} - Average power usage (W) for cpu: 50.0\n`;
  const withBlocks = (numbers: number[]) =>
    GOOD_STD.replace(/^.*Epoch 1:\n[\s\S]*for cpu: 50.0\n/m, numbers.map(block).join(""));

  it("are read as carbontracker reads them, one epoch per block, and the pair is counted", async () => {
    const dir = newDir();
    writePair(dir, "0.fine", withBlocks([1, 2, 3]), GOOD_OUTPUT);
    writePair(dir, "1.twice", withBlocks([1, 1, 2]), GOOD_OUTPUT);
    writePair(dir, "2.renumbered", withBlocks([1, 7]), GOOD_OUTPUT);
    for (const { counters } of [await aggregated(dir), await parsed(dir)]) {
      expect(counters.pairsParsed).toBe(3);
      expect(counters.pairsWithEpochsOutOfSequence).toBe(2);
    }
    const { logs } = await parsed(dir);
    expect(logs.map((l) => l.components.gpu?.["epoch_durations (s)"]?.length)).toEqual([3, 3, 2]);
    expect(getEpochDurations(withBlocks([1, 1, 2]))).toEqual({ ok: true, value: [10, 10, 10] });
  });
});

describe("a log file prefix may not contain `carbontracker`", () => {
  it.each(["carbontracker_output.log", "carbontracker", "my-carbontracker-run"])(
    "%s: refused, naming the option and why",
    (prefix) => {
      const dir = newDir();
      const started = startLogs({
        logDir: dir,
        prefix,
        pid: 1,
        loggerId: 2,
        components: [{ name: "cpu", devices: ["cpu:0"] }],
      });
      expect(started.ok ? null : started.error).toMatchObject({
        kind: "invalid-options",
        field: "prefix",
      });
      expect(started.ok ? "" : started.error.message).toMatch(
        /may not contain `carbontracker`: carbontracker's parser would take/,
      );
      expect(logFilePrefixSchema.safeParse(prefix).success).toBe(false);
    },
  );

  it("other prefixes are kept", () => {
    expect(logFilePrefixSchema.safeParse("bert-tracker").success).toBe(true);
  });
});

describe("a run whose standard log alone is damaged still counts, as in carbontracker's aggregate", () => {
  const interruptedStd = standardLog({
    epochs: [
      { gpu: "240.0", cpu: "50.0" },
      { gpu: "240.0", cpu: "50.0" },
    ],
    interrupted: true,
  });
  it.each([
    [
      "an epoch in the middle without its cpu line",
      GOOD_STD.replace(`${TS} - Average power usage (W) for cpu: 50.0\n`, ""),
      "mismatched-epochs",
    ],
    ["a cut last line", GOOD_STD.slice(0, -10), "truncated"],
    ["`for gpu: nan`", GOOD_STD.replace("for gpu: 240.0", "for gpu: nan"), "malformed"],
  ])(
    "%s: the run read from its output log, the standard log a warning",
    async (_name, std, kind) => {
      const dir = newDir();
      samplePair(dir, "0.good");
      const bad = writePair(dir, "bad", std, GOOD_OUTPUT);
      const total = await aggregated(dir);
      expect(total.runsCounted).toBe(2);
      expect(total.energyKWh).toBeCloseTo(0.002, 12);
      expect(total.skipped).toEqual([]);
      expect(total.counters.standardLogsUnread).toBe(1);
      expectSkip(total.warnings, kind as FileProblem["kind"], bad.standard, /./);
      const { logs, skipped, warnings } = await parsed(dir);
      expect(skipped).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(logs[1]).toEqual({
        output_filename: bad.output,
        standard_filename: bad.standard,
        components: {},
        early_stop: false,
        actual: expect.objectContaining({ epochs: 2, "energy (kWh)": 0.001 }),
        pred: expect.objectContaining({ epochs: 2 }),
      });
      // parseLogs returns the components only, which this log does not give.
      expect(parseLogs(dir, bad.standard, bad.output)).toMatchObject({
        ok: false,
        error: { kind },
      });
    },
  );

  it("early_stop is read past the problem, by a plain scan as carbontracker's", async () => {
    const dir = newDir();
    const std = interruptedStd.replace("for gpu: 240.0", "for gpu: 2x0");
    const bad = writePair(dir, "bad", std, GOOD_OUTPUT);
    const { logs, warnings } = await parsed(dir);
    expect(warnings.map((w) => w.path)).toEqual([bad.standard]);
    expect(logs[0]?.early_stop).toBe(true);
  });

  it("a standard log that cannot be read at all still skips the pair", async () => {
    const dir = newDir();
    const bad = writePair(dir, "bin", "\0\n", GOOD_OUTPUT);
    const { logs, skipped, warnings } = await parsed(dir);
    expect(logs).toEqual([]);
    expect(warnings).toEqual([]);
    expectSkip(skipped, "binary", bad.standard, /NUL byte/);
  });

  it("a damaged standard log beside an output log with no consumption record skips the pair", async () => {
    const dir = newDir();
    // Nothing to count from the output log: the pair is skipped for its standard log, as before.
    const bad = writePair(dir, "nothing", "x", "y\n");
    const { logs, skipped, warnings } = await parsed(dir);
    expect(logs).toEqual([]);
    expect(warnings).toEqual([]);
    expect(skipped.map((p) => p.path)).toContain(bad.standard);
  });
});

describe("an output log's last line without a line break is read as Python reads it", () => {
  it("a complete last line without its break: read, nothing counted", async () => {
    const dir = newDir();
    writePair(dir, "nonl", GOOD_STD, GOOD_OUTPUT.slice(0, -1));
    const total = await aggregated(dir);
    expect(total.skipped).toEqual([]);
    expect(total.runsCounted).toBe(1);
    expect(total.counters.cutLastLinesDropped).toBe(0);
  });

  it("a stamp cut after a complete record: that line left out and counted, the run read", async () => {
    const dir = newDir();
    // Shorter than a date: not a record's first line (one with a date is read as one).
    const text = GOOD_OUTPUT.replace(/[^\n]*\n$/, "2026-11");
    writePair(dir, "cut", GOOD_STD, text);
    for (const { skipped, counters } of [await aggregated(dir), await parsed(dir)]) {
      expect(skipped).toEqual([]);
      expect(counters.cutLastLinesDropped).toBe(1);
    }
    expect((await parsed(dir)).logs[0]?.actual).toMatchObject({ epochs: 2, "energy (kWh)": 0.001 });
  });

  it.each([
    ["an equivalent cut short", GOOD_OUTPUT.replace(/ km travelled by car\n[^\n]*\n$/, " km trav")],
    ["a description cut short", `${GOOD_OUTPUT}${TS} - CarbonTracker: Actual consumption for 2 ep`],
    [
      "a field of an open record",
      GOOD_OUTPUT.replace(/\tCO2eq:\t0\.1433[\s\S]*$/, "\tCO2eq:\t0.14"),
    ],
  ])("%s: truncated", async (_name, text) => {
    const dir = newDir();
    const cut = writePair(dir, "cut", GOOD_STD, text);
    expectSkip((await aggregated(dir)).skipped, "truncated", cut.output, /no line break/);
  });

  it("lone CR line ends (old Mac): read as line breaks, across read boundaries too", async () => {
    const dir = newDir();
    writePair(dir, "cr", GOOD_STD.replaceAll("\n", "\r"), GOOD_OUTPUT.replaceAll("\n", "\r"));
    const expected = (await parsed(newDirWith(GOOD_STD, GOOD_OUTPUT))).logs[0];
    // Small line limits make the reader's buffer small: some `\r` falls on a read's last byte.
    for (let maxLineBytes = 180; maxLineBytes < 200; maxLineBytes++) {
      const { logs, skipped } = await parsed(dir, { maxLineBytes });
      expect(skipped).toEqual([]);
      expect(logs[0]?.components).toEqual(expected?.components);
      expect(logs[0]?.actual).toEqual(expected?.actual);
    }
    expect(getConsumption(GOOD_OUTPUT.replaceAll("\n", "\r"))).toEqual(getConsumption(GOOD_OUTPUT));
  });

  function newDirWith(std: string, output: string): string {
    const dir = newDir();
    writePair(dir, "cr", std, output);
    return dir;
  }
});

describe("a negative epoch count is what carbontracker writes when stop() runs before the first epoch", () => {
  it("`Actual consumption for -1 epoch(s):` is read as written, by both paths", async () => {
    const text = GOOD_OUTPUT.replace(
      "Actual consumption for 2 epoch(s):",
      "Actual consumption for -1 epoch(s):",
    );
    const read = getConsumption(text);
    expect(read.ok && read.value[0]?.epochs).toBe(-1);
    const dir = newDir();
    writePair(dir, "stop", GOOD_STD, text);
    for (const { skipped } of [await aggregated(dir), await parsed(dir)])
      expect(skipped).toEqual([]);
    expect((await parsed(dir)).logs[0]?.actual?.epochs).toBe(-1);
  });
});

describe("file names join the folder as given, as os.path.join does", () => {
  it("`dir/./` keeps its `./`; a folder without a trailing separator gets one", async () => {
    const dir = newDir();
    const pair = writePair(dir, "run", GOOD_STD, GOOD_OUTPUT);
    const dotted = (await parsed(`${dir}/./`)).logs[0];
    expect(dotted?.output_filename).toBe(`${dir}/./run_carbontracker_output.log`);
    expect(dotted?.standard_filename).toBe(`${dir}/./run_carbontracker.log`);
    expect((await parsed(dir)).logs[0]?.output_filename).toBe(pair.output);
  });
});
