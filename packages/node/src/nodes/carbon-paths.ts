import {
  type CarbonTaskInputs,
  type CarbonTaskOptions,
  type CarbonTaskOutcome,
  computeCarbonFootprint,
  computeMeasuredFootprint,
  cutText,
  firstOversizeString,
  internalFailure,
  type MeasureFailure,
  type Measurement,
  type MeasureRequest,
} from "@wattprint/core";
import type { CO2FootprintImpl, JsonObject, JsonValue, TaskIdImpl } from "@wattprint/messages";
import { err, failure, type Result } from "@wattprint/result";
import type { Measurer } from "../ports/measurer.ts";
import type { TaskOutcome } from "../runtime/definition.ts";
import type { ExtraDataMemo } from "./extra-data-memo.ts";
import { measureRequest } from "./measure-request.ts";
import {
  decideRoute,
  type Route,
  type RouteFindings,
  type RouteTask,
  routeLookups,
  type TaskMode,
} from "./task-route.ts";

export interface PathSettings {
  readonly mode: TaskMode;
  readonly measureSeconds: number;
  /** The node is stopping: nothing is measured (`RouteTask.stopping`). */
  readonly stopping: boolean;
  readonly options: CarbonTaskOptions;
}

/**
 * The thin shell around the route decision: does the lookups the decision asks for through
 * the `Measurer` port, then runs the chosen path. A task that needs no lookup (every task in
 * `estimate` mode or without a measurer, an `.onnx` model_path in `auto`) is answered
 * synchronously, so the estimate path keeps its latency.
 */
/** The route of a task refused for its size: the estimate path's refusal says why. */
const OVERSIZE_ROUTE: Route = { kind: "estimate", reason: "inputs over their size limits" };

export class CarbonPaths {
  /** One-entry memo: the same estimate extra with the same reason is the same object, so
   * the ExtraDataMemo keeps writing its bytes once per burst. */
  private reasoned: { base: JsonObject; reason: string; extra: JsonObject } | undefined;

  constructor(
    private readonly extraData: ExtraDataMemo,
    private readonly measurer: Measurer | undefined,
  ) {}

  answer(
    inputs: CarbonTaskInputs,
    taskId: TaskIdImpl,
    settings: PathSettings,
  ): TaskOutcome<CO2FootprintImpl> | Promise<TaskOutcome<CO2FootprintImpl>> {
    // Inputs over the core's limits are refused before anything is looked up or quoted: a
    // peer's megabyte-long model name (which path normalisation may still turn into a model
    // of the folder) would otherwise be copied into the answer's reasons.
    if (firstOversizeString(inputs) !== undefined) {
      return this.estimate(inputs, taskId, settings, OVERSIZE_ROUTE);
    }
    const task: RouteTask = {
      mode: settings.mode,
      modelName: inputs.model.model,
      modelPath: inputs.model.model_path,
      measurer: this.measurer?.readiness(),
      stopping: settings.stopping,
    };
    const lookups = routeLookups(task);
    if (!lookups.modelsFolder && !lookups.modelPath) {
      return this.estimate(inputs, taskId, settings, decideRoute(task, {}));
    }
    return this.lookUpAndRun(inputs, taskId, settings, task, lookups);
  }

  private async lookUpAndRun(
    inputs: CarbonTaskInputs,
    taskId: TaskIdImpl,
    settings: PathSettings,
    task: RouteTask,
    lookups: { modelsFolder: boolean; modelPath: boolean },
  ): Promise<TaskOutcome<CO2FootprintImpl>> {
    const measurer = this.measurer;
    if (measurer === undefined) throw new Error("lookups asked for without a measurer");
    let found: RouteFindings;
    try {
      const [folder, pathFile] = await Promise.all([
        lookups.modelsFolder ? measurer.locateModel(task.modelName) : undefined,
        lookups.modelPath ? measurer.runnablePath(task.modelPath) : undefined,
      ]);
      // The names come from the bus; an adapter that indexes a plain object with one
      // ("__proto__", "constructor") hands back something that is not a file name.
      found = {
        folderFile: typeof folder?.file === "string" ? folder.file : undefined,
        folderLookedFor: typeof folder?.lookedFor === "string" ? folder.lookedFor : undefined,
        pathFile: typeof pathFile === "string" ? pathFile : undefined,
      };
    } catch (error) {
      // A lookup that throws is the adapter's bug, met on a peer's name: estimate, and say so.
      const message = error instanceof Error ? error.message : String(error);
      const route = decideRoute(task, {});
      const reason = `${route.reason} (looking the model up failed: ${cutText(message, 200)})`;
      return this.estimate(inputs, taskId, settings, { kind: "estimate", reason });
    }
    const route = decideRoute(task, found);
    if (route.kind === "estimate") return this.estimate(inputs, taskId, settings, route);
    const request = measureRequest(route.file, settings.measureSeconds, inputs.userExtra);
    const measured = request.ok ? await measureGuarded(measurer, request.value) : request;
    if (!measured.ok) return this.measureFailed(inputs, taskId, settings, route, measured.error);
    const outcome = computeMeasuredFootprint(
      inputs,
      {
        energyJ: measured.value.energyJ,
        inferences: measured.value.inferences,
        windowS: measured.value.windowS,
        detail: measurementDetail(measured.value, route),
      },
      settings.options,
    );
    const extra = outcome.ok ? { ...outcome.extra, mode_reason: route.reason } : outcome.extra;
    return this.toTaskOutcome(outcome, extra, taskId);
  }

