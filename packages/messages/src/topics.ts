import { NodeName } from "./ids.ts";
import { type AnyMessageCodec, codecFor, type MessageTypeName } from "./registry.ts";

/*
 * Topic catalogue and QoS, as data the node runtime reads (docs/sustainml-wire.md §4-§5; sources
 * Common.hpp TopicCollection, CarbonFootprintNode.cpp, NodeImpl.cpp, Options.hpp,
 * OrchestratorNode.cpp, ModuleNodeProxy.cpp). Partition and data representation are never set
 * by SustainML: default partition, XCDR1.
 *
 * The values are spelled as @wattprint/rtps spells them (`"reliable"`, `"transient-local"`,
 * `"keep-last"`), so an `EndpointQos` is an rtps `QosInput` as it is: the bus hands it over
 * without translating. This package does not import rtps (it stays a leaf); structural typing
 * makes the two fit, and the node's type check says so if they ever drift apart.
 */

export type Reliability = "reliable" | "best-effort";
export type Durability = "volatile" | "transient-local";
export type History =
  | { readonly kind: "keep-last"; readonly depth: number }
  | { readonly kind: "keep-all" };

/** The limits SustainML sets; `max_samples` is never set (the participant's default). */
export interface ResourceLimits {
  readonly maxInstances: number;
  readonly maxSamplesPerInstance: number;
}

export interface EndpointQos {
  readonly reliability: Reliability;
  readonly durability: Durability;
  readonly history: History;
  /** Absent: the vendor default (`DATAWRITER_QOS_DEFAULT` / `DATAREADER_QOS_DEFAULT`). */
  readonly resourceLimits?: ResourceLimits;
}

export interface Endpoint {
  readonly role: "reader" | "writer";
  readonly qos: EndpointQos;
  /** Why the values are what they are, where the source is not obvious. */
  readonly note?: string;
  /** For readers on a ContentFilteredTopic (the orchestrator's per-node status readers). */
  readonly contentFilter?: {
    readonly topicName: string;
    readonly expression: string;
    readonly parameters: readonly string[];
  };
}

export type SustainMLVersion = "v0.1.0" | "v0.2.0" | "main";

export interface TopicEntry {
  /** Exact DDS topic name; data topics start with `/`, the v0.1/v0.2 config topics do not. */
  readonly name: string;
  readonly typeName: MessageTypeName;
  /** SustainML releases on which the topic exists. */
  readonly versions: readonly SustainMLVersion[];
  /** The carbon footprint node's endpoint on this topic (absent: it has none). */
  readonly carbonNode?: Endpoint;
  /** The orchestrator's endpoint on this topic, as seen by a node that must match it. */
  readonly orchestrator?: Endpoint;
}

const ALL: readonly SustainMLVersion[] = ["v0.1.0", "v0.2.0", "main"];
const KEEP_LAST_1: History = { kind: "keep-last", depth: 1 };
const LIMITS_500_1: ResourceLimits = { maxInstances: 500, maxSamplesPerInstance: 1 };

/** RELIABLE + TRANSIENT_LOCAL + KEEP_LAST 1 + 500/1: every data input/output endpoint. */
export const TASK_DATA_QOS: EndpointQos = {
  reliability: "reliable",
  durability: "transient-local",
  history: KEEP_LAST_1,
  resourceLimits: LIMITS_500_1,
};

export const STATUS_WRITER_QOS: EndpointQos = {
  reliability: "reliable",
  durability: "transient-local",
  history: KEEP_LAST_1,
};

export const CONTROL_READER_QOS: EndpointQos = {
  reliability: "best-effort",
  durability: "volatile",
  history: KEEP_LAST_1,
};

export const CONFIG_TOPIC_QOS: EndpointQos = {
  reliability: "reliable",
  durability: "transient-local",
  history: KEEP_LAST_1,
};

const outputReader: Endpoint = {
  role: "reader",
  qos: TASK_DATA_QOS,
  note: "one per node (ModuleNodeProxy)",
};
const baselineWriter: Endpoint = {
  role: "writer",
  qos: TASK_DATA_QOS,
  note: "writer defaults (RELIABLE, KEEP_LAST 1) + TRANSIENT_LOCAL, 500/1",
};
const inputReader: Endpoint = { role: "reader", qos: TASK_DATA_QOS };

/** Filter the orchestrator puts on `/sustainml/status` for one node. */
export function statusFilterFor(nodeName: string): NonNullable<Endpoint["contentFilter"]> {
  return {
    topicName: `/sustainml/status_${nodeName}`,
    expression: "node_name like %0",
    parameters: [`'${nodeName}'`],
  };
}

