import { resolve } from "node:path";
import type {
  Measurement as CoreMeasurement,
  MeasureRequest,
  MeasurerReadiness,
} from "@wattprint/core";
import { gatherFacts, type MeterOptions } from "@wattprint/power";
import { failure, type Result } from "@wattprint/result";
import {
  CarbonTracker,
  type TrackerFailure,
  type TrackerOptions,
  type TrackerResult,
} from "@wattprint/tracker";
import type { MeasureFailure } from "./failures.ts";
import { batchFed } from "./feeds.ts";
import { insideFolder, ModelHashes, readableOnnxFile } from "./model-file.ts";
import { type LocatedModel, ModelsFolder, type ModelsFolderError } from "./models-folder.ts";
import { type FeedSpec, ModelRunner, type ModelRunnerOptions } from "./runner/model-runner.ts";

/** The longest window one measurement may ask for. */
export const MAX_WINDOW_S = 300;
/** Seconds between power samples inside a window. */
export const DEFAULT_SAMPLE_INTERVAL_S = 0.1;

/** The core's `Measurement`, with what a person running it wants to know besides. */
export interface Measurement extends CoreMeasurement {
  /** Opening the tracker (its power meter) before the window. */
  readonly setupS: number;
  /** What was fed: each input's name, element type and dimensions. */
  readonly inputs: readonly { name: string; type: string; dims: readonly number[] }[];
}

/** What the tracker is told; the measurer sets the rest (no logs, no CO2, its sample interval). */
export type MeasurerTrackerOptions = Pick<
  TrackerOptions,
  | "components"
  | "simCpu"
  | "simCpuTdp"
  | "simCpuUtil"
  | "simGpu"
  | "simGpuWatts"
  | "simGpuUtil"
  | "devicesByPid"
  | "clock"
>;

export interface ModelMeasurerOptions {
  /** The models folder (see models-folder.ts); without one only `measure(file)` is possible. */
  readonly modelsDir?: string;
  readonly tracker?: MeasurerTrackerOptions;
  /** `@wattprint/power` options (reader roots, `fallback: "none"` to never model). */
  readonly power?: MeterOptions;
  readonly sampleIntervalS?: number;
  readonly runner?: ModelRunnerOptions;
  /**
   * Where a task's `model_path` may point: only a file that resolves (symlinks followed) inside
   * this folder is run. Unset, any readable `.onnx` on the host is, as SustainML's node does;
   * on a shared network a peer could then make the node load, hash and publish the hash of
   * any model file it can name.
   */
  readonly modelPathRoot?: string;
}

export type MeasurerOpenError = ModelsFolderError;

/**
 * Measures a model's energy per inference on this host, and is the bus node's `Measurer`
 * (the method shapes match `@wattprint/node`'s port). Per measurement:
 *
 * 1. the file is hashed (once per version of the file, `ModelHashes`);
 * 2. the runner process loads it (once per distinct file, a bounded cache), builds inputs
 *    of its declared shapes and types and runs one warm-up pass: `loadS`;
 * 3. a `CarbonTracker` is opened on this host's power readers (or simulated devices) and
 *    waits until ready: `setupS`;
 * 4. `tracker.measure()` wraps one window of forward passes in the runner: the tracker's
 *    measured time and IT energy are the window's, the passes completed are the inferences.
 *
 * Only 4 is the window: load and setup are reported apart. Measurements run one at a time.
 */
