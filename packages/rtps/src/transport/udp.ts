import { createSocket, type RemoteInfo, type Socket, type SocketOptions } from "node:dgram";
import { err, failure, ok, type Result } from "@wattprint/result";
import { type Locator, LocatorKind, locatorIpV4, udpV4Locator } from "../wire/locator.ts";
import {
  MAX_PARTICIPANT_ID,
  metatrafficMulticastPort,
  metatrafficUnicastPort,
  SPDP_MULTICAST_ADDRESS,
  userUnicastPort,
} from "./ports.ts";
import {
  DatagramFrom,
  type Transport,
  type TransportError,
  type TransportFactory,
  type TransportOpenParams,
} from "./transport.ts";

export interface UdpTransportOptions {
  /**
   * IPv4 address of the network interface to use. Required: multicast joins and
   * sends are pinned to it so a participant never picks the default-route NIC.
   */
  readonly interfaceAddress: string;
  /** Multicast TTL; 1 keeps SPDP on the local link. */
  readonly multicastTtl?: number;
  /** Join 239.255.0.1 for SPDP; turn off for unicast-only discovery. */
  readonly multicast?: boolean;
  /** Socket buffer sizes in bytes; the kernel may cap them (net.core.rmem_max). */
  readonly receiveBufferSize?: number;
  readonly sendBufferSize?: number;
}

const DEFAULT_BUFFER = 4 * 1024 * 1024;
const CLOSE_DRAIN_MS = 200;

/**
 * Locators carry IPv4 literals, so the default `dns.lookup` would only defer each send by
 * a `process.nextTick`; answering at once saves that hop and its closures on every send.
 * (node:dgram calls it as `lookup(address, 4, callback)`.)
 */
const literalLookup: NonNullable<SocketOptions["lookup"]> = (hostname, _family, callback) =>
  callback(null, hostname, 4);

function bindSocket(socket: Socket, port: number, address: string): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const onError = (e: Error): void => resolve(e);
    socket.once("error", onError);
    socket.bind({ port, address, exclusive: true }, () => {
      socket.off("error", onError);
      resolve(undefined);
    });
  });
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      // Already closed (a failed bind closes the socket itself).
      resolve();
    }
  });
}

function isAddressInUse(e: Error): boolean {
  return (e as NodeJS.ErrnoException).code === "EADDRINUSE";
}

function tune(socket: Socket, options: UdpTransportOptions): void {
  try {
    socket.setRecvBufferSize(options.receiveBufferSize ?? DEFAULT_BUFFER);
    socket.setSendBufferSize(options.sendBufferSize ?? DEFAULT_BUFFER);
  } catch {
    // Buffer sizes are a hint; the kernel limit applies.
  }
}

/** Real UDPv4 sockets on the well-known ports, pinned to one interface. */
export function udpTransport(options: UdpTransportOptions): TransportFactory {
  return { open: (params) => openUdp(options, params) };
}

async function openUdp(
  options: UdpTransportOptions,
  params: TransportOpenParams,
): Promise<Result<Transport, TransportError>> {
  const { domainId, onDatagram } = params;
  const ip = options.interfaceAddress;
  const sockets: Socket[] = [];
  const counters = { sendErrors: 0 };
  const onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    onDatagram(
      new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength),
      new DatagramFrom(rinfo.address, rinfo.port),
    );
  };
  const newSocket = (reuseAddr: boolean): Socket => {
    const s = createSocket({ type: "udp4", reuseAddr, lookup: literalLookup });
    // A socket error must never take the process down; it is counted instead.
    s.on("error", () => {
      counters.sendErrors++;
    });
    s.on("message", onMessage);
    return s;
  };

  let participantId = -1;
  let meta: Socket | undefined;
  let user: Socket | undefined;
  for (let p = 0; p <= MAX_PARTICIPANT_ID && participantId < 0; p++) {
    const m = newSocket(false);
    const e1 = await bindSocket(m, metatrafficUnicastPort(domainId, p), ip);
    if (e1) {
      await closeSocket(m);
      if (isAddressInUse(e1)) continue;
      return err(failure("bind-failed", `${ip}: ${e1.message}`));
    }
    const u = newSocket(false);
    const e2 = await bindSocket(u, userUnicastPort(domainId, p), ip);
    if (e2) {
      await closeSocket(m);
      await closeSocket(u);
      if (isAddressInUse(e2)) continue;
      return err(failure("bind-failed", `${ip}: ${e2.message}`));
    }
    participantId = p;
    meta = m;
    user = u;
  }
  if (!meta || !user) return err(failure("no-free-port", "every participant id is taken"));
  sockets.push(meta, user);
  tune(meta, options);
  tune(user, options);

  // All outgoing traffic leaves through the metatraffic socket, with multicast pinned.
  const sender = meta;
  try {
    sender.setMulticastInterface(ip);
    sender.setMulticastLoopback(true);
    sender.setMulticastTTL(options.multicastTtl ?? 1);
  } catch (e) {
    await Promise.all(sockets.map(closeSocket));
    return err(failure("bind-failed", `multicast options on ${ip}: ${String(e)}`));
  }

  let metatrafficMulticast: Locator | undefined;
  if (options.multicast ?? true) {
    const mc = newSocket(true);
    const mcPort = metatrafficMulticastPort(domainId);
    const e = await new Promise<Error | undefined>((resolve) => {
      mc.once("error", resolve);
      mc.bind({ port: mcPort, address: "0.0.0.0" }, () => {
        mc.off("error", resolve);
        resolve(undefined);
      });
    });
    try {
      if (e) throw e;
      mc.addMembership(SPDP_MULTICAST_ADDRESS, ip);
      mc.setMulticastInterface(ip);
      mc.setMulticastLoopback(true);
      mc.setMulticastTTL(options.multicastTtl ?? 1);
    } catch (joinError) {
      await closeSocket(mc);
      await Promise.all(sockets.map(closeSocket));
      return err(
        failure(
          "multicast-join-failed",
          `${SPDP_MULTICAST_ADDRESS} on ${ip}: ${String(joinError)}`,
        ),
      );
    }
    tune(mc, options);
    sockets.push(mc);
    metatrafficMulticast = udpV4Locator(SPDP_MULTICAST_ADDRESS, mcPort);
  }

  let closed = false;
  const addresses = new WeakMap<Locator, string>();
  const transport: Transport = {
    locators: {
      participantId,
      metatrafficUnicast: udpV4Locator(ip, metatrafficUnicastPort(domainId, participantId)),
      metatrafficMulticast,
      defaultUnicast: udpV4Locator(ip, userUnicastPort(domainId, participantId)),
    },
    get sendErrors() {
      return counters.sendErrors;
    },
    send(datagram, to) {
      if (closed || to.kind !== LocatorKind.udpV4) return;
      let address = addresses.get(to);
      if (address === undefined) {
        address = locatorIpV4(to);
        addresses.set(to, address);
      }
      try {
        // No callback: node then skips a nextTick per send; failures reach the "error" listener.
        sender.send(datagram, to.port, address);
      } catch {
        counters.sendErrors++;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      // Let the goodbyes (SEDP and SPDP disposals) leave before the sockets go.
      const deadline = performance.now() + CLOSE_DRAIN_MS;
      while (sender.getSendQueueCount() > 0 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await Promise.all(sockets.map(closeSocket));
    },
  };
  return ok(transport);
}
