import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aggregateConsumption,
  type FileProblem,
  parseAllLogs,
  SKIP_REASONS,
  scanLogDir,
} from "../src/index.ts";
import {
  consumptionBlock,
  outputLog,
  SAMPLE_ACTUAL,
  SAMPLE_PRED,
  samplePair,
  standardLog,
  writePair,
} from "./crafted-logs.test-support.ts";
import { useTempDirs } from "./helpers.test-support.ts";

/**
 * A file that cannot be used is reported by name with its reason and skipped; the rest of
 * the folder is still parsed, and nothing throws.
 */
const newDir = useTempDirs();

async function parseWithOneGoodPair(dir: string, options = {}) {
  const good = samplePair(dir, "0.good_2026-01-01T000000Z");
  const parsed = await parseAllLogs(dir, options);
  if (!parsed.ok) throw new Error(parsed.error.message);
  expect(parsed.value.logs.map((l) => l.output_filename)).toContain(good.output);
  return parsed.value;
}

function expectOneSkip(
  skipped: readonly FileProblem[],
  kind: FileProblem["kind"],
  path: string,
  message: RegExp,
) {
  expect(skipped).toHaveLength(1);
  expect(skipped[0]).toMatchObject({ kind, path });
  expect(skipped[0]?.message).toMatch(message);
  expect(skipped[0]?.message).toContain(path);
}

const GOOD_STD = standardLog({
  epochs: [
    { gpu: "240.0", cpu: "50.0" },
    { gpu: "240.0", cpu: "50.0" },
  ],
});
const GOOD_OUTPUT = outputLog({ actual: SAMPLE_ACTUAL, pred: SAMPLE_PRED });

