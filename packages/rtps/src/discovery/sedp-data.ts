import type { Result } from "@wattprint/result";
import {
  type DestinationOrderKind,
  type DurabilityKind,
  type EndpointQos,
  type HistoryQos,
  type LivelinessKind,
  READER_QOS_DEFAULTS,
  type ReliabilityKind,
  WRITER_QOS_DEFAULTS,
} from "../qos/endpoint-qos.ts";
import { ByteReader, type DecodeError, fail, guard } from "../wire/cursor.ts";
import { EntityIds, type Guid, guidFromBytes, guidToBytes, isKeyedEntity } from "../wire/guid.ts";
import { PROTOCOL_VERSION } from "../wire/header.ts";
import { type Locator, LocatorKind, writeLocator } from "../wire/locator.ts";
import {
  findParameter,
  type ParameterList,
  ParameterListBuilder,
  readParameterList,
} from "../wire/parameter-list.ts";
import { Encapsulation, Pid, VENDOR_PID_BASE } from "../wire/pids.ts";
import { writeDurationMs } from "../wire/time.ts";
import type { EndpointDescription } from "./endpoint-description.ts";
import {
  readDurationValue,
  readLocatorValue,
  readStringSequence,
  readStringValue,
  readU32Value,
  valueReader,
  writeStringSequence,
} from "./parameter-values.ts";

const DURABILITY_KINDS: readonly DurabilityKind[] = [
  "volatile",
  "transient-local",
  "transient",
  "persistent",
];
const LIVELINESS_KINDS: readonly LivelinessKind[] = [
  "automatic",
  "manual-by-participant",
  "manual-by-topic",
];

/** Reads the encapsulation header of a PL_CDR payload and its parameter list. */
export function readPlCdr(payload: Uint8Array): Result<ParameterList, DecodeError> {
  return guard(() => {
    const r = new ByteReader(payload, false);
    const encapsulation = r.u16();
    r.u16();
    r.littleEndian =
      encapsulation === Encapsulation.plCdrLe || encapsulation === Encapsulation.cdrLe;
    return readParameterList(r);
  });
}

export function plCdrPayload(list: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + list.length);
  out[1] = Encapsulation.plCdrLe;
  out.set(list, 4);
  return out;
}

function decodeQos(list: ParameterList, side: "writer" | "reader"): EndpointQos {
  const d = side === "writer" ? WRITER_QOS_DEFAULTS : READER_QOS_DEFAULTS;
  let reliability: ReliabilityKind = d.reliability;
  let maxBlockingTimeMs = d.maxBlockingTimeMs;
  let durability: DurabilityKind = d.durability;
  let history: HistoryQos = d.history;
  let deadlineMs = d.deadlineMs;
  let latencyBudgetMs = d.latencyBudgetMs;
  let liveliness = d.liveliness;
  let ownership = d.ownership;
  let destinationOrder: DestinationOrderKind = d.destinationOrder;
  let partitions = d.partitions;
  let dataRepresentation = d.dataRepresentation;
  for (const p of list.parameters) {
    switch (p.pid) {
      case Pid.reliability: {
        const r = valueReader(list, p);
        // 1 BEST_EFFORT, 2 RELIABLE on the wire; some stacks send 0 for best-effort.
        reliability = r.u32() >= 2 ? "reliable" : "best-effort";
        if (r.remaining >= 8)
          maxBlockingTimeMs = readDurationValue(list, { pid: p.pid, value: p.value.subarray(4) });
        break;
      }
      case Pid.durability:
        durability = DURABILITY_KINDS[readU32Value(list, p)] ?? "volatile";
        break;
      case Pid.history: {
        const r = valueReader(list, p);
        const kind = r.u32();
        const depth = r.remaining >= 4 ? r.i32() : 1;
        history =
          kind === 1 ? { kind: "keep-all" } : { kind: "keep-last", depth: Math.max(1, depth) };
        break;
      }
      case Pid.deadline:
        deadlineMs = readDurationValue(list, p);
        break;
      case Pid.latencyBudget:
        latencyBudgetMs = readDurationValue(list, p);
        break;
      case Pid.liveliness: {
        const r = valueReader(list, p);
        const kind = LIVELINESS_KINDS[r.u32()] ?? "automatic";
        const lease =
          r.remaining >= 8
            ? readDurationValue(list, { pid: p.pid, value: p.value.subarray(4) })
            : Number.POSITIVE_INFINITY;
        liveliness = { kind, leaseDurationMs: lease };
        break;
      }
      case Pid.ownership:
        ownership = readU32Value(list, p) === 1 ? "exclusive" : "shared";
        break;
      case Pid.destinationOrder:
        destinationOrder =
          readU32Value(list, p) === 1 ? "by-source-timestamp" : "by-reception-timestamp";
        break;
      case Pid.partition:
        partitions = readStringSequence(list, p);
        break;
      case Pid.dataRepresentation: {
        const r = valueReader(list, p);
        const n = Math.min(r.u32(), 16);
        const ids: number[] = [];
        for (let i = 0; i < n; i++) ids.push(r.i16());
        if (ids.length > 0) dataRepresentation = ids;
        break;
      }
    }
  }
  return {
    reliability,
    maxBlockingTimeMs,
    durability,
    history,
    resourceLimits: d.resourceLimits,
    deadlineMs,
    latencyBudgetMs,
    liveliness,
    ownership,
    destinationOrder,
    partitions,
    dataRepresentation,
  };
}

export interface SedpDecodeContext {
  readonly side: "writer" | "reader";
  /** From the RTPS header; vendor-specific PIDs are ignored whatever it says. */
  readonly vendorId: number;
  /** Fallback when PID_ENDPOINT_GUID is missing: the key hash, then the source prefix. */
  readonly keyHash: Uint8Array | undefined;
}

