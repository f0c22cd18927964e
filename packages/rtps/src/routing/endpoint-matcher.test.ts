import { afterEach, describe, expect, it } from "vitest";
import type { EndpointDescription } from "../discovery/endpoint-description.ts";
import type { ParticipantData } from "../discovery/spdp-data.ts";
import type { Outbox } from "../endpoints/outbox.ts";
import { RtpsReader } from "../endpoints/reader.ts";
import { testFragmentPool } from "../endpoints/reader-rig.test-support.ts";
import { RtpsWriter } from "../endpoints/writer.ts";
import { resolveQos } from "../qos/endpoint-qos.ts";
import { EntityKind, type Guid, guidToString, makeEntityId } from "../wire/guid.ts";
import { PROTOCOL_VERSION } from "../wire/header.ts";
import {
  EndpointMatcher,
  endpointNameBytes,
  type LocalReader,
  type LocalWriter,
  MAX_ENDPOINT_NAME_BYTES_PER_PARTICIPANT,
} from "./endpoint-matcher.ts";

// The matcher alone, with one local reader and one local writer on topic "f" (real RTPS
// endpoints on an outbox that sends nothing) and the remote endpoints SEDP would hand it.

const ours = new Uint8Array(12).fill(1);
const theirs = new Uint8Array(12).fill(2);
const outbox: Outbox = { prefix: ours, vendorId: 0, send: () => {}, beforeFlush: () => {} };

const peer: ParticipantData = {
  guidPrefix: theirs,
  protocolVersion: PROTOCOL_VERSION,
  vendorId: 0x010f,
  domainId: 0,
  leaseDurationMs: 20_000,
  builtinEndpoints: 0,
  metatrafficUnicast: [],
  metatrafficMulticast: [],
  defaultUnicast: [],
  defaultMulticast: [],
  name: "peer",
  properties: {},
};

