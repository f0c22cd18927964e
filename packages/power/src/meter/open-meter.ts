import { err, failure, ok, type Result } from "@wattprint/result";
import { AmdgpuSource } from "../amdgpu/amdgpu-source.ts";
import { PowermetricsSource } from "../apple/powermetrics-source.ts";
import { monotonicMs } from "../clock.ts";
import { COMPONENTS, type Component, type PowerDevice } from "../device.ts";
import { type ReaderSkip, readerSkip } from "../failures.ts";
import { ModelSource } from "../model/model-source.ts";
import { NvmlSource } from "../nvml/nvml-source.ts";
import { RaplSource } from "../rapl/rapl-source.ts";
import { SimulatedSource } from "../simulated.ts";
import type { PowerSource } from "../source.ts";
import { readThread } from "../sysfs/read-thread.ts";
import { DeviceAccumulator } from "./accumulator.ts";
import { closeSources, type Picks, PowerMeter } from "./meter.ts";
import {
  invalidOptions,
  type MeterError,
  type MeterOptions,
  meterOptionsSchema,
} from "./options.ts";
import { deviceMatches, READERS_OF } from "./select.ts";

/**
 * Detects what this machine can measure and opens a meter over it. `components` (default
 * `all`) and `devices` choose what to meter; a named component no reader provides, or a
 * device filter that matches nothing, is an error naming it, with why each reader was skipped.
 * Never throws for a machine's state; never exits the process.
 */
export async function openPowerMeter(
  options: MeterOptions = {},
): Promise<Result<PowerMeter, MeterError>> {
  const { inject, components, ...data } = options;
  const parsed = meterOptionsSchema.safeParse({
    ...data,
    ...(components === undefined
      ? {}
      : { components: typeof components === "string" ? [components] : components }),
  });
  if (!parsed.success) return err(invalidOptions(parsed.error));
  const requested =
    options.components === undefined
      ? ["all"]
      : typeof options.components === "string"
        ? [options.components]
        : [...options.components];
  const all = requested.includes("all");
  const wanted = new Set<Component>(all ? COMPONENTS : (requested as Component[]));

  if (options.readDeadlineMs !== undefined) readThread.setRoundDeadline(options.readDeadlineMs);
  const sources = buildSources(options, wanted);
  const startedAtMs = monotonicMs();
  const detections = await Promise.all(sources.map((s) => s.detect()));
  const found = sources.map((source, i) => ({
    source,
    detection: detections[i] as Awaited<ReturnType<PowerSource["detect"]>>,
  }));
  const skipped: ReaderSkip[] = detections.flatMap((d) => d.skipped);

  const has = (kind: Component) =>
    found.some((f) => f.detection.devices.some((d) => d.kind === kind));
  const fallback = options.fallback ?? "model";
  if (fallback === "model" && options.simulated === undefined) {
    const onApple = found.some(
      (f) => f.source.reader === "powermetrics" && f.detection.devices.length > 0,
    );
    const needCpu = wanted.has("cpu") && !has("cpu");
    const needDram = wanted.has("dram") && !has("dram") && !onApple;
    if (onApple && wanted.has("dram") && !has("dram")) {
      skipped.push(
        readerSkip(
          "model",
          "not-supported",
          "dram: Apple Silicon's memory sits in the package; powermetrics reports no memory figure and the DIMM model does not apply",
        ),
      );
    }
    if (needCpu || needDram) {
      const model = new ModelSource({
        cpu: needCpu,
        dram: needDram,
        ...(options.inject?.facts === undefined ? {} : { facts: options.inject.facts }),
        ...(options.cpuName === undefined ? {} : { cpuName: options.cpuName }),
        ...(options.procRoot === undefined ? {} : { procRoot: options.procRoot }),
        ...(options.inject?.io === undefined ? {} : { io: options.inject.io }),
        ...(options.platform === undefined ? {} : { platform: options.platform }),
      });
      const detection = await model.detect();
      found.push({ source: model, detection });
    }
  }

  const closeAll = () => closeSources(found.map((f) => f.source));
  const candidates = found.flatMap((f) => f.detection.devices.filter((d) => wanted.has(d.kind)));
  const filters = options.devices ?? [];
  for (const filter of filters) {
    if (!candidates.some((d) => deviceMatches(filter, d))) {
      await closeAll();
      const ids = candidates.map((d) => d.id);
      return err(
        failure(
          "device-not-found",
          `no device matches "${filter}"${ids.length === 0 ? " (no device was found at all)" : `; devices found: ${ids.join(", ")}`}. Use an id or name from \`wattprint hardware detect\`, or a pattern such as "nvml:*".`,
          { field: filter, suggestions: ids, skipped: skipped.map((s) => s.message) },
        ),
      );
    }
  }
  const keep = (d: PowerDevice) =>
    wanted.has(d.kind) && (filters.length === 0 || filters.some((f) => deviceMatches(f, d)));
  const selected = found.flatMap((f) => f.detection.devices.filter(keep));

  if (!all) {
    for (const component of wanted) {
      if (selected.some((d) => d.kind === component)) continue;
      await closeAll();
      const why = skipped
        .filter((s) => READERS_OF[component].includes(s.reader))
        .map((s) => `${s.reader}: ${s.message}`);
      return err(
        failure(
          "component-unavailable",
          `no ${component} power source on this machine${filters.length > 0 ? " matches the device filters" : ""}${why.length === 0 ? (component === "machine" ? " (no reader measures a whole machine yet)" : "") : `: ${why.join("; ")}`}`,
          { field: component, skipped: why },
        ),
      );
    }
  }
  if (selected.length === 0) {
    await closeAll();
    return err(
      failure(
        "no-devices",
        `no power source found: ${skipped.map((s) => `${s.reader}: ${s.message}`).join("; ") || "every reader was left out"}`,
        {
          skipped: skipped.map((s) => s.message),
        },
      ),
    );
  }

  const sampleIntervalS = options.sampleIntervalS ?? Number.NaN;
  const wired: Picks[] = [];
  const devices: PowerDevice[] = [];
  for (const f of found) {
    const picks = f.detection.devices
      .map((device, index) => ({ device, index }))
      .filter(({ device }) => keep(device))
      .map(({ device, index }) => {
        devices.push(device);
        // NaN: the meter's first sample sets where metered time begins (see `complete`).
        return { index, acc: new DeviceAccumulator(device, Number.NaN, sampleIntervalS) };
      });
    if (picks.length === 0) await f.source.close();
    else wired.push({ source: f.source, picks });
  }
  return ok(await PowerMeter.create(wired, devices, skipped, startedAtMs));
}