  private estimate(
    inputs: CarbonTaskInputs,
    taskId: TaskIdImpl,
    settings: PathSettings,
    route: Route,
  ): TaskOutcome<CO2FootprintImpl> {
    const outcome = computeCarbonFootprint(inputs, settings.options);
    // A refused or failed task says why in `error`; a reason is added to the answers only.
    const extra =
      outcome.ok || outcome.error?.kind === "no-model"
        ? this.withReason(outcome.extra, route.reason)
        : outcome.extra;
    return this.toTaskOutcome(outcome, extra, taskId);
  }

  /**
   * A measurement that failed still answers: with the estimate path's figures, the reason
   * in `extra_data.error` and `measure_error`, and the ERROR status (the task asked for a
   * measurement and did not get one).
   */
  private measureFailed(
    inputs: CarbonTaskInputs,
    taskId: TaskIdImpl,
    settings: PathSettings,
    route: Extract<Route, { kind: "measure" }>,
    error: MeasureFailure,
  ): TaskOutcome<CO2FootprintImpl> {
    const outcome = computeCarbonFootprint(inputs, settings.options);
    const message = `measuring ${route.file} failed (${error.kind}): ${error.message}`;
    const extra: Record<string, JsonValue> = {
      ...outcome.extra,
      mode_reason: `${route.reason}, but ${message}; ${outcome.ok ? "estimated instead" : "the estimate failed too"}`,
      error: outcome.ok ? message : `${message}; ${String(outcome.extra.error ?? "")}`,
      measure_error: { kind: error.kind, message: error.message, model_file: route.file },
    };
    return {
      ...this.toTaskOutcome(outcome, extra, taskId),
      ok: false,
      errorDescription: String(extra.error),
    };
  }

  private withReason(base: JsonObject, reason: string): JsonObject {
    const last = this.reasoned;
    if (last?.base === base && last.reason === reason) return last.extra;
    const extra = Object.freeze({ ...base, mode_reason: reason });
    this.reasoned = { base, reason, extra };
    return extra;
  }

  /** The output of a task whose handling threw: zeros and the reason, as the reference's catch-all. */
  fault(model: string, taskId: TaskIdImpl, why: string): CO2FootprintImpl {
    const outcome = internalFailure(model, `internal error: ${cutText(why, 200)}`);
    return this.toTaskOutcome(outcome, outcome.extra, taskId).output;
  }

  private toTaskOutcome(
    outcome: CarbonTaskOutcome,
    extra: JsonObject,
    taskId: TaskIdImpl,
  ): TaskOutcome<CO2FootprintImpl> {
    return {
      ok: outcome.ok,
      output: {
        carbon_footprint: outcome.carbonFootprintG,
        energy_consumption: outcome.energyConsumptionKWh,
        carbon_intensity: outcome.carbonIntensityGPerKWh,
        extra_data: this.extraData.write(extra),
        task_id: taskId,
      },
      ...(outcome.error !== undefined ? { errorDescription: outcome.error.message } : {}),
      warnings: outcome.warnings,
    };
  }
}

/** `extra_data.measurement`: what was run and what was read, device by device. */
function measurementDetail(
  measurement: Measurement,
  route: Extract<Route, { kind: "measure" }>,
): JsonObject {
  return {
    model_file: route.file,
    model_source: route.source,
    model_sha256: measurement.sha256,
    batch_size: measurement.batchSize,
    load_s: measurement.loadS,
    components: measurement.components.map((c) => ({
      component: c.component,
      energy_j: c.energyJ,
      basis: c.basis,
    })),
    devices: measurement.devices.map((d) => ({
      id: d.id,
      name: d.name,
      component: d.component,
      energy_j: d.energyJ,
      basis: d.basis,
    })),
  };
}

/**
 * The port says `measure` answers failures as a `Result`; an adapter that rejects anyway is
 * met on a peer's task, so its rejection is a failed measurement (estimated instead), not a
 * task answered with an empty `extra_data`.
 */
async function measureGuarded(
  measurer: Measurer,
  request: MeasureRequest,
): Promise<Result<Measurement, MeasureFailure>> {
  try {
    return await measurer.measure(request);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return err(failure("measurement-failed", `the measurer threw: ${cutText(message, 200)}`));
  }
}
