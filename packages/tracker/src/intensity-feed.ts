import {
  type GridIntensity,
  type IntensityProvider,
  type LiveIntensity,
  type Provenance,
  providerErrors,
  resolveGridIntensity,
  sourceOf,
} from "@wattprint/core";
import { err, failure, ok, type Result } from "@wattprint/result";
import { callWithDeadline, INTENSITY_CALL_DEADLINE_MS } from "./deadline.ts";
import {
  LOCATION_ENV,
  type TrackerClock,
  type TrackerFailure,
  type TrackerWarningKind,
} from "./options.ts";
import { type ForecastValue, predictedIntensity } from "./predicted-intensity.ts";
import type { IntensityResult } from "./result.ts";

/** Values kept for the result and the log's intensities line; the mean counts them all. */
export const MAX_INTENSITY_VALUES = 10_000;

type Level = IntensityResult["level"];

/** What a grid's intensity can be: a finite number of g/kWh, not below zero. */
function isIntensity(gPerKWh: number): boolean {
  return Number.isFinite(gPerKWh) && gPerKWh >= 0;
}

export interface IntensityFeedOptions {
  readonly location: string | undefined;
  readonly locationFrom: IntensityResult["locationFrom"];
  readonly overrideGPerKWh: number | undefined;
  readonly provider: IntensityProvider | undefined;
  readonly clock: TrackerClock;
  readonly refreshS: number;
  /** A live value arrived (the standard log's "Carbon intensity fetched" line). */
  readonly onFetched: (gPerKWh: number, address: string) => void;
  readonly onWarning: (kind: TrackerWarningKind, message: string) => void;
}

interface Value {
  readonly at: string;
  readonly gPerKWh: number;
  readonly level: Level;
}

/**
 * The grid intensity over a run, as carbontracker keeps it: the embedded annual value for the
 * location, and with a live provider a fetch at start and every `refreshS` (900 s), keeping
 * only the successful ones. The CO2 of the run uses their mean, or the embedded value when
 * none succeeded. Never looks the location up from the network.
 */
export class IntensityFeed {
  readonly counters = { fetches: 0, failures: 0, overlapped: 0, dropped: 0 };
  /** Live values only: the embedded value is not a fetch (carbontracker keeps successes only). */
  private readonly values: Value[] = [];
  private liveSum = 0;
  private liveCount = 0;
  private latestLive: LiveIntensity | null = null;
  private timer: unknown = null;
  private inFlight: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private provider: IntensityProvider | undefined;

  private constructor(
    private readonly options: IntensityFeedOptions,
    private readonly embedded: GridIntensity,
    /** carbontracker's "detected location" address, e.g. "Denmark, DK"; "Unknown" without one. */
    readonly address: string,
  ) {
    this.provider = options.provider;
  }

  /** The notice of `open`, until `sayOpeningNotice` says it. */
  private openingNotice: string | undefined;

  /** Resolves the embedded value (no I/O); an unknown location is a failure naming it. */
  static open(options: IntensityFeedOptions): Result<IntensityFeed, TrackerFailure> {
    const resolved = resolveGridIntensity({
      ...(options.location === undefined ? {} : { location: options.location }),
      ...(options.overrideGPerKWh === undefined
        ? {}
        : { overrideGPerKWh: options.overrideGPerKWh }),
    });
    if (!resolved.ok) {
      // Named by what was wrong: the override only when it was the override, else wherever
      // the location came from (an override does not make a bad location the override's fault).
      const field =
        resolved.error.kind === "invalid-override"
          ? "intensityGPerKWh"
          : options.locationFrom === "env"
            ? `env.${LOCATION_ENV}`
            : "location";
      return err(failure("intensity", resolved.error.message, { field }));
    }
    const embedded = resolved.value;
    const address =
      options.location === undefined ? "Unknown" : `${embedded.zoneName}, ${embedded.zone}`;
    const feed = new IntensityFeed(options, embedded, address);
    // The provider is asked now, so that a broken one fails the intensity stage before any
    // device is opened; the notice itself waits for `sayOpeningNotice`.
    feed.openingNotice = feed.notice();
    return ok(feed);
  }

