export { MemoryDomain } from "./adapters/memory-bus.ts";
export {
  type MemoryDevice,
  MemoryMeasurer,
  type MemoryMeasurerOptions,
} from "./adapters/memory-measurer.ts";
export {
  allowedPeersProblem,
  createRtpsBus,
  DEFAULT_MAX_SAMPLE_BYTES,
  RtpsBusError,
  type RtpsBusOptions,
  type RtpsPeerLimits,
} from "./adapters/rtps-bus.ts";
export {
  MAX_COLLECTED_PER_LIST,
  startTaskClient,
  type TaskClient,
  type TaskClientDropped,
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
  type CarbonNodePorts,
  type CarbonNodeSettings,
  carbonFootprintNode,
  DEFAULT_MEASURE_SECONDS,
  defaultCarbonNodeSettings,
  MAX_ECHOED_CONFIGURATION_CHARS,
  MAX_GRID_CI,
  MAX_MEASURE_SECONDS,
} from "./nodes/carbon-footprint.ts";
export {
  MAX_BATCH_SIZE,
  MAX_QUOTED_KEY_CHARS,
  MAX_SHAPE_RANK,
  MAX_SHAPED_INPUTS,
  measureRequest,
} from "./nodes/measure-request.ts";
export {
  decideRoute,
  type Route,
  type RouteFindings,
  type RouteLookups,
  type RouteTask,
  routeLookups,
  TASK_MODES,
  type TaskMode,
} from "./nodes/task-route.ts";
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
// The flag readers, also their own entry point (`@wattprint/node/options`) for fast start-up.
export * from "./options/index.ts";
export type { BusPort, BusReader, BusSample, BusWriter, TopicSpec } from "./ports/bus.ts";
export type { Measurer } from "./ports/measurer.ts";
export {
  CONFIGURATION_POLICIES,
  type ConfigurationPolicy,
} from "./runtime/configuration.ts";
export {
  NODE_COMMAND_POLICIES,
  type NodeCommandPolicy,
} from "./runtime/control.ts";
export type { NodeCounters } from "./runtime/counters.ts";
export type {
  ConfigurationOutcome,
  NodeDefinition,
  NodeInput,
  TaskContext,
  TaskOutcome,
} from "./runtime/definition.ts";
export { NodeRuntime, type NodeRuntimeOptions } from "./runtime/node-runtime.ts";
export {
  PROBLEM_LOG_INTERVAL_MS,
  PROBLEM_LOG_LINES_PER_INTERVAL,
  type ProblemLogLimits,
} from "./runtime/problem-log.ts";
export { MAX_QUEUE_LIMIT, MAX_READY_TASKS } from "./runtime/runtime-limits.ts";
export { type Dropped, type DropReason, type TaskId, TaskJoin } from "./runtime/task-join.ts";
export { MAX_ERROR_DESCRIPTION_CHARS } from "./runtime/wire-text.ts";
export {
  type WarmUpError,
  type WarmUpErrorKind,
  type WarmUpOptions,
  type WarmUpReport,
  warmUpCarbonNode,
} from "./warm-up/carbon-warm-up.ts";
