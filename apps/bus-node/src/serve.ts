import { PARTICIPANT_PROPERTIES } from "@wattprint/messages";
import {
  type BusPort,
  carbonFootprintNode,
  checkInterfaceOnThisMachine,
  createJsonLogger,
  createRtpsBus,
  explainBusOpenError,
  NodeRuntime,
  packageVersion,
  UsageError,
  warmUpCarbonNode,
} from "@wattprint/node";
import type { NodeAppIo } from "./io.ts";
import { HELP, parseNodeOptions } from "./options.ts";

/** Wiring only: flags and env in, the carbon node on an RTPS bus, signals to a graceful stop. */
export async function serve(argv: readonly string[], io: NodeAppIo): Promise<number> {
  let options: ReturnType<typeof parseNodeOptions>;
  try {
    options = parseNodeOptions(argv, io.env);
    // Before the warm-up: a mistyped address is refused at once, not after a second of work.
    if (options !== "help" && options !== "version") checkInterfaceOnThisMachine(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`wattprint-node: ${error.message} (see --help)\n`);
    return 2;
  }
  if (options === "help") {
    io.stdout(HELP);
    return 0;
  }
  if (options === "version") {
    const version = packageVersion(new URL("../package.json", import.meta.url));
    io.stdout(`${version.ok ? version.value : `unknown (${version.error.message})`}\n`);
    return 0;
  }
  // The warm-up's synthetic tasks log through this very logger, so V8 optimises the node's
  // logging as it will run; their records are held back, all but problems.
  let warmingUp = false;
  const logger = createJsonLogger({
    level: options.logLevel,
    write: (line, level) => {
      if (!warmingUp || level === "warn" || level === "error") io.stderr(line);
    },
  });
  for (const note of options.notes) logger.log("warn", note);
  const definition = carbonFootprintNode(options.settings);
  if (options.warmUpTasks > 0) {
    // Written before holding records back, so the write below has run once when V8 optimises.
    logger.log("info", "warming up", { tasks: options.warmUpTasks });
    warmingUp = true;
    try {
      const warmUp = await warmUpCarbonNode(definition, { tasks: options.warmUpTasks, logger });
      warmingUp = false;
      if (warmUp.ok) {
        logger.log("info", "warmed up", {
          tasks: warmUp.value.tasks,
          elapsedMs: Math.round(warmUp.value.elapsedMs),
          lostDatagrams: warmUp.value.lostDatagrams,
        });
      } else {
        // An optimisation, not a precondition: the node still serves, only its first tasks slower.
        logger.log("warn", "warm-up skipped", { reason: warmUp.error.message });
      }
    } catch (error) {
      // A bug in the warm-up, not in the node's task path (that one answers with a value):
      // report it, and serve cold rather than not at all.
      warmingUp = false;
      logger.log("error", "warm-up crashed, please report it", {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  }
  let bus: BusPort;
  try {
    bus = await createRtpsBus({
      participantName: definition.nodeName,
      domainId: options.domainId,
      interfaceAddress: options.interfaceAddress,
      properties: PARTICIPANT_PROPERTIES,
      logger,
      peerLimits: options.peerLimits,
    });
  } catch (error) {
    // The machine refused the sockets (ports taken, permissions): one log line, exit 1.
    const reason = explainBusOpenError(error);
    if (reason === undefined) throw error;
    logger.log("error", "cannot join the bus", { reason });
    return 1;
  }
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
  io.onStopSignal((signal) => void runtime.stop(signal));
  await runtime.stopped;
  return 0;
}
