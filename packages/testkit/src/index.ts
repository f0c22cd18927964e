export { withBuildLock } from "./build-lock.ts";
export { buildPeer, PEERS_SOURCE_DIR } from "./build-peer.ts";
export {
  type DdsperfOptions,
  type DdsperfTopic,
  type DdsperfTotals,
  ddsperfArgs,
  ddsperfTotals,
  startDdsperf,
} from "./ddsperf.ts";
export {
  type Co2PeerMode,
  type Co2PeerOptions,
  type Co2SampleLine,
  co2PeerArgs,
  co2Samples,
  fnv1a32,
  parseCo2Sample,
  startCo2Peer,
} from "./fastdds-co2-peer.ts";
export {
  type FakeCarbonNodeOptions,
  fakeCarbonNodeArgs,
  startFakeCarbonNode,
} from "./fastdds-fake-carbon-node.ts";
export {
  type OrchestratorMode,
  type OrchestratorOptions,
  type OrchestratorOutput,
  type OrchestratorStatus,
  orchestratorArgs,
  orchestratorOutputs,
  orchestratorStatuses,
  parseOrchestratorOutput,
  parseOrchestratorStatus,
  startOrchestrator,
} from "./fastdds-orchestrator.ts";
export { type TestModelKind, testOnnxModel, writeTestOnnxModel } from "./onnx-models.ts";
export {
  assertInsidePrivateNetwork,
  insidePrivateNetwork,
  NETNS_ENV,
  type NetworkProbe,
  probePrivateNetwork,
} from "./private-network.ts";
export {
  cpuSecondsOf,
  type MemoryUse,
  memoryOf,
  residentBytes,
  type UdpSocketInfo,
  udpSocketsOf,
} from "./proc-stats.ts";
export {
  type PeerProcess,
  type ProcessExit,
  type StartOptions,
  startProcess,
  stopAll,
} from "./process.ts";
export {
  openUdpSinks,
  type SendPacing,
  type SendReport,
  sendDatagrams,
  type UdpSinkOptions,
  type UdpSinks,
} from "./raw-udp.ts";
export {
  dataFragDatagram,
  EntityId,
  type ForgedParticipantOptions,
  forgedGuidPrefix,
  forgedSpdpDatagram,
  gapDatagram,
  heartbeatDatagram,
  type RtpsTime,
  rtpsTimeOf,
  SPDP_SEDP_ENDPOINTS,
  VENDOR_EPROSIMA,
  type WriterSubmessageTarget,
} from "./rtps-datagrams.ts";
export { type CompilerOutcome, runCompiler } from "./run-compiler.ts";
