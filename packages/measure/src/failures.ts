import type { Failure } from "@wattprint/result";

/**
 * Why a measurement gave no figures. The kinds are the ones the bus node's `Measurer` port
 * names, so this package's answers go to the node as they are.
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
