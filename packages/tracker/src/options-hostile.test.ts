import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTrackerOptions, type TrackerOptions, trackerOptionsSchema } from "./options.ts";

const KNOWN = new Set(Object.keys(trackerOptionsSchema.shape));

/** Options a caller might really pass, each valid, to make hostile one key at a time. */
const BASES: readonly Record<string, unknown>[] = [
  { epochs: 5, epochsBeforePred: 2, monitorEpochs: 4, components: "gpu,cpu", verbose: 2 },
  { simCpu: "Xeon", simCpuTdp: 120, simCpuUtil: 0.3, simGpu: "A100", simGpuWatts: 300 },
  { location: "ES", pue: 1.2, intensityRefreshS: 60, apiKeys: { electricitymaps: "key" } },
  { logDir: "/tmp/logs", logFilePrefix: "run", decimalPrecision: 6, interpretable: false },
  { reportTo: { url: "http://127.0.0.1:1/", project: "p", tags: ["a"] }, ignoreErrors: true },
];

const hostile = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(0, -0, -1, 0.5, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53),
  fc.constantFrom("", " ", ",", "CPU,,GPU", "tpu", "\u0000", "x".repeat(10_000), "1e400"),
  fc.constantFrom(null, undefined, [], {}, [null], { url: 1 }, () => 1, Symbol("s"), 10n),
);

describe("parseTrackerOptions under hostile values", () => {
  it("never throws: every value is accepted or refused with the option it names", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BASES),
        fc.oneof(
          fc.constantFrom(
            "epochs",
            "epochsBeforePred",
            "monitorEpochs",
            "updateInterval",
            "components",
            "verbose",
            "decimalPrecision",
            "apiKeys",
            "simCpu",
            "simCpuTdp",
            "simCpuUtil",
            "simGpu",
            "simGpuWatts",
            "simGpuUtil",
            "location",
            "pue",
            "intensityGPerKWh",
            "intensityRefreshS",
            "logDir",
            "logFilePrefix",
            "reportTo",
            "env",
            "clock",
            "power",
            "onWarning",
          ),
          fc.string({ maxLength: 10 }),
        ),
        hostile,
        (base, key, value) => {
          const options = { ...base, [key]: value } as TrackerOptions;
          const parsed = parseTrackerOptions(options);
          if (parsed.ok) return;
          expect(parsed.error.kind).toBe("invalid-options");
          expect(typeof parsed.error.message).toBe("string");
          expect(parsed.error.message).toMatch(/^(invalid|unknown) tracker option/);
          // The option named is one the caller passed, or a tracker option (one that another
          // needs, a member of one): never a made-up name.
          const field = parsed.error.field ?? "";
          const head = field.split(".")[0] ?? "";
          expect(field in options || KNOWN.has(head), parsed.error.message).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
