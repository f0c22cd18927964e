/**
 * The epochs' accounting: an epoch closed into the run's ledger and the standard log, and the
 * epoch the run is monitored until. Apart from `epochs.ts` because the end of the run
 * (`run-end.ts`) closes an epoch still running too, and `epochEnd()` stops the run: each
 * imports this, and neither the other's way round.
 */
import type { MeterReading } from "@wattprint/power";
import { addLedger, componentWatts, type Ledger } from "./figures.ts";
import { epochRecord } from "./log-records.ts";
import type { ResolvedTrackerOptions } from "./options.ts";
import type { Session } from "./session.ts";
import { addUncounted, span } from "./spans.ts";
import type { TrackerCore } from "./tracker-core.ts";

/**
 * Ends the running epoch: its energy into the run, its record into the standard log. The
 * epoch leaves `epochBegin` at once (a second `epochEnd()` must not close it again) but is
 * only counted after two awaits; `closing` is what `finish()` waits on in between, or a
 * `stop()` arriving then would see no epoch running, miss this one and write a false early
 * stop to logs it then closes under the epoch's record.
 */
export function closeEpoch(
  core: TrackerCore,
  session: Session,
  begin: Promise<MeterReading>,
): Promise<Ledger> {
  core.epochBegin = null;
  const closing = countEpoch(core, session, begin);
  core.closing = closing;
  return closing;
}

async function countEpoch(
  core: TrackerCore,
  session: Session,
  begin: Promise<MeterReading>,
): Promise<Ledger> {
  const earlier = await begin;
  const later = await core.sample(session);
  const ledger = span(session, earlier, later);
  addLedger(core.run, ledger);
  core.runUncountedS = addUncounted(core.runUncountedS, session, earlier, later);
  core.epochsCompleted++;
  writeEpoch(core, session, ledger);
  return ledger;
}

/** An epoch's record in the standard log; a notice when it was too short to measure. */
export function writeEpoch(core: TrackerCore, session: Session, ledger: Ledger): void {
  const byComponent = componentWatts(session.devices, ledger);
  if ([...byComponent.values()].some((w) => w === null)) {
    core.warn("notice", "Epoch duration is too short for a measurement to be collected.");
  }
  if (session.writer === null) return;
  const written = session.writer.epochEnd(epochRecord(ledger, byComponent));
  if (!written.ok) core.logFailed(written.error);
}

/** The epoch at which the run stops with its actual consumption: `monitorEpochs`, else `epochs`. */
export function monitorTarget(core: TrackerCore): number | null {
  const o = core.options as ResolvedTrackerOptions;
  if (o.monitorEpochs > 0) return o.monitorEpochs;
  return o.epochs ?? null;
}
