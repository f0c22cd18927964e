import { EEA_NEW_CAR_2024 } from "@wattprint/core/equivalents";
import { fixedDecimal } from "../format/numbers.ts";
import { CAR_KM_UNIT, carKm } from "../format/records.ts";
import { MAX_EQUIVALENT_UNIT_CHARS } from "../parse/output-log.ts";
import { excerpt } from "../parse/power-values.ts";
import type { AggregateTuple, ConsumptionRecord, ParsedLogPair } from "../parse/schemas.ts";

/**
 * Distinct equivalent units a folder's totals hold besides carbontracker's car-km, which is
 * always kept (it is the one every run gets). carbontracker writes one unit; each unit holds
 * a sum, so without a cap the totals grew with every new unit of a folder.
 */
export const MAX_AGGREGATE_EQUIVALENT_UNITS = 256;
/** Equivalents the sentence prints; the rest are counted in it, and all are in the totals. */
export const MAX_SENTENCE_EQUIVALENTS = 16;

/** Which record of a run counts, and why. */
export interface SelectedConsumption {
  readonly record: ConsumptionRecord;
  readonly used: "actual" | "pred";
}

/**
 * carbontracker's rule: whichever of actual and predicted exists; with both, the actual when
 * training stopped early or when it covers the predicted epochs, else the prediction (the
 * run was monitored for fewer epochs than it trained). With the epoch count read correctly,
 * a completed run counts its actual consumption, not its prediction.
 */
export function selectConsumption(pair: ParsedLogPair): SelectedConsumption | null {
  const { actual, pred } = pair;
  if (actual === null && pred === null) return null;
  if (actual === null) return pred === null ? null : { record: pred, used: "pred" };
  if (pred === null) return { record: actual, used: "actual" };
  return pair.early_stop || actual.epochs === pred.epochs
    ? { record: actual, used: "actual" }
    : { record: pred, used: "pred" };
}

/** Neumaier's compensated sum: the total does not depend on the order the folder lists files in. */
class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(value: number): void {
    const t = this.sum + value;
    this.compensation +=
      Math.abs(this.sum) >= Math.abs(value) ? this.sum - t + value : value - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

export interface AggregateTotals {
  /** PUE included, as in the records. */
  readonly energyKWh: number;
  readonly co2eqG: number;
  /** Per unit; see `AggregateAccumulator.add` for runs whose record has none. */
  readonly equivalents: Readonly<Record<string, number>>;
  /** Runs whose actual or predicted consumption was counted. */
  readonly runsCounted: number;
  /** Runs with neither record (still running, or crashed before its first). */
  readonly runsWithoutConsumption: number;
  /** Runs whose CO2 was `nan`: their energy counts, their CO2 cannot. */
  readonly runsWithUnknownCo2: number;
  /**
   * Runs whose record had no equivalents (`interpretable=False`, or none with a value):
   * computed from their CO2.
   */
  readonly runsWithComputedEquivalents: number;
  /**
   * Equivalents (one unit of one run each) left out of `equivalents`: their unit was new once
   * the totals held `MAX_AGGREGATE_EQUIVALENT_UNITS` units, or longer than
   * `MAX_EQUIVALENT_UNIT_CHARS` (a record the parser did not make).
   */
  readonly equivalentUnitsDropped: number;
}

/** Adds runs one at a time, holding only the totals. */
export class AggregateAccumulator {
  private readonly energy = new CompensatedSum();
  private readonly co2 = new CompensatedSum();
  private readonly equivalents = new Map<string, CompensatedSum>();
  private runsCounted = 0;
  private runsWithoutConsumption = 0;
  private runsWithUnknownCo2 = 0;
  private runsWithComputedEquivalents = 0;
  private equivalentUnitsDropped = 0;

  /**
   * Counts one run and returns the record it used. A record without equivalents gets the
   * car-km figure computed from its CO2 (EEA 2024, 106.8 g/km), so the total's equivalent
   * covers every run counted; logged equivalents are summed as written.
   */
  add(pair: ParsedLogPair): SelectedConsumption | null {
    const selected = selectConsumption(pair);
    if (selected === null) {
      this.runsWithoutConsumption++;
      return null;
    }
    const { record } = selected;
    this.runsCounted++;
    this.energy.add(record["energy (kWh)"]);
    const grams = record["co2eq (g)"];
    if (grams === null) {
      this.runsWithUnknownCo2++;
      return selected;
    }
    this.co2.add(grams);
    const logged = record.equivalents === null ? [] : Object.entries(record.equivalents);
    if (logged.length === 0) {
      // No equivalent to sum (none written, or only `nan` ones): the run still counts in
      // the car-km total, computed.
      this.runsWithComputedEquivalents++;
      this.addEquivalent(CAR_KM_UNIT, carKm(grams, record["energy (kWh)"]));
    } else {
      for (const [unit, value] of logged) this.addEquivalent(unit, value);
    }
    return selected;
  }

