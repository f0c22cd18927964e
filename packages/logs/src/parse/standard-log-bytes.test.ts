import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clockArb, readBothWays, STAMP, STRAY_LINES } from "./byte-lines.test-support.ts";
import { StandardLogParser } from "./standard-log.ts";

const LIMITS = { maxEpochs: 50, maxComponents: 4, maxPowerValues: 40 };

/** Lines of a standard log: the common ones, their near misses, and hostile ones. */
const lineArb: fc.Arbitrary<string> = fc.oneof(
  fc.nat(40).map((n) => `${STAMP}Epoch ${n}:`),
  fc.constantFrom(
    `${STAMP}Epoch 3:  \t`,
    `${STAMP}Epoch :`,
    `${STAMP}Epoch 3: x`,
    `${STAMP}Epoch 3:\u00a0`,
    `${STAMP}Duration: 0:04:22.80`,
    `${STAMP}Duration:  1:00:00 `,
    `${STAMP}Duration: 12345678901234:00:00`,
    `${STAMP}Duration: -0:00:01`,
    `${STAMP}Duration: 0:00:123`,
    `${STAMP}Duration: 0:0:01`,
    `${STAMP}Duration: 0:00:01.`,
    `${STAMP}Duration: 0:00:01.1234567890123456789`,
    `${STAMP}Duration: \u00a00:00:01`,
    `${STAMP}Duration: ${"\u00a0"}`,
    `${STAMP}Average power usage (W) for cpu: 94.38059659674764`,
    `${STAMP}Average power usage (W) for gpu: 240`,
    `${STAMP}Average power usage (W) for  GPU: 1.2e-05`,
    `${STAMP}Average power usage (W) for gpu: [240.0 250.5]`,
    `${STAMP}Average power usage (W) for gpu: [240.0`,
    "  250.5]",
    `${STAMP}Average power usage (W) for gpu: None`,
    `${STAMP}Average power usage (W) for gpu: 1.`,
    `${STAMP}Average power usage (W) for gpu: -3`,
    `${STAMP}Average power usage (W) for gpü: 3.5`,
    `${STAMP}Average power usage (W) for gpu:3.5`,
    `${STAMP}Average power usage (W) for cpu: 123456789012345678901234.5`,
    `${STAMP}The following components were found: GPU with device(s) A100. CPU with device(s) cpu:0.`,
    `${STAMP}Training was interrupted before all 10 epochs were completed.`,
    `${STAMP}WARNING: TRAINING WAS INTERRUPTED`,
    `${STAMP}Xtraining was interruptedX`,
    `${STAMP}training  was interrupted`,
    `${STAMP}training was interrupte`,
    `${STAMP}tra\u0131ning was interrupted`,
    `${STAMP}training\u00a0was interrupted`,
    `${STAMP}training\0was interrupted`,
    `${STAMP}Note: training was interrupted`,
    `${STAMP}Monitoring thread ended.`,
    `${STAMP}Monitoring thread started.`,
    "2026-01-01 00:00:00,123 - Epoch 1:",
    "2026-01-01T00:00:00 - Epoch 1:",
    "2026-01-01 00:00:00 -Epoch 1:",
    ...STRAY_LINES,
  ),
  clockArb(9, 999_999).map((clock) => `${STAMP}Duration: ${clock}`),
  fc
    .tuple(
      fc.constantFrom("cpu", "gpu", "GPU", "dram"),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
    )
    .map(([c, w]) => `${STAMP}Average power usage (W) for ${c}: ${w}`),
  // Plain decimals of any length: the byte path reads them without a string up to 2^53.
  fc
    .stringMatching(/^\d{1,20}(\.\d{1,25})?$/)
    .map((w) => `${STAMP}Average power usage (W) for cpu: ${w}`),
  fc.string({ maxLength: 30 }).map((s) => `${STAMP}${s}`),
  fc.string({ maxLength: 30 }),
);

const { byStrings, byBytes } = readBothWays(() => new StandardLogParser("log", LIMITS));

describe("StandardLogParser.lines (bytes)", () => {
  it("reads every generated log as the string parser does", () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        (lines, crlf) => {
          const bytes = Buffer.from(`${lines.join(crlf ? "\r\n" : "\n")}\n`, "utf8");
          expect(byBytes(bytes)).toEqual(byStrings(bytes));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("reads invalid UTF-8 and stray bytes as the string parser does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(40), (noise, epoch) => {
        const bytes = Buffer.concat([
          Buffer.from(`${STAMP}Epoch ${epoch}:\n${STAMP}Duration: 0:00:01\n`),
          Buffer.from(noise),
          Buffer.from(`\n${STAMP}Average power usage (W) for cpu: 5.5\n`),
        ]);
        expect(byBytes(bytes)).toEqual(byStrings(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it("leaves a header the string parser reads with a Unicode space to it, after an early stop", () => {
    // Found by the property above: the byte path once skipped this line as "nothing new".
    const bytes = Buffer.from(
      `${STAMP}Training was interrupted before all 10 epochs were completed.\n${STAMP}Epoch 3:\u00a0\n`,
    );
    const read = byBytes(bytes);
    expect(read).toEqual(byStrings(bytes));
    expect(read.log.ok && read.log.value.droppedIncompleteEpoch).toBe(true);
  });

  it("reads the common lines from their bytes to the same numbers", () => {
    const log = byBytes(
      Buffer.from(
        [
          `${STAMP}Epoch 1:`,
          `${STAMP}Duration: 1:02:03.25`,
          `${STAMP}Average power usage (W) for cpu: 94.38059659674764`,
          `${STAMP}Average power usage (W) for gpu: 240.5`,
          "",
        ].join("\n"),
      ),
    ).log;
    expect(log.ok).toBe(true);
    if (!log.ok) return;
    expect(log.value.epochDurationsS).toEqual([3723.25]);
    expect([...log.value.powerW]).toEqual([
      ["cpu", [[94.38059659674764]]],
      ["gpu", [[240.5]]],
    ]);
  });
});
