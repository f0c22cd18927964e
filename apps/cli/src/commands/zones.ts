import {
  formatNumber,
  formatQuantity,
  resolveLocation,
  searchZones,
  type ZoneEntry,
} from "@wattprint/core";
import type { CliIo } from "../io.ts";
import { runSearchCommand, type SearchCommand } from "../render/search-command.ts";

/** "Texas, 90 % of load, used for Texas" for a zone found through a US state. */
function servesText(zone: ZoneEntry): string {
  if (zone.serves === undefined) return "";
  const { state, share, primary } = zone.serves;
  const part = share === undefined ? "" : `, ${formatNumber(share * 100)} % of load`;
  return `${state}${part}${primary ? ", used for the state" : ""}`;
}

/** The value, and where it comes from when that is not the entry itself. */
function intensityText(zone: ZoneEntry): string {
  const value = formatQuantity(zone.intensity);
  return zone.valueLevel === undefined ? value : `${value} (${zone.valueLevel} value)`;
}

const ZONES: SearchCommand<ZoneEntry> = {
  name: "zones",
  what: "zone",
  help: `usage: wattprint zones [query] [--limit N] [--json]

Lists grid zones (countries, sub-national zones, continents, World) with their embedded
annual carbon intensity, its year and its source. A code lists what it names (US: the United
States and its zones); a US state name or code (Virginia, US-VA) lists the balancing areas
serving it, with the share of its load where the operator publishes one; otherwise names
and codes starting with the query come first, then those containing it.
`,
  search: (query, limit) => searchZones(query, limit),
  header: (results) => [
    "code",
    "name",
    "level",
    "intensity",
    "year",
    "source",
    ...(results.some((zone) => zone.serves !== undefined) ? ["serves"] : []),
  ],
  row: (zone, results) => [
    zone.code,
    zone.name,
    zone.level,
    intensityText(zone),
    String(zone.year),
    zone.source.id,
    ...(results.some((other) => other.serves !== undefined) ? [servesText(zone)] : []),
  ],
  footer: (query) => {
    const resolved = query.trim() === "" ? undefined : resolveLocation(query);
    return resolved?.ok === false && resolved.error.kind === "ambiguous-location"
      ? `note: as a --location, ${resolved.error.message}`
      : undefined;
  },
};

export function runZones(argv: readonly string[], io: CliIo): number {
  return runSearchCommand(ZONES, argv, io);
}
