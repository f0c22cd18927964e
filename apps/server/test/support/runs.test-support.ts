import type { TrackerResult } from "@wattprint/tracker";

const source = {
  id: "test-source",
  title: "a source named by the test",
  url: "https://example.org/",
  year: 2024,
  method: "test value",
};

/** A tracker result for a run that started at `startedAt`, ran `hours`, used and emitted so much. */
export function runResult(
  startedAt: string,
  hours: number,
  energyKWh: number,
  co2G: number,
): TrackerResult {
  const start = new Date(startedAt);
  const energy = {
    itJ: energyKWh * 3.6e6,
    itKWh: energyKWh,
    totalJ: energyKWh * 3.6e6,
    totalKWh: energyKWh,
  };
  return {
    schema: "wattprint.tracker/v1",
    kind: "actual",
    status: "complete",
    wattprintVersion: "0.0.0",
    startedAt: start.toISOString(),
    endedAt: new Date(start.getTime() + hours * 3_600_000).toISOString(),
    durationS: hours * 3600,
    wallS: hours * 3600,
    epochs: { completed: 1, planned: 1, label: 1 },
    energy,
    pue: { value: 1, applied: false, source },
    components: [],
    basis: "simulated",
    intensity: {
      gPerKWh: energyKWh === 0 ? 0 : co2G / energyKWh,
      zone: "ES",
      zoneName: "Spain",
      level: "country",
      year: 2024,
      locationFrom: "option",
      source,
      values: [],
      valuesDropped: 0,
    },
    co2G,
    equivalents: [],
    tasks: [],
    tasksDropped: 0,
    inferences: 0,
    perInference: null,
    method: "test run",
    warnings: [],
    warningsDropped: 0,
    logs: null,
  };
}
