/** QoS policies that travel in SEDP and take part in matching (DDS 1.4 §2.2.3). */
export type ReliabilityKind = "best-effort" | "reliable";
export type DurabilityKind = "volatile" | "transient-local" | "transient" | "persistent";
export type LivelinessKind = "automatic" | "manual-by-participant" | "manual-by-topic";
export type OwnershipKind = "shared" | "exclusive";
export type DestinationOrderKind = "by-reception-timestamp" | "by-source-timestamp";

export type HistoryQos =
  | { readonly kind: "keep-last"; readonly depth: number }
  | { readonly kind: "keep-all" };

/** `Infinity` means unlimited (the wire's LENGTH_UNLIMITED, -1). */
export interface ResourceLimitsQos {
  readonly maxSamples: number;
  readonly maxInstances: number;
  readonly maxSamplesPerInstance: number;
}

export interface EndpointQos {
  readonly reliability: ReliabilityKind;
  readonly maxBlockingTimeMs: number;
  readonly durability: DurabilityKind;
  readonly history: HistoryQos;
  readonly resourceLimits: ResourceLimitsQos;
  readonly deadlineMs: number;
  readonly latencyBudgetMs: number;
  readonly liveliness: { readonly kind: LivelinessKind; readonly leaseDurationMs: number };
  readonly ownership: OwnershipKind;
  readonly destinationOrder: DestinationOrderKind;
  readonly partitions: readonly string[];
  /** Accepted (reader) or used (writer, first entry) data representation ids: 0 XCDR, 2 XCDR2. */
  readonly dataRepresentation: readonly number[];
}

/**
 * What callers may set; everything else takes the DDS default for the endpoint's side, and
 * so does each resource limit `resourceLimits` leaves out (unlimited).
 */
export type QosInput = Partial<Omit<EndpointQos, "resourceLimits">> & {
  readonly resourceLimits?: Partial<ResourceLimitsQos>;
};

export const UNLIMITED_RESOURCES: ResourceLimitsQos = {
  maxSamples: Number.POSITIVE_INFINITY,
  maxInstances: Number.POSITIVE_INFINITY,
  maxSamplesPerInstance: Number.POSITIVE_INFINITY,
};

const COMMON_DEFAULTS = {
  maxBlockingTimeMs: 100,
  durability: "volatile",
  history: { kind: "keep-last", depth: 1 },
  resourceLimits: UNLIMITED_RESOURCES,
  deadlineMs: Number.POSITIVE_INFINITY,
  latencyBudgetMs: 0,
  liveliness: { kind: "automatic", leaseDurationMs: Number.POSITIVE_INFINITY },
  ownership: "shared",
  destinationOrder: "by-reception-timestamp",
  partitions: [],
  dataRepresentation: [0],
} as const satisfies Omit<EndpointQos, "reliability">;

/** The DDS defaults, which also stand in for every PID a peer omits from SEDP. */
export const WRITER_QOS_DEFAULTS: EndpointQos = { ...COMMON_DEFAULTS, reliability: "reliable" };
export const READER_QOS_DEFAULTS: EndpointQos = { ...COMMON_DEFAULTS, reliability: "best-effort" };

export function resolveQos(side: "writer" | "reader", input: QosInput = {}): EndpointQos {
  const base = side === "writer" ? WRITER_QOS_DEFAULTS : READER_QOS_DEFAULTS;
  const qos: EndpointQos = {
    ...base,
    ...input,
    resourceLimits:
      input.resourceLimits === undefined
        ? base.resourceLimits
        : { ...base.resourceLimits, ...input.resourceLimits },
  };
  if (qos.history.kind === "keep-last" && !(qos.history.depth >= 1)) {
    throw new RangeError(`history depth must be >= 1, got ${qos.history.depth}`);
  }
  return qos;
}

export const RELIABILITY_RANK: Record<ReliabilityKind, number> = { "best-effort": 0, reliable: 1 };
export const DURABILITY_RANK: Record<DurabilityKind, number> = {
  volatile: 0,
  "transient-local": 1,
  transient: 2,
  persistent: 3,
};
export const LIVELINESS_RANK: Record<LivelinessKind, number> = {
  automatic: 0,
  "manual-by-participant": 1,
  "manual-by-topic": 2,
};
export const DESTINATION_ORDER_RANK: Record<DestinationOrderKind, number> = {
  "by-reception-timestamp": 0,
  "by-source-timestamp": 1,
};
