import { describe, expect, it } from "vitest";
import {
  carbonOf,
  convertCarbon,
  convertDuration,
  convertEnergy,
  convertPower,
  type Energy,
  energyOf,
  gramsPerKWh,
  hours,
  joules,
  kilowattHours,
  meanPower,
  milliseconds,
  milliwatts,
  scaleEnergy,
  seconds,
  sumEnergy,
  wattHours,
  watts,
} from "./quantity.ts";

describe("energy conversions", () => {
  it("converts between J, Wh, kWh and MWh", () => {
    expect(convertEnergy(kilowattHours(1), "J").value).toBe(3_600_000);
    expect(convertEnergy(wattHours(1500), "kWh").value).toBeCloseTo(1.5, 12);
    expect(convertEnergy(joules(7_200), "Wh").value).toBe(2);
    expect(convertEnergy(kilowattHours(2500), "MWh").value).toBe(2.5);
  });

  it("round-trips without drift", () => {
    const start = kilowattHours(0.123456789);
    const back = convertEnergy(convertEnergy(start, "J"), "kWh");
    expect(back.value).toBeCloseTo(start.value, 15);
    expect(back.unit).toBe("kWh");
  });

  it("refuses to mix units without a conversion (compile-time)", () => {
    const wh: Energy<"Wh"> = wattHours(5);
    // @ts-expect-error a Wh quantity is not a kWh quantity
    const asKWh: Energy<"kWh"> = wh;
    expect(asKWh.unit).toBe("Wh");
  });
});

describe("power, duration and carbon conversions", () => {
  it("converts power", () => {
    expect(convertPower(milliwatts(250_000), "W").value).toBe(250);
    expect(convertPower(watts(1500), "kW").value).toBe(1.5);
  });

  it("converts durations", () => {
    expect(convertDuration(hours(2), "s").value).toBe(7_200);
    expect(convertDuration(milliseconds(120), "s").value).toBeCloseTo(0.12, 12);
    expect(convertDuration(seconds(90), "min").value).toBe(1.5);
  });

  it("converts carbon masses", () => {
    expect(convertCarbon({ value: 2.5, unit: "kgCO2eq" }, "gCO2eq").value).toBe(2_500);
    expect(convertCarbon({ value: 1_000_000, unit: "gCO2eq" }, "tCO2eq").value).toBe(1);
  });
});

describe("formulas", () => {
  it("energy = power x time", () => {
    // 250 W for 2 h = 500 Wh = 0.5 kWh = 1.8 MJ
    const energy = energyOf(watts(250), hours(2));
    expect(energy).toEqual({ value: 1_800_000, unit: "J" });
    expect(convertEnergy(energy, "kWh").value).toBeCloseTo(0.5, 12);
  });

  it("mean power = energy / time, and 0 W over no time", () => {
    expect(meanPower(wattHours(100), hours(2)).value).toBeCloseTo(50, 12);
    expect(meanPower(joules(10), seconds(0)).value).toBe(0);
  });

  it("carbon = energy (kWh) x intensity (g/kWh)", () => {
    expect(carbonOf(wattHours(500), gramsPerKWh(400))).toEqual({ value: 200, unit: "gCO2eq" });
  });

  it("sums and scales energies of different units", () => {
    expect(sumEnergy([wattHours(1), joules(400), kilowattHours(0.001)]).value).toBe(7_600);
    expect(scaleEnergy(wattHours(3), 1.5)).toEqual({ value: 4.5, unit: "Wh" });
  });
});
