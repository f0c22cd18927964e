import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aggregateConsumption,
  aggregateSentence,
  buildHtmlReport,
  fixedDecimal,
  getAvgPowerUsages,
  getConsumption,
  parseAllLogs,
  parsedLogPairSchema,
  plainDecimal,
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
 * Input crafted to hurt: lines that make a backtracking regular expression run for seconds,
 * numbers that overflow a double on their own or once multiplied or summed, and names that
 * a plain object cannot hold. Each is a skipped file with a reason, fast, and leaves no NaN
 * or Infinity in what is returned.
 */
const newDir = useTempDirs();

const GOOD_STD = standardLog({ epochs: [{ gpu: "240.0", cpu: "50.0" }] });
const GOOD_OUT = outputLog({ actual: SAMPLE_ACTUAL, pred: SAMPLE_PRED });
const TS = "2026-11-28 22:53:24";

/**
 * Long enough that a quadratic pattern takes minutes here (60 kB took the old patterns about
 * 2 s), a linear one milliseconds. No clock is read: a backtracking pattern fails these tests
 * by running past the suite's test timeout, a hang detector, not a speed target.
 */
const LONG = 400_000;

const powerLine = (value: string): string => standardLog({ epochs: [{ gpu: value, cpu: "50.0" }] });
const outputWithActual = (kWh: string, g: string, km = "0.1"): string =>
  outputLog({ actual: { ...SAMPLE_ACTUAL, kWh, g, km } });

/** Each crafted pair, and what becomes of it: the file reported, or read as carbontracker reads it. */
const slowLines: [string, string, string, "reported" | "read"][] = [
  ["a power of digits then a letter", powerLine(`${"1".repeat(LONG)}x`), GOOD_OUT, "reported"],
  [
    "a power array of unclosed np.float64(",
    powerLine(`[${"np.float64(".repeat(LONG / 11)}]`),
    GOOD_OUT,
    "reported",
  ],
  [
    "a power array with one long token",
    powerLine(`[1.0 ${"9".repeat(LONG)}e]`),
    GOOD_OUT,
    "reported",
  ],
  [
    "an energy of digits then a letter",
    GOOD_STD,
    outputWithActual(`${"1".repeat(LONG)}x`, "1.0"),
    "reported",
  ],
  [
    "a CO2eq of digits then a dot and a letter",
    GOOD_STD,
    outputWithActual("1.0", `${"1".repeat(LONG)}.x`),
    "reported",
  ],
  // An equivalent whose value is not a number is reported: skipped, as carbontracker skips
  // it, the run's car-km would leave the folder's total with nothing to say so.
  [
    "an equivalent of digits then a letter",
    GOOD_STD,
    outputWithActual("1.0", "1.0", `${"1".repeat(LONG)}x`),
    "reported",
  ],
];

describe("no line takes long to parse (no catastrophic backtracking)", () => {
  it.each(slowLines)(
    "%s: parsed, the file reported or read as carbontracker reads it",
    async (_name, std, out, outcome) => {
      const dir = newDir();
      writePair(dir, "slow", std, out);
      const parsed = await parseAllLogs(dir);
      if (!parsed.ok) throw new Error(parsed.error.message);
      // A standard log's problem is a warning: the run is kept, from its output log.
      const { logs, skipped, warnings } = parsed.value;
      expect([...skipped, ...warnings]).toEqual(
        outcome === "read" ? [] : [expect.objectContaining({ kind: "malformed" })],
      );
      const standardUnread = warnings.length > 0;
      expect(logs).toHaveLength(outcome === "read" || standardUnread ? 1 : 0);
      if (standardUnread) expect(logs[0]?.components).toEqual({});
    },
  );

  it.each(slowLines)("%s: the text functions too", (_name, std, out, outcome) => {
    expect(getAvgPowerUsages(std).ok && getConsumption(out).ok).toBe(outcome === "read");
  });
});

