import { z } from "zod";
import { bytes, f64, type StructLayout, str, strings, structKind } from "../cdr/layout.ts";
import { defineCodec } from "../codec.ts";
import { bytesSchema, f64Schema, stringSchema, stringsSchema } from "./primitives.ts";
import { taskIdImplLayout, taskIdImplSchema } from "./task-id.ts";

const taskIdKey = { name: "task_id", kind: structKind(taskIdImplLayout), key: true } as const;

/** `/sustainml/ml_model_provider/output` and `/baseline`: an input of the carbon node. */
export const mlModelImplSchema = z.object({
  model_path: stringSchema,
  model: stringSchema,
  raw_model: bytesSchema,
  model_properties_path: stringSchema,
  model_properties: stringSchema,
  input_batch: stringsSchema,
  target_latency: f64Schema,
  extra_data: bytesSchema,
  task_id: taskIdImplSchema,
});
export type MLModelImpl = z.infer<typeof mlModelImplSchema>;

export const mlModelImplLayout: StructLayout = {
  typeName: "MLModelImpl",
  fields: [
    { name: "model_path", kind: str },
    { name: "model", kind: str },
    { name: "raw_model", kind: bytes },
    { name: "model_properties_path", kind: str },
    { name: "model_properties", kind: str },
    { name: "input_batch", kind: strings },
    { name: "target_latency", kind: f64 },
    { name: "extra_data", kind: bytes },
    taskIdKey,
  ],
};

export const mlModelImplCodec = defineCodec(mlModelImplLayout, mlModelImplSchema);

/** `/sustainml/hw_resources/output` and `/baseline`: an input of the carbon node. */
export const hwResourceImplSchema = z.object({
  hw_description: stringSchema,
  power_consumption: f64Schema,
  latency: f64Schema,
  memory_footprint_of_ml_model: f64Schema,
  max_hw_memory_footprint: f64Schema,
  extra_data: bytesSchema,
  task_id: taskIdImplSchema,
});
export type HWResourceImpl = z.infer<typeof hwResourceImplSchema>;

export const hwResourceImplLayout: StructLayout = {
  typeName: "HWResourceImpl",
  fields: [
    { name: "hw_description", kind: str },
    { name: "power_consumption", kind: f64 },
    { name: "latency", kind: f64 },
    { name: "memory_footprint_of_ml_model", kind: f64 },
    { name: "max_hw_memory_footprint", kind: f64 },
    { name: "extra_data", kind: bytes },
    taskIdKey,
  ],
};

export const hwResourceImplCodec = defineCodec(hwResourceImplLayout, hwResourceImplSchema);

/** `/sustainml/carbon_tracker/output` and `/baseline`: what the carbon node writes. */
export const co2FootprintImplSchema = z.object({
  carbon_footprint: f64Schema,
  energy_consumption: f64Schema,
  carbon_intensity: f64Schema,
  extra_data: bytesSchema,
  task_id: taskIdImplSchema,
});
export type CO2FootprintImpl = z.infer<typeof co2FootprintImplSchema>;

export const co2FootprintImplLayout: StructLayout = {
  typeName: "CO2FootprintImpl",
  fields: [
    { name: "carbon_footprint", kind: f64 },
    { name: "energy_consumption", kind: f64 },
    { name: "carbon_intensity", kind: f64 },
    { name: "extra_data", kind: bytes },
    taskIdKey,
  ],
};

export const co2FootprintImplCodec = defineCodec(co2FootprintImplLayout, co2FootprintImplSchema);
