export {
  assertInsidePrivateNetwork,
  insidePrivateNetwork,
  NETNS_ENV,
  type NetworkProbe,
  probePrivateNetwork,
} from "./private-network.ts";
export {
  type PeerProcess,
  type ProcessExit,
  type StartOptions,
  startProcess,
  stopAll,
} from "./process.ts";
