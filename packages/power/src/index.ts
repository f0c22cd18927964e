export {
  type AmdgpuOptions,
  AmdgpuSource,
  DEFAULT_HWMON_ROOT,
  MAX_HWMON,
} from "./amdgpu/amdgpu-source.ts";
export {
  MAX_DEPTH as PLIST_MAX_DEPTH,
  MAX_NODES as PLIST_MAX_NODES,
  type PlistValue,
  parsePlist,
} from "./apple/plist.ts";
export {
  MAX_SAMPLE_BYTES as POWERMETRICS_MAX_SAMPLE_BYTES,
  type PowermetricsSample,
  PowermetricsSplitter,
  parsePlistSample,
  parseSample as parsePowermetricsSample,
  parseTextSample,
} from "./apple/powermetrics-parse.ts";
export {
  DEFAULT_POWERMETRICS_INTERVAL_MS,
  POWERMETRICS_SUDOERS_FIX,
  type PowermetricsOptions,
  PowermetricsSource,
} from "./apple/powermetrics-source.ts";
export { monotonicMs } from "./clock.ts";
export { type CounterStep, type CounterVerdict, counterStep } from "./counter.ts";
export {
  ADDITIVE_COMPONENTS,
  type Basis,
  COMPONENTS,
  type Component,
  type Confidence,
  type CounterSpec,
  type PowerDevice,
  type ReaderId,
} from "./device.ts";
export {
  PROBLEM_KINDS,
  type ProblemCounters,
  type ProblemKind,
  type ReaderSkip,
  type ReadingProblem,
  type SkipKind,
} from "./failures.ts";
export { type FrameCallback, ReadingFrame } from "./frame.ts";
export { type HungCallStats, hungCallStats } from "./hung-calls.ts";
export { DeviceAccumulator, type DeviceEnergy } from "./meter/accumulator.ts";
export { type MeterCounters, PowerMeter, type ReadingCallback } from "./meter/meter.ts";
export { openPowerMeter } from "./meter/open-meter.ts";
export {
  type ComponentRequest,
  type MeterError,
  type MeterErrorKind,
  type MeterOptions,
  POWER_ENV,
  powerOptionsFromEnv,
  type SimulatedOption,
} from "./meter/options.ts";
export {
  type ComponentEnergy,
  type EnergyInterval,
  energyBetween,
  type MeterReading,
} from "./meter/reading.ts";
export { deviceMatches, READERS_OF } from "./meter/select.ts";
export { type CpuFacts, type CpuPowerModel, modelCpu } from "./model/cpu-model.ts";
export { cpuNameProblem } from "./model/cpu-name.ts";
export { gatherFacts, type MachineFacts } from "./model/facts.ts";
export { type ModelOptions, ModelSource } from "./model/model-source.ts";
export { type CpuTimes, parseProcStat } from "./model/proc-stat.ts";
export { MAX_NVML_GPUS } from "./nvml/enumerate.ts";
export { nvmlCodeName, nvmlFix } from "./nvml/errors.ts";
export { type GpuProcess, type GpuProcesses, MAX_PROCESSES } from "./nvml/gpu-processes.ts";
export { type NvmlOptions, NvmlSource } from "./nvml/nvml-source.ts";
export {
  MAX_VISIBLE_ENTRIES,
  parseVisibleDevices,
  type VisibleDevices,
  type VisibleEntry,
} from "./nvml/visible-devices.ts";
export { raplPermissionFix } from "./rapl/permission.ts";
export {
  DEFAULT_POWERCAP_ROOT,
  DEFAULT_REVALIDATE_EVERY,
  type RaplOptions,
  RaplSource,
} from "./rapl/rapl-source.ts";
export { MAX_ZONES } from "./rapl/zones.ts";
export { type SimulatedDeviceSpec, SimulatedSource, type UtilisationCurve } from "./simulated.ts";
export type {
  Detection,
  DeviceReading,
  PowerSource,
  SourceCounters,
  SourceSample,
} from "./source.ts";
export {
  type DirListing,
  MAX_DIR_ENTRIES,
  nodeSysfsIo,
  type ReadCallback,
  type SysfsIo,
} from "./sysfs/io.ts";
export { parseUnsignedAscii } from "./sysfs/parse.ts";
export { type ReadThreadStats, readThreadStats } from "./sysfs/read-thread.ts";
export { MAX_ROUND_REQUESTS } from "./sysfs/read-thread-layout.ts";
