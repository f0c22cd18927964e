import type { DataReader } from "./data-reader.ts";
import type { DataWriter } from "./data-writer.ts";
import type { EndpointQos } from "./discovery/qos.ts";
import type { FragmentCounters } from "./endpoints/fragments.ts";
import type { Participant } from "./participant.ts";
import { type ParticipantInfo, participantInfo } from "./participant-info.ts";
import type { ReceiverCounters } from "./receiver.ts";
import { guidToString, prefixToString } from "./wire/guid.ts";
import { locatorToString } from "./wire/locator.ts";

export interface EndpointIntrospection {
  readonly guid: string;
  readonly side: "writer" | "reader";
  readonly topicName: string;
  readonly typeName: string;
  readonly keyed: boolean;
  readonly qos: EndpointQos;
  readonly matched: readonly string[];
  readonly counters: Readonly<Record<string, number>>;
}

export interface RemoteParticipantIntrospection extends ParticipantInfo {
  readonly lastSeenMs: number;
  readonly metatrafficUnicast: readonly string[];
  readonly defaultUnicast: readonly string[];
  readonly endpoints: readonly Omit<EndpointIntrospection, "matched" | "counters">[];
}

export interface Introspection {
  readonly guidPrefix: string;
  readonly domainId: number;
  readonly participantId: number;
  readonly name: string | undefined;
  readonly vendorId: number;
  readonly locators: { readonly metatrafficUnicast: string; readonly defaultUnicast: string };
  readonly participants: readonly RemoteParticipantIntrospection[];
  readonly endpoints: readonly EndpointIntrospection[];
  readonly counters: {
    readonly receiver: ReceiverCounters;
    readonly datagramsSent: number;
    readonly sendErrors: number;
    readonly unknownWriter: number;
    readonly unknownReader: number;
    readonly invalidDiscovery: number;
    readonly spdp: Readonly<Record<string, number>>;
    /** Fragment reassembly over all readers, SEDP's included: bytes held, what was refused. */
    readonly fragments: FragmentCounters;
  };
}

export interface IntrospectionSource {
  readonly participant: Participant;
  readonly receiverCounters: ReceiverCounters;
  readonly writers: readonly DataWriter[];
  readonly readers: readonly DataReader[];
}

export function introspect(src: IntrospectionSource): Introspection {
  const p = src.participant;
  const remotes = p.matcher.remoteEndpoints;
  const participants = p.spdp.participants.map(({ data, lastSeenMs }) => ({
    ...participantInfo(data),
    lastSeenMs,
    metatrafficUnicast: data.metatrafficUnicast.map(locatorToString),
    defaultUnicast: data.defaultUnicast.map(locatorToString),
    endpoints: remotes
      .filter((e) => prefixToString(e.guid.prefix) === prefixToString(data.guidPrefix))
      .map((e) => ({
        guid: guidToString(e.guid),
        side: e.side,
        topicName: e.topicName,
        typeName: e.typeName,
        keyed: e.keyed,
        qos: e.qos,
      })),
  }));
  const endpoints: EndpointIntrospection[] = [
    ...src.writers.map((w) => ({
      guid: w.guid,
      side: "writer" as const,
      topicName: w.description.topicName,
      typeName: w.description.typeName,
      keyed: w.description.keyed,
      qos: w.description.qos,
      matched: w.matchedReaders.map((m) => m.guid),
      counters: { ...w.rtps.counters, historySize: w.rtps.history.size },
    })),
    ...src.readers.map((r) => ({
      guid: r.guid,
      side: "reader" as const,
      topicName: r.description.topicName,
      typeName: r.description.typeName,
      keyed: r.description.keyed,
      qos: r.description.qos,
      matched: r.matchedWriters.map((m) => m.guid),
      counters: { ...r.rtps.counters },
    })),
  ];
  const loc = p.transport.locators;
  return {
    guidPrefix: prefixToString(p.guidPrefix),
    domainId: p.domainId,
    participantId: p.participantId,
    name: p.name,
    vendorId: p.vendorId,
    locators: {
      metatrafficUnicast: locatorToString(loc.metatrafficUnicast),
      defaultUnicast: locatorToString(loc.defaultUnicast),
    },
    participants,
    endpoints,
    counters: {
      receiver: structuredClone(src.receiverCounters),
      datagramsSent: p.counters.datagramsSent,
      sendErrors: p.transport.sendErrors,
      unknownWriter: p.counters.unknownWriter,
      unknownReader: p.counters.unknownReader,
      invalidDiscovery: p.counters.invalidDiscovery,
      spdp: { ...p.spdp.counters },
      fragments: structuredClone(p.fragments.counters),
    },
  };
}
