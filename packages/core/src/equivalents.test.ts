import { describe, expect, it } from "vitest";
import { equivalents } from "./equivalents.ts";
import { gramsCO2eq, kilowattHours } from "./units/quantity.ts";

describe("equivalents", () => {
  it("converts carbon to km by car at 106.8 g/km (EEA 2024) and energy to bulb hours and charges", () => {
    const list = equivalents(gramsCO2eq(1068), kilowattHours(1.54));
    const byId = Object.fromEntries(list.map((e) => [e.id, e]));
    expect(byId["car-km"]?.value).toBeCloseTo(10, 12);
    expect(byId["car-km"]?.source.id).toBe("eea-new-cars-2024");
    expect(byId["led-bulb-hours"]?.value).toBeCloseTo(154, 9);
    expect(byId["phone-charges"]?.value).toBeCloseTo(100, 9);
  });
});
