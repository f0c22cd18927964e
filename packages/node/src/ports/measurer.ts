import type {
  MeasureFailure,
  Measurement,
  MeasureRequest,
  MeasurerReadiness,
} from "@wattprint/core";
import type { Result } from "@wattprint/result";

/**
 * The only thing the carbon node knows of measuring a model: a port. The node decides which
 * path a task takes (`task-route.ts`) and turns a measurement into a footprint; running the
 * model and reading the power are the adapter's business (`@wattprint/measure`, wired by the
 * bus node), so `node` stays on messages, rtps and core. The request, measurement and
 * failure types are the core's, so the adapter implements this port without importing the
 * node.
 */
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
