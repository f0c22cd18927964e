import { formatQuantity, searchZones } from "@wattprint/core";
import { parseCommandArgs, parseNumberFlag } from "../args.ts";
import type { CliIo } from "../io.ts";
import { renderTable } from "../render/table.ts";
import { EXIT_OK } from "../usage-error.ts";

const HELP = `usage: wattprint zones [query] [--limit N] [--json]

Lists grid zones (countries, sub-national zones, continents, World) with their embedded
annual carbon intensity, its year and its source. The query matches codes and names.
`;

export function runZones(argv: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs("zones", argv, {
    limit: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const limit = parseNumberFlag("zones", "limit", values.limit, { min: 1, integer: true });
  const query = positionals.join(" ");
  const zones = searchZones(query, limit);
  if (values.json) {
    io.stdout(`${JSON.stringify(zones, null, 2)}\n`);
    return EXIT_OK;
  }
  if (zones.length === 0) {
    io.stdout(`no zone matches "${query}"; try a country name, an ISO code or a continent\n`);
    return EXIT_OK;
  }
  const rows = zones.map((zone) => [
    zone.code,
    zone.name,
    zone.level,
    formatQuantity(zone.intensity),
    String(zone.year),
    zone.source.id,
  ]);
  io.stdout(`${renderTable(["code", "name", "level", "intensity", "year", "source"], rows)}\n`);
  return EXIT_OK;
}
