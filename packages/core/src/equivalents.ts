import type { SourceRef } from "./provenance.ts";
import type { Carbon, Energy } from "./units/quantity.ts";
import { convertCarbon, convertEnergy } from "./units/quantity.ts";

/** A relatable comparison for a footprint, with the figure it rests on and its source. */
export interface Equivalent {
  readonly id: string;
  readonly value: number;
  readonly unit: string;
  readonly description: string;
  readonly basis: string;
  readonly source: SourceRef;
}

/**
 * The car figure is the EEA's provisional 2024 average of new passenger cars registered in the
 * EU-27, Iceland and Norway, as measured on the type-approval test cycle (WLTP): test-cycle
 * emissions, not real-world driving, which is higher.
 */
export const EEA_NEW_CAR_2024: SourceRef = {
  id: "eea-new-cars-2024",
  title:
    "EEA, CO2 emissions from new passenger cars: provisional 2024 average of new cars " +
    "registered in the EU-27, Iceland and Norway, 106.8 gCO2/km on the WLTP test cycle",
  url: "https://www.eea.europa.eu/en/analysis/indicators/co2-performance-of-new-passenger",
  year: 2024,
};
/** A project assumption: the bulb is a typical product, not a measured one. */
const LED_BULB: SourceRef = {
  id: "assumption-led-10w",
  title:
    "wattprint assumption: a 10 W LED bulb (about 800 lm, the usual replacement for a 60 W " +
    "incandescent); the EU product list gives each lamp's rated power",
  url: "https://energy.ec.europa.eu/topics/energy-efficiency/energy-label-and-ecodesign/product-list/light-sources_en",
  year: 2021,
};
/** Arithmetic on a typical battery, no publication: said so, rather than a made-up citation. */
const PHONE_BATTERY: SourceRef = {
  id: "assumption-phone-15wh",
  title:
    "wattprint assumption: a 4,000 mAh smartphone battery at 3.85 V nominal holds " +
    "4 Ah x 3.85 V = 15.4 Wh",
  url: "",
  year: 2024,
};

const CAR_G_PER_KM = 106.8;
const LED_W = 10;
const PHONE_WH = 15.4;

export function equivalents(carbon: Carbon, energy: Energy): Equivalent[] {
  const grams = convertCarbon(carbon, "gCO2eq").value;
  const wh = convertEnergy(energy, "Wh").value;
  return [
    {
      id: "car-km",
      value: grams / CAR_G_PER_KM,
      unit: "km",
      description:
        "driven by an average new car registered in 2024 in the EU-27, Iceland and Norway (test-cycle emissions, EEA provisional)",
      basis: `${CAR_G_PER_KM} gCO2/km, WLTP test cycle`,
      source: EEA_NEW_CAR_2024,
    },
    {
      id: "led-bulb-hours",
      value: wh / LED_W,
      unit: "h",
      description: "of a 10 W LED bulb (same energy)",
      basis: `${LED_W} W`,
      source: LED_BULB,
    },
    {
      id: "phone-charges",
      value: wh / PHONE_WH,
      unit: "charges",
      description: "of a smartphone battery from empty (same energy, charger losses ignored)",
      basis: `${PHONE_WH} Wh per charge`,
      source: PHONE_BATTERY,
    },
  ];
}
