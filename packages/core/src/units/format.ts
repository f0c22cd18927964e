import type { Quantity } from "./quantity.ts";

/**
 * Rounds to significant digits rather than decimals: footprints span from micrograms per
 * inference to tonnes per training run, and a fixed number of decimals hides one end.
 */
export function formatNumber(value: number, significantDigits = 4): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  if (magnitude >= 6 || magnitude <= -5) return value.toExponential(significantDigits - 1);
  const decimals = Math.max(0, significantDigits - 1 - magnitude);
  return Number(value.toFixed(decimals)).toString();
}

export function formatQuantity(quantity: Quantity<string>, significantDigits = 4): string {
  return `${formatNumber(quantity.value, significantDigits)} ${quantity.unit}`;
}
