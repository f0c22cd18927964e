import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { Provenance } from "../provenance.ts";
import { type Power, watts } from "../units/quantity.ts";
import { hardwareSource } from "./data/sources.ts";
import type { HardwareProfile, PowerBasis } from "./profile.ts";

/** A modelled power with the publication its rated figure came from. */
export interface PowerEstimate extends Power<"W"> {
  readonly provenance: Provenance;
}

export interface InvalidUtilisation extends Failure<"invalid-utilisation"> {
  readonly utilisation: number;
}

/**
 * Share of rated power drawn at zero load when the vendor publishes no idle figure. Same
 * floor as CodeCarbon's CPU load model, so the two tools agree on an idle machine.
 */
export const IDLE_FRACTION = 0.1;

const BASIS_WORDS: Readonly<Record<PowerBasis, string>> = {
  tdp: "TDP",
  "board-power": "maximum board power",
  "module-max": "maximum module power mode",
  "system-max": "maximum whole-system wall power",
  "chip-max": "maximum chip power",
  estimate: "estimated power (no vendor figure)",
};

/**
 * Power of one device at a utilisation in [0, 1].
 *
 * Linear in utilisation: `idle + (rated − idle)·u`, with `idle` the published idle figure or
 * else `IDLE_FRACTION × rated`. Linear, not CodeCarbon's cubic, because measured server
 * power rises roughly linearly with load (SPECpower_ssj2008 results; Barroso & Hölzle 2007):
 * at 50 % load the cubic curve gives 21 % of TDP where servers draw about half.
 * Without a utilisation the rated power is returned: an upper bound, never an underestimate.
 */
export function hardwarePower(
  profile: HardwareProfile,
  utilisation?: number,
): Result<PowerEstimate, InvalidUtilisation> {
  if (utilisation === undefined) {
    let rated = ratedPower.get(profile);
    if (rated === undefined) {
      const { source, rated: words, note } = ratedWords(profile);
      rated = ok({
        ...watts(profile.tdpW),
        provenance: { source, method: `${words} (no utilisation given)`, ...note },
      });
      ratedPower.set(profile, rated);
    }
    return rated;
  }
  const { source, rated, note } = ratedWords(profile);
  if (!Number.isFinite(utilisation) || utilisation < 0 || utilisation > 1) {
    const message = `utilisation ${utilisation} must be between 0 and 1 (0.8 for 80 % load)`;
    return err(failure("invalid-utilisation", message, { utilisation }));
  }
  const idle = profile.idleW ?? IDLE_FRACTION * profile.tdpW;
  const idleWords =
    profile.idleW === undefined
      ? `${IDLE_FRACTION * 100} % of rated at idle`
      : `published idle ${profile.idleW} W`;
  return ok({
    ...watts(idle + (profile.tdpW - idle) * utilisation),
    provenance: {
      source,
      method: `linear in utilisation ${utilisation} from ${idleWords} to ${rated}`,
      ...note,
    },
  });
}

/**
 * A row's rated power is the same answer every time (the rows never change in a process):
 * built once per row, as a service asks for the same few rows request after request.
 */
const ratedPower = new WeakMap<HardwareProfile, Result<PowerEstimate, never>>();

function ratedWords(profile: HardwareProfile) {
  const source = hardwareSource(profile.sourceId);
  // Every row's source is checked by the table test; a miss here is a programming error.
  if (source === undefined) throw new Error(`hardware row ${profile.id} has no source`);
  const rated = `${BASIS_WORDS[profile.basis]} ${profile.tdpW} W of ${profile.name}`;
  const note = profile.note === undefined ? {} : { note: profile.note };
  return { source, rated, note };
}
