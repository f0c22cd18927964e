import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clockArb, readBothWays, STAMP, STRAY_LINES } from "./byte-lines.test-support.ts";
import { OutputLogParser } from "./output-log.ts";

/** A number as logs print it, and the shapes around it that the byte path must leave alone. */
const numberArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^\d{1,20}(\.\d{1,25})?$/),
  fc.double({ min: 0, max: 1e9, noNaN: true }).map(String),
  fc.constantFrom("nan", "inf", "-1.5", "1e-05", "5.", ".5", "0x10", "1,5", "", "٣"),
);

/** Lines of an output log: the common ones, their near misses, and hostile ones. */
const lineArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    `${STAMP}CarbonTracker: `,
    `${STAMP}CarbonTracker:`,
    `${STAMP}CarbonTracker:   `,
    `${STAMP}`,
    `${STAMP}CarbonTracker: The following components were found: GPU with device(s) A100.`,
    `${STAMP}CarbonTracker: Average carbon intensity during training was 143.30 gCO2eq/kWh. `,
    `${STAMP}CarbonTracker: Actual consumption for 3 epoch(s):`,
    `${STAMP}CarbonTracker: Predicted consumption for 5 epoch(s):`,
    `${STAMP}CarbonTracker: actual consumption:`,
    `${STAMP}CarbonTracker: \u00a0`,
    `${STAMP}CarbonTracker: Finished monitoring.`,
    `${STAMP}Actual consumption for 2 epochs:`,
    "2026-01-01 00:00:00,123 - CarbonTracker: ",
    "2026-01-01T00:00:00 - CarbonTracker: ",
    "2026-01-01 - CarbonTracker: ",
    "Actual consumption for 3 epoch(s):",
    "Predicted consumption for 3 epoch(s):",
    "Actual consumption:",
    "Predicted consumption:",
    "ACTUAL CONSUMPTION FOR 0012 EPOCHS(S):",
    "Predicted consumption for 5 epochs:",
    "Predicted consumption for 5 epoch(s) :",
    "Predicted consumption for 5 epoch(s)",
    "Predicted consumption for  5 epoch(s):",
    "Predicted consumption for 5 epoch(s)(s):",
    "Predicted consumption for 123456789012345678901 epoch(s):",
    "Actual consumption for epoch(s):",
    "Actual\0consumption:",
    "Actual consumption:\u00a0",
    "\u00a0Actual consumption:",
    "Actual consumptions:",
    "Actual consumption::",
    "Actual consumption: 3",
    "Predicted consumption for 5 epoch(s): extra",
    "\tThis is equivalent to:",
    "\tThis is equivalent to: ",
    "\tThis is equivalent to:\u00a0",
    "\t0.262908591221 km travelled by car",
    "\tnan km travelled by car",
    "\t0.0000106.06667 km travelled by car",
    `\t${"9".repeat(400)} km travelled by car`,
    `\t0.5 ${"u".repeat(200)}`,
    `\t0.5 ${"u".repeat(201)}`,
    "\tkm",
    "Actual consumption for 2e0 epoch(s):",
    "Actual consumption for -2 epoch(s):",
    `${STAMP}CarbonTracker: Actual consumption for 2e0 epoch(s):`,
    `${STAMP}CarbonTracker: Predicted consumption for 2 epoch(s) :`,
    `${STAMP}CarbonTracker: aCTUAL cONSUMPTION of 3`,
    `${STAMP}CarbonTracker: Actual consumption for 2 ep\u00f6ch(s):`,
    "\tTime:\t-0:00:01",
    "\tTime:\t1:18:50 x",
    "\tTime:\u00a01:18:50",
    "\tTime:",
    "\tEnergy:\t0.5\u00a0kWh",
    "\tEnergy:\t0.5kWh",
    "\tEnergy:kWh",
    "\tCO2eq:\tg",
    ...STRAY_LINES,
  ),
  clockArb(99, 999).map((clock) => `\tTime:\t${clock}`),
  fc
    .tuple(fc.constantFrom("\t", " ", "", "\t "), numberArb, fc.constantFrom(" ", "\t", "  "))
    .map(([a, n, b]) => `\tEnergy:${a}${n}${b}kWh`),
  fc
    .tuple(fc.constantFrom("\t", " ", ""), numberArb, fc.constantFrom(" ", "\t"))
    .map(([a, n, b]) => `\tCO2eq:${a}${n}${b}g`),
  fc.string({ maxLength: 30 }).map((s) => `${STAMP}CarbonTracker: ${s}`),
  fc.string({ maxLength: 30 }).map((s) => `\t${s}`),
  fc.string({ maxLength: 30 }),
);

