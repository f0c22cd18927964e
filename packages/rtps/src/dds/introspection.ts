import type { EndpointDescription } from "../discovery/endpoint-description.ts";
import type { ParticipantData } from "../discovery/spdp-data.ts";
import type { FragmentCounters } from "../endpoints/fragments.ts";
import type { EndpointQos } from "../qos/endpoint-qos.ts";
import type { AmplificationCounters } from "../routing/amplification-guard.ts";
import type { ReceiverCounters } from "../routing/receiver.ts";
import type { TransportLocators } from "../transport/transport.ts";
import { type GuidPrefix, guidToString, prefixToString } from "../wire/guid.ts";
import { locatorToString } from "../wire/locator.ts";
import type { DataReader } from "./data-reader.ts";
import type { DataWriter } from "./data-writer.ts";
import { type ParticipantInfo, participantInfo } from "./participant-info.ts";

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
  /** It showed it receives what we send it: traffic to it is not metered (README). */
  readonly verified: boolean;
  readonly metatrafficUnicast: readonly string[];
  readonly defaultUnicast: readonly string[];
  readonly endpoints: readonly Omit<EndpointIntrospection, "matched" | "counters">[];
}

/** What the hostile-input limits did (README, "Discovery, peers and amplification"). */
export interface PeerCounters extends AmplificationCounters {
  readonly remoteParticipants: number;
  /** Newcomers refused: the table was full (`maxRemoteParticipants`). */
  readonly participantsRejected: number;
  /**
   * Participants that made room for a newcomer: unverified ones, or (verified or not) the least
   * recently heard of the most represented address (`participantsEvictedFromCrowdedAddress`).
   */
  readonly participantsEvicted: number;
  readonly participantsEvictedFromCrowdedAddress: number;
  /** Newcomers refused: their source address had `maxParticipantsPerAddress` already. */
  readonly participantsOverAddressLimit: number;
  /** Announced leases cut to `maxRemoteLeaseMs`. */
  readonly leasesCapped: number;
  /** SPDP disposals naming a participant other than their sender: ignored. */
  readonly disposesNotTheirs: number;
  /** SPDP announcements of a participant with our own GUID prefix, from another sender: ignored. */
  readonly ownPrefixAnnounced: number;
  /**
   * SPDP announcements naming a participant other than their sender, and renewals or disposals
   * of a verified participant from an address it did not prove: ignored.
   */
  readonly spdpNotFromPeer: number;
  /** SEDP endpoints beyond `maxEndpointsPerParticipant`. */
  readonly endpointsRejected: number;
  /** SEDP endpoints whose participant we do not know. */
  readonly endpointsOfUnknownParticipants: number;
  /** SEDP endpoints (or disposals) sent by a participant other than the one their GUID names. */
  readonly endpointsNotTheirs: number;
  /**
   * SEDP endpoints (or disposals) whose GUID's entity kind does not fit their topic (a reader
   * as a publication, or the reverse), and known GUIDs announced again on the other side.
   */
  readonly endpointsWrongSide: number;
  /** SEDP endpoints (or updates) over MAX_ENDPOINT_NAME_BYTES_PER_PARTICIPANT of names. */
  readonly endpointsOverNameBudget: number;
  /** Announced locators never sent to: multicast/broadcast/0.0.0.0 as unicast, outside
   * `allowedPeers`, or beyond the per-list and per-participant caps. */
  readonly locatorsNotUnicast: number;
  readonly locatorsNotAllowed: number;
  readonly locatorsOverLimit: number;
  /** Multicast locators SEDP endpoints announced: none kept (user multicast is not implemented). */
  readonly multicastLocatorsIgnored: number;
  /** Held traffic of not yet matched writers dropped: expired, over the limits, or giving
   * up its place to a participant holding less. */
  readonly earlyTrafficDropped: number;
  /** Traffic of unmatched writers not held: their participant is not discovered by SPDP. */
  readonly earlyTrafficUndiscovered: number;
  /** Remote readers not matched: the local writer had MAX_MATCHED_READERS_PER_WRITER. */
  readonly readersOverWriterLimit: number;
}

