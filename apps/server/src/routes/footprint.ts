import {
  MAX_CONTINENT_CHARS,
  MAX_HW_DESCRIPTION_CHARS,
  MAX_MODEL_NAME_CHARS,
  MAX_MODEL_PATH_CHARS,
  MAX_REGION_CHARS,
} from "@wattprint/core";
import {
  type HWResourceImpl,
  isValidTaskId,
  type JsonObject,
  type MLModelImpl,
  readExtraData,
  type UserInputImpl,
  writeExtraData,
} from "@wattprint/messages";
import {
  type CarbonFootprintNode,
  carbonFootprintNode,
  defaultCarbonNodeSettings,
} from "@wattprint/node";
import { z } from "zod";
import type { RouteContext, TypedApp } from "../app-types.ts";
import { PROBLEM_RESPONSES } from "../http/common-responses.ts";
import { refuseDeepJson } from "../http/json-depth.ts";
import { ProblemError } from "../http/problem.ts";

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/**
 * Any JSON value (zod's `z.json()`), written out so that its recursion refers to the named
 * schema itself: `z.json()`'s came out in the OpenAPI document as
 * `#/components/schemas/__shared#/$defs/schema0`, a `$ref` with two fragments no tool resolves.
 */
const jsonValue: z.ZodType<JsonValue> = z
  .lazy(() =>
    z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(jsonValue),
      z.record(z.string(), jsonValue),
    ]),
  )
  .meta({ id: "JsonValue" });
const jsonObject = z.record(z.string(), jsonValue);
const u32 = z.number().int().min(0).max(4_294_967_295);

/**
 * The carbon node's three inputs as JSON: the fields it reads, named as in the IDL (and
 * `@wattprint/messages`), with `extra_data` as the JSON object the bytes carry. The strings
 * are bounded by the core's input limits plus a margin, so an oversized one still reaches the
 * node and gets its answer (an ERROR footprint), as it would on the bus.
 */
const footprintTaskSchema = z
  .object({
    ml_model: z
      .object({
        model: z.string().max(MAX_MODEL_NAME_CHARS * 2),
        model_path: z
          .string()
          .max(MAX_MODEL_PATH_CHARS * 2)
          .default(""),
      })
      .strict(),
    user_input: z
      .object({
        geo_location_region: z
          .string()
          .max(MAX_REGION_CHARS * 2)
          .default(""),
        geo_location_continent: z
          .string()
          .max(MAX_CONTINENT_CHARS * 2)
          .default(""),
        extra_data: jsonObject.optional(),
      })
      .strict(),
    hw: z
      .object({
        hw_description: z
          .string()
          .max(MAX_HW_DESCRIPTION_CHARS * 2)
          .default(""),
        power_consumption: z.number().describe("watts"),
        latency: z
          .number()
          .describe("in settings.latency_unit (default hours, as on SustainML main)"),
      })
      .strict(),
    task_id: z
      .object({ problem_id: u32, iteration_id: u32 })
      .strict()
      // The node drops inputs stamped (0,0), "no task", and never answers them.
      .refine(isValidTaskId, {
        message: "(0, 0) means no task: a bus node drops such inputs and never answers",
      })
      .default({ problem_id: 1, iteration_id: 1 }),
    settings: z
      .object({
        latency_unit: z.enum(["h", "s", "ms"]).optional(),
        pue: z.union([z.number(), z.string()]).optional(),
        grid_ci: z.number().nonnegative().nullable().optional(),
      })
      .strict()
      .optional()
      .describe("The node's configuration service keys; default: wattprint-node's defaults"),
  })
  .strict()
  .meta({ id: "FootprintTask" });

const co2FootprintSchema = z
  .object({
    ok: z.boolean().describe("false where the node publishes an ERROR status with the footprint"),
    error: z.string().optional(),
    warnings: z.array(z.string()),
    carbon_footprint: z.number().describe("gCO2eq"),
    energy_consumption: z.number().describe("kWh"),
    carbon_intensity: z.number().describe("gCO2eq/kWh"),
    extra_data: jsonObject,
    task_id: z.object({ problem_id: u32, iteration_id: u32 }),
  })
  .meta({ id: "CO2Footprint" });

