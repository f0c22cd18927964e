import { describeThrown, type IntensityProvider, resolvePue } from "@wattprint/core";
import * as z from "@wattprint/core/zod";
import { logFilePrefixSchema } from "@wattprint/logs";
import type { MeterOptions } from "@wattprint/power";
import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { reportToOptionsSchema } from "./report-to.ts";

/**
 * The tracker's options: carbontracker's arguments and defaults in camelCase
 * (carbontracker-compat.md §7), plus what wattprint adds (location, PUE, live intensity
 * refresh, injected clock and parts for tests). Validated with zod at construction; a bad
 * option is an `invalid-options` failure naming the option and what it accepts.
 */

/** carbontracker's PUE (Uptime Institute 2023), applied to predicted and actual energy only. */
export const CARBONTRACKER_DEFAULT_PUE = 1.58;
/** carbontracker fetches the intensity at start and then every 900 s. */
export const DEFAULT_INTENSITY_REFRESH_S = 900;
/** The environment variable that names the location when no `location` option is given. */
export const LOCATION_ENV = "WATTPRINT_LOCATION";
/**
 * The longest location, from the option or `WATTPRINT_LOCATION` (zone ids and country names
 * are far shorter): a longer one is refused without being matched against every zone or
 * quoted back whole.
 */
export const MAX_LOCATION_CHARS = 200;
/**
 * The longest task name (`task(name)`): names like `preprocess` or a model's file name are far
 * shorter. Each name is kept in every `TaskResult` (up to `MAX_TASKS` of them) and quoted in
 * messages, so a longer one is refused instead of stored and repeated whole.
 */
export const MAX_TASK_NAME_CHARS = 200;
/**
 * The largest `intensityGPerKWh`: the log writer's limit on the intensity it writes (its
 * `MAX_RECORD_VALUE`, 1e20, which `@wattprint/logs` does not export from its entry, hence
 * this copy; a test writes a run at it). A larger value passed the option and was refused by
 * the writer at `stop()`, which rejected and left an output log without the consumption. No
 * grid comes near it (a few thousand g/kWh at most): it only keeps what the logs can hold.
 */
export const MAX_INTENSITY_G_PER_KWH = 1e20;
/** The `apiKeys` names the tracker knows; each selects a live intensity provider. */
export const API_KEY_PROVIDERS = ["electricitymaps"] as const;
export type ApiKeyProvider = (typeof API_KEY_PROVIDERS)[number];

/** The components a tracker meters, named as carbontracker names them; `cpu` includes DRAM. */
export const TRACKER_COMPONENTS = ["gpu", "cpu"] as const;
export type TrackerComponent = (typeof TRACKER_COMPONENTS)[number];

/**
 * Time as the tracker sees it. Tests pass a fake; the default is the wall clock for
 * timestamps and `setInterval` for the sampling and refresh timers.
 */