function describeEndpoint(
  guid: Guid,
  side: "writer" | "reader",
  more: { topicName?: string; partitions?: readonly string[] } = {},
): EndpointDescription {
  return {
    guid,
    side,
    topicName: more.topicName ?? "f",
    typeName: "T",
    keyed: false,
    qos: resolveQos(side, { reliability: "reliable", partitions: more.partitions ?? [] }),
    unicastLocators: [],
    multicastLocators: [],
    expectsInlineQos: false,
    contentFiltered: false,
    vendorId: 0x010f,
  };
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function setup(maxMatchedReadersPerWriter?: number) {
  const events: string[] = [];
  const handlers = (name: string) => ({
    handleMatched: () => events.push(`${name} matched`),
    handleUnmatched: () => events.push(`${name} unmatched`),
    handleIncompatible: () => events.push(`${name} incompatible`),
  });
  const readerGuid = { prefix: ours, entityId: makeEntityId(1, EntityKind.readerNoKey) };
  const writerGuid = { prefix: ours, entityId: makeEntityId(2, EntityKind.writerNoKey) };
  const reader: LocalReader = {
    guid: guidToString(readerGuid),
    description: describeEndpoint(readerGuid, "reader"),
    rtps: new RtpsReader({
      guid: readerGuid,
      reliable: true,
      outbox,
      fragments: testFragmentPool(),
      onSample: () => {},
    }),
    ...handlers("reader"),
  };
  const writer: LocalWriter = {
    guid: guidToString(writerGuid),
    description: describeEndpoint(writerGuid, "writer"),
    rtps: new RtpsWriter({
      guid: writerGuid,
      reliable: true,
      durability: "volatile",
      history: { kind: "keep-all" },
      resourceLimits: resolveQos("writer", {}).resourceLimits,
      keyed: false,
      heartbeatPeriodMs: 60_000,
      outbox,
    }),
    ...handlers("writer"),
  };
  closers.push(
    () => reader.rtps.close(),
    () => writer.rtps.close(),
  );
  const matcher = new EndpointMatcher({
    remoteParticipant: (prefix) => (prefix[0] === theirs[0] ? peer : undefined),
    writers: () => [writer],
    readers: () => [reader],
    maxEndpointsPerParticipant: 512,
    maxMatchedReadersPerWriter,
  });
  matcher.addLocal(reader);
  matcher.addLocal(writer);
  return { matcher, reader, writer, events };
}

const remoteWriter: Guid = { prefix: theirs, entityId: makeEntityId(1, EntityKind.writerNoKey) };

describe("EndpointMatcher", () => {
  it("refuses a known GUID announced again on the other side, and keeps the first", () => {
    const { matcher, reader, writer, events } = setup();
    expect(matcher.addRemote(describeEndpoint(remoteWriter, "writer"))).toBe("added");
    expect(reader.rtps.isMatched(remoteWriter)).toBe(true);
    // The same GUID as a reader: before, it replaced the writer's description and matched our
    // writer too, so its removal (which went by the new side) left our reader's match behind.
    expect(matcher.addRemote(describeEndpoint(remoteWriter, "reader"))).toBe("wrong-side");
    expect(writer.rtps.matchedReaders).toEqual([]);
    expect(matcher.remoteEndpoints.map((e) => e.side)).toEqual(["writer"]);
    expect(matcher.readersOf(remoteWriter).size).toBe(1);
    matcher.removeParticipant(theirs);
    expect(reader.rtps.isMatched(remoteWriter)).toBe(false);
    expect(matcher.readersOf(remoteWriter).size).toBe(0);
    expect(events).toEqual(["reader matched", "reader unmatched"]);
  });

  it("ends a remote endpoint's matches through those it made, whatever it was announced as last", () => {
    const { matcher, reader, writer } = setup();
    const remoteReader = { prefix: theirs, entityId: makeEntityId(2, EntityKind.readerNoKey) };
    matcher.addRemote(describeEndpoint(remoteWriter, "writer"));
    matcher.addRemote(describeEndpoint(remoteReader, "reader"));
    expect(reader.rtps.isMatched(remoteWriter)).toBe(true);
    expect(writer.rtps.matchedReaders).toHaveLength(1);
    // Each GUID again as the other side (refused or not, its removal must find its matches).
    // Before, removal went by the side last announced and left our reader matched.
    matcher.addRemote(describeEndpoint(remoteWriter, "reader"));
    matcher.addRemote(describeEndpoint(remoteReader, "writer"));
    matcher.removeRemote(remoteWriter);
    matcher.removeRemote(remoteReader);
    expect(reader.rtps.matchedWriters).toEqual([]);
    expect(writer.rtps.matchedReaders).toEqual([]);
    expect(matcher.readersOf(remoteWriter).size).toBe(0);
    expect(matcher.remoteEndpoints).toEqual([]);
  });

  it("unmatches a remote endpoint announced again on another topic", () => {
    const { matcher, reader, events } = setup();
    matcher.addRemote(describeEndpoint(remoteWriter, "writer"));
    expect(reader.rtps.isMatched(remoteWriter)).toBe(true);
    // Before, the topic check came first and returned: the match on "f" stayed, and our reader
    // took the samples of a writer that now said it wrote "g".
    expect(matcher.addRemote(describeEndpoint(remoteWriter, "writer", { topicName: "g" }))).toBe(
      "updated",
    );
    expect(reader.rtps.isMatched(remoteWriter)).toBe(false);
    expect(matcher.readersOf(remoteWriter).size).toBe(0);
    expect(events).toEqual(["reader matched", "reader unmatched"]);
    // And back on "f", matched again.
    matcher.addRemote(describeEndpoint(remoteWriter, "writer"));
    expect(reader.rtps.isMatched(remoteWriter)).toBe(true);
  });

  it("matches a local writer with at most maxMatchedReadersPerWriter remote readers, counting the rest", () => {
    const { matcher, writer } = setup(3);
    const remoteReader = (n: number) =>
      describeEndpoint(
        { prefix: theirs, entityId: makeEntityId(10 + n, EntityKind.readerNoKey) },
        "reader",
      );
    for (let n = 0; n < 5; n++) matcher.addRemote(remoteReader(n));
    expect(writer.rtps.matchedReaders).toHaveLength(3);
    expect(matcher.counters.readersOverWriterLimit).toBe(2);
    // A reader that leaves makes room for one announced again.
    matcher.removeRemote(remoteReader(0).guid);
    matcher.addRemote(remoteReader(4));
    expect(writer.rtps.matchedReaders).toHaveLength(3);
    expect(matcher.counters.readersOverWriterLimit).toBe(2);
  });

  it("keeps at most MAX_ENDPOINT_NAME_BYTES_PER_PARTICIPANT of names per participant", () => {
    const { matcher } = setup();
    // 64 partitions of 504 two-byte characters: the most a SEDP parameter carries, 64 KB each.
    const partitions = Array.from({ length: 64 }, (_, i) => `${"\u0101".repeat(500)}${1000 + i}`);
    const big = (n: number) =>
      describeEndpoint(
        { prefix: theirs, entityId: makeEntityId(100 + n, EntityKind.readerNoKey) },
        "reader",
        { topicName: `other${n}`, partitions },
      );
    const each = endpointNameBytes(big(0));
    const fit = Math.floor(MAX_ENDPOINT_NAME_BYTES_PER_PARTICIPANT / each);
    const outcomes = Array.from({ length: fit + 3 }, (_, n) => matcher.addRemote(big(n)));
    expect(outcomes.filter((o) => o === "added")).toHaveLength(fit);
    expect(outcomes.slice(fit)).toEqual([
      "over-name-budget",
      "over-name-budget",
      "over-name-budget",
    ]);
    expect(matcher.remoteEndpointsOf(theirs)).toHaveLength(fit);
    // An update replaces its own share; a removal gives it back for a newcomer.
    expect(matcher.addRemote(big(0))).toBe("updated");
    matcher.removeRemote(big(0).guid);
    expect(matcher.addRemote(big(fit))).toBe("added");
    expect(matcher.addRemote(big(0))).toBe("over-name-budget");
    // A short endpoint still fits in what is left.
    const small = { prefix: theirs, entityId: makeEntityId(99, EntityKind.readerNoKey) };
    expect(matcher.addRemote(describeEndpoint(small, "reader"))).toBe("added");
  });
});
