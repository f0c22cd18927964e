export { INTENSITY_CALL_DEADLINE_MS } from "./deadline.ts";
export { measure } from "./measure.ts";
export {
  API_KEY_PROVIDERS,
  type ApiKeyProvider,
  CARBONTRACKER_DEFAULT_PUE,
  DEFAULT_INTENSITY_REFRESH_S,
  LOCATION_ENV,
  MAX_INTENSITY_G_PER_KWH,
  MAX_LOCATION_CHARS,
  MAX_TASK_NAME_CHARS,
  parseTrackerOptions,
  type ResolvedTrackerOptions,
  TRACKER_COMPONENTS,
  type TrackerClock,
  type TrackerComponent,
  type TrackerErrorKind,
  type TrackerFailure,
  type TrackerOptions,
  type TrackerWarning,
  type TrackerWarningKind,
  trackerOptionsSchema,
} from "./options.ts";
export {
  DEFAULT_REPORT_BACKOFF_MS,
  DEFAULT_REPORT_RETRIES,
  DEFAULT_REPORT_TIMEOUT_MS,
  MAX_REPORT_BACKOFF_MS,
  MAX_REPORT_RETRIES,
  MAX_REPORT_TOTAL_MS,
  MAX_REPORT_WAIT_MS,
  MAX_RUN_TAGS,
  REPORT_API_KEY_ENV,
  type ReportBody,
  type ReportErrorKind,
  type ReportFailure,
  type ReportRunInput,
  type ReportStored,
  type ReportToOptions,
  reportBodySchema,
  reportRun,
  reportToOptionsSchema,
  runProjectSchema,
  runTagSchema,
} from "./report-to.ts";
export {
  type ComponentResult,
  componentResultSchema,
  type DeviceResult,
  deviceResultSchema,
  type EnergyFigures,
  energyFiguresSchema,
  equivalentResultSchema,
  type IntensityResult,
  intensityResultSchema,
  intensityValueSchema,
  type PerInference,
  perInferenceSchema,
  type TaskResult,
  TRACKER_RESULT_SCHEMA_ID,
  type TrackerResult,
  taskResultSchema,
  trackerResultSchema,
  warningResultSchema,
} from "./result.ts";
export { type SimulatedWatts, simulatedDeviceOptions } from "./simulated.ts";
export type { TaskMeasured } from "./task.ts";
export { CarbonTracker, type Work } from "./tracker.ts";
export { TrackerError } from "./tracker-error.ts";
export type * from "./types.ts";
export { WATTPRINT_VERSION } from "./version.ts";
