import type { Failure, Result } from "@wattprint/result";

/**
 * The only thing the carbon node knows of measuring a model: a port. The node decides which
 * path a task takes (`task-route.ts`) and turns a measurement into a footprint; running the
 * model and reading the power are the adapter's business (`@wattprint/measure`, wired by the
 * bus node), so `node` stays on messages, rtps and core.
 */
export interface MeasureRequest {
  /** An absolute path to a readable `.onnx` file, as `locate` returned it. */
  readonly modelFile: string;
  /** Input name → dimensions, overriding the model's declared shape for that input. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** What a dynamic batch dimension is set to; 1 when not given. */
  readonly batchSize?: number;
  /** How long to run the model for, in seconds. */
  readonly windowS: number;
}

/** How a figure was obtained: read from a counter or sensor, computed from a model, or simulated. */
export type EnergyBasis = "measured" | "modelled" | "simulated" | "mixed";

export interface MeasuredDevice {
  readonly id: string;
  readonly name: string;
  /** cpu, dram, gpu, psys or machine. */
  readonly component: string;
  readonly energyJ: number;
  readonly basis: EnergyBasis;
}

export interface MeasuredComponent {
  readonly component: string;
  readonly energyJ: number;
  readonly basis: EnergyBasis;
}

export interface Measurement {
  /** Forward passes completed inside the window. */
  readonly inferences: number;
  /** The window the energy covers, in seconds, as the tracker timed it. */
  readonly windowS: number;
  /** Seconds spent loading the model before the window; 0 when it was already loaded. */
  readonly loadS: number;
  /** Energy of the window over every counted component (psys and machine excluded). */
  readonly energyJ: number;
  readonly components: readonly MeasuredComponent[];
  readonly devices: readonly MeasuredDevice[];
  /** sha256 of the model file, hex. */
  readonly sha256: string;
  /** The batch size the dynamic dimensions were set to. */
  readonly batchSize: number;
}

/**
 * Why a measurement gave no figures. `model-not-loadable`: onnxruntime refused the file;
 * `inputs-not-feedable`: an input has a type or shape the measurer cannot build;
 * `run-failed`: a forward pass threw; `timeout`: the run did not come back in time (the
 * runner was killed); `no-inferences`: the window ended before one pass finished;
 * `unavailable`: nothing to measure on; `measurement-failed`: the power reading failed;
 * `invalid-request`: a request the port refuses (bad window, batch or shapes).
 */
export type MeasureFailureKind =
  | "model-not-found"
  | "model-not-loadable"
  | "inputs-not-feedable"
  | "run-failed"
  | "timeout"
  | "no-inferences"
  | "unavailable"
  | "measurement-failed"
  | "invalid-request"
  | "closed";

export type MeasureFailure = Failure<MeasureFailureKind>;

/** Whether there is anything to measure on, said once at start and on every measured task. */
export type MeasurerReadiness =
  | {
      readonly ready: true;
      /** e.g. "rapl:intel-rapl:0 (cpu, measured)". */
      readonly devices: readonly string[];
    }
  | { readonly ready: false; readonly reason: string };

export interface Measurer {
  readiness(): MeasurerReadiness;
  /**
   * The file the models folder maps a model name to, when that file exists; undefined when
   * there is no folder or no such file. `lookedFor` names where it looked, for the reason.
   */
  locateModel(modelName: string): Promise<{ readonly file?: string; readonly lookedFor: string }>;
  /** `modelPath` as an absolute file when it is a readable local `.onnx` file. */
  runnablePath(modelPath: string): Promise<string | undefined>;
  measure(request: MeasureRequest): Promise<Result<Measurement, MeasureFailure>>;
  close(): Promise<void>;
}
