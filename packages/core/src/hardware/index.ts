export {
  type CountedHardware,
  type HardwareCountError,
  readHardwareCount,
} from "./counted-name.ts";
export { acceleratorProfiles, cpuProfiles, hardwareProfiles } from "./data/catalogue.ts";
export { type HardwareSourceId, hardwareSource, hardwareSources } from "./data/sources.ts";
export {
  type FindHardwareOptions,
  findHardware,
  HARDWARE_HINT,
  type HardwareLookupError,
  type HardwareLookupErrorKind,
  type HardwareMatch,
  MACHINES_HINT,
  type MatchConfidence,
  searchHardware,
} from "./lookup.ts";
export {
  ASSUMED_MAX_MODULES,
  ASSUMED_MODULE_SIZES_GB,
  assumedModules,
  HOST_MODULE_GB,
  type InvalidMemory,
  type MemoryModel,
  type MemoryPowerOptions,
  MODULE_FIGURES,
  MODULE_FIXED_WATTS,
  MODULE_WATTS_PER_GB,
  memoryPower,
  memorySlicePower,
  memorySources,
  modulePowerW,
  WATTS_PER_GB,
} from "./memory.ts";
export { normaliseName, startsWithGeneration } from "./normalise.ts";
export {
  hardwarePower,
  IDLE_FRACTION,
  type InvalidUtilisation,
  type PowerEstimate,
} from "./power.ts";
export type {
  FormFactor,
  HardwareKind,
  HardwareProfile,
  HardwareVendor,
  PowerBasis,
} from "./profile.ts";