function buildSources(options: MeterOptions, wanted: ReadonlySet<Component>): PowerSource[] {
  if (options.inject?.sources !== undefined) return [...options.inject.sources];
  if (options.simulated !== undefined) {
    const cpus = options.simulated.filter((s) => s.kind === "cpu");
    const gpus = options.simulated.filter((s) => s.kind === "gpu");
    const out: PowerSource[] = [];
    if (cpus.length > 0) out.push(new SimulatedSource("cpu", cpus));
    if (gpus.length > 0) out.push(new SimulatedSource("gpu", gpus));
    return out;
  }
  const io = options.inject?.io;
  const platform = options.platform;
  const out: PowerSource[] = [];
  if (wanted.has("cpu") || wanted.has("dram") || wanted.has("psys")) {
    out.push(
      new RaplSource({
        ...(options.powercapRoot === undefined ? {} : { root: options.powercapRoot }),
        ...(io === undefined ? {} : { io }),
        ...(platform === undefined ? {} : { platform }),
        ...(options.revalidateEvery === undefined
          ? {}
          : { revalidateEvery: options.revalidateEvery }),
      }),
    );
  }
  if (wanted.has("gpu")) {
    out.push(
      new NvmlSource({
        ...(options.nvmlLibrary === undefined ? {} : { library: options.nvmlLibrary }),
        ...(options.cudaVisibleDevices === undefined
          ? {}
          : { cudaVisibleDevices: options.cudaVisibleDevices }),
        ...(options.cudaDeviceOrder === undefined
          ? {}
          : { cudaDeviceOrder: options.cudaDeviceOrder }),
        ...(options.gpuUtilisation === undefined ? {} : { utilisation: options.gpuUtilisation }),
        ...(options.nvmlInitTimeoutMs === undefined
          ? {}
          : { initTimeoutMs: options.nvmlInitTimeoutMs }),
        ...(platform === undefined ? {} : { platform }),
      }),
    );
    out.push(
      new AmdgpuSource({
        ...(options.hwmonRoot === undefined ? {} : { root: options.hwmonRoot }),
        ...(io === undefined ? {} : { io }),
        ...(platform === undefined ? {} : { platform }),
      }),
    );
  }
  if (wanted.has("cpu") || wanted.has("gpu")) {
    out.push(
      new PowermetricsSource({
        ...(options.powermetricsCommand === undefined
          ? {}
          : { command: options.powermetricsCommand }),
        ...(options.powermetricsIntervalMs === undefined
          ? {}
          : { intervalMs: options.powermetricsIntervalMs }),
        ...(platform === undefined ? {} : { platform }),
      }),
    );
  }
  return out;
}
