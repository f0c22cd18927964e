import type { Result } from "@wattprint/result";
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

export type ProviderError =
  | { readonly kind: "unsupported-zone"; readonly providerId: string; readonly zone: string }
  | {
      readonly kind: "http";
      readonly providerId: string;
      readonly status: number;
      readonly attempts: number;
      readonly message: string;
    }
  | {
      readonly kind: "network";
      readonly providerId: string;
      readonly attempts: number;
      readonly message: string;
    }
  | { readonly kind: "timeout"; readonly providerId: string; readonly timeoutMs: number }
  | { readonly kind: "aborted"; readonly providerId: string }
  | { readonly kind: "bad-response"; readonly providerId: string; readonly message: string }
  | { readonly kind: "no-data"; readonly providerId: string; readonly zone: string };

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

export function describeProviderError(error: ProviderError): string {
  switch (error.kind) {
    case "unsupported-zone":
      return `zone ${error.zone} not covered`;
    case "http":
      return `HTTP ${error.status} after ${error.attempts} attempt(s): ${error.message}`;
    case "network":
      return `network error after ${error.attempts} attempt(s): ${error.message}`;
    case "timeout":
      return `no answer within ${error.timeoutMs} ms`;
    case "aborted":
      return "aborted by caller";
    case "bad-response":
      return `unexpected response: ${error.message}`;
    case "no-data":
      return `no data for zone ${error.zone}`;
  }
}
