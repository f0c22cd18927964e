/**
 * Node identities (sustainml_cpp/core/Constants.hpp). The number indexes the orchestrator's
 * per-node arrays, the participant name is how the orchestrator recognises a node, and the
 * display name is the REST key.
 */
export const NodeId = {
  /** Python `APP_REQUIREMENTS`. */
  APP_REQUIREMENTS: 0,
  /** Python `CARBONTRACKER`: this node. */
  CARBON_FOOTPRINT: 1,
  HW_CONSTRAINTS: 2,
  /** Python `HW_PROVIDER`. */
  HW_RESOURCES: 3,
  ML_MODEL_METADATA: 4,
  /** Python `ML_MODEL_PROVIDER`. */
  ML_MODEL: 5,
  /** Count of module nodes; not a node. */
  MAX: 6,
  ORCHESTRATOR: 7,
  /** What the orchestrator maps an unrecognised participant name to (then reads out of bounds). */
  UNKNOWN: 8,
} as const;
export type NodeId = (typeof NodeId)[keyof typeof NodeId];

/** Node ids that name a real node (excludes `MAX` and `UNKNOWN`). */
export type RealNodeId = Exclude<NodeId, typeof NodeId.MAX | typeof NodeId.UNKNOWN>;

/** Participant names (`NodeImpl::init`), also `node_name` in NodeStatusImpl. */
export const NodeName = {
  APP_REQUIREMENTS_NODE: "APP_REQUIREMENTS_NODE",
  CARBON_FOOTPRINT_NODE: "CARBON_FOOTPRINT_NODE",
  HW_CONSTRAINTS_NODE: "HW_CONSTRAINTS_NODE",
  HW_RESOURCES_NODE: "HW_RESOURCES_NODE",
  ML_MODEL_METADATA_NODE: "ML_MODEL_METADATA_NODE",
  ML_MODEL_NODE: "ML_MODEL_NODE",
  ORCHESTRATOR_NODE: "ORCHESTRATOR_NODE",
} as const;
export type NodeName = (typeof NodeName)[keyof typeof NodeName];

/** The one participant name wattprint's bus node must use. */
export const CARBON_FOOTPRINT_NODE = NodeName.CARBON_FOOTPRINT_NODE;

export interface NodeIdentity {
  readonly id: RealNodeId;
  readonly participantName: NodeName;
  /** REST key and `target_node` spelling, e.g. `CARBON_FOOTPRINT`. */
  readonly displayName: string;
}

export const NODES: readonly NodeIdentity[] = [
  {
    id: NodeId.APP_REQUIREMENTS,
    participantName: NodeName.APP_REQUIREMENTS_NODE,
    displayName: "APP_REQUIREMENTS",
  },
  {
    id: NodeId.CARBON_FOOTPRINT,
    participantName: NodeName.CARBON_FOOTPRINT_NODE,
    displayName: "CARBON_FOOTPRINT",
  },
  {
    id: NodeId.HW_CONSTRAINTS,
    participantName: NodeName.HW_CONSTRAINTS_NODE,
    displayName: "HW_CONSTRAINTS",
  },
  {
    id: NodeId.HW_RESOURCES,
    participantName: NodeName.HW_RESOURCES_NODE,
    displayName: "HW_RESOURCES",
  },
  {
    id: NodeId.ML_MODEL_METADATA,
    participantName: NodeName.ML_MODEL_METADATA_NODE,
    displayName: "ML_MODEL_METADATA",
  },
  { id: NodeId.ML_MODEL, participantName: NodeName.ML_MODEL_NODE, displayName: "ML_MODEL" },
  {
    id: NodeId.ORCHESTRATOR,
    participantName: NodeName.ORCHESTRATOR_NODE,
    displayName: "ORCHESTRATOR",
  },
];

/** Maps a participant name to its node id the way the orchestrator does: unknown → `UNKNOWN`. */
export function nodeIdFromParticipantName(name: string): NodeId {
  return NODES.find((node) => node.participantName === name)?.id ?? NodeId.UNKNOWN;
}

export function nodeById(id: number): NodeIdentity | undefined {
  return NODES.find((node) => node.id === id);
}