export interface TrackerClock {
  /**
   * Wall-clock time, for the ISO timestamps and the log lines (UTC). A run's or a task's end
   * is its start plus the monotonic time since, so a step of this clock cannot reorder them.
   */
  now(): Date;
  /** Monotonic milliseconds, for durations. */
  monotonicMs(): number;
  /** A repeating timer that must not keep the process alive (the default `unref`s it). */
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const unitInterval = (name: string) =>
  z
    .number({ error: `${name} must be a number from 0 to 1` })
    .check(z.gte(0, `${name} must be from 0 to 1`), z.lte(1, `${name} must be from 0 to 1`));

/** A number in [min, max] whose every error says the same sentence: `${name} must be ${what}`. */
const numberIn = (name: string, min: number, max: number, what: string) => {
  const message = `${name} must be ${what}`;
  return z.number({ error: message }).check(z.gte(min, message), z.lte(max, message));
};
const wholeIn = (name: string, min: number, max: number, what: string) =>
  numberIn(name, min, max, what).check(z.int(`${name} must be ${what}`));

const componentList = z.pipe(
  z.union([z.string(), z.array(z.string()).check(z.minLength(1), z.maxLength(2))], {
    error: 'components must be "all", "cpu", "gpu", "gpu,cpu" or an array of "cpu" and "gpu"',
  }),
  z.transform((value: string | string[], ctx): TrackerComponent[] => {
    // carbontracker: a comma-separated list, trimmed and lower-cased; "all" means gpu,cpu.
    const names = (typeof value === "string" ? value.split(",") : value).map((n) =>
      n.trim().toLowerCase(),
    );
    if (names.includes("all")) return [...TRACKER_COMPONENTS];
    const out: TrackerComponent[] = [];
    for (const name of names) {
      if (name !== "cpu" && name !== "gpu") {
        // zod/mini's transform has no `addIssue`: the issue classic zod's would push.
        ctx.issues.push({
          code: "custom",
          message: `components: "${name}" is not a component; use "all", "cpu", "gpu" or "gpu,cpu"`,
          input: value,
        });
        return z.NEVER;
      }
      if (!out.includes(name)) out.push(name);
    }
    // GPU before CPU, carbontracker's order in the logs.
    return TRACKER_COMPONENTS.filter((c) => out.includes(c));
  }),
);

/** What `verbose` takes, as its every refusal says. */
const VERBOSE_VALUES = "0, 1 or 2, or true (1) or false (0)";

const fn = <T>(name: string) =>
  z.custom<T>((v) => typeof v === "function", `${name} must be a function`);

export const trackerOptionsSchema = z
  .strictObject({
    /** Total epochs; the prediction covers this many. Optional for `start()`/`stop()` runs. */
    epochs: z.optional(
      z
        .number({ error: "epochs must be a whole number >= 1" })
        .check(
          z.int("epochs must be a whole number >= 1"),
          z.gte(1, "epochs must be a whole number >= 1"),
          z.lte(1_000_000_000, "epochs must be at most 1e9"),
        ),
    ),
    /** Predict after this many epochs; 0 (or carbontracker's -1) never predicts. */
    epochsBeforePred: z._default(
      z
        .number({ error: "epochsBeforePred must be a whole number >= -1" })
        .check(
          z.int("epochsBeforePred must be a whole number >= -1"),
          z.gte(-1, "epochsBeforePred must be a whole number >= -1"),
        ),
      1,
    ),
    /** Report the actual consumption after this epoch and stop; -1: after `epochs`. */
    monitorEpochs: z._default(
      z
        .number({ error: "monitorEpochs must be -1 or a whole number >= 1" })
        .check(
          z.int("monitorEpochs must be -1 or a whole number >= 1"),
          z.gte(-1, "monitorEpochs must be -1 or a whole number >= 1"),
        ),
      -1,
    ),
    /** Seconds between power samples (carbontracker's `update_interval`). */
    updateInterval: z._default(
      numberIn("updateInterval", 0.01, 3600, "a number of seconds from 0.01 to 3600"),
      1,
    ),
    /** Add the car-km equivalent to the consumption blocks. */
    interpretable: z._default(z.boolean({ error: "interpretable must be true or false" }), true),
    /** On a failure, warn and carry on (or stop measuring) instead of rejecting. */
    ignoreErrors: z._default(z.boolean({ error: "ignoreErrors must be true or false" }), false),
    components: z._default(componentList, ["gpu", "cpu"]),
    /** Meter only the GPUs running this process or its children, as seen at start. */
    devicesByPid: z._default(z.boolean({ error: "devicesByPid must be true or false" }), false),
    /** The folder for the two logs; null (the default) writes no files. */
    logDir: z._default(
      z.nullable(
        z
          .string({ error: "logDir must be a folder path or null" })
          .check(z.minLength(1, "logDir must be a folder path or null")),
      ),
      null,
    ),
    /** The logs' own rule (no path separator, NUL or line break), checked here to name it. */
    logFilePrefix: z._default(
      z.pipe(z.string({ error: "logFilePrefix must be a string" }), logFilePrefixSchema),
      "",
    ),
    /**
     * 0: silent; 1 and 2: echo the output log on stdout (carbontracker treats 2 as 1). `true`
     * is 1 and `false` 0, as Python reads carbontracker's common `verbose=True`: nothing more
     * than the default output.
     */
    verbose: z._default(
      z.pipe(
        z.union([z.boolean(), wholeIn("verbose", 0, 2, VERBOSE_VALUES)], {
          error: `verbose must be ${VERBOSE_VALUES}`,
        }),
        z.transform((v: boolean | number): number => (typeof v === "boolean" ? Number(v) : v)),
      ),
      1,
    ),
    decimalPrecision: z._default(
      wholeIn("decimalPrecision", 0, 100, "a whole number from 0 to 100"),
      12,
    ),
    /** e.g. `{ electricitymaps: "KEY" }`: selects the live intensity provider. */
    apiKeys: z._default(
      z.nullable(
        z.record(z.string(), z.string().check(z.minLength(1, "an API key may not be empty")), {
          error: 'apiKeys must be an object such as { electricitymaps: "KEY" }',
        }),
      ),
      null,
    ),
    simCpu: z.optional(
      z.string().check(z.trim(), z.minLength(1, "simCpu must be a device name"), z.maxLength(200)),
    ),
    simCpuTdp: z.optional(numberIn("simCpuTdp", 0, 100_000, "a number of watts from 0 to 100000")),
    simCpuUtil: z._default(unitInterval("simCpuUtil"), 0.5),
    simGpu: z.optional(
      z.string().check(z.trim(), z.minLength(1, "simGpu must be a device name"), z.maxLength(200)),
    ),
    simGpuWatts: z.optional(
      numberIn("simGpuWatts", 0, 100_000, "a number of watts from 0 to 100000"),
    ),
    simGpuUtil: z._default(unitInterval("simGpuUtil"), 0.5),
    /** Anything the core's `resolveLocation` accepts ("DK", "Denmark", "DE", "US-CAL-CISO"). */
    location: z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.minLength(1, "location may not be empty"),
          z.maxLength(
            MAX_LOCATION_CHARS,
            `location must be at most ${MAX_LOCATION_CHARS} characters`,
          ),
        ),
    ),
    /** A number from 1 to 5 or a core PUE profile id; default carbontracker's 1.58. */
    pue: z.optional(
      z.union([z.number(), z.string()], { error: "pue must be a number or a profile id" }),
    ),
    /** A fixed grid intensity in gCO2eq/kWh instead of the location's. */
    intensityGPerKWh: z.optional(
      numberIn(
        "intensityGPerKWh",
        0,
        MAX_INTENSITY_G_PER_KWH,
        "a number from 0 to 1e20 (MAX_INTENSITY_G_PER_KWH, the most the logs hold)",
      ),
    ),
    /** Seconds between live intensity fetches. */
    intensityRefreshS: z._default(
      numberIn("intensityRefreshS", 1, 86_400, "a number of seconds from 1 to 86400"),
      DEFAULT_INTENSITY_REFRESH_S,
    ),
    /** The environment to read `WATTPRINT_LOCATION` from; default `process.env`. */
    env: z.optional(z.record(z.string(), z.optional(z.string()))),
    clock: z.optional(
      z.custom<TrackerClock>(
        (v) => typeof v === "object" && v !== null,
        "clock must be an object with now, monotonicMs, setInterval and clearInterval",
      ),
    ),
    /** A live intensity provider (the core's port) instead of the one `apiKeys` selects. */
    intensityProvider: z.optional(
      z.custom<IntensityProvider>(
        (v) => typeof v === "object" && v !== null,
        "intensityProvider must be an IntensityProvider",
      ),
    ),
    /** Options for `@wattprint/power`'s meter (reader roots, injected sources). */
    power: z.optional(
      z.custom<MeterOptions>((v) => typeof v === "object" && v !== null, "power must be an object"),
    ),
    /** Where the output log is echoed when `verbose > 0`; default `process.stdout`. */
    stdout: z.optional(fn<(text: string) => void>("stdout")),
    /**
     * A wattprint server to post the result to when `stop()` has written the logs
     * (`POST /v1/runs`, retried with one run id, never redirected); a failure is a warning,
     * never a throw. `stop()` awaits it for at most `MAX_REPORT_TOTAL_MS` (5 minutes), each
     * wait between attempts at most `MAX_REPORT_WAIT_MS` (60 s).
     */
    reportTo: z.optional(reportToOptionsSchema),
    /** Called with each warning as it happens (they are also in the result). */
    onWarning: z.optional(fn<(warning: TrackerWarning) => void>("onWarning")),
  })
  .check(
    z.superRefine((o, ctx) => {
      if (o.monitorEpochs === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["monitorEpochs"],
          message: "monitorEpochs must be -1 or a whole number >= 1, got 0",
        });
      }
      if (o.monitorEpochs > 0 && o.monitorEpochs < o.epochsBeforePred) {
        ctx.addIssue({
          code: "custom",
          path: ["monitorEpochs"],
          message: `monitorEpochs (${o.monitorEpochs}) must be >= epochsBeforePred (${o.epochsBeforePred}), or -1`,
        });
      }
      // carbontracker 2.4.3 maps monitor_epochs -1 to epochs and then refuses one below
      // epochs_before_pred: a prediction after more epochs than the run has is never made.
      if (o.epochs !== undefined && o.epochsBeforePred > o.epochs) {
        ctx.addIssue({
          code: "custom",
          path: ["epochsBeforePred"],
          message: `epochsBeforePred (${o.epochsBeforePred}) must be <= epochs (${o.epochs}), or 0 or -1 to never predict`,
        });
      }
      if (o.epochs !== undefined && o.monitorEpochs > o.epochs) {
        ctx.addIssue({
          code: "custom",
          path: ["monitorEpochs"],
          message: `monitorEpochs (${o.monitorEpochs}) must be <= epochs (${o.epochs}), or -1`,
        });
      }
      if (o.simCpu !== undefined && o.simCpuTdp === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["simCpuTdp"],
          message: "simCpuTdp (watts) is required with simCpu",
        });
      }
      if (o.simGpu !== undefined && o.simGpuWatts === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["simGpuWatts"],
          message: "simGpuWatts (watts) is required with simGpu",
        });
      }
      if (o.pue !== undefined) {
        const pue = resolvePue(o.pue);
        if (!pue.ok) ctx.addIssue({ code: "custom", path: ["pue"], message: pue.error.message });
      }
      for (const key of Object.keys(o.apiKeys ?? {})) {
        if (!(API_KEY_PROVIDERS as readonly string[]).includes(key.toLowerCase())) {
          ctx.addIssue({
            code: "custom",
            path: ["apiKeys", key],
            message: `no intensity provider for API key "${key}"; supported: ${API_KEY_PROVIDERS.join(", ")}`,
          });
        }
      }
    }),
  );

