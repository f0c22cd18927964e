import type { Failure } from "@wattprint/result";

/**
 * The vocabulary of a measured task, shared by the node's `Measurer` port and
 * `@wattprint/measure`, which implements it without depending on the node: what to run,
 * what one window gave, and why it gave nothing. Types only.
 */
export interface MeasureRequest {
  /** An absolute path to a readable `.onnx` file. */
  readonly modelFile: string;
  /** Input name → dimensions, overriding the model's declared shape for that input. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** What a dynamic leading (batch) dimension is set to; 1 when not given. */
  readonly batchSize?: number;
  /** How long to run the model for, in seconds. */
  readonly windowS: number;
}

/** How a figure was obtained: read from the hardware, computed from a model, or simulated. */
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

/** One window's figures. Energies are IT energy, as metered: no PUE (the caller applies it). */
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
 * Why a measurement gave no figures.
 *
 * - `model-not-found`: the file is missing or unreadable, or not a `.onnx` file;
 * - `model-not-loadable`: onnxruntime refused the file (not ONNX, an unsupported operator);
 * - `inputs-not-feedable`: an input is not a tensor, has a type that cannot be built, or
 *   would be larger than the limits;
 * - `run-failed`: a forward pass threw, or the runner process died;
 * - `timeout`: loading or the window did not come back in time (the runner was killed);
 * - `no-inferences`: the window ended before one pass finished;
 * - `unavailable`: nothing to measure on (no power reader, no simulated device);
 * - `measurement-failed`: the tracker failed during the window;
 * - `invalid-request`: a window, batch size or input shape out of range;
 * - `closed`: the measurer was closed.
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

/** Whether there is anything to measure on, said at start and on every measured task. */
export type MeasurerReadiness =
  | {
      readonly ready: true;
      /** e.g. "rapl:intel-rapl:0 (cpu, measured)". */
      readonly devices: readonly string[];
    }
  | { readonly ready: false; readonly reason: string };
