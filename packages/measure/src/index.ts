export type {
  EnergyBasis,
  MeasuredComponent,
  MeasuredDevice,
  MeasureRequest,
  MeasurerReadiness,
} from "@wattprint/core";
// The apps that wire a measurer take simulated watts on their command line; the mapping is the tracker's.
export { type SimulatedWatts, simulatedDeviceOptions } from "@wattprint/tracker";
export type { MeasureFailure, MeasureFailureKind } from "./failures.ts";
export {
  batchFed,
  FEEDABLE_TYPES,
  type FeedPlan,
  type FeedRequest,
  type FeedType,
  type InputMetadata,
  MAX_FEED_BYTES,
  MAX_FEED_ELEMENTS,
  MAX_INPUTS,
  planFeeds,
} from "./feeds.ts";
export {
  checkOnnxFile,
  isOnnxPath,
  MAX_HASHED_FILES,
  MAX_MODEL_BYTES,
  type ModelFile,
  ModelHashes,
  readableOnnxFile,
} from "./model-file.ts";
export {
  DEFAULT_SAMPLE_INTERVAL_S,
  MAX_WINDOW_S,
  type Measurement,
  type MeasurerOpenError,
  type MeasurerTrackerOptions,
  ModelMeasurer,
  type ModelMeasurerOptions,
} from "./model-measurer.ts";
export {
  type LocatedModel,
  MAX_MANIFEST_BYTES,
  MAX_MANIFEST_ENTRIES,
  MODELS_MANIFEST,
  ModelsFolder,
  type ModelsFolderError,
} from "./models-folder.ts";
export {
  DEFAULT_LOAD_TIMEOUT_MS,
  DEFAULT_MAX_MODELS,
  DEFAULT_RUN_GRACE_MS,
  defaultMaxRunnerRssBytes,
  ModelRunner,
  type ModelRunnerOptions,
  RSS_CHECK_INTERVAL_MS,
} from "./runner/model-runner.ts";