export const TOPICS = {
  control: {
    name: "/sustainml/control",
    typeName: "NodeControlImpl",
    versions: ALL,
    carbonNode: {
      role: "reader",
      qos: CONTROL_READER_QOS,
      note: "reader defaults; the listener only logs, subscribing is enough",
    },
    orchestrator: {
      role: "writer",
      qos: TASK_DATA_QOS,
      note: "writer defaults + TRANSIENT_LOCAL, 500/1",
    },
  },
  status: {
    name: "/sustainml/status",
    typeName: "NodeStatusImpl",
    versions: ALL,
    carbonNode: {
      role: "writer",
      qos: STATUS_WRITER_QOS,
      note: "created first, by the base class; must offer at least RELIABLE + TRANSIENT_LOCAL",
    },
    orchestrator: {
      role: "reader",
      qos: TASK_DATA_QOS,
      contentFilter: statusFilterFor(NodeName.CARBON_FOOTPRINT_NODE),
    },
  },
  userInput: {
    name: "/sustainml/user_input",
    typeName: "UserInputImpl",
    versions: ALL,
    carbonNode: inputReader,
    orchestrator: {
      role: "writer",
      qos: TASK_DATA_QOS,
      note: "writer defaults + TRANSIENT_LOCAL, 500/1",
    },
  },
  appRequirementsOutput: {
    name: "/sustainml/app_requirements/output",
    typeName: "AppRequirementsImpl",
    versions: ALL,
    orchestrator: outputReader,
  },
  mlModelMetadataOutput: {
    name: "/sustainml/ml_model_metadata/output",
    typeName: "MLModelMetadataImpl",
    versions: ALL,
    orchestrator: outputReader,
  },
  hwConstraintsOutput: {
    name: "/sustainml/hw_constraints/output",
    typeName: "HWConstraintsImpl",
    versions: ALL,
    orchestrator: outputReader,
  },
  mlModelOutput: {
    name: "/sustainml/ml_model_provider/output",
    typeName: "MLModelImpl",
    versions: ALL,
    carbonNode: inputReader,
    orchestrator: outputReader,
  },
  hwResourcesOutput: {
    name: "/sustainml/hw_resources/output",
    typeName: "HWResourceImpl",
    versions: ALL,
    carbonNode: inputReader,
    orchestrator: outputReader,
  },
  carbonOutput: {
    name: "/sustainml/carbon_tracker/output",
    typeName: "CO2FootprintImpl",
    versions: ALL,
    carbonNode: {
      role: "writer",
      qos: TASK_DATA_QOS,
      note: "RELIABLE and KEEP_LAST 1 are the writer defaults; TRANSIENT_LOCAL and 500/1 are set",
    },
    orchestrator: outputReader,
  },
  mlModelBaseline: {
    name: "/sustainml/ml_model_provider/baseline",
    typeName: "MLModelImpl",
    versions: ALL,
    orchestrator: baselineWriter,
  },
  hwResourcesBaseline: {
    name: "/sustainml/hw_resources/baseline",
    typeName: "HWResourceImpl",
    versions: ALL,
    orchestrator: baselineWriter,
  },
  carbonBaseline: {
    name: "/sustainml/carbon_tracker/baseline",
    typeName: "CO2FootprintImpl",
    versions: ALL,
    orchestrator: baselineWriter,
  },
  configRequest: {
    name: "sustainml/request",
    typeName: "RequestTypeImpl",
    versions: ["v0.1.0", "v0.2.0"],
    carbonNode: { role: "reader", qos: CONFIG_TOPIC_QOS, note: "handle only node_id 1" },
  },
  configResponse: {
    name: "sustainml/response",
    typeName: "ResponseTypeImpl",
    versions: ["v0.1.0", "v0.2.0"],
    carbonNode: { role: "writer", qos: CONFIG_TOPIC_QOS },
  },
} as const satisfies Record<string, TopicEntry>;

export type TopicKey = keyof typeof TOPICS;

export const TOPIC_LIST: readonly TopicEntry[] = Object.values(TOPICS);

export function topicByName(name: string): TopicEntry | undefined {
  return TOPIC_LIST.find((topic) => topic.name === name);
}

/** The codec for a topic's type, or undefined for a topic SustainML does not define. */
export function codecForTopic(name: string): AnyMessageCodec | undefined {
  const topic = topicByName(name);
  return topic === undefined ? undefined : codecFor(topic.typeName);
}

/**
 * Fast DDS RPC topics of the configuration service on `main` (PR #94 onwards). Their types are
 * MUTABLE RPC wrappers (type name = topic name), not part of this package's codecs.
 */
export const RPC_SERVICE = {
  serviceName: "CarbonFootprintService",
  requestTopic: "CarbonFootprintService_Request",
  replyTopic: "CarbonFootprintService_Reply",
  replyFilteredTopic: "CarbonFootprintService_ReplyFiltered",
} as const;

/** Environment variable holding the DDS domain id; unparsable values mean 0. */
export const DOMAIN_ID_ENV = "SUSTAINML_DOMAIN_ID";

/** Per input queue and for the output cache (`Options.hpp` `sample_pool_size`). */
export const SAMPLE_POOL_SIZE = 50;

/** `fastdds.application.id` / `fastdds.application.metadata` participant properties. */
export const PARTICIPANT_PROPERTIES = {
  "fastdds.application.id": "SUSTAINML",
  "fastdds.application.metadata": "",
} as const;
