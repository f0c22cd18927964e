import {
  type CloudRegion,
  cloudRegions,
  formatNumber,
  formatQuantity,
  resolveLocation,
  searchCloudRegions,
  searchZones,
  type ZoneEntry,
} from "@wattprint/core";
import type { CliIo } from "../io.ts";
import { REGION_COLUMNS, section } from "../render/catalogue-tables.ts";
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

/**
 * The cloud regions to list with the zones found: those in one of the zones (so `zones US`
 * lists the US regions, not Australia's because "australia" contains "us"); when no zone
 * matched, a region named exactly, else the regions whose id or location match.
 */
function regionsFor(query: string, zones: readonly ZoneEntry[]): readonly CloudRegion[] {
  if (query.trim() === "") return cloudRegions;
  if (zones.length > 0) {
    const codes = new Set(zones.map((zone) => zone.code));
    return cloudRegions.filter((region) => codes.has(region.zone));
  }
  const id = query.trim().toLowerCase();
  const exact = cloudRegions.filter((region) => region.id.toLowerCase() === id);
  return exact.length > 0 ? exact : searchCloudRegions(query);
}

const ZONES: SearchCommand<ZoneEntry> = {
  name: "zones",
  what: "zone",
  help: `usage: wattprint zones [query] [--limit N] [--json]

Lists grid zones (countries, sub-national zones, continents, World) with their embedded
annual carbon intensity, its year and its source. A code lists what it names (US: the United
States and its zones); a US state name or code (Virginia, US-VA) lists the balancing areas
serving it, with the share of its load where the operator publishes one; otherwise names
and codes starting with the query come first, then those containing it. Cloud regions
(AWS, Google Cloud, Azure) whose id, location or zone match follow, with the zone each is
estimated in. --json prints the zones. --limit N cuts each table to N rows; a line on
stderr counts the rows left out.
`,
  search: (query) => searchZones(query),
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
  footer: (query, zones) => {
    const resolved = query.trim() === "" ? undefined : resolveLocation(query);
    return {
      notes:
        resolved?.ok === false && resolved.error.kind === "ambiguous-location"
          ? [`note: as a --location, ${resolved.error.message}`]
          : [],
      sections: [
        section(
          "cloud regions (--region)",
          "cloud region",
          REGION_COLUMNS,
          regionsFor(query, zones),
        ),
      ],
    };
  },
};

export function runZones(argv: readonly string[], io: CliIo): number {
  return runSearchCommand(ZONES, argv, io);
}
