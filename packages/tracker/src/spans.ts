/**
 * Pure: what the meter counted between two of its readings, per tracked device. Readings hold
 * every device the meter opened; a session's `index` says where each tracked one is.
 */
import type { MeterReading } from "@wattprint/power";
import type { Ledger } from "./figures.ts";
import type { Session } from "./session.ts";

/** The energy each tracked device used between two readings, and the seconds between them. */
export function span(session: Session, earlier: MeterReading, later: MeterReading): Ledger {
  const energyJ = new Float64Array(session.devices.length);
  for (let i = 0; i < energyJ.length; i++) {
    const at = session.index[i] as number;
    energyJ[i] = Math.max(
      0,
      (later.devices[at]?.energyJ ?? 0) - (earlier.devices[at]?.energyJ ?? 0),
    );
  }
  return { energyJ, seconds: Math.max(0, (later.atMs - earlier.atMs) / 1000) };
}

/**
 * Adds the seconds each device's meter could not count between two readings to the run's
 * (`runUncountedS`, added to in place); a fresh array when the session tracks a different
 * number of devices. The run's array, to keep.
 */
export function addUncounted(
  runUncountedS: Float64Array<ArrayBuffer>,
  session: Session,
  earlier: MeterReading,
  later: MeterReading,
): Float64Array<ArrayBuffer> {
  const run =
    runUncountedS.length === session.devices.length
      ? runUncountedS
      : new Float64Array(session.devices.length);
  for (let i = 0; i < run.length; i++) {
    const at = session.index[i] as number;
    const gap = (later.devices[at]?.uncountedS ?? 0) - (earlier.devices[at]?.uncountedS ?? 0);
    run[i] = (run[i] as number) + Math.max(0, gap);
  }
  return run;
}