const { byStrings, byBytes } = readBothWays(() => new OutputLogParser("log"));

/** Equivalent lines the byte path must read as the string parser does, or leave to it. */
const EQUIVALENT_SHAPES = [
  "\t0.5\u00a0km",
  "\t0.5 \u00a0km",
  "\t0.5 km\rx",
  "\t0.5 \rkm",
  "\t0.5\tkm  travelled ",
  "\t1e-05 km",
  "\t-2 km",
  "\tinf km",
  "\t5. km",
  "\t0.5 k\u00e9m",
  "\t0.5",
  "\t\u00e90.5 km",
  "\t12345678901234567890123 km",
  "\tnan km travelled by car",
  `\t${"9".repeat(400)} km travelled by car`,
  "\t0.0000106.06667 km travelled by car",
  `\t0.5 ${"u".repeat(200)}`,
  `\t0.5 ${"u".repeat(201)}`,
  "",
];

/**
 * A record as carbontracker 2.4 writes it, with the values given and some of the shapes
 * above (some of which make the record malformed: a subset, so that records are also read).
 */
const recordArb = fc
  .tuple(
    fc.constantFrom("Actual", "Predicted"),
    fc.nat(50),
    numberArb,
    numberArb,
    fc.boolean(),
    fc.subarray(EQUIVALENT_SHAPES, { maxLength: 3 }),
  )
  .map(([kind, epochs, kWh, grams, carKm, shapes]) => [
    `${STAMP}CarbonTracker: `,
    `${kind} consumption for ${epochs} epoch(s):`,
    "\tTime:\t1:18:50",
    `\tEnergy:\t${kWh} kWh`,
    `\tCO2eq:\t${grams} g`,
    "\tThis is equivalent to:",
    ...(carKm ? ["\t0.262908591221 km travelled by car"] : []),
    ...shapes,
  ]);

describe("OutputLogParser.lines (bytes)", () => {
  it("reads every generated log as the string parser does", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(recordArb, fc.array(lineArb, { maxLength: 4 })), { maxLength: 12 }),
        fc.boolean(),
        (parts, crlf) => {
          const lines = parts.flat();
          const bytes = Buffer.from(`${lines.join(crlf ? "\r\n" : "\n")}\n`, "utf8");
          expect(byBytes(bytes)).toEqual(byStrings(bytes));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("reads invalid UTF-8 and stray bytes as the string parser does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (noise) => {
        const bytes = Buffer.concat([
          Buffer.from(
            `${STAMP}CarbonTracker: \nActual consumption for 1 epoch(s):\n\tTime:\t0:00:01\n`,
          ),
          Buffer.from(noise),
          Buffer.from("\n\tEnergy:\t0.5 kWh\n\tCO2eq:\t2.5 g\n"),
        ]);
        expect(byBytes(bytes)).toEqual(byStrings(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it("reads a record's fields from their bytes to the same numbers", () => {
    const log = byBytes(
      Buffer.from(
        [
          `${STAMP}CarbonTracker: `,
          "Actual consumption for 3 epoch(s):",
          "\tTime:\t1:02:03",
          "\tEnergy:\t0.195943039375 kWh",
          "\tCO2eq:\t28.078637542428 g",
          "",
        ].join("\n"),
      ),
    ).log;
    expect(log.ok && log.value.actual).toEqual({
      epochs: 3,
      "duration (s)": 3723,
      "energy (kWh)": 0.195943039375,
      "co2eq (g)": 28.078637542428,
      equivalents: null,
    });
  });
});
