import { setTimeout as sleep } from "node:timers/promises";
import {
  type MeterReading,
  openPowerMeter,
  type PowerMeter,
  powerOptionsFromEnv,
} from "@wattprint/power";
import { commandFailure } from "../error-output.ts";
import type { CliIo } from "../io.ts";
import { jsonText } from "../render/json-text.ts";
import {
  jsonReplacer,
  renderDetect,
  renderWatchLine,
  renderWatchSummary,
  watchJson,
} from "../render/power-detect.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../usage-error.ts";
import { type DetectArgs, parseDetectArgs } from "./hardware-detect-args.ts";

export const DETECT_HELP = `usage: wattprint hardware detect [--components cpu,dram,gpu,psys|all] [--device ID]...
                                [--cpu NAME] [--no-model] [--watch [INTERVAL] [--count N]] [--json]

Lists every power source this machine has: each device, the reader that found it (rapl,
nvml, amdgpu, powermetrics, model), whether its figures are measured or modelled, the
assumptions behind a model, and why each other reader was skipped (no permission, no
driver, not Linux). A cpu or dram that nothing measures is modelled from the hardware
table and the OS load unless --no-model is given.

  --components LIST  only these components; one that is not there is an error
  --device ID        only devices with this id or name, or matching an id pattern (nvml:*)
  --cpu NAME         the CPU to model when the OS names it vaguely (e.g. "AMD EPYC 7763");
                     a name no CPU row of the hardware table matches is refused (exit 2)
  --watch [INTERVAL] print live power per component and device every INTERVAL (default 1s,
                     a bare number is seconds) until interrupted, then the energy used
  --count N          with --watch: stop after N readings
  --json             one JSON document (with --watch: one JSON line per reading)

Environment: WATTPRINT_POWERCAP_ROOT, WATTPRINT_HWMON_ROOT, WATTPRINT_PROC_ROOT,
WATTPRINT_NVML_LIBRARY, WATTPRINT_CPU_NAME; CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER
choose the GPUs as CUDA does.
`;

const COMMAND = "wattprint hardware detect";

export async function runHardwareDetect(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseDetectArgs(argv);
  if (args.help) {
    io.stdout(DETECT_HELP);
    return EXIT_OK;
  }
  const env = powerOptionsFromEnv(io.env);
  const opened = await openPowerMeter({
    ...env,
    components: args.components,
    devices: args.devices,
    fallback: args.fallback,
    ...(args.cpuName === undefined ? {} : { cpuName: args.cpuName }),
    gpuUtilisation: args.watchIntervalMs !== undefined,
    ...(args.watchIntervalMs === undefined ? {} : { sampleIntervalS: args.watchIntervalMs / 1000 }),
  });
  if (!opened.ok) {
    commandFailure(io, opened.error.kind, `${COMMAND}: ${opened.error.message}`);
    return opened.error.kind === "device-not-found" || opened.error.kind === "invalid-options"
      ? EXIT_USAGE
      : EXIT_FAILURE;
  }
  const meter = opened.value;
  try {
    if (args.watchIntervalMs === undefined) {
      const processes = await meter.gpuProcesses();
      io.stdout(
        args.json
          ? `${jsonText({ devices: meter.devices, skipped: meter.skipped, gpuProcesses: processes }, jsonReplacer, 2)}\n`
          : renderDetect(meter.devices, meter.skipped, processes),
      );
      return EXIT_OK;
    }
    await watch(meter, args, args.watchIntervalMs, io);
    return EXIT_OK;
  } finally {
    await meter.close();
  }
}

/** Prints a reading every interval until interrupted (io.onInterrupt) or `--count`, then the energy used. */
async function watch(
  meter: PowerMeter,
  args: DetectArgs,
  intervalMs: number,
  io: CliIo,
): Promise<void> {
  const stop = new AbortController();
  const unsubscribe = io.onInterrupt(() => stop.abort());
  try {
    const first = meter.latest();
    if (!args.json) {
      io.stdout(
        `watching ${meter.devices.length} device(s) every ${intervalMs} ms; Ctrl-C stops\n`,
      );
    }
    let last: MeterReading = first;
    for (let n = 0; args.count === undefined || n < args.count; n++) {
      try {
        await sleep(intervalMs, undefined, { signal: stop.signal });
      } catch {
        break;
      }
      last = await meter.sample();
      io.stdout(args.json ? `${jsonText(watchJson(last), jsonReplacer)}\n` : renderWatchLine(last));
    }
    if (args.json) {
      const seconds = (last.atMs - first.atMs) / 1000;
      io.stdout(
        `${jsonText(
          {
            summary: true,
            seconds,
            totalEnergyJ: last.totalEnergyJ - first.totalEnergyJ,
            components: last.components.map((c) => ({
              component: c.component,
              energyJ:
                c.energyJ -
                (first.components.find((f) => f.component === c.component)?.energyJ ?? 0),
              basis: c.basis,
              lowerBound: c.lowerBound,
            })),
          },
          jsonReplacer,
        )}\n`,
      );
    } else {
      io.stdout(renderWatchSummary(first, last));
    }
  } finally {
    unsubscribe();
  }
}
