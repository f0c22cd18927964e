import { type Failure, failure, type Result } from "@wattprint/result";
import type { SourceRef } from "../provenance.ts";
import type { CarbonIntensity } from "../units/quantity.ts";

export interface LiveIntensity {
  readonly zone: string;
  readonly intensity: CarbonIntensity;
  /** ISO 8601 instant the value describes (start of its interval). */
  readonly at: string;
  readonly providerId: string;
  readonly source: SourceRef;
  /** What the number measures, e.g. "lifecycle CO2eq" or "CO2 only"; providers differ. */
  readonly basis: string;
  /** True when the provider had no measured value and returned its own forecast. */
  readonly estimated: boolean;
}

export interface ForecastPoint {
  readonly at: string;
  readonly intensity: CarbonIntensity;
}

/**
 * Why a live provider gave no value. Every message starts `live provider <id> failed:`, the
 * words the live resolver's provenance note uses when it falls back to the embedded value.
 */
export type ProviderError =
  | (Failure<"unsupported-zone"> & { readonly providerId: string; readonly zone: string })
  | (Failure<"http"> & {
      readonly providerId: string;
      readonly status: number;
      readonly attempts: number;
      /** The start of the response body, or its status text when the body is empty. */
      readonly body: string;
    })
  | (Failure<"network"> & {
      readonly providerId: string;
      readonly attempts: number;
      readonly cause: string;
    })
  | (Failure<"timeout"> & { readonly providerId: string; readonly timeoutMs: number })
  | (Failure<"aborted"> & { readonly providerId: string })
  | (Failure<"bad-response"> & { readonly providerId: string; readonly cause: string })
  | (Failure<"no-data"> & { readonly providerId: string; readonly zone: string });

export type ProviderErrorKind = ProviderError["kind"];

const failed = (providerId: string, what: string): string =>
  `live provider ${providerId} failed: ${what}`;

/** The one way to build each ProviderError, so every one carries its message. */
export const providerErrors = {
  unsupportedZone: (providerId: string, zone: string): ProviderError =>
    failure("unsupported-zone", failed(providerId, `zone ${zone} not covered`), {
      providerId,
      zone,
    }),
  http: (providerId: string, status: number, attempts: number, body: string): ProviderError => {
    const fix = status === 401 || status === 403 ? " (check the API key)" : "";
    const what = `HTTP ${status} after ${attempts} attempt(s): ${body}${fix}`;
    return failure("http", failed(providerId, what), { providerId, status, attempts, body });
  },
  network: (providerId: string, attempts: number, cause: string): ProviderError =>
    failure("network", failed(providerId, `network error after ${attempts} attempt(s): ${cause}`), {
      providerId,
      attempts,
      cause,
    }),
  timeout: (providerId: string, timeoutMs: number): ProviderError =>
    failure("timeout", failed(providerId, `no answer within ${timeoutMs} ms`), {
      providerId,
      timeoutMs,
    }),
  aborted: (providerId: string): ProviderError =>
    failure("aborted", failed(providerId, "aborted by caller"), { providerId }),
  badResponse: (providerId: string, cause: string): ProviderError =>
    failure("bad-response", failed(providerId, `unexpected response: ${cause}`), {
      providerId,
      cause,
    }),
  noData: (providerId: string, zone: string): ProviderError =>
    failure("no-data", failed(providerId, `no data for zone ${zone}`), { providerId, zone }),
} as const;

/** A live source of grid intensity. Network I/O happens only inside these calls. */
export interface IntensityProvider {
  readonly id: string;
  readonly title: string;
  supports(zone: string): boolean;
  current(zone: string, signal?: AbortSignal): Promise<Result<LiveIntensity, ProviderError>>;
  forecast?(
    zone: string,
    hours: number,
    signal?: AbortSignal,
  ): Promise<Result<readonly ForecastPoint[], ProviderError>>;
}

export interface ProviderOptions {
  /** Root of the service; tests point it at a local fake. */
  readonly baseUrl?: string;
  readonly fetch?: typeof globalThis.fetch;
  /** Per attempt; a timed-out call is not retried, so this bounds the wait. Default 5000. */
  readonly timeoutMs?: number;
  /** Total attempts, at least 1; only 5xx and network failures are retried. Default 3. */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per retry. Default 250. */
  readonly backoffMs?: number;
  /** Clock for forecast windows; tests fix it. */
  readonly now?: () => Date;
}