export type TrackerOptions = z.input<typeof trackerOptionsSchema>;
export type ResolvedTrackerOptions = z.output<typeof trackerOptionsSchema>;

export type TrackerWarningKind =
  /** A sample, fetch or log write failed and was skipped. */
  | "sampling"
  | "intensity"
  | "logs"
  /** A failure that `ignoreErrors` turned into a warning. */
  | "ignored-error"
  /** Something carbontracker also warns about (an epoch too short for a sample, no provider). */
  | "notice";

export interface TrackerWarning {
  readonly kind: TrackerWarningKind;
  readonly message: string;
  /** ISO 8601 UTC. */
  readonly at: string;
}

export type TrackerErrorKind =
  | "invalid-options"
  /** A method called out of order (epochEnd without epochStart, start() during epochs). */
  | "invalid-state"
  /** A value given to a call is wrong: a task name not a string or over `MAX_TASK_NAME_CHARS`. */
  | "invalid-value"
  /** No power source for the components asked for. */
  | "no-devices"
  /** The location or intensity could not be resolved. */
  | "intensity"
  /** The logs could not be created (a write failing later is a `logs` warning, not a failure). */
  | "logs";

export interface TrackerFailure extends Failure<TrackerErrorKind> {
  /** The option or input concerned. */
  readonly field?: string;
  readonly cause?: string;
}

