import type { RunFigures } from "../../src/store/run-store.ts";

/** A tracker result's indexed figures for a run that started at `startedAt` and ran `hours`. */
export function runResult(startedAt: string, hours: number, energyKWh: number, co2G: number): RunFigures {
  const start = new Date(startedAt);
  return {
    kind: "actual",
    status: "complete",
    startedAt: start.toISOString(),
    endedAt: new Date(start.getTime() + hours * 3_600_000).toISOString(),
    durationS: hours * 3600,
    energy: { totalKWh: energyKWh },
    co2G,
    intensity: { zone: "ES" },
  };
}
