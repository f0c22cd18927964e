import {
  cutText,
  DEFAULT_LATENCY_UNIT,
  embeddedIntensityLookup,
  type LatencyUnit,
  type PueValue,
  resolvePue,
} from "@wattprint/core";
import {
  asciiJson,
  type CO2FootprintImpl,
  co2FootprintImplCodec,
  type HWResourceImpl,
  hwResourceImplCodec,
  type MLModelImpl,
  mlModelImplCodec,
  NodeId,
  NodeName,
  TOPICS,
  type UserInputImpl,
  userInputImplCodec,
} from "@wattprint/messages";
import { z } from "zod";
import type { Measurer } from "../ports/measurer.ts";
import type { NodeDefinition } from "../runtime/definition.ts";
import { CarbonPaths } from "./carbon-paths.ts";
import { ExtraDataMemo } from "./extra-data-memo.ts";
import { modeAllowed, TASK_MODES, type TaskMode } from "./task-route.ts";

export interface CarbonNodeSettings {
  readonly latencyUnit: LatencyUnit;
  readonly pue: PueValue;
  /**
   * gCO2eq/kWh for every task (the Python node's `SUSTAINML_GRID_CI`); else by region. 0 means
   * "not set", as it does for `SUSTAINML_GRID_CI` in the Python node (sustainml-wire.md §12.4).
   */
  readonly gridIntensityOverride?: number;
  /** Which path a task takes (task-route.ts); `auto` is SustainML's routing. */
  readonly mode: TaskMode;
  /** The measured path's window (SustainML's `CT_TARGET_SECONDS`). */
  readonly measureSeconds: number;
}

/** The longest measurement window a flag or a configuration request may ask for. */
export const MAX_MEASURE_SECONDS = 300;
export const DEFAULT_MEASURE_SECONDS = 1;

/**
 * The highest fixed grid intensity a flag, `SUSTAINML_GRID_CI` or a configuration request may
 * set, in gCO2eq/kWh. Every national grid sits under about 1,000 and a lignite plant alone near
 * 1,100 to 1,300; 5,000 leaves room for any real figure (a diesel island grid included) while
 * refusing a peer's 1e308, which made every footprint a meaningless (or infinite) number.
 */
export const MAX_GRID_CI = 5_000;

export interface CarbonNodeInputs extends Record<string, unknown> {
  readonly model: MLModelImpl;
  readonly userInput: UserInputImpl;
  readonly hw: HWResourceImpl;
}

/**
 * Defaults of a drop-in replacement: latency in hours as on SustainML main, and no facility
 * overhead (PUE 1), because the reference node applies none; both are flags of the app.
 */
export function defaultCarbonNodeSettings(): CarbonNodeSettings {
  const pue = resolvePue("local");
  if (!pue.ok) throw new Error("the local PUE profile is missing");
  return {
    latencyUnit: DEFAULT_LATENCY_UNIT,
    pue: pue.value,
    mode: "auto",
    measureSeconds: DEFAULT_MEASURE_SECONDS,
  };
}

/** Keys a configuration request may set; anything else is refused like the reference node. */
const configurationSchema = z
  .object({
    latency_unit: z.enum(["h", "s", "ms"]).optional(),
    pue: z.union([z.number(), z.string()]).optional(),
    grid_ci: z.number().nonnegative().max(MAX_GRID_CI).nullable().optional(),
    mode: z.enum(TASK_MODES).optional(),
    measure_seconds: z.number().positive().max(MAX_MEASURE_SECONDS).optional(),
  })
  .strict();

/**
 * How much of a refused request (and of the reason, which may quote a key or a value from
 * it) the refusal echoes. The reference node echoes all of it; a peer's 1 MB request would
 * then be answered with up to 6 MB once non-ASCII is escaped.
 */
export const MAX_ECHOED_CONFIGURATION_CHARS = 256;

/**
 * The longest configuration request read at all. Its five keys fit in under 200 characters;
 * a peer's 64 MB request took `JSON.parse` 9 to 23 s on the event loop, stalling every task.
 */
export const MAX_CONFIGURATION_CHARS = 4096;

function unsupported(
  configuration: string,
  reason?: string,
): { success: false; configuration: string } {
  const error = `Unsupported configuration request: ${cutText(configuration, MAX_ECHOED_CONFIGURATION_CHARS)}`;
  const refusal = reason
    ? { error, reason: cutText(reason, MAX_ECHOED_CONFIGURATION_CHARS) }
    : { error };
  return { success: false, configuration: asciiJson(refusal) };
}

/**
 * The override in force for a value given at start or by a configuration request: 0 is "not
 * set" wherever an intensity can be given (the flag, `SUSTAINML_GRID_CI`, configuration), as
 * in the Python node, so a deployment that writes 0 for "none" gets the regional figure, not a
 * footprint of zero.
 */
function gridOverride(value: number | null | undefined): number | undefined {
  return value === null || value === 0 ? undefined : value;
}

function withGridOverride(
  settings: CarbonNodeSettings,
  override: number | undefined,
): CarbonNodeSettings {
  const { gridIntensityOverride: _, ...rest } = settings;
  return override === undefined ? rest : { ...rest, gridIntensityOverride: override };
}

