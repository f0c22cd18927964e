import {
  computeCarbonFootprint,
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
import type { NodeDefinition } from "../runtime/definition.ts";
import { ExtraDataMemo } from "./extra-data-memo.ts";

export interface CarbonNodeSettings {
  readonly latencyUnit: LatencyUnit;
  readonly pue: PueValue;
  /** gCO2eq/kWh for every task (the Python node's `SUSTAINML_GRID_CI`); else by region. */
  readonly gridIntensityOverride?: number;
}

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
  return { latencyUnit: DEFAULT_LATENCY_UNIT, pue: pue.value };
}

/** Keys a configuration request may set; anything else is refused like the reference node. */
const configurationSchema = z
  .object({
    latency_unit: z.enum(["h", "s", "ms"]).optional(),
    pue: z.union([z.number(), z.string()]).optional(),
    grid_ci: z.number().nonnegative().nullable().optional(),
  })
  .strict();

function unsupported(
  configuration: string,
  reason?: string,
): { success: false; configuration: string } {
  const error = `Unsupported configuration request: ${configuration}`;
  return { success: false, configuration: asciiJson(reason ? { error, reason } : { error }) };
}

function settingsJson(settings: CarbonNodeSettings): string {
  return asciiJson({
    latency_unit: settings.latencyUnit,
    pue: settings.pue.value,
    grid_ci: settings.gridIntensityOverride ?? null,
  });
}

/** The carbon node's definition, with its current settings (the configuration service changes them). */
export type CarbonFootprintNode = NodeDefinition<CarbonNodeInputs, CO2FootprintImpl> & {
  settings(): CarbonNodeSettings;
};

/**
 * SustainML's Carbontracker Node (wp3 `carbon_footprint_node.py`) as a node definition: joins
 * the ML model, user input and HW resource of a task, answers with its CO2Footprint in
 * grams, kWh and g/kWh. It computes, it does not sleep or run the model, so a task takes
 * microseconds instead of seconds.
 */
export function carbonFootprintNode(initial: CarbonNodeSettings): CarbonFootprintNode {
  let settings = initial;
  let lookup = embeddedIntensityLookup(settings.gridIntensityOverride);
  const extraData = new ExtraDataMemo();
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

    handleTask({ model, userInput, hw }, taskId) {
      const outcome = computeCarbonFootprint(
        { model, userInput, hw, userExtra: extraData.parseUser(userInput.extra_data) },
        {
          latencyUnit: settings.latencyUnit,
          pue: settings.pue,
          intensity: lookup,
        },
      );
      return {
        ok: outcome.ok,
        output: {
          carbon_footprint: outcome.carbonFootprintG,
          energy_consumption: outcome.energyConsumptionKWh,
          carbon_intensity: outcome.carbonIntensityGPerKWh,
          extra_data: extraData.write(outcome.extra),
          task_id: taskId,
        },
        ...(outcome.error !== undefined ? { errorDescription: outcome.error.message } : {}),
        warnings: outcome.warnings,
      };
    },

    /**
     * The reference node refuses every request. This one accepts a JSON object setting
     * `latency_unit`, `pue` or `grid_ci` (null clears it) and answers with the settings in
     * force; `{}` just reads them. Anything else gets the reference node's refusal.
     */
    handleConfiguration(configuration) {
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
      let pue = settings.pue;
      if (request.pue !== undefined) {
        const resolved = resolvePue(request.pue);
        if (!resolved.ok) return unsupported(configuration, resolved.error.message);
        pue = resolved.value;
      }
      const override =
        request.grid_ci === undefined
          ? settings.gridIntensityOverride
          : (request.grid_ci ?? undefined);
      settings = {
        latencyUnit: request.latency_unit ?? settings.latencyUnit,
        pue,
        ...(override !== undefined ? { gridIntensityOverride: override } : {}),
      };
      lookup = embeddedIntensityLookup(settings.gridIntensityOverride);
      return { success: true, configuration: settingsJson(settings) };
    },
  };
}
