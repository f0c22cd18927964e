export type { AmplificationCounters } from "./amplification-guard.ts";
export { DataReader, type DataReaderEvents } from "./data-reader.ts";
export { DataWriter, type DataWriterEvents } from "./data-writer.ts";
export type { IncompatibleReason } from "./discovery/matching.ts";
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
} from "./discovery/qos.ts";
export type { ParticipantLostReason } from "./discovery/spdp.ts";
export type { InstanceState } from "./endpoints/change.ts";
export type { FragmentCounters, FragmentDropReason } from "./endpoints/fragments.ts";
export type { ReceivedSample } from "./endpoints/reader.ts";
export type { WriteError, WriteErrorKind, WriteOptions } from "./endpoints/writer.ts";
export type { DropCounterReason, Introspection, PeerCounters } from "./introspection.ts";
export {
  type CreateParticipantError,
  createParticipant,
  type EndpointOptions,
  Participant,
  type ParticipantEvents,
} from "./participant.ts";
export type { ParticipantInfo } from "./participant-info.ts";
export type { ParticipantOptions } from "./participant-options.ts";
export { PeerAllowlist } from "./peer-allowlist.ts";
export type { DropReason, ReceiverCounters } from "./receiver.ts";
export type { RemoteEndpointInfo } from "./remote-endpoint.ts";
export { fastDdsFraming } from "./transport/fast-dds-framing.ts";
export { type DropPolicy, MemoryNetwork, type MemorySocket } from "./transport/memory.ts";
export {
  isValidDomainId,
  metatrafficMulticastPort,
  metatrafficUnicastPort,
  userMulticastPort,
  userUnicastPort,
} from "./transport/ports.ts";
export type {
  DatagramSource,
  Transport,
  TransportError,
  TransportFactory,
} from "./transport/transport.ts";
export { type UdpTransportOptions, udpTransport } from "./transport/udp.ts";
export type { MatchEvents } from "./user-endpoint.ts";
export { type Guid, guidToString, isBuiltinEntity } from "./wire/guid.ts";
export { decodeMessage } from "./wire/message.ts";
export type { Parameter } from "./wire/parameter-list.ts";