  /**
   * carbontracker's notice of where the intensity comes from, said once the session has found
   * devices to measure: said at open, it came before a failure that measured nothing.
   */
  sayOpeningNotice(): void {
    const notice = this.openingNotice;
    this.openingNotice = undefined;
    if (notice !== undefined) this.options.onWarning("notice", notice);
  }

  /** carbontracker's warnings about where the intensity comes from, said now. */
  private announce(): void {
    const notice = this.notice();
    if (notice !== undefined) this.options.onWarning("notice", notice);
  }

  /** Where the intensity comes from, when it is not a live provider's or an override. */
  private notice(): string | undefined {
    const { location } = this.options;
    const provider = this.provider;
    const value = this.embedded.intensity.value.toFixed(2);
    if (this.embedded.level === "override") return undefined;
    if (provider === undefined) {
      return location === undefined
        ? `No carbon intensity provider specified and no location given (option \`location\` or WATTPRINT_LOCATION). Using the world average carbon intensity for ${this.embedded.year}: ${value} gCO2eq/kWh.`
        : `No carbon intensity provider specified. Using average carbon intensity for ${this.embedded.zoneName} (${this.embedded.year}): ${value} gCO2eq/kWh.`;
    }
    if (!provider.supports(this.embedded.zone)) {
      return `The live provider ${provider.title} does not cover ${location === undefined ? "an unspecified location" : this.embedded.zone}. Using average carbon intensity for ${this.embedded.zoneName} (${this.embedded.year}): ${value} gCO2eq/kWh.`;
    }
    return undefined;
  }

  private get live(): IntensityProvider | undefined {
    const p = this.provider;
    return p !== undefined && this.embedded.level !== "override" && p.supports(this.embedded.zone)
      ? p
      : undefined;
  }

  /** Fetches now and then every `refreshS`; without a live provider there is nothing to do. */
  start(): void {
    if (this.live === undefined || this.timer !== null) return;
    this.fetch();
    this.timer = this.options.clock.setInterval(() => this.fetch(), this.options.refreshS * 1000);
  }

  /** Another provider from now on (new API keys): fetches at once, then every `refreshS`. */
  setProvider(provider: IntensityProvider | undefined): void {
    const running = this.timer !== null;
    if (this.timer !== null) this.options.clock.clearInterval(this.timer);
    this.timer = null;
    this.provider = provider;
    this.announce();
    if (running || provider !== undefined) this.start();
  }

  stop(): void {
    if (this.timer !== null) this.options.clock.clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
  }

  private fetch(): void {
    const provider = this.live;
    if (provider === undefined) return;
    if (this.inFlight !== null) {
      this.counters.overlapped++;
      return;
    }
    this.inFlight = this.fetchOnce(provider)
      .catch((error: unknown) => {
        // Only a throwing callback gets here; a timer's promise must never reject unobserved.
        this.counters.failures++;
        this.options.onWarning("intensity", `handling a fetched value failed: ${String(error)}`);
      })
      .finally(() => {
        this.inFlight = null;
      });
  }

  /** What the run's CO2 falls back on when a fetch fails, in words. */
  private fallback(): string {
    return this.liveCount > 0
      ? "the values fetched so far"
      : `the embedded annual value (${this.embedded.intensity.value.toFixed(2)} gCO2eq/kWh)`;
  }

  /** A provider's call, bounded by the tracker's own deadline (`callWithDeadline`). */
  private bounded<T>(call: (signal: AbortSignal) => Promise<T>) {
    return callWithDeadline(
      call,
      INTENSITY_CALL_DEADLINE_MS,
      this.options.clock,
      this.abort.signal,
    );
  }

