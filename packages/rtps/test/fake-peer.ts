import type { DataReader } from "../src/dds/data-reader.ts";
import type { DataWriter } from "../src/dds/data-writer.ts";
import type { Participant } from "../src/dds/participant.ts";
import type { ParticipantOptions } from "../src/dds/participant-options.ts";
import { OUR_BUILTIN_ENDPOINTS } from "../src/discovery/builtin-endpoints.ts";
import { encodeEndpointData } from "../src/discovery/sedp-data.ts";
import { encodeParticipantData } from "../src/discovery/spdp-data.ts";
import { resolveQos } from "../src/qos/endpoint-qos.ts";
import type { MemoryNetwork } from "../src/transport/memory.ts";
import type { Transport } from "../src/transport/transport.ts";
import { ByteWriter } from "../src/wire/cursor.ts";
import {
  type EntityId,
  EntityIds,
  EntityKind,
  type GuidPrefix,
  guidToBytes,
  guidToString,
  makeEntityId,
} from "../src/wire/guid.ts";
import { PROTOCOL_VERSION } from "../src/wire/header.ts";
import { MessageBuilder } from "../src/wire/message.ts";
import { ParameterListBuilder } from "../src/wire/parameter-list.ts";
import { Pid, StatusInfo } from "../src/wire/pids.ts";
import { writeData } from "../src/wire/submessages/data.ts";
import { collect, participant, readU32Payload, u32Payload } from "./helpers.ts";

/** A network node for fake peers: a transport of their own, so our replies reach them. */
export interface FakeHost {
  readonly transport: Transport;
  /** Datagrams our participants sent it. */
  readonly received: { count: number };
}

export async function fakeHost(net: MemoryNetwork, address: string): Promise<FakeHost> {
  const received = { count: 0 };
  const opened = await net.transport(address).open({
    domainId: 0,
    onDatagram: () => {
      received.count++;
    },
  });
  if (!opened.ok) throw new Error(opened.error.message);
  return { transport: opened.value, received };
}

/**
 * A peer that is nothing but bytes: it announces itself and one reliable writer and reader on
 * a topic, sends whatever datagrams a test builds, and says goodbye (SPDP dispose).
 */
export interface FakePeer {
  readonly prefix: GuidPrefix;
  readonly writerId: EntityId;
  readonly readerId: EntityId;
  /** SPDP announcement, then SEDP publication and subscription (each SN 1). */
  readonly discovery: readonly Uint8Array[];
  /** SPDP dispose of the participant: it and its endpoints are forgotten. */
  readonly goodbye: Uint8Array;
  /** An RTPS header from this peer followed by what `fill` writes. */
  datagram(fill: (w: ByteWriter) => void): Uint8Array;
}

export const FAKE_VENDOR_ID = 0x010f;

/** Peer `index` (its GUID prefix differs by that number) on `host`. */
export function fakePeer(
  host: FakeHost,
  o: { readonly index: number; readonly topicName: string; readonly typeName: string },
): FakePeer {
  const { transport } = host;
  const prefix = Uint8Array.from([0xfa, 0xce, 0, 0, 0, 0, 0x20, 0x60, 0xde, 0xad, 0xbe, 0xef]);
  new DataView(prefix.buffer).setUint32(2, o.index);
  const writerId = makeEntityId(1, EntityKind.writerNoKey);
  const readerId = makeEntityId(2, EntityKind.readerNoKey);
  const spdp = encodeParticipantData({
    guidPrefix: prefix,
    protocolVersion: PROTOCOL_VERSION,
    vendorId: FAKE_VENDOR_ID,
    domainId: 0,
    leaseDurationMs: 100_000,
    builtinEndpoints: OUR_BUILTIN_ENDPOINTS,
    metatrafficUnicast: [transport.locators.metatrafficUnicast],
    metatrafficMulticast: [],
    defaultUnicast: [transport.locators.defaultUnicast],
    defaultMulticast: [],
    name: "hostile",
    properties: {},
  });
  const qos = { reliability: "reliable", durability: "volatile" } as const;
  const endpoint = (side: "writer" | "reader", entityId: EntityId) =>
    encodeEndpointData({
      guid: { prefix, entityId },
      side,
      topicName: o.topicName,
      typeName: o.typeName,
      keyed: false,
      qos: resolveQos(side, qos),
      unicastLocators: [],
      multicastLocators: [],
      expectsInlineQos: false,
      contentFiltered: false,
      vendorId: FAKE_VENDOR_ID,
    });
  const one = (
    reader: EntityId,
    writer: EntityId,
    writerSN: number,
    payload: Uint8Array | undefined,
    inlineQos?: Uint8Array,
  ): Uint8Array => {
    const mb = new MessageBuilder(FAKE_VENDOR_ID, prefix);
    writeData(mb.w, { readerId: reader, writerId: writer, writerSN, payload, inlineQos });
    return mb.take();
  };
  const disposed = new ParameterListBuilder()
    .addBytes(Pid.keyHash, guidToBytes({ prefix, entityId: EntityIds.participant }))
    .addBytes(Pid.statusInfo, Uint8Array.of(0, 0, 0, StatusInfo.disposed | StatusInfo.unregistered))
    .finish();
  return {
    prefix,
    writerId,
    readerId,
    discovery: [
      one(EntityIds.spdpReader, EntityIds.spdpWriter, 1, spdp),
      one(
        EntityIds.sedpPublicationsReader,
        EntityIds.sedpPublicationsWriter,
        1,
        endpoint("writer", writerId),
      ),
      one(
        EntityIds.sedpSubscriptionsReader,
        EntityIds.sedpSubscriptionsWriter,
        1,
        endpoint("reader", readerId),
      ),
    ],
    goodbye: one(EntityIds.spdpReader, EntityIds.spdpWriter, 2, undefined, disposed),
    datagram(fill) {
      const w = new ByteWriter(512);
      w.bytes(
        Uint8Array.of(0x52, 0x54, 0x50, 0x53, 2, 3, FAKE_VENDOR_ID >> 8, FAKE_VENDOR_ID & 0xff),
      );
      w.bytes(prefix);
      fill(w);
      return w.toBytes();
    },
  };
}

