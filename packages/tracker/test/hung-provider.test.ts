import { gramsPerKWh, type IntensityProvider } from "@wattprint/core";
import { ok } from "@wattprint/result";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CarbonTracker, INTENSITY_CALL_DEADLINE_MS, type TrackerOptions } from "../src/index.ts";

/**
 * An intensity provider that never answers: the tracker's own deadline ends the wait, so the
 * training loop is never held by it. Fake timers: the deadline passes without waiting for it.
 */

const SIM: TrackerOptions = {
  simCpu: "Xeon Sim",
  simCpuTdp: 100,
  simCpuUtil: 1,
  location: "DK",
  verbose: 0,
};

/** More than the tracker's deadline: a provider held past it would hold the call past this. */
const WAIT_MS = 120_000;

/** Signals the provider was given, to see that the tracker aborted the calls it gave up on. */
const signals: AbortSignal[] = [];

const hangs = (signal?: AbortSignal): Promise<never> => {
  if (signal !== undefined) signals.push(signal);
  return new Promise<never>(() => {});
};

function provider(parts: Partial<IntensityProvider>): IntensityProvider {
  return {
    id: "stuck",
    title: "Stuck provider",
    supports: () => true,
    current: async (zone) =>
      ok({
        zone,
        intensity: gramsPerKWh(100),
        at: new Date().toISOString(),
        providerId: "stuck",
        source: { id: "stuck", title: "Stuck", url: "", year: 2026 },
        basis: "test",
        estimated: false,
      }),
    ...parts,
  };
}

/** Whether `promise` settles within `ms` of fake time; it is left running either way. */
async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await vi.advanceTimersByTimeAsync(ms);
  return settled;
}

beforeEach(() => {
  signals.length = 0;
  vi.useFakeTimers({ now: new Date("2026-12-04T12:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("an intensity provider that never answers", () => {
  it("does not hold the last epochEnd() or stop(): the fetch is cut at the deadline", async () => {
    const tracker = new CarbonTracker({
      ...SIM,
      epochs: 2,
      intensityProvider: provider({ current: (_zone, signal) => hangs(signal) }),
    });
    await tracker.epochStart();
    await vi.advanceTimersByTimeAsync(1000);
    await tracker.epochEnd();
    await tracker.epochStart();
    await vi.advanceTimersByTimeAsync(1000);
    const ending = tracker.epochEnd();
    expect(await settlesWithin(ending, WAIT_MS)).toBe(true);
    const report = await ending;
    // No live value: the CO2 uses Denmark's embedded value, and says so.
    expect(report?.actual?.intensity).toMatchObject({ gPerKWh: 143.3, zone: "DK" });
    const timedOut = tracker.warnings.filter((w) => /did not answer within/.test(w.message));
    expect(timedOut.length).toBeGreaterThan(0);
    expect(timedOut[0]).toMatchObject({ kind: "intensity" });
    expect(timedOut[0]?.message).toContain("Stuck provider");
    expect(timedOut[0]?.message).toContain(`${INTENSITY_CALL_DEADLINE_MS / 1000} s`);
    expect(timedOut[0]?.message).toContain("the embedded annual value (143.30 gCO2eq/kWh)");
    expect(tracker.introspect().intensityFailures).toBe(timedOut.length);
    // Every call the tracker stopped waiting for was told so.
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(INTENSITY_CALL_DEADLINE_MS).toBeLessThan(WAIT_MS);
  });

  it("does not hold the epochEnd() that predicts: a forecast is cut at the deadline", async () => {
    const tracker = new CarbonTracker({
      ...SIM,
      epochs: 3,
      intensityProvider: provider({ forecast: (_zone, _hours, signal) => hangs(signal) }),
    });
    await tracker.epochStart();
    await vi.advanceTimersByTimeAsync(1000);
    const predicting = tracker.epochEnd();
    expect(await settlesWithin(predicting, WAIT_MS)).toBe(true);
    const report = await predicting;
    // The forecast gave nothing: the prediction uses the value fetched (100).
    expect(report?.prediction?.intensity.gPerKWh).toBe(100);
    expect(tracker.warnings.map((w) => [w.kind, w.message])).toEqual([
      ["intensity", expect.stringMatching(/^Stuck provider's forecast did not answer within 30 s/)],
    ]);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(await settlesWithin(tracker.stop(), WAIT_MS)).toBe(true);
  });
});