  private async fetchOnce(provider: IntensityProvider): Promise<void> {
    let answer: Awaited<ReturnType<IntensityProvider["current"]>>;
    try {
      const raced = await this.bounded((signal) => provider.current(this.embedded.zone, signal));
      if (!raced.ok) {
        if (this.abort.signal.aborted) return;
        this.counters.failures++;
        this.options.onWarning(
          "intensity",
          `${provider.title} did not answer within ${raced.error.deadlineMs / 1000} s (the tracker's deadline for a provider's call; the call was aborted); the run's CO2 uses ${this.fallback()}`,
        );
        return;
      }
      answer = raced.value;
    } catch (error) {
      // A provider is a port: one that throws is treated like one that failed.
      answer = err(providerErrors.network(provider.id, 1, String(error)));
    }
    if (this.abort.signal.aborted) return;
    if (!answer.ok) {
      this.counters.failures++;
      this.options.onWarning(
        "intensity",
        `${answer.error.message}; the run's CO2 uses ${this.fallback()}`,
      );
      return;
    }
    const gPerKWh = answer.value.intensity.value;
    if (!isIntensity(gPerKWh)) {
      // An injected provider is a port too: a value no grid has would make the mean (and the
      // CO2) NaN or negative, which the log writer then refuses, so it is a failed fetch.
      this.counters.failures++;
      this.options.onWarning(
        "intensity",
        `${provider.title} returned ${gPerKWh} gCO2eq/kWh, not a number >= 0; the value is not used, and the run's CO2 uses ${this.fallback()}`,
      );
      return;
    }
    this.counters.fetches++;
    this.latestLive = answer.value;
    this.liveSum += gPerKWh;
    this.liveCount++;
    this.keep({ at: this.options.clock.now().toISOString(), gPerKWh, level: "live" });
    this.options.onFetched(gPerKWh, this.address);
  }

  private keep(value: Value): void {
    if (this.values.length < MAX_INTENSITY_VALUES) this.values.push(value);
    else this.counters.dropped++;
  }

  /**
   * Before reporting: carbontracker takes one fetch at reporting time when none succeeded
   * during the run; a fetch still running is waited for instead of starting another. Either
   * is bounded by `INTENSITY_CALL_DEADLINE_MS`, after which it is aborted and counted failed.
   */
  async settle(): Promise<void> {
    if (this.inFlight === null && this.liveCount === 0) this.fetch();
    await this.inFlight;
  }

  /** The mean of the successful live values, or the embedded value. */
  get meanGPerKWh(): number {
    return this.liveCount > 0 ? this.liveSum / this.liveCount : this.embedded.intensity.value;
  }

  /** Live values fetched so far (for the log's intensities line), oldest first. */
  fetchedValues(): number[] {
    return this.values.map((v) => v.gPerKWh);
  }

  /**
   * carbontracker's predicted intensity, as the prediction's `intensity` block (its values,
   * `f` among them, and a method giving the weights): the mean of the values fetched so far, plus one
   * value `f` for the predicted duration, plus `f` again for each 900 s of it. `f` is the
   * provider's forecast over that duration where it has one, else its latest value, else
   * the embedded value. The 900 s is carbontracker's fixed weight (a fetch's worth of time at
   * its refresh rate), not `refreshS`: a faster refresh fetches more values during the run,
   * it does not make the forecast count more against them.
   */
  async predicted(durationS: number): Promise<IntensityResult> {
    const f = await this.forecastFor(durationS);
    return predictedIntensity(
      this.result(),
      { sum: this.liveSum, count: this.liveCount, kept: [...this.values] },
      f,
      durationS,
      this.options.clock.now().toISOString(),
    );
  }

