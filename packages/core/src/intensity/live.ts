import { ok, type Result } from "@wattprint/result";
import type { Provenance } from "../provenance.ts";
import {
  type GridIntensity,
  type GridIntensityOptions,
  type IntensityError,
  resolveGridIntensity,
  selectLocation,
} from "./grid-intensity.ts";
import type { IntensityProvider } from "./provider.ts";

export interface LiveGridIntensityOptions extends GridIntensityOptions {
  /** Without a provider this is resolveGridIntensity: no network. */
  readonly provider?: IntensityProvider;
  readonly signal?: AbortSignal;
}

/**
 * The full chain: override, live provider, then the embedded annual chain. A provider failure
 * is never an error for the caller: the embedded value comes back and its provenance says why.
 */
export async function resolveGridIntensityLive(
  options: LiveGridIntensityOptions,
): Promise<Result<GridIntensity, IntensityError>> {
  const { provider, signal, ...rest } = options;
  const embedded = resolveGridIntensity(rest);
  if (!embedded.ok || embedded.value.level === "override" || provider === undefined) {
    return embedded;
  }
  const location = selectLocation(rest);
  const zone = location.ok ? location.value?.zone : undefined;
  if (zone === undefined || !provider.supports(zone)) {
    return ok(
      withNote(
        embedded.value,
        `live provider ${provider.id} does not cover ${zone ?? "an unspecified location"}; embedded annual value used`,
      ),
    );
  }
  const live = await provider.current(zone, signal);
  if (!live.ok) {
    // The message reads "live provider <id> failed: <what>".
    return ok(withNote(embedded.value, `${live.error.message}; embedded annual value used`));
  }
  const { value } = live;
  const provenance: Provenance = {
    source: value.source,
    method: `live ${value.estimated ? "estimated " : ""}value at ${value.at} (${value.basis})`,
    note: `from ${provider.title}; embedded annual value would be ${embedded.value.intensity.value} g/kWh (${embedded.value.provenance.source.id})`,
  };
  return ok({
    zone,
    zoneName: embedded.value.zoneName,
    intensity: value.intensity,
    year: new Date(value.at).getUTCFullYear(),
    level: "live",
    provenance,
  });
}

function withNote(value: GridIntensity, note: string): GridIntensity {
  const previous = value.provenance.note;
  return {
    ...value,
    provenance: { ...value.provenance, note: previous ? `${previous}; ${note}` : note },
  };
}
