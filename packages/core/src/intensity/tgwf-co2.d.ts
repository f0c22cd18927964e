// @tgwf/co2 ships JavaScript only. The values are typed `unknown` on purpose: tgwf-co2.ts
// checks them with zod before anything reads them.
declare module "@tgwf/co2/data" {
  export const averageIntensity: unknown;
  export const marginalIntensity: unknown;
}

declare module "@tgwf/co2/data/electricity-maps" {
  export const yearly2021: unknown;
  export const yearly2022: unknown;
  export const yearly2023: unknown;
  export const yearly2024: unknown;
  export const yearly2025: unknown;
}