describe("numbers that overflow are reported, never returned", () => {
  const huge = `1${"0".repeat(400)}`;

  it.each([
    ["a plain power past the largest double (byte path)", huge],
    ["a plain power past the largest double (string path)", `${huge} `],
    ["a power whose energy over the epoch overflows", "1e308"],
    ["a power in an array past the largest double", `[1.0 ${huge}]`],
  ])("%s: malformed, with its line", async (_name, value) => {
    const dir = newDir();
    samplePair(dir, "good");
    const bad = writePair(
      dir,
      "bad",
      standardLog({ epochs: [{ gpu: value, cpu: "50.0" }], durationText: "99:00:00.00" }),
      GOOD_OUT,
    );
    const parsed = await parseAllLogs(dir);
    if (!parsed.ok) throw new Error(parsed.error.message);
    // The run is still read from its output log; the standard log is a warning.
    expect(parsed.value.logs).toHaveLength(2);
    expect(parsed.value.skipped).toEqual([]);
    expect(parsed.value.warnings).toEqual([
      expect.objectContaining({ kind: "malformed", path: bad.standard, line: 7 }),
    ]);
    expect(parsed.value.warnings[0]?.message).toMatch(/not a power in watts/);
    expect(getAvgPowerUsages(standardLog({ epochs: [{ gpu: value }] })).ok).toBe(false);
  });

  it("records whose sum overflows: each is reported, the totals stay finite", async () => {
    const dir = newDir();
    samplePair(dir, "good");
    for (const stem of ["big1", "big2"]) {
      writePair(dir, stem, GOOD_STD, outputWithActual("1e308", "1e308", "1e308"));
    }
    const total = await aggregateConsumption(dir);
    if (!total.ok) throw new Error(total.error.message);
    expect(total.value.counters.skipped.malformed).toBe(2);
    expect(total.value.skipped[0]?.message).toMatch(/energy \(kWh\)/);
    expect(Number.isFinite(total.value.energyKWh)).toBe(true);
    expect(Number.isFinite(total.value.co2eqG)).toBe(true);
    for (const value of Object.values(total.value.equivalents)) {
      expect(Number.isFinite(value)).toBe(true);
    }
    const report = await buildHtmlReport(dir);
    expect(report.ok).toBe(true);
  });

  it("a total that is not a number is printed as Python prints it, not thrown", () => {
    expect(fixedDecimal(Number.NaN, 2)).toBe("nan");
    expect(fixedDecimal(Number.POSITIVE_INFINITY, 2)).toBe("inf");
    expect(fixedDecimal(Number.NEGATIVE_INFINITY, 16)).toBe("-inf");
    expect(plainDecimal(Number.NaN)).toBe("nan");
    expect(plainDecimal(Number.NEGATIVE_INFINITY)).toBe("-inf");
    const sentence = aggregateSentence({
      energyKWh: Number.NaN,
      co2eqG: Number.POSITIVE_INFINITY,
      equivalents: {},
      runsCounted: 1,
      runsWithoutConsumption: 0,
      runsWithUnknownCo2: 0,
      runsWithComputedEquivalents: 0,
      equivalentUnitsDropped: 0,
    });
    expect(sentence).toContain("use nan kWh");
  });
});

describe("names a plain object cannot hold are reported, not lost", () => {
  it("a power line for component __proto__: malformed", async () => {
    const dir = newDir();
    samplePair(dir, "good");
    const bad = writePair(
      dir,
      "proto",
      GOOD_STD.replace(
        "for cpu: 50.0\n",
        `for cpu: 50.0\n${TS} - Average power usage (W) for __proto__: 5.0\n`,
      ),
      GOOD_OUT,
    );
    const parsed = await parseAllLogs(dir);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.logs).toHaveLength(2);
    expect(parsed.value.skipped).toEqual([]);
    expect(parsed.value.warnings).toEqual([
      expect.objectContaining({ kind: "malformed", path: bad.standard, line: 9 }),
    ]);
    expect(parsed.value.warnings[0]?.message).toMatch(/__proto__/);
  });

  it("an equivalent in unit __proto__: malformed", () => {
    const text = outputLog({ actual: SAMPLE_ACTUAL }).replace("km travelled by car", "__proto__");
    const read = getConsumption(text);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error.message).toMatch(/__proto__/);
  });

  it.each([64, 65])(
    "%i distinct equivalents in one record: all read, or the file reported",
    async (count) => {
      const units = Array.from({ length: count }, (_, i) => `${i + 1}.5 unit${i}`).join("\n\t");
      const text = outputLog({ actual: SAMPLE_ACTUAL }).replace(
        "0.001341760300 km travelled by car",
        units,
      );
      const read = getConsumption(text);
      if (count === 64) {
        expect(read.ok && Object.keys(read.value[0]?.equivalents ?? {})).toHaveLength(64);
        return;
      }
      expect(!read.ok && read.error.message).toMatch(/more than 64 equivalents/);
      const dir = newDir();
      writePair(dir, "many", GOOD_STD, text);
      const parsed = await parseAllLogs(dir);
      expect(parsed.ok && parsed.value.skipped).toEqual([
        expect.objectContaining({ kind: "malformed", line: expect.any(Number) }),
      ]);
    },
  );
});

describe("whatever a log holds, what is returned is valid and finite", () => {
  const number = fc.oneof(
    fc.constantFrom("nan", "inf", "-inf", "-0", "1e309", "0x10", "1e308", `1${"0".repeat(330)}`),
    fc.double().map(String),
    fc.double().map((v) => v.toFixed(3)),
  );
  it("fuzzed values in every field: every pair read matches the schema", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(number, { minLength: 6, maxLength: 6 }),
        async ([gpu = "", cpu = "", kWh = "", g = "", km = "", hours = ""]) => {
          const dir = newDir();
          const clockHours = hours.replace(/[^0-9]/g, "").slice(0, 12) || "0";
          writePair(
            dir,
            "fuzz",
            standardLog({
              epochs: [{ gpu, cpu }],
              durationText: `${clockHours}:00:00.00`,
            }),
            outputLog({ actual: { ...SAMPLE_ACTUAL, kWh, g, km } }),
          );
          const parsed = await parseAllLogs(dir);
          if (!parsed.ok) throw new Error(parsed.error.message);
          for (const pair of parsed.value.logs) {
            expect(parsedLogPairSchema.safeParse(pair).success).toBe(true);
          }
          const total = await aggregateConsumption(dir);
          if (!total.ok) throw new Error(total.error.message);
          expect(Number.isFinite(total.value.energyKWh)).toBe(true);
          expect(Number.isFinite(total.value.co2eqG)).toBe(true);
          expect(aggregateSentence(total.value)).not.toMatch(/nan|inf/);
        },
      ),
      { numRuns: 200 },
    );
  });
});
