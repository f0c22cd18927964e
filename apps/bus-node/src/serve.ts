import { stat } from "node:fs/promises";
import { ModelMeasurer, simulatedDeviceOptions } from "@wattprint/measure";
import { PARTICIPANT_PROPERTIES } from "@wattprint/messages";
import {
  type BusPort,
  carbonFootprintNode,
  checkInterfaceOnThisMachine,
  createJsonLogger,
  createRtpsBus,
  explainBusOpenError,
  type Logger,
  NodeRuntime,
  packageVersion,
  UsageError,
  warmUpCarbonNode,
} from "@wattprint/node";
import { COUNTERS_LOG_INTERVAL_MS, changedCounters } from "./counters-line.ts";
import type { NodeAppIo } from "./io.ts";
import { HELP, type MeasureAppOptions, parseNodeOptions } from "./options.ts";

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
  const measurer = options.measure ? await openMeasurer(options.measure, logger) : undefined;
  if (typeof measurer === "string") {
    io.stderr(`wattprint-node: ${measurer} (see --help)\n`);
    return 2;
  }
  const definition = carbonFootprintNode(options.settings, measurer ? { measurer } : {});
  // Heard from here on: a signal during start-up (the warm-up alone may take 30 s) used to kill
  // the process outright, with no log line and the measurer's runner left to its watchdog.
  let stopRequested: "SIGINT" | "SIGTERM" | null = null;
  let stopRuntime: ((signal: "SIGINT" | "SIGTERM") => void) | null = null;
  const startUp = new AbortController();
  io.onStopSignal((signal) => {
    stopRequested = signal;
    startUp.abort();
    stopRuntime?.(signal);
  });
  if (options.warmUpTasks > 0) {
    // Written before holding records back, so the write below has run once when V8 optimises.
    logger.log("info", "warming up", { tasks: options.warmUpTasks });
    warmingUp = true;
    try {
      // The same code without the measurer: synthetic tasks must never run a model.
      const warmUpDefinition = carbonFootprintNode({ ...options.settings, mode: "estimate" });
      const warmUp = await warmUpCarbonNode(warmUpDefinition, {
        tasks: options.warmUpTasks,
        logger,
        signal: startUp.signal,
      });
      warmingUp = false;
      if (warmUp.ok) {
        logger.log("info", "warmed up", {
          tasks: warmUp.value.tasks,
          elapsedMs: Math.round(warmUp.value.elapsedMs),
          lostDatagrams: warmUp.value.lostDatagrams,
        });
      } else if (warmUp.error.kind !== "aborted") {
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
  if (stopRequested !== null) {
    logger.log("info", "stopped before joining the bus", { signal: stopRequested });
    await measurer?.close();
    return 0;
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
    await measurer?.close();
    return 1;
  }
  const runtime = await NodeRuntime.start(definition, {
    bus,
    logger,
    maxPendingPerInput: options.maxPendingPerInput,
    maxPendingAgeMs: options.maxPendingAgeMs,
    nodeCommands: options.nodeCommands,
    configuration: options.configuration,
  });
  logger.log("info", "listening", {
    bus: bus.describe(),
    latencyUnit: options.settings.latencyUnit,
    pue: options.settings.pue.value,
    gridIntensityOverride: options.settings.gridIntensityOverride ?? null,
    mode: options.settings.mode,
    nodeCommands: options.nodeCommands,
    configuration: options.configuration,
    measureSeconds: options.settings.measureSeconds,
    modelsDir: options.measure?.modelsDir ?? null,
  });
  // The counters while the node runs, the measurer's included, when they changed.
  let loggedCounters: string | undefined;
  const countersTimer = setInterval(() => {
    const snapshot = {
      counters: runtime.counters,
      ...(measurer ? { measurer: measurer.introspect() } : {}),
    };
    const text = changedCounters(loggedCounters, snapshot);
    if (text === undefined) return;
    loggedCounters = text;
    logger.log("info", "counters", snapshot);
  }, COUNTERS_LOG_INTERVAL_MS);
  countersTimer.unref();
  stopRuntime = (signal) => {
    void runtime.stop(signal);
    // A measurement in flight ends now, answered on the estimate path with the reason: a pass
    // may run for minutes, past a service manager's stop timeout. Tasks queued behind it are
    // estimated anyway once the node is stopping.
    void measurer?.close();
  };
  // A signal heard while the bus opened or the runtime started: stop now, gracefully.
  if (stopRequested !== null) stopRuntime(stopRequested);
  await runtime.stopped;
  clearInterval(countersTimer);
  await measurer?.close();
  return 0;
}

/**
 * Opens the measured path: the models folder (a folder that is not there is a usage error,
 * returned as its message: a typo must not make every task an estimate in silence) and the
 * power readers. A host with nothing to read still starts, and says so here and in every
 * measured task's extra_data.
 */
async function openMeasurer(
  options: MeasureAppOptions,
  logger: Logger,
): Promise<ModelMeasurer | string> {
  // A typo must not make every model_path an estimate in silence, as for --models-dir.
  if (options.modelPathRoot !== undefined) {
    const isFolder = await stat(options.modelPathRoot).then(
      (info) => info.isDirectory(),
      () => false,
    );
    if (!isFolder) {
      return `${options.modelPathRootFrom ?? "--model-path-root"}: ${options.modelPathRoot} is not a folder`;
    }
  }
  const opened = await ModelMeasurer.open({
    ...(options.modelsDir !== undefined ? { modelsDir: options.modelsDir } : {}),
    ...(options.modelPathRoot !== undefined ? { modelPathRoot: options.modelPathRoot } : {}),
    runner: {
      maxModels: options.maxModels,
      ...(options.maxRunnerBytes !== undefined ? { maxRssBytes: options.maxRunnerBytes } : {}),
    },
    tracker: simulatedDeviceOptions({ cpuW: options.simCpuWatts, gpuW: options.simGpuWatts }),
  });
  if (!opened.ok) return `${options.modelsDirFrom ?? "--models-dir"}: ${opened.error.message}`;
  const readiness = opened.value.readiness();
  if (readiness.ready) {
    logger.log("info", "measuring on", { devices: readiness.devices });
  } else {
    logger.log("warn", "nothing to measure on: every task will be estimated", {
      reason: readiness.reason,
    });
  }
  return opened.value;
}
