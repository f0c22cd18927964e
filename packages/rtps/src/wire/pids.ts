/** ParameterIds (DDSI-RTPS §9.6.2.2, cross-checked with Fast DDS ParameterTypes.hpp). */
export const Pid = {
  pad: 0x0000,
  sentinel: 0x0001,
  participantLeaseDuration: 0x0002,
  topicName: 0x0005,
  typeName: 0x0007,
  domainId: 0x000f,
  protocolVersion: 0x0015,
  vendorId: 0x0016,
  reliability: 0x001a,
  liveliness: 0x001b,
  durability: 0x001d,
  ownership: 0x001f,
  deadline: 0x0023,
  destinationOrder: 0x0025,
  latencyBudget: 0x0027,
  partition: 0x0029,
  unicastLocator: 0x002f,
  multicastLocator: 0x0030,
  defaultUnicastLocator: 0x0031,
  metatrafficUnicastLocator: 0x0032,
  metatrafficMulticastLocator: 0x0033,
  contentFilterProperty: 0x0035,
  history: 0x0040,
  resourceLimits: 0x0041,
  expectsInlineQos: 0x0043,
  defaultMulticastLocator: 0x0048,
  participantGuid: 0x0050,
  groupEntityId: 0x0053,
  builtinEndpointSet: 0x0058,
  propertyList: 0x0059,
  endpointGuid: 0x005a,
  typeMaxSizeSerialized: 0x0060,
  entityName: 0x0062,
  keyHash: 0x0070,
  statusInfo: 0x0071,
  dataRepresentation: 0x0073,
  typeConsistencyEnforcement: 0x0074,
  typeInformation: 0x0075,
  builtinEndpointQos: 0x0077,
} as const;

/** PIDs at or above this are vendor-specific and only meaningful for the sender's vendor. */
export const VENDOR_PID_BASE = 0x8000;

export const StatusInfo = {
  disposed: 0x01,
  unregistered: 0x02,
} as const;

export const Encapsulation = {
  cdrBe: 0x0000,
  cdrLe: 0x0001,
  plCdrBe: 0x0002,
  plCdrLe: 0x0003,
} as const;
