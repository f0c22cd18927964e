import { hardwareSource, searchHardware } from "@wattprint/core";
import { parseCommandArgs, parseNumberFlag } from "../args.ts";
import type { CliIo } from "../io.ts";
import { renderTable } from "../render/table.ts";
import { EXIT_OK } from "../usage-error.ts";

const HELP = `usage: wattprint hardware [query] [--limit N] [--json]

Lists the hardware power profiles (CPUs and accelerators) with their rated power and the
vendor publication each figure comes from. The query matches names and aliases.
`;

export function runHardware(argv: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs("hardware", argv, {
    limit: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const limit = parseNumberFlag("hardware", "limit", values.limit, { min: 1, integer: true });
  const query = positionals.join(" ");
  const profiles = searchHardware(query, limit);
  if (values.json) {
    io.stdout(`${JSON.stringify(profiles, null, 2)}\n`);
    return EXIT_OK;
  }
  if (profiles.length === 0) {
    io.stdout(`no hardware matches "${query}"\n`);
    return EXIT_OK;
  }
  const rows = profiles.map((profile) => [
    profile.name,
    profile.kind,
    `${profile.tdpW} W`,
    profile.basis,
    hardwareSource(profile.sourceId)?.title ?? profile.sourceId,
  ]);
  io.stdout(`${renderTable(["name", "kind", "power", "basis", "source"], rows)}\n`);
  return EXIT_OK;
}
