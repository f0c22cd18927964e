export type { DecodeOptions } from "./cdr/decode.ts";
export { type Encapsulation, lookupEncapsulation } from "./cdr/encapsulation.ts";
export { type EncodeOptions, stringProblem } from "./cdr/encode.ts";
export type { FieldKind, FieldSpec, StructLayout } from "./cdr/layout.ts";
export { defineCodec, type MessageCodec } from "./codec.ts";
export {
  CmdNode,
  CmdTask,
  cmdNodeSchema,
  cmdTaskSchema,
  ErrorCode,
  enumName,
  errorCodeSchema,
  PYTHON_STATUS_UNKNOWN,
  Status,
  statusSchema,
  TaskStatus,
  taskStatusSchema,
} from "./enums.ts";
export {
  type DecodeError,
  type DecodeErrorKind,
  type DecodeResult,
  EncodeError,
  type ValidationError,
} from "./errors.ts";
export {
  asciiJson,
  CO2_EXTRA_MODES,
  CO2_GRID_CI_SOURCES,
  type CO2ExtraData,
  co2ExtraDataSchema,
  EXTRA_DATA_LIMITS,
  type ExtraDataError,
  type ExtraDataErrorKind,
  type ExtraDataLimits,
  type JsonObject,
  type JsonValue,
  jsonDepthExceededAt,
  MAX_EXTRA_DATA_BYTES,
  MAX_EXTRA_DATA_DEPTH,
  readExtraData,
  writeExtraData,
} from "./extra-data.ts";
export {
  CARBON_FOOTPRINT_NODE,
  NODES,
  NodeId,
  type NodeIdentity,
  NodeName,
  nodeById,
  nodeIdFromParticipantName,
  type RealNodeId,
} from "./ids.ts";
export { computeKeyHash, maxKeySize, serializeKey } from "./key-hash.ts";
export {
  type AnyMessageCodec,
  codecFor,
  codecs,
  isMessageTypeName,
  MESSAGE_TYPE_NAMES,
  type MessageOf,
  type MessageTypeName,
} from "./registry.ts";
export {
  CONFIG_TOPIC_QOS,
  CONTROL_READER_QOS,
  codecForTopic,
  DOMAIN_ID_ENV,
  type Durability,
  type Endpoint,
  type EndpointQos,
  type History,
  PARTICIPANT_PROPERTIES,
  type Reliability,
  type ResourceLimits,
  RPC_SERVICE,
  SAMPLE_POOL_SIZE,
  STATUS_WRITER_QOS,
  type SustainMLVersion,
  statusFilterFor,
  TASK_DATA_QOS,
  TOPIC_LIST,
  TOPICS,
  type TopicEntry,
  type TopicKey,
  topicByName,
} from "./topics.ts";
export {
  type RequestTypeImpl,
  type ResponseTypeImpl,
  requestTypeImplCodec,
  requestTypeImplSchema,
  responseTypeImplCodec,
  responseTypeImplSchema,
} from "./types/config.ts";
export {
  type AppRequirementsImpl,
  appRequirementsImplCodec,
  appRequirementsImplSchema,
  type HWConstraintsImpl,
  hwConstraintsImplCodec,
  hwConstraintsImplSchema,
  type MLModelMetadataImpl,
  mlModelMetadataImplCodec,
  mlModelMetadataImplSchema,
  type UserInputImpl,
  userInputImplCodec,
  userInputImplSchema,
} from "./types/inputs.ts";
export {
  type NodeControlImpl,
  type NodeStatusImpl,
  nodeControlImplCodec,
  nodeControlImplSchema,
  nodeStatusImplCodec,
  nodeStatusImplSchema,
} from "./types/node.ts";
export {
  type CO2FootprintImpl,
  co2FootprintImplCodec,
  co2FootprintImplSchema,
  type HWResourceImpl,
  hwResourceImplCodec,
  hwResourceImplSchema,
  type MLModelImpl,
  mlModelImplCodec,
  mlModelImplSchema,
} from "./types/outputs.ts";
export {
  isValidTaskId,
  parseTaskIdKey,
  sameTaskId,
  type TaskIdImpl,
  taskIdImplCodec,
  taskIdImplSchema,
  taskIdKey,
} from "./types/task-id.ts";
