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
export {
  WarmUpError,
  type WarmUpOptions,
  type WarmUpReport,
  warmUpCarbonNode,
} from "./nodes/carbon-warm-up.ts";
export type { BusPort, BusReader, BusSample, BusWriter, TopicSpec } from "./ports/bus.ts";
export type { NodeCounters } from "./runtime/counters.ts";
export type {
  ConfigurationOutcome,
  NodeDefinition,
  NodeInput,
  TaskOutcome,
} from "./runtime/definition.ts";
export { NodeRuntime, type NodeRuntimeOptions } from "./runtime/node-runtime.ts";
export { type Dropped, type DropReason, type TaskId, TaskJoin } from "./runtime/task-join.ts";