  totals(): AggregateTotals {
    const equivalents: Record<string, number> = {};
    for (const [unit, sum] of this.equivalents) equivalents[unit] = sum.value;
    return {
      energyKWh: this.energy.value,
      co2eqG: this.co2.value,
      equivalents,
      runsCounted: this.runsCounted,
      runsWithoutConsumption: this.runsWithoutConsumption,
      runsWithUnknownCo2: this.runsWithUnknownCo2,
      runsWithComputedEquivalents: this.runsWithComputedEquivalents,
      equivalentUnitsDropped: this.equivalentUnitsDropped,
    };
  }

  private addEquivalent(unit: string, value: number): void {
    let sum = this.equivalents.get(unit);
    if (sum === undefined) {
      const full =
        unit !== CAR_KM_UNIT &&
        this.equivalents.size - (this.equivalents.has(CAR_KM_UNIT) ? 1 : 0) >=
          MAX_AGGREGATE_EQUIVALENT_UNITS;
      if (full || unit.length > MAX_EQUIVALENT_UNIT_CHARS) {
        this.equivalentUnitsDropped++;
        return;
      }
      sum = new CompensatedSum();
      this.equivalents.set(unit, sum);
    }
    sum.add(value);
  }
}

/** `[kWh, g, equivalents]`, the shape of carbontracker's `aggregate_consumption`. */
export function aggregateTuple(totals: AggregateTotals): AggregateTuple {
  return [totals.energyKWh, totals.co2eqG, { ...totals.equivalents }];
}

/**
 * carbontracker's sentence for a paper, 16 decimals as in 2.4 (kg, not g), the equivalents
 * joined by " or ", and its citation line (`attribution`, carbontracker's by default). Bounded whatever the totals hold (they
 * may be a caller's): at most `MAX_SENTENCE_EQUIVALENTS` equivalents, then how many more
 * there are; a unit longer than `MAX_EQUIVALENT_UNIT_CHARS` is cut to its first 57
 * characters. Unbounded, ten runs of 64 units of 1 MB made a sentence past V8's longest
 * string, and it threw.
 */
export function aggregateSentence(
  totals: AggregateTotals,
  attribution: string = CARBONTRACKER_ATTRIBUTION,
): string {
  const units = Object.keys(totals.equivalents);
  const more = units.length - MAX_SENTENCE_EQUIVALENTS;
  const equivalents =
    units
      .slice(0, MAX_SENTENCE_EQUIVALENTS)
      .map((unit) => {
        const shown = unit.length > MAX_EQUIVALENT_UNIT_CHARS ? excerpt(unit) : unit;
        return `${fixedDecimal(totals.equivalents[unit] ?? Number.NaN, 16)} ${shown}`;
      })
      .join(" or ") + (more > 0 ? ` (and ${more} more, not printed)` : "");
  return (
    `The training of models in this work is estimated to use ${fixedDecimal(totals.energyKWh, 16)} kWh of electricity ` +
    `contributing to ${fixedDecimal(totals.co2eqG / 1000, 16)} kg of CO2eq. ` +
    (equivalents === "" ? "" : `This is equivalent to ${equivalents}. `) +
    attribution
  );
}

/**
 * What the totals' car-km rests on when some runs' logs hold no equivalent: theirs is
 * computed here from their CO2eq, and a reader of the sentence must be told at what rate and
 * from which source (the logs' own rate may have been another: carbontracker 2.3 wrote its
 * own). Undefined when every run's equivalents came from its log.
 */
export function computedEquivalentsNote(totals: AggregateTotals): string | undefined {
  const runs = totals.runsWithComputedEquivalents;
  if (runs === 0) return undefined;
  return `${runs} of ${totals.runsCounted} run(s) hold no equivalent in their logs: their ${CAR_KM_UNIT} is computed from their CO2eq by wattprint, after ${EEA_NEW_CAR_2024.title} (${EEA_NEW_CAR_2024.url}).`;
}

/** carbontracker's citation line, which `printAggregate` keeps as carbontracker prints it. */
export const CARBONTRACKER_ATTRIBUTION =
  "Measured by carbontracker (https://github.com/lfwa/carbontracker).";

/**
 * What a reader of any folder can say truthfully: it cannot tell carbontracker's logs from
 * wattprint's, which write the same format, so it names neither as the measurer.
 */
export const FORMAT_ATTRIBUTION =
  "Read from logs in carbontracker's format (https://github.com/lfwa/carbontracker); each standard log's first line says what wrote it.";