  /** `f` without a forecast: the latest value fetched, else the embedded value; `why` says why. */
  private withoutForecast(why: string): ForecastValue {
    const live = this.latestLive;
    if (live !== null) {
      const title = this.provider?.title ?? live.providerId;
      return {
        gPerKWh: live.intensity.value,
        level: "live",
        what: `the latest value fetched from ${title} (${why})`,
      };
    }
    const e = this.embedded;
    return {
      gPerKWh: e.intensity.value,
      level: e.level,
      what: `the embedded value for ${e.zoneName} (${e.provenance.method}; no live value was fetched${why === "" ? "" : `, and ${why}`})`,
    };
  }

  private async forecastFor(durationS: number): Promise<ForecastValue> {
    const provider = this.live;
    if (provider === undefined) return this.withoutForecast("");
    if (provider.forecast === undefined)
      return this.withoutForecast(`${provider.title} has no forecast`);
    const hours = Math.max(1, Math.ceil(durationS / 3600));
    const forecast = provider.forecast.bind(provider);
    try {
      const raced = await this.bounded((signal) => forecast(this.embedded.zone, hours, signal));
      if (!raced.ok) {
        this.options.onWarning(
          "intensity",
          `${provider.title}'s forecast did not answer within ${raced.error.deadlineMs / 1000} s (the tracker's deadline for a provider's call; the call was aborted); the prediction uses ${this.latestLive === null ? "the embedded annual value" : "the latest value fetched"} instead`,
        );
        return this.withoutForecast(`its forecast did not answer in time`);
      }
      const points = raced.value;
      if (points.ok && points.value.length > 0) {
        let sum = 0;
        for (const p of points.value) sum += p.intensity.value;
        const bad = points.value.find((p) => !isIntensity(p.intensity.value));
        if (bad === undefined) {
          return {
            gPerKWh: sum / points.value.length,
            level: "live",
            what: `the mean of ${points.value.length} forecast point(s) from ${provider.title} over the next ${hours} h`,
          };
        }
        this.options.onWarning(
          "intensity",
          `${provider.title}'s forecast holds ${bad.intensity.value} gCO2eq/kWh, not a number >= 0; the prediction uses ${this.latestLive === null ? "the embedded annual value" : "the latest value fetched"} instead`,
        );
        return this.withoutForecast("its forecast held a value no grid has");
      }
      if (!points.ok) {
        this.options.onWarning("intensity", points.error.message);
        return this.withoutForecast("its forecast failed");
      }
      return this.withoutForecast("its forecast was empty");
    } catch (error) {
      this.options.onWarning("intensity", `the forecast failed: ${String(error)}`);
      return this.withoutForecast("its forecast failed");
    }
  }

  result(): IntensityResult {
    const live = this.latestLive;
    const provenance: Provenance =
      live === null
        ? this.embedded.provenance
        : {
            source: live.source,
            method: `mean of ${this.liveCount} live value(s) fetched every ${this.options.refreshS} s (${live.basis})`,
            note: `latest at ${live.at}${live.estimated ? " (estimated by the provider)" : ""}; embedded annual value would be ${this.embedded.intensity.value} gCO2eq/kWh (${this.embedded.provenance.source.id})`,
          };
    const values =
      this.values.length > 0
        ? [...this.values]
        : [
            {
              at: this.options.clock.now().toISOString(),
              gPerKWh: this.embedded.intensity.value,
              level: this.embedded.level,
            },
          ];
    return {
      gPerKWh: this.meanGPerKWh,
      zone: this.embedded.zone,
      zoneName: this.embedded.zoneName,
      level: live === null ? this.embedded.level : "live",
      // A live value is of the year it was read in; an override (user-supplied) has no year.
      ...(live !== null
        ? { year: new Date(live.at).getUTCFullYear() }
        : this.embedded.year === undefined
          ? {}
          : { year: this.embedded.year }),
      locationFrom: this.options.locationFrom,
      source: sourceOf(provenance),
      values,
      valuesDropped: this.counters.dropped,
    };
  }
}