export class ModelMeasurer {
  private readonly hashes = new ModelHashes();
  private readonly runner: ModelRunner;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly folder: ModelsFolder | undefined,
    private readonly trackerOptions: TrackerOptions,
    private ready: MeasurerReadiness,
    runnerOptions: ModelRunnerOptions,
    private readonly modelPathRoot: string | undefined,
  ) {
    this.runner = new ModelRunner(runnerOptions);
  }

  /**
   * Opens the models folder (a folder that does not exist is an error: a typo must not turn
   * every task into an estimate silently) and checks there is something to measure on. A
   * host with nothing to read is not an error: the measurer opens, `readiness()` says why
   * it cannot measure, and every `measure()` fails with `unavailable`.
   */
  static async open(
    options: ModelMeasurerOptions = {},
  ): Promise<Result<ModelMeasurer, MeasurerOpenError>> {
    let folder: ModelsFolder | undefined;
    if (options.modelsDir !== undefined) {
      const opened = await ModelsFolder.open(options.modelsDir);
      if (!opened.ok) return opened;
      folder = opened.value;
    }
    const simulated =
      options.tracker?.simCpu !== undefined || options.tracker?.simGpu !== undefined;
    // The machine facts feed the power model; gathered once, not per measurement.
    const facts = simulated || options.power?.inject?.facts ? undefined : await gatherFacts();
    const power: MeterOptions = {
      ...options.power,
      ...(facts !== undefined ? { inject: { ...options.power?.inject, facts } } : {}),
    };
    const trackerOptions: TrackerOptions = {
      ...options.tracker,
      updateInterval: options.sampleIntervalS ?? DEFAULT_SAMPLE_INTERVAL_S,
      verbose: 0,
      logDir: null,
      // The caller applies its own PUE and intensity to the IT energy; the tracker's CO2 is unused.
      pue: 1,
      intensityGPerKWh: 0,
      // Nor is its location: the host's WATTPRINT_LOCATION (one mistyped once made every
      // measurement "nothing to measure on") is the caller's business, not read here.
      env: {},
      power,
    };
    const measurer = new ModelMeasurer(
      folder,
      trackerOptions,
      { ready: false, reason: "not checked yet" },
      options.runner ?? {},
      options.modelPathRoot,
    );
    measurer.ready = await measurer.checkReadiness();
    return { ok: true, value: measurer };
  }

  readiness(): MeasurerReadiness {
    return this.ready;
  }

  /** The models folder's file for `modelName`, when there is a folder and it has one. */
  async locateModel(modelName: string): Promise<LocatedModel> {
    if (this.folder === undefined) return { lookedFor: "(no models folder)" };
    return this.folder.locate(modelName);
  }

  async runnablePath(modelPath: string): Promise<string | undefined> {
    const file = await readableOnnxFile(modelPath);
    if (file === undefined || this.modelPathRoot === undefined) return file;
    return (await insideFolder(file, this.modelPathRoot)) ? file : undefined;
  }

  measure(request: MeasureRequest): Promise<Result<Measurement, MeasureFailure>> {
    const next = this.chain.then(() => this.measureNow(request));
    this.chain = next.catch(() => {});
    return next;
  }

  /**
   * Stops measuring: a measurement in flight ends at once as `closed` (its runner is
   * stopped, not waited for: one pass may run for minutes), queued ones fail `closed`.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.runner.close();
    await this.chain;
  }

  /** Counters of the runner process (started, killed on a timeout, died). */
  introspect(): { runner: ModelRunner["counters"] } {
    return { runner: { ...this.runner.counters } };
  }

  private async checkReadiness(): Promise<MeasurerReadiness> {
    const tracker = new CarbonTracker(this.trackerOptions);
    const ready = await tracker.ready();
    if (!ready.ok) {
      await tracker[Symbol.asyncDispose]();
      return { ready: false, reason: ready.error.message };
    }
    try {
      const { result } = await tracker.measure(async () => {});
      return { ready: true, devices: devicesOf(result).map(describeDevice) };
    } catch (error) {
      return { ready: false, reason: trackerMessage(error) };
    } finally {
      await tracker[Symbol.asyncDispose]();
    }
  }

  private async measureNow(request: MeasureRequest): Promise<Result<Measurement, MeasureFailure>> {
    if (this.closed) return { ok: false, error: failure("closed", "the measurer is closed") };
    if (!this.ready.ready) {
      return {
        ok: false,
        error: failure("unavailable", `nothing to measure on: ${this.ready.reason}`),
      };
    }
    if (
      !(Number.isFinite(request.windowS) && request.windowS > 0 && request.windowS <= MAX_WINDOW_S)
    ) {
      return {
        ok: false,
        error: failure(
          "invalid-request",
          `the window must be more than 0 and at most ${MAX_WINDOW_S} s, got ${request.windowS}`,
          { field: "windowS" },
        ),
      };
    }
    // Absolute here: the runner runs in another working directory, and a relative name was
    // hashed in this one and loaded from that one (the sha256 of one file, the run of another).
    const file = await this.hashes.identify(resolve(request.modelFile));
    if (!file.ok) return file;
    const first = await this.measureOnce(file.value, request);
    // Passing the runner's memory ceiling with other models loaded in it says little about
    // this one: a fresh runner holds it alone. Once, so a model too large alone still fails.
    if (!first.ok && otherModelsLoaded(first.error) > 0)
      return this.measureOnce(file.value, request);
    return first;
  }

  private async measureOnce(
    file: { readonly path: string; readonly sha256: string },
    request: MeasureRequest,
  ): Promise<Result<Measurement, MeasureFailure>> {
    const spec: FeedSpec = {
      sha256: file.sha256,
      batchSize: request.batchSize ?? 1,
      inputShapes: request.inputShapes,
    };
    const prepared = await this.runner.prepare(file.path, spec);
    if (!prepared.ok) return prepared;

    const setupStarted = performance.now();
    const tracker = new CarbonTracker(this.trackerOptions);
    try {
      const ready = await tracker.ready();
      if (!ready.ok) return { ok: false, error: trackerFailure(ready.error) };
      const setupS = (performance.now() - setupStarted) / 1000;
      const { value: ran, result } = await tracker.measure(() =>
        this.runner.run(spec, request.windowS, prepared.value.passS),
      );
      if (!ran.ok) return ran;
      if (ran.value.inferences < 1) {
        return {
          ok: false,
          error: failure("no-inferences", "the window ended before one forward pass finished"),
        };
      }
      return {
        ok: true,
        value: {
          inferences: ran.value.inferences,
          windowS: result.durationS,
          loadS: prepared.value.cached ? 0 : prepared.value.loadS,
          setupS,
          energyJ: result.energy.itJ,
          components: result.components.map((c) => ({
            component: c.component,
            energyJ: c.energyJ,
            basis: c.basis,
          })),
          devices: devicesOf(result).map((d) => ({
            id: d.id,
            name: d.name,
            component: d.kind,
            energyJ: d.energyJ,
            basis: d.basis,
          })),
          sha256: file.sha256,
          // What was fed, not what was asked: input_shapes or a fixed leading dimension decide.
          batchSize: batchFed(prepared.value.inputs),
          inputs: prepared.value.inputs,
        },
      };
    } catch (error) {
      return {
        ok: false,
        error: failure("measurement-failed", `the tracker failed: ${trackerMessage(error)}`),
      };
    } finally {
      await tracker[Symbol.asyncDispose]();
    }
  }
}

function devicesOf(result: TrackerResult) {
  return result.components.flatMap((c) => c.devices);
}

function describeDevice(device: ReturnType<typeof devicesOf>[number]): string {
  return `${device.id} (${device.kind}, ${device.basis})`;
}

function trackerMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function trackerFailure(error: TrackerFailure): MeasureFailure {
  return error.kind === "no-devices"
    ? failure("unavailable", `nothing to measure on: ${error.message}`)
    : failure("measurement-failed", `the tracker could not start: ${error.message}`);
}

/** How many other models the runner held when it passed its memory ceiling (0 otherwise). */
function otherModelsLoaded(error: MeasureFailure): number {
  const others = (error as { readonly otherModelsLoaded?: unknown }).otherModelsLoaded;
  return typeof others === "number" ? others : 0;
}
