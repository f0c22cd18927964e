import {
  type CloudInstance,
  type HardwareProfile,
  hardwareSource,
  type MachinePreset,
  searchCloudInstances,
  searchHardware,
  searchMachines,
} from "@wattprint/core";
import type { CliIo } from "../io.ts";
import { INSTANCE_COLUMNS, MACHINE_COLUMNS, section } from "../render/catalogue-tables.ts";
import { runSearchCommand, type SearchCommand } from "../render/search-command.ts";
import { runHardwareDetect } from "./hardware-detect.ts";

const HARDWARE: SearchCommand<HardwareProfile> = {
  name: "hardware",
  what: "hardware",
  help: `usage: wattprint hardware [query] [--limit N] [--json]
       wattprint hardware machines [query] [--limit N] [--json]
       wattprint hardware instances [query] [--limit N] [--json]
       wattprint hardware detect [--watch [INTERVAL]] [--json]   (see wattprint hardware detect --help)

Lists the hardware power profiles (CPUs and accelerators) with their rated power and the
vendor publication each figure comes from, then the machine presets (--machine) and cloud
instance types (--instance) that match. The query matches names and aliases. --json prints
the power profiles; \`hardware machines --json\` and \`hardware instances --json\` the others.
--limit N cuts each table to N rows; a line on stderr counts the rows left out.
`,
  search: (query) => searchHardware(query),
  header: ["name", "kind", "power", "basis", "source"],
  row: (profile) => [
    profile.name,
    profile.kind,
    `${profile.tdpW} W`,
    profile.basis,
    hardwareSource(profile.sourceId)?.title ?? profile.sourceId,
  ],
  footer: (query) => ({
    notes: [],
    sections: [
      section(
        "machine presets (--machine)",
        "machine preset",
        MACHINE_COLUMNS,
        searchMachines(query),
      ),
      section(
        "cloud instances (--instance)",
        "cloud instance",
        INSTANCE_COLUMNS,
        searchCloudInstances(query),
      ),
    ],
  }),
};

const MACHINES: SearchCommand<MachinePreset> = {
  name: "hardware machines",
  what: "machine preset",
  help: `usage: wattprint hardware machines [query] [--limit N] [--json]

Lists the machine presets \`wattprint estimate --machine ID\` takes: each a bill of parts
(accelerators, CPUs, memory, the rest up to the spec sheet's maximum power) from the
vendor's spec sheet.
`,
  search: (query) => searchMachines(query),
  ...MACHINE_COLUMNS,
};

const INSTANCES: SearchCommand<CloudInstance> = {
  name: "hardware instances",
  what: "cloud instance",
  help: `usage: wattprint hardware instances [query] [--limit N] [--json]

Lists the cloud instance types \`wattprint estimate --instance TYPE\` takes (AWS, Google
Cloud, Azure): accelerators, vCPUs and the CPU they are a share of, memory, and the
provider's page each comes from. The query matches names, families, providers and parts.
`,
  search: (query) => searchCloudInstances(query),
  ...INSTANCE_COLUMNS,
};

export function runHardware(argv: readonly string[], io: CliIo): number | Promise<number> {
  if (argv[0] === "detect") return runHardwareDetect(argv.slice(1), io);
  if (argv[0] === "machines") return runSearchCommand(MACHINES, argv.slice(1), io);
  if (argv[0] === "instances") return runSearchCommand(INSTANCES, argv.slice(1), io);
  return runSearchCommand(HARDWARE, argv, io);
}
