import { formatQuantity, searchZones, type ZoneEntry } from "@wattprint/core";
import type { CliIo } from "../io.ts";
import { runSearchCommand, type SearchCommand } from "../render/search-command.ts";

const ZONES: SearchCommand<ZoneEntry> = {
  name: "zones",
  what: "zone",
  help: `usage: wattprint zones [query] [--limit N] [--json]

Lists grid zones (countries, sub-national zones, continents, World) with their embedded
annual carbon intensity, its year and its source. The query matches codes and names.
`,
  search: (query, limit) => searchZones(query, limit),
  header: ["code", "name", "level", "intensity", "year", "source"],
  row: (zone) => [
    zone.code,
    zone.name,
    zone.level,
    formatQuantity(zone.intensity),
    String(zone.year),
    zone.source.id,
  ],
};

export function runZones(argv: readonly string[], io: CliIo): number {
  return runSearchCommand(ZONES, argv, io);
}
