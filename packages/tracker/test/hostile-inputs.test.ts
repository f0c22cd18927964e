import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CarbonTracker, type TrackerOptions } from "../src/index.ts";

/** A simulated CPU, no logs, silent: what is left to go wrong is the input under test. */
const quiet = { verbose: 0, logDir: null, simCpu: "sim cpu", simCpuTdp: 10 } as const;

describe("options objects that throw while they are read", () => {
  it("a getter or Proxy trap that throws is an invalid-options failure, never a throw", async () => {
    const throwing: readonly (() => TrackerOptions)[] = [
      () => ({
        ...quiet,
        get location(): string {
          throw new Error("getter boom");
        },
      }),
      () =>
        new Proxy({} as TrackerOptions, {
          ownKeys() {
            throw new Error("trap boom");
          },
        }),
      // A thrown value whose conversion to text throws too.
      () => ({
        ...quiet,
        get epochs(): number {
          throw Object.create(null);
        },
      }),
    ];
    for (const make of throwing) {
      const options = make();
      let tracker: CarbonTracker | undefined;
      expect(() => {
        tracker = new CarbonTracker(options);
      }).not.toThrow();
      const ready = await (tracker as CarbonTracker).ready();
      expect(ready.ok).toBe(false);
      if (ready.ok) continue;
      expect(ready.error.kind).toBe("invalid-options");
      expect(ready.error.message).toMatch(/^invalid tracker options: they could not be read: /);
      const created = await CarbonTracker.create(make());
      expect(created.ok).toBe(false);
    }
  });

  it("any option whose getter throws anything is refused by create()", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("epochs", "location", "logDir", "pue", "env", "reportTo", "nosuch"),
        fc.anything({ maxDepth: 1 }),
        async (key, thrown) => {
          const options = { ...quiet };
          Object.defineProperty(options, key, {
            enumerable: true,
            get() {
              throw thrown;
            },
          });
          const created = await CarbonTracker.create(options as TrackerOptions);
          expect(created.ok).toBe(false);
          if (!created.ok) expect(created.error.kind).toBe("invalid-options");
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("WATTPRINT_LOCATION", () => {
  it("a value longer than a location can be is refused by its length, not quoted back", async () => {
    const location = `DK${"\u001b[2J".repeat(100_000)}`;
    const created = await CarbonTracker.create({ ...quiet, env: { WATTPRINT_LOCATION: location } });
    expect(created.ok).toBe(false);
    if (created.ok) return;
    expect(created.error).toMatchObject({ kind: "intensity", field: "env.WATTPRINT_LOCATION" });
    expect(created.error.message).toMatch(/^WATTPRINT_LOCATION is 400002 characters long/);
    expect(created.error.message.length).toBeLessThan(300);
  });

  it("a value of 200 characters is still looked up (the option's own limit)", async () => {
    const created = await CarbonTracker.create({
      ...quiet,
      env: { WATTPRINT_LOCATION: "x".repeat(200) },
    });
    expect(created.ok).toBe(false);
    if (!created.ok) expect(created.error.message).toMatch(/^unknown location/);
  });
});

describe("a location with intensityGPerKWh", () => {
  it("only labels the result: one that names no known place is a warning naming it, not a failure", async () => {
    const atlantis = { WATTPRINT_LOCATION: "Atlantis" };
    const tracker = new CarbonTracker({ ...quiet, intensityGPerKWh: 100, env: atlantis });
    expect(await tracker.ready()).toEqual({ ok: true, value: undefined });
    await tracker.start();
    const result = await tracker.stop();
    expect(result.intensity).toMatchObject({
      gPerKWh: 100,
      level: "override",
      locationFrom: "none",
    });
    expect(result.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(
        /^env\.WATTPRINT_LOCATION: unknown location "Atlantis".*intensityGPerKWh/,
      ),
    ]);

    // A known one still labels it; without the override the unknown one fails, named.
    const labelled = new CarbonTracker({
      ...quiet,
      intensityGPerKWh: 100,
      env: { WATTPRINT_LOCATION: "DK" },
    });
    await labelled.start();
    expect((await labelled.stop()).intensity).toMatchObject({ zone: "DK", locationFrom: "env" });
    const without = await CarbonTracker.create({ ...quiet, env: atlantis });
    expect(!without.ok && without.error).toMatchObject({
      kind: "intensity",
      field: "env.WATTPRINT_LOCATION",
    });
  });
});

describe("an injected clock that breaks", () => {
  it("is answered from the system clock or the last good reading, counted and warned once; nothing throws", async () => {
    let reads = 0;
    let ms = 0;
    const clock = {
      // Good for the first readings, then every kind of wrong.
      now: (): Date => {
        reads++;
        if (reads <= 2) return new Date("2026-01-01T00:00:00Z");
        if (reads % 2 === 0) throw new Error("clock boom");
        return new Date(Number.NaN);
      },
      monotonicMs: (): number => {
        ms += 1000;
        return ms > 3000 ? Number.NaN : ms;
      },
      setInterval: (callback: () => void, every: number) => {
        const handle = setInterval(callback, every);
        handle.unref();
        return handle;
      },
      clearInterval: (handle: unknown) => clearInterval(handle as NodeJS.Timeout),
    };
    const warnings: string[] = [];
    const created = await CarbonTracker.create({
      ...quiet,
      clock,
      onWarning: (w) => warnings.push(w.message),
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const tracker = created.value;
    const measured = await tracker.measure(async () => "done");
    expect(measured.value).toBe("done");
    const counters = tracker.introspect();
    expect(counters.clockFailures).toBeGreaterThan(0);
    const clockWarnings = warnings.filter((m) => m.startsWith("clock."));
    expect(clockWarnings).toHaveLength(1);
    expect(clockWarnings[0]).toMatch(/clockFailures/);
    // Every timestamp the result carries is a real time.
    const result = measured.result;
    expect(JSON.stringify(result)).not.toMatch(/NaN|Invalid Date/);
    expect(result.warnings.length).toBeGreaterThan(0);
    for (const w of result.warnings) expect(Number.isNaN(Date.parse(w.at))).toBe(false);
  });
});
