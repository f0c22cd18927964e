/**
 * `live()`'s snapshot: the run so far as a status line shows it, from the latest sample. Pure:
 * the tracker gives it the session, the latest reading and the span since the run's first.
 */
import type { MeterReading } from "@wattprint/power";
import { basisOf, energyFigures, type Ledger, totalJ } from "./figures.ts";
import type { Session } from "./session.ts";
import type { TrackerSnapshot } from "./types.ts";

/** The snapshot of `span` (the run so far), with the power of the `latest` reading. */
export function liveSnapshot(
  session: Session,
  latest: MeterReading,
  span: Ledger,
  pue: number,
  samples: number,
): TrackerSnapshot {
  const powerW: Partial<Record<"gpu" | "cpu", number>> = {};
  session.devices.forEach((d, i) => {
    const w = latest.devices[session.index[i] as number]?.watts ?? Number.NaN;
    if (!Number.isNaN(w)) powerW[d.component] = (powerW[d.component] ?? 0) + w;
  });
  const energy = energyFigures(totalJ(span), pue);
  return {
    elapsedS: span.seconds,
    powerW,
    energyJ: energy.itJ,
    totalKWh: energy.totalKWh,
    co2G: energy.totalKWh * session.feed.meanGPerKWh,
    basis: basisOf(session.devices.map((d) => d.device.basis)),
    samples,
  };
}
