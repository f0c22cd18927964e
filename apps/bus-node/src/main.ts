#!/usr/bin/env node
import { PARTICIPANT_PROPERTIES } from "@wattprint/messages";
import {
  carbonFootprintNode,
  createJsonLogger,
  createRtpsBus,
  NodeRuntime,
  warmUpCarbonNode,
} from "@wattprint/node";
import { HELP, OptionsError, parseNodeOptions } from "./options.ts";

/** Wiring only: flags and env in, the carbon node on an RTPS bus, signals to a graceful stop. */
async function main(): Promise<number> {
  let options: ReturnType<typeof parseNodeOptions>;
  try {
    options = parseNodeOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`wattprint-node: ${error.message} (see --help)\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  const logger = createJsonLogger({
    level: options.logLevel,
    write: (line) => process.stderr.write(line),
  });
  for (const note of options.notes) logger.log("warn", note);
  if (options.warmUpTasks > 0) {
    try {
      const report = await warmUpCarbonNode(options.settings, { tasks: options.warmUpTasks });
      logger.log("info", "warmed up", {
        tasks: report.tasks,
        elapsedMs: Math.round(report.elapsedMs),
      });
    } catch (error) {
      // An optimisation, not a precondition: the node still serves, only its first tasks slower.
      logger.log("warn", "warm-up skipped", {
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const definition = carbonFootprintNode(options.settings);
  const bus = await createRtpsBus({
    participantName: definition.nodeName,
    domainId: options.domainId,
    interfaceAddress: options.interfaceAddress,
    properties: PARTICIPANT_PROPERTIES,
    logger,
  });
  const runtime = await NodeRuntime.start(definition, {
    bus,
    logger,
    maxPendingPerInput: options.maxPendingPerInput,
    maxPendingAgeMs: options.maxPendingAgeMs,
  });
  logger.log("info", "listening", {
    bus: bus.describe(),
    latencyUnit: options.settings.latencyUnit,
    pue: options.settings.pue.value,
    gridIntensityOverride: options.settings.gridIntensityOverride ?? null,
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void runtime.stop(signal));
  }
  await runtime.stopped;
  return 0;
}

process.exitCode = await main();
