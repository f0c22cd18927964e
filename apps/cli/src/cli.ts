import { runBus } from "./commands/bus.ts";
import { runEstimate } from "./commands/estimate.ts";
import { runHardware } from "./commands/hardware.ts";
import { runLogs } from "./commands/logs.ts";
import { runMeasure } from "./commands/measure.ts";
import { runZones } from "./commands/zones.ts";
import type { CliIo } from "./io.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "./usage-error.ts";

export type Command = (argv: readonly string[], io: CliIo) => Promise<number> | number;

const COMMANDS: Readonly<Record<string, { run: Command; summary: string }>> = {
  estimate: {
    run: runEstimate,
    summary: "energy and carbon of a workload on given hardware and grid",
  },
  zones: { run: runZones, summary: "search grid zones and their carbon intensity" },
  hardware: { run: runHardware, summary: "search the hardware power profiles" },
  bus: { run: runBus, summary: "SustainML bus tools: send-task plays a minimal orchestrator" },
  logs: { run: runLogs, summary: "carbontracker logs: parse, aggregate, HTML report" },
  measure: {
    run: runMeasure,
    summary: "energy per inference of an ONNX model run on this machine",
  },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(10)} ${command.summary}`,
  );
  return [
    "wattprint: the carbon footprint of machine-learning work",
    "",
    "usage: wattprint <command> [options]   (wattprint <command> --help for its options)",
    "",
    ...lines,
    "",
  ].join("\n");
}

/** Runs one command line and returns the exit code; never throws for a user mistake. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(
      `wattprint: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")}\n`,
    );
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`wattprint ${error.message}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`wattprint ${name}: internal error, please report it:\n${message}\n`);
    return EXIT_FAILURE;
  }
}