/** Decodes a SEDP publication/subscription, applying the DDS default for every omitted PID. */
export function decodeEndpointData(
  list: ParameterList,
  ctx: SedpDecodeContext,
): Result<EndpointDescription, DecodeError> {
  return guard(() => {
    const guidParam = findParameter(list, Pid.endpointGuid);
    const guidBytes = guidParam?.value ?? ctx.keyHash;
    if (!guidBytes || guidBytes.length < 16)
      fail("invalid-value", "SEDP data without endpoint GUID");
    const guid: Guid = guidFromBytes(guidBytes);
    const topic = findParameter(list, Pid.topicName);
    const type = findParameter(list, Pid.typeName);
    if (!topic || !type) fail("invalid-value", "SEDP data without topic or type name");
    const unicastLocators: Locator[] = [];
    const multicastLocators: Locator[] = [];
    let expectsInlineQos = false;
    let contentFiltered = false;
    let vendorId = ctx.vendorId;
    for (const p of list.parameters) {
      if (p.pid >= VENDOR_PID_BASE) continue;
      if (p.pid === Pid.unicastLocator) {
        const l = readLocatorValue(list, p);
        if (l.kind === LocatorKind.udpV4) unicastLocators.push(l);
      } else if (p.pid === Pid.multicastLocator) {
        const l = readLocatorValue(list, p);
        if (l.kind === LocatorKind.udpV4) multicastLocators.push(l);
      } else if (p.pid === Pid.expectsInlineQos) {
        expectsInlineQos = (p.value[0] ?? 0) !== 0;
      } else if (p.pid === Pid.contentFilterProperty) {
        contentFiltered = true;
      } else if (p.pid === Pid.vendorId && p.value.length >= 2) {
        vendorId = ((p.value[0] ?? 0) << 8) | (p.value[1] ?? 0);
      }
    }
    return {
      guid,
      side: ctx.side,
      topicName: readStringValue(list, topic),
      typeName: readStringValue(list, type),
      keyed: isKeyedEntity(guid.entityId),
      qos: decodeQos(list, ctx.side),
      unicastLocators,
      multicastLocators,
      expectsInlineQos,
      contentFiltered,
      vendorId,
    };
  });
}

const RELIABILITY_WIRE: Record<ReliabilityKind, number> = { "best-effort": 1, reliable: 2 };
const DURABILITY_WIRE: Record<DurabilityKind, number> = {
  volatile: 0,
  "transient-local": 1,
  transient: 2,
  persistent: 3,
};

/** Encodes our own endpoint for SEDP as a PL_CDR_LE payload. */
export function encodeEndpointData(ep: EndpointDescription): Uint8Array {
  const b = new ParameterListBuilder();
  const participantGuid = guidToBytes({ prefix: ep.guid.prefix, entityId: EntityIds.participant });
  b.addBytes(Pid.endpointGuid, guidToBytes(ep.guid));
  b.addBytes(Pid.participantGuid, participantGuid);
  b.add(Pid.topicName, (w) => w.string(ep.topicName));
  b.add(Pid.typeName, (w) => w.string(ep.typeName));
  b.add(Pid.protocolVersion, (w) => {
    w.u8(PROTOCOL_VERSION.major);
    w.u8(PROTOCOL_VERSION.minor);
  });
  b.add(Pid.vendorId, (w) => {
    w.u8((ep.vendorId >> 8) & 0xff);
    w.u8(ep.vendorId & 0xff);
  });
  const q = ep.qos;
  b.add(Pid.reliability, (w) => {
    w.u32(RELIABILITY_WIRE[q.reliability]);
    writeDurationMs(w, q.maxBlockingTimeMs);
  });
  b.add(Pid.durability, (w) => w.u32(DURABILITY_WIRE[q.durability]));
  b.add(Pid.history, (w) => {
    w.u32(q.history.kind === "keep-all" ? 1 : 0);
    w.i32(q.history.kind === "keep-last" ? q.history.depth : 0);
  });
  if (Number.isFinite(q.deadlineMs)) b.add(Pid.deadline, (w) => writeDurationMs(w, q.deadlineMs));
  if (q.latencyBudgetMs > 0) b.add(Pid.latencyBudget, (w) => writeDurationMs(w, q.latencyBudgetMs));
  if (q.liveliness.kind !== "automatic" || Number.isFinite(q.liveliness.leaseDurationMs)) {
    b.add(Pid.liveliness, (w) => {
      w.u32(["automatic", "manual-by-participant", "manual-by-topic"].indexOf(q.liveliness.kind));
      writeDurationMs(w, q.liveliness.leaseDurationMs);
    });
  }
  if (q.ownership === "exclusive") b.add(Pid.ownership, (w) => w.u32(1));
  if (q.destinationOrder === "by-source-timestamp") b.add(Pid.destinationOrder, (w) => w.u32(1));
  if (q.partitions.length > 0) b.add(Pid.partition, (w) => writeStringSequence(w, q.partitions));
  b.add(Pid.dataRepresentation, (w) => {
    w.u32(q.dataRepresentation.length);
    for (const id of q.dataRepresentation) w.i16(id);
  });
  for (const l of ep.unicastLocators) b.add(Pid.unicastLocator, (w) => writeLocator(w, l));
  for (const l of ep.multicastLocators) b.add(Pid.multicastLocator, (w) => writeLocator(w, l));
  if (ep.side === "reader" && ep.expectsInlineQos) b.add(Pid.expectsInlineQos, (w) => w.u8(1));
  return plCdrPayload(b.finish());
}
