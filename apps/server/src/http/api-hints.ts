import {
  HARDWARE_HINT,
  INSTANCE_HINT,
  MACHINES_HINT,
  REGION_HINT,
  ZONES_HINT,
} from "@wattprint/core";

/**
 * The core's lookup messages end with the CLI's advice ("run `wattprint zones <query>` to list
 * zones"), written for the CLI's users; an API client has no CLI. Each exported hint becomes
 * this API's own route, or goes where the API has none (instances, regions).
 */
const REPLACEMENTS: readonly (readonly [string, string | undefined])[] = [
  [HARDWARE_HINT, "GET /v1/hardware?query=<name> searches the hardware table"],
  [ZONES_HINT, "GET /v1/zones?query=<name> lists zones"],
  [MACHINES_HINT, 'the "machine" member takes a preset such as dgx-h100'],
  [INSTANCE_HINT, undefined],
  [REGION_HINT, undefined],
];

/** A problem detail with the CLI's advice in it made this API's. */
export function forApiClients(detail: string): string {
  // Most details hold no hint: one test of the common word before any replacing.
  if (!detail.includes("wattprint")) return detail;
  let text = detail;
  for (const [hint, api] of REPLACEMENTS) {
    if (!text.includes(hint)) continue;
    text =
      api === undefined
        ? text.replaceAll(` (${hint})`, "").replaceAll(`; ${hint}`, "").replaceAll(hint, "")
        : text.replaceAll(hint, api);
  }
  return text;
}
