import { expect } from "vitest";
import { findHardware } from "../hardware/lookup.ts";
import { billProfile } from "./bill.ts";

/** Each part a bill names is a hardware row, matched by its exact name, never by fuzzy tokens. */
export function expectHardwareParts(owner: string, parts: readonly string[]): void {
  for (const part of parts) {
    const match = findHardware(part);
    expect(match.ok && match.value.confidence !== "fuzzy", `${owner}: ${part}`).toBe(true);
    expect(billProfile(part).name, `${owner}: ${part}`).toBe(part);
  }
}