function settingsJson(settings: CarbonNodeSettings): string {
  return asciiJson({
    latency_unit: settings.latencyUnit,
    pue: settings.pue.value,
    grid_ci: settings.gridIntensityOverride ?? null,
    mode: settings.mode,
    measure_seconds: settings.measureSeconds,
  });
}

/** The carbon node's definition, with its current settings (the configuration service changes them). */
export type CarbonFootprintNode = NodeDefinition<CarbonNodeInputs, CO2FootprintImpl> & {
  settings(): CarbonNodeSettings;
};

export interface CarbonNodePorts {
  /** Runs models on this host for the measured (`tracker`) path; without one every task is estimated. */
  readonly measurer?: Measurer;
}

/**
 * SustainML's Carbontracker Node (wp3 `carbon_footprint_node.py`) as a node definition: joins
 * the ML model, user input and HW resource of a task, answers with its CO2Footprint in
 * grams, kWh and g/kWh. The estimate path computes from the HW node's power and latency in
 * microseconds; the measured path (`tracker`, with a `Measurer`) runs the model on this host
 * for a window and divides the energy read by the inferences run. Which path a task takes is
 * `settings.mode` and task-route.ts.
 */
export function carbonFootprintNode(
  initial: CarbonNodeSettings,
  ports: CarbonNodePorts = {},
): CarbonFootprintNode {
  let settings = withGridOverride(initial, gridOverride(initial.gridIntensityOverride));
  let lookup = embeddedIntensityLookup(settings.gridIntensityOverride);
  const extraData = new ExtraDataMemo();
  const paths = new CarbonPaths(extraData, ports.measurer);
  // The embedded tables load on first use; do it now so the first task is not the slow one.
  lookup({ region: "", continent: "Europe" });
  return {
    nodeName: NodeName.CARBON_FOOTPRINT_NODE,
    displayName: "CARBON_FOOTPRINT",
    nodeId: NodeId.CARBON_FOOTPRINT,
    inputs: {
      model: { topic: TOPICS.mlModelOutput.name, codec: mlModelImplCodec },
      userInput: { topic: TOPICS.userInput.name, codec: userInputImplCodec },
      hw: { topic: TOPICS.hwResourcesOutput.name, codec: hwResourceImplCodec },
    },
    output: { topic: TOPICS.carbonOutput.name, codec: co2FootprintImplCodec },
    settings: () => settings,

    handleTask({ model, userInput, hw }, taskId, context) {
      return paths.answer(
        { model, userInput, hw, userExtra: extraData.parseUser(userInput.extra_data) },
        taskId,
        {
          mode: settings.mode,
          measureSeconds: settings.measureSeconds,
          stopping: context?.stopping ?? false,
          options: { latencyUnit: settings.latencyUnit, pue: settings.pue, intensity: lookup },
        },
      );
    },

    faultOutput({ model }, taskId, message) {
      return paths.fault(model.model, taskId, message);
    },

    /**
     * The reference node refuses every request. This one accepts a JSON object setting
     * `latency_unit`, `pue`, `grid_ci` (null or 0 clears it), `mode` (estimate, measure, auto;
     * never one that runs more than the mode the node was started in: `modeAllowed`)
     * or `measure_seconds` (at most the window it was started with) and answers with the settings in
     * force; `{}` just reads them. Anything else gets the reference node's refusal.
     */
    handleConfiguration(configuration) {
      if (configuration.length > MAX_CONFIGURATION_CHARS) {
        return unsupported(
          configuration,
          `the request is ${configuration.length} characters long, over the limit of ${MAX_CONFIGURATION_CHARS} (MAX_CONFIGURATION_CHARS); it was not read`,
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(configuration);
      } catch {
        return unsupported(configuration);
      }
      const parsed = configurationSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return unsupported(
          configuration,
          `${issue?.path.join(".") || "request"}: ${issue?.message ?? "invalid"}`,
        );
      }
      const request = parsed.data;
      if (request.mode !== undefined && !modeAllowed(request.mode, initial.mode)) {
        return unsupported(
          configuration,
          `mode: "${request.mode}" would let the node run more than it was started to ` +
            `(mode ${initial.mode}); only its operator can allow that (--mode ${request.mode})`,
        );
      }
      if (
        request.measure_seconds !== undefined &&
        request.measure_seconds > initial.measureSeconds
      ) {
        // The window is how long the node is busy with each measured task.
        return unsupported(
          configuration,
          `measure_seconds: ${request.measure_seconds} s is longer than the ${initial.measureSeconds} s ` +
            "the node was started with; only its operator can allow that (--measure-seconds)",
        );
      }
      let pue = settings.pue;
      if (request.pue !== undefined) {
        const resolved = resolvePue(request.pue);
        if (!resolved.ok) return unsupported(configuration, resolved.error.message);
        pue = resolved.value;
      }
      const override =
        request.grid_ci === undefined
          ? settings.gridIntensityOverride
          : gridOverride(request.grid_ci);
      settings = withGridOverride(
        {
          latencyUnit: request.latency_unit ?? settings.latencyUnit,
          pue,
          mode: request.mode ?? settings.mode,
          measureSeconds: request.measure_seconds ?? settings.measureSeconds,
        },
        override,
      );
      lookup = embeddedIntensityLookup(settings.gridIntensityOverride);
      return { success: true, configuration: settingsJson(settings) };
    },
  };
}