/** The first zod issue as an `invalid-options` failure naming its option. */
export function optionsFailure(error: z.core.$ZodError): TrackerFailure {
  const issue = error.issues[0];
  const field = issue === undefined ? "" : issue.path.map(String).join(".");
  const text = issue?.message ?? "invalid";
  const unknownKeys =
    issue?.code === "unrecognized_keys" ? (issue as { keys?: string[] }).keys : undefined;
  if (unknownKeys !== undefined) {
    return failure(
      "invalid-options",
      `unknown tracker option${unknownKeys.length === 1 ? "" : "s"} ${unknownKeys.map((k) => `"${k}"`).join(", ")}; the options are ${Object.keys(trackerOptionsSchema.shape).join(", ")}`,
      { field: unknownKeys[0] ?? "" },
    );
  }
  return failure(
    "invalid-options",
    `invalid tracker option${field === "" ? "" : ` "${field}"`}: ${text}`,
    {
      field,
    },
  );
}

/** Validates options without building a tracker. */
export function parseTrackerOptions(
  options: TrackerOptions,
): Result<ResolvedTrackerOptions, TrackerFailure> {
  let parsed: ReturnType<typeof trackerOptionsSchema.safeParse>;
  try {
    parsed = trackerOptionsSchema.safeParse(options);
  } catch (error) {
    // zod reads each option, and a getter or a Proxy trap may throw: the constructor promises
    // never to throw, so that is a refusal like any other bad option.
    return err(
      failure(
        "invalid-options",
        `invalid tracker options: they could not be read: ${describeThrown(error)}`,
        {
          field: "",
        },
      ),
    );
  }
  return parsed.success ? ok(parsed.data) : err(optionsFailure(parsed.error));
}
