import { err, failure, ok, type Result } from "@wattprint/result";
import { type Locator, locatorIpV4, udpV4Locator } from "../wire/locator.ts";
import {
  MAX_PARTICIPANT_ID,
  metatrafficMulticastPort,
  metatrafficUnicastPort,
  SPDP_MULTICAST_ADDRESS,
  userUnicastPort,
} from "./ports.ts";
import {
  DatagramFrom,
  type DatagramHandler,
  type DatagramSource,
  type Transport,
  type TransportError,
  type TransportFactory,
  type TransportOpenParams,
} from "./transport.ts";

/**
 * Decides whether the in-memory network loses a datagram (to test reliability); it sees every
 * datagram sent, so it also serves to count traffic.
 */
export type DropPolicy = (datagram: Uint8Array, to: Locator, from: DatagramSource) => boolean;

/** A bare socket on the memory network: sends from, and receives at, one address and port. */
export interface MemorySocket {
  send(datagram: Uint8Array, to: Locator): void;
  close(): void;
}

/**
 * An in-process network for tests: no sockets, same port formulas, asynchronous
 * delivery (like a real socket, a handler never runs inside `send`).
 */
export class MemoryNetwork {
  private readonly unicast = new Map<string, DatagramHandler>();
  private readonly groups = new Map<string, Set<DatagramHandler>>();
  dropPolicy: DropPolicy | undefined;
  delivered = 0;
  dropped = 0;

  /** A transport factory for one participant at `address` on this network. */
  transport(address = "127.0.0.1"): TransportFactory {
    return { open: (params) => Promise.resolve(this.open(address, params)) };
  }

  /**
   * Binds `address:port` without a participant: for tests that play a peer by hand (forged
   * announcements, floods). Throws if the port is taken (a test's mistake).
   */
  socket(address: string, port: number, onDatagram: DatagramHandler = () => {}): MemorySocket {
    const key = `${address}:${port}`;
    if (this.unicast.has(key)) throw new Error(`${key} is already bound`);
    this.unicast.set(key, onDatagram);
    const from: DatagramSource = new DatagramFrom(address, port);
    let closed = false;
    return {
      send: (datagram, to) => {
        if (!closed) this.deliver(datagram, to, from);
      },
      close: () => {
        closed = true;
        this.unicast.delete(key);
      },
    };
  }

  private open(address: string, params: TransportOpenParams): Result<Transport, TransportError> {
    const { domainId, onDatagram } = params;
    for (let p = 0; p <= MAX_PARTICIPANT_ID; p++) {
      const meta = `${address}:${metatrafficUnicastPort(domainId, p)}`;
      const user = `${address}:${userUnicastPort(domainId, p)}`;
      if (this.unicast.has(meta) || this.unicast.has(user)) continue;
      return ok(this.bind(address, domainId, p, meta, user, onDatagram));
    }
    return err(failure("no-free-port", "every participant id is taken"));
  }

  private bind(
    address: string,
    domainId: number,
    participantId: number,
    meta: string,
    user: string,
    onDatagram: DatagramHandler,
  ): Transport {
    const groupKey = `${SPDP_MULTICAST_ADDRESS}:${metatrafficMulticastPort(domainId)}`;
    this.unicast.set(meta, onDatagram);
    this.unicast.set(user, onDatagram);
    const members = this.groups.get(groupKey) ?? new Set<DatagramHandler>();
    members.add(onDatagram);
    this.groups.set(groupKey, members);
    let closed = false;
    // Like the UDP transport, everything leaves through the metatraffic socket.
    const from: DatagramSource = new DatagramFrom(
      address,
      metatrafficUnicastPort(domainId, participantId),
    );
    return {
      locators: {
        participantId,
        metatrafficUnicast: udpV4Locator(address, metatrafficUnicastPort(domainId, participantId)),
        metatrafficMulticast: udpV4Locator(
          SPDP_MULTICAST_ADDRESS,
          metatrafficMulticastPort(domainId),
        ),
        defaultUnicast: udpV4Locator(address, userUnicastPort(domainId, participantId)),
      },
      sendErrors: 0,
      send: (datagram, to) => {
        if (!closed) this.deliver(datagram, to, from);
      },
      close: () => {
        closed = true;
        this.unicast.delete(meta);
        this.unicast.delete(user);
        members.delete(onDatagram);
        return Promise.resolve();
      },
    };
  }

  private deliver(datagram: Uint8Array, to: Locator, from: DatagramSource): void {
    if (this.dropPolicy?.(datagram, to, from)) {
      this.dropped++;
      return;
    }
    const key = `${locatorIpV4(to)}:${to.port}`;
    const targets = [...(this.groups.get(key) ?? [])];
    const single = this.unicast.get(key);
    if (single) targets.push(single);
    for (const handler of targets) {
      // Each receiver gets its own copy, as with a socket.
      const copy = datagram.slice();
      setImmediate(() => {
        this.delivered++;
        handler(copy, from);
      });
    }
  }
}
