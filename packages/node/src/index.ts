export { MemoryDomain } from "./adapters/memory-bus.ts";
export {
  allowedPeersProblem,
  createRtpsBus,
  RtpsBusError,
  type RtpsBusOptions,
  type RtpsPeerLimits,
} from "./adapters/rtps-bus.ts";
export {
  startTaskClient,
  type TaskClient,
  type TaskClientEvent,
  type TaskOverrides,
  type TaskParts,
  taskParts,
  type WaitTimeout,
} from "./client/task-client.ts";
export {
  createJsonLogger,
  createMemoryLogger,
  isLogLevel,
  type LogFields,
  type Logger,
  type LogLevel,
} from "./log.ts";
export {
  type CarbonFootprintNode,
  type CarbonNodeInputs,
  type CarbonNodeSettings,
  carbonFootprintNode,
  defaultCarbonNodeSettings,
} from "./nodes/carbon-footprint.ts";
export { type AppIo, processAppIo } from "./options/app-io.ts";
export {
  type BusOptions,
  checkInterfaceOnThisMachine,
  DEFAULT_DOMAIN_ID,
  DEFAULT_INTERFACE_ADDRESS,
  explainBusOpenError,
  INTERFACE_ENV,
  MAX_DOMAIN_ID,
  parseBusOptions,
} from "./options/bus-options.ts";
export {
  describeNumberRule,
  type Env,
  type FlagSpec,
  type NumberRule,
  type OptionText,
  optionText,
  type ParsedFlags,
  parseFlags,
  parseNumberOption,
} from "./options/option-values.ts";
export { UsageError } from "./options/usage-error.ts";
export type { BusPort, BusReader, BusSample, BusWriter, TopicSpec } from "./ports/bus.ts";
export type { NodeCounters } from "./runtime/counters.ts";
export type {
  ConfigurationOutcome,
  NodeDefinition,
  NodeInput,
  TaskOutcome,
} from "./runtime/definition.ts";
export { NodeRuntime, type NodeRuntimeOptions } from "./runtime/node-runtime.ts";
export {
  PROBLEM_LOG_INTERVAL_MS,
  PROBLEM_LOG_LINES_PER_INTERVAL,
  type ProblemLogLimits,
} from "./runtime/problem-log.ts";
export { type Dropped, type DropReason, type TaskId, TaskJoin } from "./runtime/task-join.ts";
export {
  type WarmUpError,
  type WarmUpErrorKind,
  type WarmUpOptions,
  type WarmUpReport,
  warmUpCarbonNode,
} from "./warm-up/carbon-warm-up.ts";