describe("damaged files are reported and skipped, the rest parsed", () => {
  it("a power line that is not a number: malformed, with its line", async () => {
    const dir = newDir();
    const bad = writePair(
      dir,
      "bad",
      standardLog({ epochs: [{ gpu: "2x0", cpu: "50.0" }] }),
      GOOD_OUTPUT,
    );
    const { logs, skipped, warnings, counters } = await parseWithOneGoodPair(dir);
    // Only the standard log is damaged: the run is read from its output log, as
    // carbontracker's aggregate reads it, and the standard log's problem is a warning.
    expect(skipped).toEqual([]);
    expect(logs.find((l) => l.output_filename === bad.output)).toMatchObject({
      components: {},
      actual: { epochs: 2 },
    });
    expectOneSkip(warnings, "malformed", bad.standard, /:7: "2x0" is not a power in watts/);
    expect(warnings[0]?.line).toBe(7);
    expect(counters.skipped.malformed).toBe(0);
    expect(counters.standardLogsUnread).toBe(1);
  });

  it("an output log cut inside a record: truncated", async () => {
    const dir = newDir();
    const whole = GOOD_OUTPUT.slice(
      0,
      GOOD_OUTPUT.indexOf("\tCO2eq", GOOD_OUTPUT.indexOf("Actual")),
    );
    const cutMidLine = writePair(dir, "cut1", GOOD_STD, `${whole}\tCO2eq:\t0.14`);
    const { skipped } = await parseWithOneGoodPair(dir);
    expectOneSkip(skipped, "truncated", cutMidLine.output, /has no line break/);

    const dir2 = newDir();
    const cutAtLine = writePair(dir2, "cut2", GOOD_STD, whole);
    const second = await parseWithOneGoodPair(dir2);
    expectOneSkip(
      second.skipped,
      "truncated",
      cutAtLine.output,
      /actual consumption stops before its CO2eq line/,
    );
  });

  it("a record damaged in the middle of the file: malformed", async () => {
    const dir = newDir();
    const text = GOOD_OUTPUT.replace("\tEnergy:\t0.001100000000 kWh\n", "");
    const bad = writePair(dir, "bad", GOOD_STD, text);
    const { skipped } = await parseWithOneGoodPair(dir);
    expectOneSkip(
      skipped,
      "malformed",
      bad.output,
      /predicted consumption stops before its Energy line/,
    );
  });

  it("a binary file named like a log: binary", async () => {
    const dir = newDir();
    const bad = writePair(dir, "bin", GOOD_STD, "x");
    writeFileSync(
      bad.output,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 10]),
    );
    const { skipped } = await parseWithOneGoodPair(dir);
    expectOneSkip(skipped, "binary", bad.output, /NUL byte at offset 8/);
  });

  it("an empty log: empty", async () => {
    const dir = newDir();
    const bad = writePair(dir, "empty", "", GOOD_OUTPUT);
    const { skipped, warnings, logs } = await parseWithOneGoodPair(dir);
    expect(skipped).toEqual([]);
    expect(logs).toHaveLength(2);
    expectOneSkip(warnings, "empty", bad.standard, /is empty/);
  });

  it("logs without their other half: unpaired, whichever half is left", async () => {
    const dir = newDir();
    writeFileSync(join(dir, "lonely_carbontracker.log"), GOOD_STD);
    writeFileSync(join(dir, "alone_carbontracker_output.log"), GOOD_OUTPUT);
    for (const order of ["name", "directory"] as const) {
      const { skipped, counters } = await parseWithOneGoodPair(dir, { order });
      expect(skipped.map((s) => [s.kind, s.path]).sort()).toEqual([
        ["unpaired", join(dir, "alone_carbontracker_output.log")],
        ["unpaired", join(dir, "lonely_carbontracker.log")],
      ]);
      expect(counters.skipped.unpaired).toBe(2);
    }
  });

  it("an epoch without its power line in the middle: mismatched-epochs", async () => {
    const dir = newDir();
    const std = standardLog({
      epochs: [{ gpu: "240.0", cpu: "50.0" }, { cpu: "50.0" }, { gpu: "240.0", cpu: "50.0" }],
    });
    const bad = writePair(dir, "hole", std, GOOD_OUTPUT);
    const { skipped, warnings, logs } = await parseWithOneGoodPair(dir);
    expect(skipped).toEqual([]);
    expect(logs).toHaveLength(2);
    expectOneSkip(warnings, "mismatched-epochs", bad.standard, /epoch 2 has no power line for gpu/);
  });

  it("a run that stopped inside its last epoch: that epoch is left out, the pair kept and counted", async () => {
    const dir = newDir();
    const std = standardLog({
      epochs: [
        { gpu: "240.0", cpu: "50.0" },
        { gpu: "240.0", cpu: "50.0" },
      ],
    });
    // The second epoch lost its CPU line: the process died between two lines.
    const cut = std.slice(
      0,
      std.lastIndexOf("2026-11-28 22:53:24 - Average power usage (W) for cpu"),
    );
    writePair(dir, "crashed", cut, outputLog({ pred: SAMPLE_PRED }));
    const { logs, counters } = await parseWithOneGoodPair(dir);
    const crashed = logs.find((l) => l.output_filename.includes("crashed"));
    expect(crashed?.components.gpu?.["avg_power_usages (W)"]).toEqual([[240]]);
    expect(crashed?.components.cpu?.["epoch_durations (s)"]).toEqual([10]);
    expect(crashed?.actual).toBeNull();
    expect(counters.droppedIncompleteEpochs).toBe(1);
  });

  it("limits the code chooses: file size, line length, epochs, listed problems", async () => {
    const dir = newDir();
    const big = writePair(dir, "big", GOOD_STD, GOOD_OUTPUT + "#\n".repeat(2500));
    const long = writePair(dir, "long", `${"x".repeat(3000)}\n${GOOD_STD}`, GOOD_OUTPUT);
    const many = writePair(
      dir,
      "many",
      standardLog({ epochs: Array.from({ length: 5 }, () => ({ gpu: "1.0", cpu: "1.0" })) }),
      GOOD_OUTPUT,
    );
    const seen: FileProblem[] = [];
    const { skipped, warnings, counters } = await parseWithOneGoodPair(dir, {
      maxFileBytes: 4096,
      maxLineBytes: 2048,
      maxEpochs: 3,
      maxListedProblems: 1,
      onProblem: (p: FileProblem) => seen.push(p),
    });
    expect(seen.map((p) => [p.kind, p.path]).sort()).toEqual([
      ["line-too-long", long.standard],
      ["too-large", big.output],
    ]);
    expect(skipped).toHaveLength(1);
    expect(counters.problemsNotListed).toBe(1);
    // Too many epochs is the standard log's content: the run is kept, the problem a warning.
    expect(warnings.map((p) => [p.kind, p.path])).toEqual([["too-many-epochs", many.standard]]);
  });

  it("a folder named like a log is not a log: its standard log is unpaired", async () => {
    const dir = newDir();
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "notes.txt"), "hello\n");
    const std = join(dir, "d_carbontracker.log");
    writeFileSync(std, GOOD_STD);
    mkdirSync(join(dir, "d_carbontracker_output.log"));
    for (const order of ["name", "directory"] as const) {
      const { skipped, counters } = await parseWithOneGoodPair(dir, { order });
      expect(skipped.map((s) => [s.kind, s.path])).toEqual([["unpaired", std]]);
      expect(counters.notLogs).toBe(3);
    }
  });

  it("the folder itself: not found, not a directory", async () => {
    const dir = newDir();
    const missing = await parseAllLogs(join(dir, "nope"));
    expect(missing.ok ? null : missing.error).toMatchObject({
      kind: "not-found",
      path: join(dir, "nope"),
    });
    writeFileSync(join(dir, "file"), "x");
    const file = await aggregateConsumption(join(dir, "file"));
    expect(file.ok ? null : file.error).toMatchObject({ kind: "not-a-directory" });
    // A path through a file: what went wrong and the fix, not `ENOTDIR: not a directory, stat`.
    const through = await parseAllLogs(join(dir, "file", "logs"));
    expect(through.ok ? null : through.error).toEqual({
      kind: "unreadable",
      message: `cannot list ${join(dir, "file", "logs")}: a part of the path is a file, not a folder: check the path`,
      path: join(dir, "file", "logs"),
    });
    const options = scanLogDir(dir, { maxEpochs: -1 });
    expect(options.ok ? null : options.error).toMatchObject({
      kind: "invalid-options",
      field: "maxEpochs",
    });
  });
});

