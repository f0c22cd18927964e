import { z } from "zod";
import {
  bool,
  bytes,
  f64,
  i32,
  type StructLayout,
  str,
  strings,
  structKind,
  u32,
} from "../cdr/layout.ts";
import { defineCodec } from "../codec.ts";
import {
  boolSchema,
  bytesSchema,
  f64Schema,
  i32Schema,
  stringSchema,
  stringsSchema,
  u32Schema,
} from "./primitives.ts";
import { taskIdImplLayout, taskIdImplSchema } from "./task-id.ts";

const taskIdKey = { name: "task_id", kind: structKind(taskIdImplLayout), key: true } as const;

/** `/sustainml/user_input`: the problem as the user stated it. */
export const userInputImplSchema = z.object({
  modality: stringSchema,
  problem_short_description: stringSchema,
  problem_definition: stringSchema,
  inputs: stringsSchema,
  outputs: stringsSchema,
  minimum_samples: u32Schema,
  maximum_samples: u32Schema,
  optimize_carbon_footprint_manual: boolSchema,
  previous_iteration: i32Schema,
  optimize_carbon_footprint_auto: boolSchema,
  desired_carbon_footprint: f64Schema,
  geo_location_continent: stringSchema,
  geo_location_region: stringSchema,
  extra_data: bytesSchema,
  task_id: taskIdImplSchema,
});
export type UserInputImpl = z.infer<typeof userInputImplSchema>;

export const userInputImplLayout: StructLayout = {
  typeName: "UserInputImpl",
  fields: [
    { name: "modality", kind: str },
    { name: "problem_short_description", kind: str },
    { name: "problem_definition", kind: str },
    { name: "inputs", kind: strings },
    { name: "outputs", kind: strings },
    { name: "minimum_samples", kind: u32 },
    { name: "maximum_samples", kind: u32 },
    { name: "optimize_carbon_footprint_manual", kind: bool },
    { name: "previous_iteration", kind: i32 },
    { name: "optimize_carbon_footprint_auto", kind: bool },
    { name: "desired_carbon_footprint", kind: f64 },
    { name: "geo_location_continent", kind: str },
    { name: "geo_location_region", kind: str },
    { name: "extra_data", kind: bytes },
    taskIdKey,
  ],
};

export const userInputImplCodec = defineCodec(userInputImplLayout, userInputImplSchema);

/** `/sustainml/ml_model_metadata/output`. */
export const mlModelMetadataImplSchema = z.object({
  keywords: stringsSchema,
  ml_model_metadata: stringsSchema,
  extra_data: bytesSchema,
  task_id: taskIdImplSchema,
});
export type MLModelMetadataImpl = z.infer<typeof mlModelMetadataImplSchema>;

export const mlModelMetadataImplLayout: StructLayout = {
  typeName: "MLModelMetadataImpl",
  fields: [
    { name: "keywords", kind: strings },
    { name: "ml_model_metadata", kind: strings },
    { name: "extra_data", kind: bytes },
    taskIdKey,
  ],
};

export const mlModelMetadataImplCodec = defineCodec(
  mlModelMetadataImplLayout,
  mlModelMetadataImplSchema,
);

/** `/sustainml/app_requirements/output`. */
export const appRequirementsImplSchema = z.object({
  app_requirements: stringsSchema,
  extra_data: bytesSchema,
  task_id: taskIdImplSchema,
});
export type AppRequirementsImpl = z.infer<typeof appRequirementsImplSchema>;

export const appRequirementsImplLayout: StructLayout = {
  typeName: "AppRequirementsImpl",
  fields: [
    { name: "app_requirements", kind: strings },
    { name: "extra_data", kind: bytes },
    taskIdKey,
  ],
};

export const appRequirementsImplCodec = defineCodec(
  appRequirementsImplLayout,
  appRequirementsImplSchema,
);

/** `/sustainml/hw_constraints/output`. */
export const hwConstraintsImplSchema = z.object({
  max_memory_footprint: u32Schema,
  hardware_required: stringsSchema,
  extra_data: bytesSchema,
  task_id: taskIdImplSchema,
});
export type HWConstraintsImpl = z.infer<typeof hwConstraintsImplSchema>;

export const hwConstraintsImplLayout: StructLayout = {
  typeName: "HWConstraintsImpl",
  fields: [
    { name: "max_memory_footprint", kind: u32 },
    { name: "hardware_required", kind: strings },
    { name: "extra_data", kind: bytes },
    taskIdKey,
  ],
};

export const hwConstraintsImplCodec = defineCodec(hwConstraintsImplLayout, hwConstraintsImplSchema);
