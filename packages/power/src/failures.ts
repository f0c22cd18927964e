import { type Failure, failure } from "@wattprint/result";
import type { ReaderId } from "./device.ts";

/**
 * Why a reader, or one of its devices, is not used (found at `detect()`). The message says
 * what was wrong and the fix; `fix` repeats the fix alone for a UI that lists them.
 */
export type SkipKind =
  /** The reader does not exist on this operating system (RAPL off Linux, powermetrics off macOS). */
  | "unsupported-platform"
  /** The hardware or its interface is absent (no powercap tree, no GPU, no amdgpu hwmon). */
  | "not-present"
  /** The driver or its library is missing or not loaded. */
  | "no-driver"
  /** The interface exists but this user may not read it. */
  | "no-permission"
  /** The device exists but cannot report energy or power. */
  | "not-supported"
  /** A file or library answered something this reader cannot use. */
  | "malformed"
  /** Any other error of the driver, with its own code in the message. */
  | "driver-error";

export interface ReaderSkip extends Failure<SkipKind> {
  readonly reader: ReaderId;
  /** The device, zone or path concerned, when the skip is about one device. */
  readonly device?: string;
  /** The fix on its own, when there is one. */
  readonly fix?: string;
}

export function readerSkip(
  reader: ReaderId,
  kind: SkipKind,
  message: string,
  details: { readonly device?: string; readonly fix?: string } = {},
): ReaderSkip {
  return failure(kind, message, { reader, ...details });
}

/**
 * Why one reading of one device was skipped. Readers never throw out of `sample()`: a bad
 * reading becomes a problem, counted under its kind in `introspect()`.
 */
export type ProblemKind =
  /** The file or device is gone (zone removed, GPU lost, sysfs node deleted). */
  | "vanished"
  /** The read was refused. */
  | "unreadable"
  /** The value is not a number in the expected unit. */
  | "malformed"
  /** A number outside what the interface can report (above `max_energy_range_uj`, negative). */
  | "out-of-range"
  /** The driver returned an error code. */
  | "driver-error"
  /** Counter arithmetic: more than one wrap may have happened; the energy is a lower bound. */
  | "ambiguous-wraps"
  /** Counter arithmetic: the counter moved more than the device can draw; interval not counted. */
  | "implausible-delta"
  /** Counter arithmetic: a counter without wrap went backwards (driver reload); interval not counted. */
  | "counter-reset"
  /**
   * Power only: a good reading came long after the last one (a paused process or machine, or
   * readings that failed meanwhile); the energy between them is counted as a straight line
   * between the two, an estimate rather than a measurement.
   */
  | "long-bridge";

export const PROBLEM_KINDS: readonly ProblemKind[] = [
  "vanished",
  "unreadable",
  "malformed",
  "out-of-range",
  "driver-error",
  "ambiguous-wraps",
  "implausible-delta",
  "counter-reset",
  "long-bridge",
];

export interface ReadingProblem extends Failure<ProblemKind> {
  /** The device id. */
  readonly device: string;
  readonly fix?: string;
}

export function readingProblem(
  kind: ProblemKind,
  device: string,
  message: string,
  fix?: string,
): ReadingProblem {
  return fix === undefined
    ? failure(kind, message, { device })
    : failure(kind, message, { device, fix });
}

export type ProblemCounters = Record<ProblemKind, number>;

export function emptyProblemCounters(): ProblemCounters {
  return {
    vanished: 0,
    unreadable: 0,
    malformed: 0,
    "out-of-range": 0,
    "driver-error": 0,
    "ambiguous-wraps": 0,
    "implausible-delta": 0,
    "counter-reset": 0,
    "long-bridge": 0,
  };
}

/**
 * A reader's skip when the listing of its root stopped at `limit` entries (sysfs/io's
 * MAX_DIR_ENTRIES): what may be missing, and the root to check.
 */
export function rootListingCut(
  reader: ReaderId,
  root: string,
  limit: number,
  missing: string,
  rootKind: string,
): ReaderSkip {
  return readerSkip(
    reader,
    "malformed",
    `${root} holds more than ${limit} entries; only the first ${limit} were looked at, so ${missing} may be missing (is the ${rootKind} right?)`,
  );
}
