import { splitCommand } from "./commands/track-args.ts";
import { jsonDiagnostics, reportFailure, wantsJson } from "./error-output.ts";
import type { CliIo } from "./io.ts";
import {
  cliVersion,
  helpRequest,
  isVersionRequest,
  unknownCommandMessage,
} from "./meta-commands.ts";
import {
  isMissingPackage,
  MEASURE_PACKAGE,
  MissingPackageError,
  type OptionalPackage,
} from "./optional-package.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "./usage-error.ts";

export type Command = (argv: readonly string[], io: CliIo) => Promise<number> | number;

/**
 * A command whose module is imported when it runs, not when the binary starts: each command
 * pulls in different packages (power loads systeminformation, bus the RTPS stack), and
 * `wattprint track -- true` has a startup budget (apps/cli/README.md). A command that needs
 * an `optional` package says how to install it when it is missing.
 */
function lazy(load: () => Promise<Command>, optional?: OptionalPackage): Command {
  return async (argv, io) => {
    let command: Command;
    try {
      command = await load();
    } catch (error) {
      if (optional !== undefined && isMissingPackage(error, optional.name)) {
        throw new MissingPackageError(optional);
      }
      throw error;
    }
    return command(argv, io);
  };
}

const COMMANDS: Readonly<Record<string, { run: Command; summary: string }>> = {
  estimate: {
    run: lazy(() => import("./commands/estimate.ts").then((m) => m.runEstimate)),
    summary: "energy and carbon of a workload on given hardware and grid",
  },
  zones: {
    run: lazy(() => import("./commands/zones.ts").then((m) => m.runZones)),
    summary: "search grid zones and their carbon intensity",
  },
  hardware: {
    run: lazy(() => import("./commands/hardware.ts").then((m) => m.runHardware)),
    summary: "search the hardware power profiles",
  },
  bus: {
    run: lazy(() => import("./commands/bus.ts").then((m) => m.runBus)),
    summary: "SustainML bus tools: send-task plays a minimal orchestrator",
  },
  logs: {
    run: lazy(() => import("./commands/logs.ts").then((m) => m.runLogs)),
    summary: "carbontracker logs: parse, aggregate, HTML report",
  },
  track: {
    run: lazy(() => import("./commands/track.ts").then((m) => m.runTrack)),
    summary: "run a command and measure its energy and carbon (wattprint track -- cmd ...)",
  },
  measure: {
    run: lazy(() => import("./commands/measure.ts").then((m) => m.runMeasure), MEASURE_PACKAGE),
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
    "usage: wattprint <command> [options]   (wattprint help <command> for its options)",
    "       wattprint --version",
    "",
    ...lines,
    "",
  ].join("\n");
}

/** Runs one command line and returns the exit code; never throws for a user mistake. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (isVersionRequest(argv)) {
    io.stdout(`${cliVersion()}\n`);
    return EXIT_OK;
  }
  const help = helpRequest(argv);
  const [name, ...rest] = help ? [help.name, ...help.rest] : argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  // The words after `track`'s own options are the command it runs: a `--json` there is that
  // command's (`python train.py --json`), and turned wattprint's stderr into JSON lines.
  const json = wantsJson(name === "track" ? splitCommand(rest).options : argv);
  const command = COMMANDS[name];
  // `--version extra` was "unknown command --version", as if --version were not a word here.
  if (!command && isVersionRequest([name])) {
    reportFailure(io, json, "usage-error", `wattprint: ${name} takes no arguments`);
    return EXIT_USAGE;
  }
  if (!command) {
    reportFailure(io, json, "unknown-command", unknownCommandMessage(name, Object.keys(COMMANDS)));
    return EXIT_USAGE;
  }
  const commandIo = json ? jsonDiagnostics(io) : undefined;
  try {
    return await command.run(rest, commandIo ?? io);
  } catch (error) {
    if (error instanceof UsageError) {
      reportFailure(io, json, "usage-error", `wattprint ${error.message}`);
      return EXIT_USAGE;
    }
    if (error instanceof MissingPackageError) {
      reportFailure(io, json, "missing-package", `wattprint ${name} ${error.message}`, {
        package: error.pkg.name,
      });
      return EXIT_FAILURE;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    reportFailure(
      io,
      json,
      "internal-error",
      `wattprint ${name}: internal error, please report it:\n${message}`,
    );
    return EXIT_FAILURE;
  } finally {
    commandIo?.flush();
  }
}
