import type { Component, PowerDevice } from "../../src/index.ts";

export {
  type Detection,
  energyBetween,
  openPowerMeter,
  type PowerSource,
  type SourceSample,
} from "../../src/index.ts";

export function measuredDeviceForTests(id: string, kind: Component): PowerDevice {
  return {
    id,
    name: id,
    kind,
    reader: "rapl",
    basis: "measured",
    confidence: "measured",
    counter: { rangeJ: Number.POSITIVE_INFINITY },
    maxWatts: 1000,
    notes: [],
    provenance: [],
  };
}
