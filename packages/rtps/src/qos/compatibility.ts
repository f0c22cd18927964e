import {
  DESTINATION_ORDER_RANK,
  DURABILITY_RANK,
  type EndpointQos,
  LIVELINESS_RANK,
  RELIABILITY_RANK,
} from "./endpoint-qos.ts";

/** What matching compares of a writer or a reader (discovery's `EndpointDescription` has it). */
export interface MatchedSide {
  readonly topicName: string;
  readonly typeName: string;
  readonly keyed: boolean;
  readonly qos: EndpointQos;
}

export type IncompatibleReason =
  | "topic-name"
  | "type-name"
  | "topic-kind"
  | "reliability"
  | "durability"
  | "deadline"
  | "latency-budget"
  | "liveliness"
  | "ownership"
  | "destination-order"
  | "partition"
  | "data-representation";

export type MatchResult =
  | { readonly compatible: true }
  | { readonly compatible: false; readonly reasons: readonly IncompatibleReason[] };

function partitionsOverlap(a: readonly string[], b: readonly string[]): boolean {
  // An empty list is the default partition "".
  const left = a.length === 0 ? [""] : a;
  const right = b.length === 0 ? [""] : b;
  return left.some((x) => right.includes(x));
}

/**
 * Request/offered matching (DDS 1.4 §2.2.3) plus topic kind, which Fast DDS and
 * Cyclone both enforce (docs/rtps-notes.md §5.4). Wildcard partitions are not supported.
 */
export function matchEndpoints(writer: MatchedSide, reader: MatchedSide): MatchResult {
  const reasons: IncompatibleReason[] = [];
  const w = writer.qos;
  const r = reader.qos;
  if (writer.topicName !== reader.topicName) reasons.push("topic-name");
  if (writer.typeName !== reader.typeName) reasons.push("type-name");
  if (writer.keyed !== reader.keyed) reasons.push("topic-kind");
  if (RELIABILITY_RANK[w.reliability] < RELIABILITY_RANK[r.reliability])
    reasons.push("reliability");
  if (DURABILITY_RANK[w.durability] < DURABILITY_RANK[r.durability]) reasons.push("durability");
  if (w.deadlineMs > r.deadlineMs) reasons.push("deadline");
  if (w.latencyBudgetMs > r.latencyBudgetMs) reasons.push("latency-budget");
  if (
    LIVELINESS_RANK[w.liveliness.kind] < LIVELINESS_RANK[r.liveliness.kind] ||
    w.liveliness.leaseDurationMs > r.liveliness.leaseDurationMs
  ) {
    reasons.push("liveliness");
  }
  if (w.ownership !== r.ownership) reasons.push("ownership");
  if (DESTINATION_ORDER_RANK[w.destinationOrder] < DESTINATION_ORDER_RANK[r.destinationOrder]) {
    reasons.push("destination-order");
  }
  if (!partitionsOverlap(w.partitions, r.partitions)) reasons.push("partition");
  const used = w.dataRepresentation[0] ?? 0;
  if (!r.dataRepresentation.includes(used)) reasons.push("data-representation");
  return reasons.length === 0 ? { compatible: true } : { compatible: false, reasons };
}
