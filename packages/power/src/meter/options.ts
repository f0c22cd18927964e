import * as z from "@wattprint/core/zod";
import { type Failure, failure } from "@wattprint/result";
import type { Component } from "../device.ts";
import { cpuNameProblem } from "../model/cpu-name.ts";
import type { MachineFacts } from "../model/facts.ts";
import type { UtilisationCurve } from "../simulated.ts";
import type { PowerSource } from "../source.ts";
import type { SysfsIo } from "../sysfs/io.ts";

/** `all`, or any of the components; `all` inside a list means the same as alone. */
export type ComponentRequest = "all" | Component;

const componentSchema = z.enum(["all", "cpu", "dram", "gpu", "psys", "machine"]);

// zod 4 numbers refuse Infinity and NaN themselves (classic's `.finite()` was a no-op).
const simulatedSchema = z.strictObject({
  kind: z.enum(["cpu", "gpu"]),
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  watts: z.number().check(z.nonnegative(), z.lte(100_000)),
  utilisation: z.optional(
    z.union([
      z.number().check(z.gte(0), z.lte(1)),
      z.custom<(elapsedS: number) => number>((v) => typeof v === "function"),
    ]),
  ),
});

/** Everything in `MeterOptions` that is plain data, `components` as a list; checked with zod at `openPowerMeter`. */
export const meterOptionsSchema = z.strictObject({
  components: z.optional(z.array(componentSchema).check(z.minLength(1), z.maxLength(6))),
  devices: z.optional(
    z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))).check(z.maxLength(64)),
  ),
  fallback: z.optional(z.enum(["model", "none"])),
  powercapRoot: z.optional(z.string().check(z.minLength(1))),
  hwmonRoot: z.optional(z.string().check(z.minLength(1))),
  procRoot: z.optional(z.string().check(z.minLength(1))),
  nvmlLibrary: z.optional(z.string().check(z.minLength(1))),
  cudaVisibleDevices: z.optional(z.nullable(z.string())),
  cudaDeviceOrder: z.optional(z.string()),
  gpuUtilisation: z.optional(z.boolean()),
  powermetricsCommand: z.optional(
    z
      .array(
        z.string().check(
          z.minLength(1),
          z.refine((word) => !word.includes("\0"), "a command word cannot hold a NUL byte"),
        ),
      )
      .check(z.minLength(1), z.maxLength(64)),
  ),
  powermetricsIntervalMs: z.optional(z.int().check(z.gte(100), z.lte(60_000))),
  cpuName: z.optional(
    z.string().check(
      z.trim(),
      z.minLength(1),
      z.maxLength(200),
      z.superRefine((name, context) => {
        const problem = cpuNameProblem(name);
        // Named for both ways in: the option, and the variable the apps map onto it.
        if (problem !== undefined) {
          context.addIssue({
            code: "custom",
            message: `${problem} (the cpuName option, or ${POWER_ENV.cpuName})`,
            input: name,
          });
        }
      }),
    ),
  ),
  revalidateEvery: z.optional(z.int().check(z.gte(1), z.lte(1_000_000))),
  platform: z.optional(z.string().check(z.minLength(1))),
  simulated: z.optional(z.array(simulatedSchema).check(z.minLength(1), z.maxLength(16))),
  readDeadlineMs: z.optional(z.int().check(z.gte(10), z.lte(600_000))),
  sampleIntervalS: z.optional(z.number().check(z.gte(0.001), z.lte(86_400))),
  nvmlInitTimeoutMs: z.optional(z.int().check(z.gte(10), z.lte(600_000))),
});

export interface SimulatedOption {
  readonly kind: "cpu" | "gpu";
  readonly name: string;
  readonly watts: number;
  readonly utilisation?: UtilisationCurve;
}