describe("formats beyond the fixtures", () => {
  it("reads numpy arrays wrapped over lines, CRLF line ends, `Actual consumption:` and nan CO2", async () => {
    const dir = newDir();
    const std = standardLog({ epochs: [{ gpu: "[100.5 200.25\n 300.125]", cpu: "5e1" }] }).replace(
      /\n/g,
      "\r\n",
    );
    const output = outputLog({}).replace(
      "Finished monitoring.\n",
      `Finished monitoring.\n${consumptionBlock("Actual", { epochs: null, kWh: "0.000000000100", g: "nan" })}`,
    );
    writePair(dir, "odd", std, output);
    const parsed = await parseAllLogs(dir);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.skipped).toEqual([]);
    const [pair] = parsed.value.logs;
    expect(pair?.components.gpu?.["avg_power_usages (W)"]).toEqual([[100.5, 200.25, 300.125]]);
    expect(pair?.components.cpu?.["avg_power_usages (W)"]).toEqual([[50]]);
    expect(pair?.actual).toEqual({
      epochs: 1,
      "duration (s)": 20,
      "energy (kWh)": 1e-10,
      "co2eq (g)": null,
      equivalents: null,
    });
    const total = await aggregateConsumption(dir);
    expect(total.ok && total.value).toMatchObject({
      energyKWh: 1e-10,
      co2eqG: 0,
      runsWithUnknownCo2: 1,
    });
  });
});

describe("fuzzed logs never throw", () => {
  const GOOD = Buffer.from(GOOD_STD);
  const GOOD_OUT = Buffer.from(GOOD_OUTPUT);
  const edit = fc.record({
    which: fc.constantFrom("std", "out"),
    at: fc.nat(),
    remove: fc.nat({ max: 40 }),
    insert: fc.uint8Array({ maxLength: 24 }),
    cut: fc.boolean(),
  });

  it("each damaged pair is either parsed or reported, never both, never neither", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const dir = newDir();
        let std = GOOD;
        let out = GOOD_OUT;
        for (const e of edits) {
          const source = e.which === "std" ? std : out;
          const at = e.at % (source.length + 1);
          const edited = e.cut
            ? source.subarray(0, at)
            : Buffer.concat([source.subarray(0, at), e.insert, source.subarray(at + e.remove)]);
          if (e.which === "std") std = edited;
          else out = edited;
        }
        writeFileSync(join(dir, "fuzz_carbontracker.log"), std);
        writeFileSync(join(dir, "fuzz_carbontracker_output.log"), out);
        const parsed = await parseAllLogs(dir);
        if (!parsed.ok) throw new Error(parsed.error.message);
        const skipped = SKIP_REASONS.reduce((n, r) => n + parsed.value.counters.skipped[r], 0);
        expect(parsed.value.logs.length + skipped).toBe(1);
        expect(parsed.value.skipped).toHaveLength(skipped);
        for (const problem of parsed.value.skipped)
          expect(problem.message).toContain("fuzz_carbontracker");
      }),
      { numRuns: 150 },
    );
  });

  it("the untouched pair parses (the fuzz starts from a valid log)", async () => {
    const dir = newDir();
    writeFileSync(join(dir, "g_carbontracker.log"), GOOD);
    writeFileSync(join(dir, "g_carbontracker_output.log"), GOOD_OUT);
    const parsed = await parseAllLogs(dir);
    expect(parsed.ok && parsed.value.logs).toHaveLength(1);
  });
});