/** Resolves once the event loop has run what is queued now (our outbox flushes included). */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Polls `done` every few ms; fails with `what` after `timeoutMs` (a hang stop, not a speed claim). */
export async function until(done: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface WellBehavedPair {
  readonly a: Participant;
  readonly b: Participant;
  readonly aReader: DataReader;
  readonly aWriter: DataWriter;
  readonly bReader: DataReader;
  readonly bWriter: DataWriter;
}

/** Waits until A's user reader and writer matched `peer`'s writer and reader. */
export async function untilMatched(
  pair: WellBehavedPair,
  peer: FakePeer,
  what: string,
): Promise<void> {
  const writer = guidToString({ prefix: peer.prefix, entityId: peer.writerId });
  const reader = guidToString({ prefix: peer.prefix, entityId: peer.readerId });
  await until(
    () =>
      pair.aReader.matchedWriters.some((m) => m.guid === writer) &&
      pair.aWriter.matchedReaders.some((m) => m.guid === reader),
    what,
  );
}

const RELIABLE = { reliability: "reliable", durability: "volatile" } as const;

/**
 * A (the participant under test) and B (a real, well-behaved one) with a reliable writer and
 * reader each on `topicName`, so that a fake peer announcing the same topic matches A's too.
 */
export async function wellBehavedPair(
  net: MemoryNetwork,
  topicName: string,
  options: Omit<ParticipantOptions, "transport"> = {},
): Promise<WellBehavedPair> {
  const a = await participant({ ...options, transport: net.transport(), name: "A" });
  const b = await participant({ transport: net.transport(), name: "B" });
  const endpoint = { topicName, typeName: "T", keyed: false, qos: RELIABLE };
  const pair = {
    a,
    b,
    aReader: a.createReader(endpoint),
    aWriter: a.createWriter(endpoint),
    bReader: b.createReader(endpoint),
    bWriter: b.createWriter(endpoint),
  };
  for (const e of [pair.aReader, pair.aWriter, pair.bReader, pair.bWriter])
    if (!(await e.waitForMatched(1, 5_000))) throw new Error("A and B did not match");
  return pair;
}

/** B's sample reaches A's reader and A's sample reaches B's reader. */
export async function servedBothWays(p: WellBehavedPair, value: number): Promise<void> {
  const atA = collect(p.aReader, 1, 5_000);
  const atB = collect(p.bReader, 1, 5_000);
  p.bWriter.write(u32Payload(value));
  p.aWriter.write(u32Payload(value + 1));
  const [fromB] = await atA;
  const [fromA] = await atB;
  if (!fromB || readU32Payload(fromB.payload) !== value)
    throw new Error("A did not get B's sample");
  if (!fromA || readU32Payload(fromA.payload) !== value + 1)
    throw new Error("B did not get A's sample");
}
