/**
 * `@wattprint/rtps`: the DDS API (participants, writers, readers, QoS, introspection), the
 * transport port a participant runs on, and the protocol utilities an application may need
 * (GUIDs, well-known ports, locators, bytes to hex). The UDP transport is `@wattprint/rtps/udp`; the in-process network, Fast
 * DDS framing and datagram inspection are `@wattprint/rtps/memory` (README, "Entry points").
 */
export { DataReader, type DataReaderEvents } from "./dds/data-reader.ts";
export { DataWriter, type DataWriterEvents } from "./dds/data-writer.ts";
export type { DropCounterReason, Introspection, PeerCounters } from "./dds/introspection.ts";
export {
  type CreateParticipantError,
  createParticipant,
  type EndpointOptions,
  Participant,
  type ParticipantEvents,
} from "./dds/participant.ts";
export type { ParticipantInfo } from "./dds/participant-info.ts";
export type { ParticipantOptions } from "./dds/participant-options.ts";
export type { MatchEvents } from "./dds/user-endpoint.ts";
export type { RemoteEndpointInfo } from "./discovery/remote-endpoint.ts";
export type { ParticipantLostReason } from "./discovery/spdp.ts";
export type { InstanceState } from "./endpoints/change.ts";
export type { FragmentCounters, FragmentDropReason } from "./endpoints/fragments.ts";
export type { ReceivedSample } from "./endpoints/reader.ts";
export type { WriteError, WriteErrorKind, WriteOptions } from "./endpoints/writer.ts";
export type { IncompatibleReason } from "./qos/compatibility.ts";
export type {
  DestinationOrderKind,
  DurabilityKind,
  EndpointQos,
  HistoryQos,
  LivelinessKind,
  OwnershipKind,
  QosInput,
  ReliabilityKind,
  ResourceLimitsQos,
} from "./qos/endpoint-qos.ts";
export type { AmplificationCounters } from "./routing/amplification-guard.ts";
export { PeerAllowlist } from "./routing/peer-allowlist.ts";
export type { DropReason, ReceiverCounters } from "./routing/receiver.ts";
export {
  isValidDomainId,
  metatrafficMulticastPort,
  metatrafficUnicastPort,
  userMulticastPort,
  userUnicastPort,
} from "./transport/ports.ts";
export type {
  DatagramHandler,
  DatagramSource,
  Transport,
  TransportError,
  TransportErrorKind,
  TransportFactory,
  TransportLocators,
  TransportOpenParams,
} from "./transport/transport.ts";
export { bytesToHex, sameBytes } from "./wire/bytes.ts";
export { type Guid, type GuidPrefix, guidToString } from "./wire/guid.ts";
export {
  ipv4ToNumber,
  type Locator,
  locatorIpNumber,
  locatorIpV4,
  udpV4Locator,
} from "./wire/locator.ts";
export type { Parameter } from "./wire/parameter-list.ts";
