import type { EstimateInput } from "./estimate-input.ts";

/** A problem with one of an estimate's numbers: its path, and `path: what is wrong`. */
export interface InvalidInput {
  readonly field: string;
  readonly message: string;
}

const invalidAt = (field: string, what: string): InvalidInput => ({
  field,
  message: `${field}: ${what}`,
});

/**
 * The first problem with an estimate's numbers, or undefined.
 * Plain checks rather than a zod schema: `estimate` is typed, so only the values need
 * checking, and the bus node calls it once per task, where a schema parse cost more than the
 * arithmetic it guards.
 */
export function firstInvalidInput(input: EstimateInput): InvalidInput | undefined {
  if (input.components.length === 0) {
    return invalidAt("components", "at least one hardware component is needed");
  }
  for (const [i, component] of input.components.entries()) {
    const at = `components.${i}`;
    if (component.name.length === 0)
      return invalidAt(`${at}.name`, "component name must not be empty");
    const power = nonNegative(component.power.value, "component power");
    if (power) return invalidAt(`${at}.power.value`, power);
    if (!Number.isInteger(component.count)) {
      return invalidAt(`${at}.count`, "component count must be a whole number");
    }
    if (component.count < 1) return invalidAt(`${at}.count`, "component count must be at least 1");
  }
  const { work } = input;
  if (work.kind === "duration") {
    const duration = nonNegative(work.duration.value, "duration");
    if (duration) return invalidAt("work.duration.value", duration);
  } else {
    const latency = nonNegative(work.latency.value, "latency");
    if (latency) return invalidAt("work.latency.value", latency);
    if (!Number.isInteger(work.count)) {
      return invalidAt("work.count", "inference count must be a whole number");
    }
    if (work.count < 0) return invalidAt("work.count", "inference count must not be negative");
  }
  const intensity = nonNegative(input.intensity.intensity.value, "grid intensity");
  if (intensity) return invalidAt("intensity.intensity.value", intensity);
  const pue = input.pue.value;
  if (!Number.isFinite(pue) || pue < 1) return invalidAt("pue.value", "PUE must be at least 1");
  return undefined;
}

function nonNegative(value: number, what: string): string | undefined {
  if (typeof value !== "number" || Number.isNaN(value)) return `${what} must be a number`;
  if (!Number.isFinite(value)) return `${what} must be finite`;
  if (value < 0) return `${what} must not be negative`;
  return undefined;
}