/** Nodes by settings: the bus node's definition is the computation, built once per setting. */
const MAX_NODES = 32;

function nodeFor(
  nodes: Map<string, CarbonFootprintNode>,
  settings: z.infer<typeof footprintTaskSchema>["settings"],
): CarbonFootprintNode {
  const key = JSON.stringify(settings ?? {});
  const known = nodes.get(key);
  if (known !== undefined) return known;
  const node = carbonFootprintNode(defaultCarbonNodeSettings());
  if (settings !== undefined) {
    // Through the node's own configuration service, so its rules and messages apply.
    const outcome = node.handleConfiguration(JSON.stringify(settings));
    if (!outcome.success) {
      const reason = (JSON.parse(outcome.configuration) as { reason?: string }).reason;
      throw new ProblemError("invalid-request", `settings: ${reason ?? "not accepted"}`, {
        field: "settings",
      });
    }
  }
  if (nodes.size >= MAX_NODES) nodes.delete(nodes.keys().next().value ?? "");
  nodes.set(key, node);
  return node;
}

const NO_BYTES = new Uint8Array(0);
const bytesOf = (extra: JsonObject | undefined): Uint8Array =>
  extra === undefined ? NO_BYTES : writeExtraData(extra);

/**
 * `POST /v1/footprint`: the SustainML carbon footprint task over JSON, answered by the very
 * node definition `wattprint-node` runs (`@wattprint/node`'s `carbonFootprintNode`), so the
 * CO2Footprint and its `extra_data` are what the bus node would publish for the same inputs.
 */
export function footprintRoutes(app: TypedApp, _context: RouteContext): void {
  const nodes = new Map<string, CarbonFootprintNode>();
  nodeFor(nodes, undefined);
  app.post(
    "/v1/footprint",
    {
      preValidation: refuseDeepJson,
      schema: {
        summary: "The SustainML carbon node's answer to one task",
        tags: ["sustainml"],
        body: footprintTaskSchema,
        response: { 200: co2FootprintSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const { ml_model, user_input, hw, task_id, settings } = request.body;
      const node = nodeFor(nodes, settings);
      const model: MLModelImpl = {
        model_path: ml_model.model_path,
        model: ml_model.model,
        raw_model: NO_BYTES,
        model_properties_path: "",
        model_properties: "",
        input_batch: [],
        target_latency: 0,
        extra_data: NO_BYTES,
        task_id,
      };
      const userInput: UserInputImpl = {
        modality: "",
        problem_short_description: "",
        problem_definition: "",
        inputs: [],
        outputs: [],
        minimum_samples: 0,
        maximum_samples: 0,
        optimize_carbon_footprint_manual: false,
        previous_iteration: 0,
        optimize_carbon_footprint_auto: false,
        desired_carbon_footprint: 0,
        geo_location_continent: user_input.geo_location_continent,
        geo_location_region: user_input.geo_location_region,
        extra_data: bytesOf(user_input.extra_data),
        task_id,
      };
      const hwResource: HWResourceImpl = {
        hw_description: hw.hw_description,
        power_consumption: hw.power_consumption,
        latency: hw.latency,
        memory_footprint_of_ml_model: 0,
        max_hw_memory_footprint: 0,
        extra_data: NO_BYTES,
        task_id,
      };
      const outcome = await node.handleTask({ model, userInput, hw: hwResource }, task_id);
      const extra = readExtraData(outcome.output.extra_data);
      return {
        ok: outcome.ok,
        ...(outcome.errorDescription !== undefined ? { error: outcome.errorDescription } : {}),
        warnings: [...(outcome.warnings ?? [])],
        carbon_footprint: outcome.output.carbon_footprint,
        energy_consumption: outcome.output.energy_consumption,
        carbon_intensity: outcome.output.carbon_intensity,
        // The node always writes an object; an empty one would say it had not.
        extra_data: extra.ok
          ? (extra.value as Record<string, z.infer<ReturnType<typeof z.json>>>)
          : {},
        task_id,
      };
    },
  );
}
