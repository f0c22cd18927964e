import type { MeasurerReadiness } from "@wattprint/core";

/**
 * Which path a carbon task takes, decided without I/O: first what must be looked up
 * (`routeLookups`), then, given what the lookups found, the route (`decideRoute`). The node's
 * shell does the lookups through the `Measurer` port between the two.
 *
 * - `estimate`: always the HW node's power × latency.
 * - `measure`: measure whatever is runnable (a model in the models folder, else a
 *   `model_path` naming a readable local `.onnx` file); estimate the rest.
 * - `auto` (default): SustainML's routing. A `model_path` ending in `.onnx` is a model for
 *   the selected hardware (an FPGA flow, say), so it is estimated (`onnx_hw_only`), as the
 *   reference node does; a model found in the models folder is measured on this host
 *   (`tracker`); anything else is estimated.
 */
export type TaskMode = "estimate" | "measure" | "auto";

export const TASK_MODES: readonly TaskMode[] = ["estimate", "measure", "auto"];

/**
 * What a mode lets the node run, least first: `estimate` nothing, `auto` the operator's models
 * folder, `measure` also a file any peer names in `model_path`.
 */
const MODE_REACH: Readonly<Record<TaskMode, number>> = { estimate: 0, auto: 1, measure: 2 };

/**
 * Whether a configuration request may switch to `requested` on a node its operator started in
 * `started`: it may narrow what the node runs, never widen it. Any peer that can reach the
 * node can send one, and `measure` would let it make the node load (and fingerprint) any
 * `.onnx` file it can name; only the operator's `--mode measure` allows that.
 */
export function modeAllowed(requested: TaskMode, started: TaskMode): boolean {
  return MODE_REACH[requested] <= MODE_REACH[started];
}

export interface RouteTask {
  readonly mode: TaskMode;
  readonly modelName: string;
  readonly modelPath: string;
  /** Undefined when the node has no measurer at all (no models folder, no `measure` mode). */
  readonly measurer: MeasurerReadiness | undefined;
  /**
   * The node is stopping and this task was queued before the stop: it is estimated, since a
   * measurement would hold the stop for its window, once per queued task.
   */
  readonly stopping: boolean;
}

/** What the shell must look up before `decideRoute`; both false means nothing. */
export interface RouteLookups {
  readonly modelsFolder: boolean;
  readonly modelPath: boolean;
}

const NO_LOOKUPS: RouteLookups = { modelsFolder: false, modelPath: false };

function isNoModel(name: string): boolean {
  return name.trim().toUpperCase() === "NO_MODEL";
}

function isOnnxPath(path: string): boolean {
  return path.toLowerCase().endsWith(".onnx");
}

export function routeLookups(task: RouteTask): RouteLookups {
  if (
    task.mode === "estimate" ||
    task.stopping ||
    !task.measurer?.ready ||
    isNoModel(task.modelName)
  )
    return NO_LOOKUPS;
  if (task.mode === "auto") {
    return isOnnxPath(task.modelPath) ? NO_LOOKUPS : { modelsFolder: true, modelPath: false };
  }
  return { modelsFolder: true, modelPath: task.modelPath !== "" };
}

/** What the lookups found; a field is undefined when it was not looked up or not found. */
export interface RouteFindings {
  readonly folderFile?: string | undefined;
  /** Where the folder lookup looked, for the reason when it found nothing. */
  readonly folderLookedFor?: string | undefined;
  readonly pathFile?: string | undefined;
}

export type Route =
  | { readonly kind: "estimate"; readonly reason: string }
  | {
      readonly kind: "measure";
      readonly file: string;
      readonly source: "models-folder" | "model-path";
      readonly reason: string;
    };

/** Every route says why it was taken, and so why the other path was not (`extra_data.mode_reason`). */
export function decideRoute(task: RouteTask, found: RouteFindings): Route {
  const estimate = (reason: string): Route => ({ kind: "estimate", reason });
  if (isNoModel(task.modelName)) return estimate("no model selected (NO_MODEL): nothing to run");
  if (task.mode === "estimate") return estimate("mode is estimate: the model is never run here");
  if (task.measurer === undefined) {
    return estimate(
      "this node has no measurer (no models folder given and mode is not measure): estimated",
    );
  }
  if (!task.measurer.ready) return estimate(`nothing to measure on: ${task.measurer.reason}`);
  if (task.mode === "auto" && isOnnxPath(task.modelPath)) {
    return estimate(
      "mode auto: a model_path ending in .onnx is a model for the selected hardware, so its figures come from the HW node (SustainML's onnx_hw_only)",
    );
  }
  // After the reasons that estimate a task anyway: those stay true at a stop.
  if (task.stopping) {
    return estimate(
      "the node is stopping: a task queued before the stop is estimated, not measured, so the stop waits for no measurement window",
    );
  }
  if (found.folderFile !== undefined) {
    return {
      kind: "measure",
      file: found.folderFile,
      source: "models-folder",
      reason: `mode ${task.mode}: model "${task.modelName}" is in the models folder (${found.folderFile}), so it was run on this host`,
    };
  }
  const notInFolder = `model "${task.modelName}" is not in the models folder${
    found.folderLookedFor !== undefined ? ` (looked for ${found.folderLookedFor})` : ""
  }`;
  if (task.mode === "measure" && found.pathFile !== undefined) {
    return {
      kind: "measure",
      file: found.pathFile,
      source: "model-path",
      reason: `mode measure: ${notInFolder}, but model_path is a readable local .onnx file (${found.pathFile}), so it was run on this host`,
    };
  }
  if (task.mode === "measure") {
    return estimate(
      `mode measure: ${notInFolder}, and model_path ${task.modelPath === "" ? "is empty" : `"${task.modelPath}" is not a readable local .onnx file (or lies outside the node's model path root, where one is set)`}; estimated instead`,
    );
  }
  return estimate(`mode auto: ${notInFolder}; estimated`);
}
