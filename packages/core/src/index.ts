export {
  CLOUD_NAMES,
  CLOUD_PROVIDERS,
  type CloudInstance,
  type CloudProvider,
  type CloudRegion,
} from "./cloud/cloud.ts";
export { cloudPue, instanceComponents, vcpusPerSocket } from "./cloud/components.ts";
export { cloudSource, cloudSources } from "./cloud/data/cloud-sources.ts";
export { cloudInstances } from "./cloud/data/instances.ts";
export { CLOUD_PUE_PROFILE } from "./cloud/data/pue.ts";
export { cloudRegions } from "./cloud/data/regions.ts";
export {
  type CloudLookupError,
  type CloudLookupErrorKind,
  findCloudInstance,
  findCloudProvider,
  findCloudRegion,
  INSTANCE_HINT,
  REGION_HINT,
  searchCloudInstances,
  searchCloudRegions,
} from "./cloud/lookup.ts";
export { type Equivalent, equivalents } from "./equivalents.ts";
export {
  type ComponentEstimate,
  type Estimate,
  type EstimatedQuantity,
  type EstimateError,
  type EstimateInput,
  estimate,
  type IntensityInput,
  type PowerComponent,
  type Work,
  workDuration,
} from "./estimate/estimate.ts";
export {
  estimateFootprint,
  estimateParsedFootprint,
  type FootprintError,
  type FootprintOptions,
  type FootprintRequest,
  footprintRequestSchema,
  MAX_HARDWARE_ITEMS,
  MAX_REQUEST_TEXT_CHARS,
  type ParsedFootprintRequest,
} from "./estimate/footprint.ts";
export { estimateInference, type InferenceInput } from "./estimate/inference.ts";
export { type LeftOut, type LeftOutPart, leftOut } from "./estimate/left-out.ts";
export {
  type EpochMeasurement,
  type Prediction,
  type PredictionError,
  type PredictionInput,
  predictTotal,
} from "./estimate/predict.ts";
export {
  type EstimateReport,
  estimateReportSchema,
  toEstimateReport,
} from "./estimate/report.ts";
export { estimateReportJson, estimateReportJsonIntrospect } from "./estimate/report-json.ts";
export { type SourceJson, sourceOf, sourceSchema } from "./estimate/source.ts";
export {
  acceleratorProfiles,
  type CountedHardware,
  cpuProfiles,
  type FindHardwareOptions,
  findHardware,
  HARDWARE_HINT,
  type HardwareCountError,
  type HardwareKind,
  type HardwareLookupError,
  type HardwareLookupErrorKind,
  type HardwareMatch,
  type HardwareProfile,
  hardwarePower,
  hardwareProfiles,
  hardwareSource,
  hardwareSources,
  type InvalidMemory,
  type InvalidUtilisation,
  MACHINES_HINT,
  memoryPower,
  memorySlicePower,
  memorySources,
  modulePowerW,
  type PowerEstimate,
  readHardwareCount,
  searchHardware,
  startsWithGeneration,
} from "./hardware/index.ts";
export {
  type GridIntensity,
  type GridIntensityOptions,
  type IntensityError,
  type IntensityLevel,
  type IntensityProvider,
  type LiveIntensity,
  type LocationError,
  MAX_SUGGESTION_QUERY_CHARS,
  type ProviderError,
  type ProviderErrorKind,
  providerErrors,
  type ResolvedLocation,
  resolveGridIntensity,
  resolveGridIntensityLive,
  resolveLocation,
  searchZones,
  ZONES_HINT,
  type ZoneEntry,
} from "./intensity/index.ts";
export { machineComponents } from "./machines/components.ts";
export { machineSource, machineSources } from "./machines/data/machine-sources.ts";
export { machinePresets } from "./machines/data/machines.ts";
export { findMachine, type MachineLookupError, searchMachines } from "./machines/lookup.ts";
export type { MachinePreset } from "./machines/machine.ts";
export { type Provenance, type Sourced, type SourceRef, userSupplied } from "./provenance.ts";
export {
  DEFAULT_PUE_PROFILE_ID,
  defaultPue,
  PUE_PROFILES,
  type PueError,
  type PueProfile,
  type PueValue,
  resolvePue,
} from "./pue.ts";
export {
  type CarbonTaskError,
  type CarbonTaskErrorKind,
  type CarbonTaskInputs,
  type CarbonTaskOptions,
  type CarbonTaskOutcome,
  computeCarbonFootprint,
  DEFAULT_LATENCY_UNIT,
  type IntensityLookup,
  type IntensityQuery,
  internalFailure,
  type LatencyUnit,
  UNDESCRIBED_HARDWARE,
} from "./sustainml/carbon-task.ts";
export type { UserExtra } from "./sustainml/extra-data.ts";
export {
  firstOversizeString,
  MAX_CONTINENT_CHARS,
  MAX_HW_DESCRIPTION_CHARS,
  MAX_MODEL_NAME_CHARS,
  MAX_MODEL_PATH_CHARS,
  MAX_MODEL_RESTRAINS,
  MAX_REGION_CHARS,
} from "./sustainml/input-limits.ts";
export { embeddedIntensityLookup } from "./sustainml/intensity-lookup.ts";
export {
  computeMeasuredFootprint,
  MEASURED_FORMULA,
  type MeasuredWork,
} from "./sustainml/measured-task.ts";
export type {
  EnergyBasis,
  MeasuredComponent,
  MeasuredDevice,
  MeasureFailure,
  MeasureFailureKind,
  Measurement,
  MeasureRequest,
  MeasurerReadiness,
} from "./sustainml/measurement.ts";
export { type Candidate, type ClosestOptions, closest } from "./text/closest.ts";
export { cutText } from "./text/cut-text.ts";
export { describeThrown } from "./text/describe-thrown.ts";
export { dateTimeMs } from "./time/date-time-ms.ts";
export {
  DEFAULT_SIGNIFICANT_DIGITS,
  formatNumber,
  formatQuantity,
  readableUnit,
} from "./units/format.ts";
export {
  type NumberParseError,
  parseDecimal,
  parseDuration,
  parseEnergy,
  parsePower,
  type UnitParseError,
} from "./units/parse.ts";
export {
  type Carbon,
  type CarbonIntensity,
  type CarbonUnit,
  carbonOf,
  convertCarbon,
  convertDuration,
  convertEnergy,
  convertPower,
  type Duration,
  type DurationUnit,
  type Energy,
  type EnergyUnit,
  energyOf,
  gramsCO2eq,
  gramsPerKWh,
  hours,
  isDurationUnit,
  isEnergyUnit,
  isPowerUnit,
  joules,
  kilowattHours,
  meanPower,
  milliseconds,
  milliwatts,
  type Power,
  type PowerUnit,
  type Quantity,
  scaleEnergy,
  seconds,
  sumEnergy,
  wattHours,
  watts,
} from "./units/quantity.ts";
export {
  parseInstant,
  parseTimeSpan,
  type TimeSpan,
  type TimeSpanError,
} from "./units/time-span.ts";
