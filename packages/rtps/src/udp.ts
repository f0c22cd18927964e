/**
 * `@wattprint/rtps/udp`: the UDPv4 transport. `createParticipant` opens one by itself from
 * `interfaceAddress`; import it to pass its other options (socket buffer sizes) as a `transport`.
 */
export { type UdpTransportOptions, udpTransport } from "./transport/udp.ts";