/** The reasons `Participant.dropCounters()` reports. */
export type DropCounterReason =
  | "not-rtps"
  | "truncated-header"
  | "bad-version"
  | "invalid-submessage"
  /** A submessage carrying a number the stack does not count (an SN above 2^52). */
  | "out-of-range"
  | "handler-error"
  | "peer-not-allowed"
  | "invalid-discovery"
  | "participants-rejected"
  | "participants-evicted"
  /** SPDP newcomers refused: their source address had `maxParticipantsPerAddress` already. */
  | "participants-over-address-limit"
  | "endpoints-rejected"
  | "endpoints-of-unknown-participants"
  | "endpoints-not-theirs"
  | "endpoints-wrong-side"
  | "endpoints-over-name-budget"
  | "disposes-not-theirs"
  /** SPDP announcements of our own GUID prefix from another sender. */
  | "own-prefix-announced"
  /** SPDP naming a participant other than its sender, or a verified one from elsewhere. */
  | "spdp-not-from-peer"
  | "locators-refused"
  | "early-traffic-dropped"
  /** Submessages of unknown writers whose participant SPDP has not discovered: not held. */
  | "early-traffic-undiscovered"
  | "sends-withheld-unverified"
  | "sends-to-unknown-destination"
  | "reader-queue-full"
  /** Fragments NACK_FRAGs asked for over a writer's resend budget per turn (README). */
  | "fragment-resends-over-limit"
  /** SNs ACKNACKs asked for over a writer's resend budget per turn (README). */
  | "sample-resends-over-limit"
  /**
   * SNs ACKNACKs asked for again within RESEND_SUPPRESSION_MS of their resend to the same
   * reader: not resent (README). A reader that cannot take a sample shows here.
   */
  | "resends-suppressed"
  /**
   * Reliable remote readers that let a writer's probes go by without an ACKNACK: sent no
   * samples nor periodic heartbeats until they answer (`readersUnresponsive`, README).
   */
  | "readers-unresponsive"
  /** Remote readers not matched: the writer had MAX_MATCHED_READERS_PER_WRITER already. */
  | "readers-over-writer-limit"
  /**
   * DATA_FRAGs (parts of) not stored, by the fragment pool's reasons (`counters.fragments`):
   * a sample over `maxSampleSize` (passed over, so later samples still come), over the
   * pending-byte limits, or whose layout does not add up.
   */
  | "sample-too-large"
  | "fragments-over-writer-limit"
  | "fragments-over-participant-limit"
  | "fragment-layout-mismatch"
  /** Incomplete fragmented samples given up after a time without a new fragment (README). */
  | "fragment-assemblies-expired"
  /** Incomplete fragmented samples given up to make room for a writer holding less (README). */
  | "fragment-assemblies-reclaimed"
  /** Out-of-order samples (or GAP'ed SNs) not held: the held-sample budget was spent. */
  | "held-samples-dropped"
  /** Out-of-order samples more than the reorder window ahead, all readers (SEDP's included). */
  | "beyond-window"
  /**
   * GAPs, HEARTBEATs and best-effort DATA that would have moved a reader's next expected SN
   * further than a writer showed it got (README, "Sequence numbers and fragments"): ignored.
   */
  | "sn-jumps-refused"
  /**
   * Readers reset to what a writer says it wrote after something moved them past it (its
   * genuine samples were dropped as duplicates until then): a forged jump undone.
   */
  | "sn-jumps-undone";

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
    readonly peers: PeerCounters;
  };
}

/**
 * What the participant hands over for a snapshot: values and read-only views, never the
 * participant itself (its discovery agents and matcher stay private).
 */
export interface IntrospectionSource {
  readonly guidPrefix: GuidPrefix;
  readonly domainId: number;
  readonly participantId: number;
  readonly name: string | undefined;
  readonly vendorId: number;
  readonly locators: TransportLocators;
  readonly remoteParticipants: ReadonlyArray<{
    readonly data: ParticipantData;
    readonly lastSeenMs: number;
  }>;
  readonly remoteEndpointsOf: (prefix: GuidPrefix) => readonly EndpointDescription[];
  readonly counters: {
    readonly datagramsSent: number;
    readonly unknownWriter: number;
    readonly unknownReader: number;
    readonly invalidDiscovery: number;
  };
  readonly sendErrors: number;
  readonly spdpCounters: Readonly<Record<string, number>>;
  readonly fragmentCounters: FragmentCounters;
  readonly peerCounters: PeerCounters;
  readonly isVerified: (prefixKey: string) => boolean;
  readonly receiverCounters: ReceiverCounters;
  readonly writers: readonly DataWriter[];
  readonly readers: readonly DataReader[];
}

export function introspect(src: IntrospectionSource): Introspection {
  const participants = src.remoteParticipants.map(({ data, lastSeenMs }) => ({
    ...participantInfo(data),
    lastSeenMs,
    verified: src.isVerified(prefixToString(data.guidPrefix)),
    metatrafficUnicast: data.metatrafficUnicast.map(locatorToString),
    defaultUnicast: data.defaultUnicast.map(locatorToString),
    endpoints: src.remoteEndpointsOf(data.guidPrefix).map((e) => ({
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
      counters: { ...r.rtps.counters, samplesDroppedQueueFull: r.samplesDroppedQueueFull },
    })),
  ];
  const loc = src.locators;
  return {
    guidPrefix: prefixToString(src.guidPrefix),
    domainId: src.domainId,
    participantId: src.participantId,
    name: src.name,
    vendorId: src.vendorId,
    locators: {
      metatrafficUnicast: locatorToString(loc.metatrafficUnicast),
      defaultUnicast: locatorToString(loc.defaultUnicast),
    },
    participants,
    endpoints,
    counters: {
      receiver: structuredClone(src.receiverCounters),
      datagramsSent: src.counters.datagramsSent,
      sendErrors: src.sendErrors,
      unknownWriter: src.counters.unknownWriter,
      unknownReader: src.counters.unknownReader,
      invalidDiscovery: src.counters.invalidDiscovery,
      spdp: { ...src.spdpCounters },
      fragments: structuredClone(src.fragmentCounters),
      peers: src.peerCounters,
    },
  };
}
