import type { HWResourceImpl, MLModelImpl, UserInputImpl } from "@wattprint/messages";

/*
 * Size limits on a carbon task's inputs, checked before any work is done on them. Each is
 * far above what a SustainML deployment sends (names of tens of characters, a handful of
 * model restrictions) and low enough that nothing done per task afterwards (name
 * normalisation, de-duplication, JSON writing, logging) can take long or grow large. The
 * extra_data byte and depth limits live with the JSON reader (`MAX_EXTRA_DATA_BYTES`,
 * `MAX_EXTRA_DATA_DEPTH` in @wattprint/messages). Lengths are JavaScript string lengths
 * (UTF-16 code units), read in O(1).
 */

/** `UserInput.geo_location_region`: the longest zone or country name known is 51. */
export const MAX_REGION_CHARS = 256;
/** `UserInput.geo_location_continent`. */
export const MAX_CONTINENT_CHARS = 256;
/** `MLModel.model` and each `model_restrains` entry: model ids are tens of characters. */
export const MAX_MODEL_NAME_CHARS = 512;
/** `MLModel.model_path`: Linux's PATH_MAX. */
export const MAX_MODEL_PATH_CHARS = 4096;
/** `HWResource.hw_description`: informational, a product name or a short sentence. */
export const MAX_HW_DESCRIPTION_CHARS = 1024;
/** Entries of the user's `extra_data.model_restrains` (the orchestrator's excluded models). */
export const MAX_MODEL_RESTRAINS = 1000;

/** The reference node's prefix for every failed task. */
export const TASK_ERROR_PREFIX = "Failed to obtain carbon footprint information: ";

export function tooLong(field: string, length: number, limit: number, name: string): string {
  return `${field} is ${length} characters long, over the limit of ${limit} (${name})`;
}

/**
 * The first string input of a task over its limit, as a reason naming the field and the
 * limit, or undefined. Five length comparisons: this runs on every task.
 */
/** The string fields of a carbon task's inputs, the only ones these limits read. */
export interface TaskStrings {
  readonly model: Pick<MLModelImpl, "model" | "model_path">;
  readonly userInput: Pick<UserInputImpl, "geo_location_region" | "geo_location_continent">;
  readonly hw: Pick<HWResourceImpl, "hw_description">;
}

export function firstOversizeString(inputs: TaskStrings): string | undefined {
  const { model, model_path: modelPath } = inputs.model;
  if (model.length > MAX_MODEL_NAME_CHARS) {
    return tooLong("MLModel.model", model.length, MAX_MODEL_NAME_CHARS, "MAX_MODEL_NAME_CHARS");
  }
  if (modelPath.length > MAX_MODEL_PATH_CHARS) {
    return tooLong(
      "MLModel.model_path",
      modelPath.length,
      MAX_MODEL_PATH_CHARS,
      "MAX_MODEL_PATH_CHARS",
    );
  }
  const { geo_location_region: region, geo_location_continent: continent } = inputs.userInput;
  if (region.length > MAX_REGION_CHARS) {
    return tooLong(
      "UserInput.geo_location_region",
      region.length,
      MAX_REGION_CHARS,
      "MAX_REGION_CHARS",
    );
  }
  if (continent.length > MAX_CONTINENT_CHARS) {
    return tooLong(
      "UserInput.geo_location_continent",
      continent.length,
      MAX_CONTINENT_CHARS,
      "MAX_CONTINENT_CHARS",
    );
  }
  const description = inputs.hw.hw_description;
  if (description.length > MAX_HW_DESCRIPTION_CHARS) {
    return tooLong(
      "HWResource.hw_description",
      description.length,
      MAX_HW_DESCRIPTION_CHARS,
      "MAX_HW_DESCRIPTION_CHARS",
    );
  }
  return undefined;
}