export interface MeterOptions {
  /** Default `all`: every component found, with the model standing in for an unmeasured cpu or dram. */
  readonly components?: ComponentRequest | readonly ComponentRequest[];
  /**
   * Keep only devices matching one of these: a device id (`nvml:GPU-…`, `rapl:intel-rapl:0`),
   * its name (case-insensitive), or a pattern with `*` over ids. Each filter must match a device.
   */
  readonly devices?: readonly string[];
  /** `model` (default): model an asked-for cpu or dram that no reader measures; `none`: never. */
  readonly fallback?: "model" | "none";
  readonly powercapRoot?: string;
  readonly hwmonRoot?: string;
  readonly procRoot?: string;
  readonly nvmlLibrary?: string;
  /** Default: the process's CUDA_VISIBLE_DEVICES; null: every GPU. */
  readonly cudaVisibleDevices?: string | null;
  readonly cudaDeviceOrder?: string;
  /** Read GPU utilisation on every sample (one more NVML call per GPU). */
  readonly gpuUtilisation?: boolean;
  readonly powermetricsCommand?: readonly string[];
  readonly powermetricsIntervalMs?: number;
  /** The CPU to model, when the OS reports it vaguely ("AMD EPYC"). */
  readonly cpuName?: string;
  readonly revalidateEvery?: number;
  readonly platform?: NodeJS.Platform;
  /**
   * How often the caller samples, in seconds (the tracker's `updateInterval`). With it, a
   * power-only device's interval of at least 10 s and five times this (a paused process or
   * VM, readings that kept failing) is still counted but flagged `long-bridge`, its energy
   * being a line between two readings. Without it nothing is flagged: a caller that samples
   * when it likes (a job's start and end) knows its gaps.
   */
  readonly sampleIntervalS?: number;
  /**
   * How long one round of the read thread (every sysfs read and NVML call of a sample) may
   * run before what is still out fails as `driver-error` (default 5000 ms). Process-wide: the
   * thread serves every meter, so the latest meter opened with it sets it.
   */
  readonly readDeadlineMs?: number;
  /** How long `nvmlInit_v2` may take before NVML is skipped as `driver-error` (default 10000 ms). */
  readonly nvmlInitTimeoutMs?: number;
  /** Simulated devices instead of every reader (carbontracker's `sim_cpu`/`sim_gpu`). */
  readonly simulated?: readonly SimulatedOption[];
  /** Injected parts for tests: a sysfs layer, facts for the model, or the sources themselves. */
  readonly inject?: {
    readonly io?: SysfsIo;
    readonly facts?: MachineFacts;
    readonly sources?: readonly PowerSource[];
  };
}

export type MeterErrorKind =
  | "invalid-options"
  | "component-unavailable"
  | "device-not-found"
  | "no-devices";

export interface MeterError extends Failure<MeterErrorKind> {
  /** The option, component or device filter concerned. */
  readonly field?: string;
  /** Device ids to choose from, for a filter that matched nothing. */
  readonly suggestions?: readonly string[];
  /** Why readers that could have provided it were skipped. */
  readonly skipped?: readonly string[];
}

export function invalidOptions(error: z.core.$ZodError): MeterError {
  const issue = error.issues[0];
  const field = issue?.path.join(".") ?? "";
  return failure(
    "invalid-options",
    `invalid power meter option ${field === "" ? "" : `"${field}"`}: ${issue?.message ?? "unknown"}`.replace(
      "  ",
      " ",
    ),
    {
      field,
    },
  );
}

/** Environment variables that configure the readers; the CLI and the apps read them through this. */
export const POWER_ENV = {
  powercapRoot: "WATTPRINT_POWERCAP_ROOT",
  hwmonRoot: "WATTPRINT_HWMON_ROOT",
  procRoot: "WATTPRINT_PROC_ROOT",
  nvmlLibrary: "WATTPRINT_NVML_LIBRARY",
  cpuName: "WATTPRINT_CPU_NAME",
} as const;

/** The reader options set in an environment (empty values are ignored), plus CUDA's variables. */
export function powerOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): MeterOptions {
  const pick = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const out: { -readonly [K in keyof MeterOptions]?: MeterOptions[K] } = {};
  for (const [option, name] of Object.entries(POWER_ENV) as [keyof typeof POWER_ENV, string][]) {
    const value = pick(name);
    if (value !== undefined) out[option] = value;
  }
  // CUDA's own variable: set-but-empty is meaningful (no GPU), so it is copied as it is.
  if (env.CUDA_VISIBLE_DEVICES !== undefined) out.cudaVisibleDevices = env.CUDA_VISIBLE_DEVICES;
  else out.cudaVisibleDevices = null;
  const order = pick("CUDA_DEVICE_ORDER");
  if (order !== undefined) out.cudaDeviceOrder = order;
  return out;
}
