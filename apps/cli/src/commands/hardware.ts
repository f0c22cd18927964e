import { type HardwareProfile, hardwareSource, searchHardware } from "@wattprint/core";
import type { CliIo } from "../io.ts";
import { runSearchCommand, type SearchCommand } from "../render/search-command.ts";
import { runHardwareDetect } from "./hardware-detect.ts";

const HARDWARE: SearchCommand<HardwareProfile> = {
  name: "hardware",
  what: "hardware",
  help: `usage: wattprint hardware [query] [--limit N] [--json]
       wattprint hardware detect [--watch [INTERVAL]] [--json]   (see wattprint hardware detect --help)

Lists the hardware power profiles (CPUs and accelerators) with their rated power and the
vendor publication each figure comes from. The query matches names and aliases.
`,
  search: (query, limit) => searchHardware(query, limit),
  header: ["name", "kind", "power", "basis", "source"],
  row: (profile) => [
    profile.name,
    profile.kind,
    `${profile.tdpW} W`,
    profile.basis,
    hardwareSource(profile.sourceId)?.title ?? profile.sourceId,
  ],
};

export function runHardware(argv: readonly string[], io: CliIo): number | Promise<number> {
  if (argv[0] === "detect") return runHardwareDetect(argv.slice(1), io);
  return runSearchCommand(HARDWARE, argv, io);
}
