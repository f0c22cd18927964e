import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type TrackerResult, trackerResultSchema } from "./result.ts";
import { WATTPRINT_VERSION } from "./version.ts";

const source = {
  id: "uptime-gdcs-2023",
  title: "Uptime Institute Global Data Center Survey 2023",
  url: "https://uptimeinstitute.com/",
  year: 2023,
  method: "carbontracker's default PUE",
};

const energy = { itJ: 3600, itKWh: 0.001, totalJ: 5688, totalKWh: 0.00158 };

const sample: TrackerResult = {
  schema: "wattprint.tracker/v1",
  kind: "actual",
  status: "complete",
  wattprintVersion: WATTPRINT_VERSION,
  startedAt: "2026-12-02T14:00:00.000Z",
  endedAt: "2026-12-02T14:00:10.000Z",
  durationS: 10,
  wallS: 10.2,
  epochs: { completed: 2, planned: 2, label: 2 },
  energy,
  pue: { value: 1.58, applied: true, source },
  components: [
    {
      component: "gpu",
      energyJ: 3600,
      energyKWh: 0.001,
      meanPowerW: 360,
      basis: "simulated",
      devices: [
        {
          id: "sim_gpu:0",
          name: "NVIDIA Sim",
          kind: "gpu",
          reader: "sim_gpu",
          basis: "simulated",
          confidence: "simulated",
          energyJ: 3600,
          energyKWh: 0.001,
          meanPowerW: 360,
          lowerBound: false,
          uncountedS: 0,
          notes: ["Using simulated GPU"],
          sources: [],
        },
      ],
    },
  ],
  basis: "simulated",
  intensity: {
    gPerKWh: 143.3,
    zone: "DK",
    zoneName: "Denmark",
    level: "country",
    year: 2024,
    locationFrom: "option",
    source: { ...source, id: "ember-2024", method: "country annual average" },
    values: [{ at: "2026-12-02T14:00:00.000Z", gPerKWh: 143.3, level: "country" }],
    valuesDropped: 0,
  },
  co2G: 0.226414,
  equivalents: [
    {
      id: "car-km",
      value: 0.00212,
      unit: "km",
      description: "driven by an average new car",
      basis: "106.8 gCO2/km",
      source: { id: "eea", title: "EEA", url: "https://eea.europa.eu", year: 2024 },
    },
  ],
  tasks: [],
  inferences: 4,
  perInference: { energy, co2G: 0.05, durationS: 2.5 },
  method: "measured epochs",
  warnings: [],
  warningsDropped: 0,
  logs: null,
};

describe("TrackerResult", () => {
  it("survives JSON and validates back to the same object", () => {
    const back = trackerResultSchema.parse(JSON.parse(JSON.stringify(sample)));
    expect(back).toEqual(sample);
  });

  it("refuses what a store must not accept", () => {
    const negative = { ...sample, co2G: -1 };
    expect(trackerResultSchema.safeParse(negative).success).toBe(false);
    const extra = { ...sample, surprise: true };
    expect(trackerResultSchema.safeParse(extra).success).toBe(false);
    const local = { ...sample, startedAt: "2026-12-02T15:00:00+01:00" };
    expect(trackerResultSchema.safeParse(local).success).toBe(false);
  });

  it("stamps the package's own version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(WATTPRINT_VERSION).toBe(pkg.version);
  });
});
