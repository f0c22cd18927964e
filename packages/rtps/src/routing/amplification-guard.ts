import type { DatagramSource } from "../transport/transport.ts";
import { type GuidPrefix, prefixEquals, prefixToString } from "../wire/guid.ts";
import { ipv4ToNumber, type Locator, LocatorKind, locatorIpNumber } from "../wire/locator.ts";

/**
 * Distinct locators registered per remote participant (its SPDP lists, at most 4 each, and
 * its endpoints' own): real peers use a handful, shared by all their endpoints.
 */
export const MAX_DESTINATIONS_PER_PEER = 16;
/**
 * The most credit a peer banks. A verified peer never spends its credit (its own destinations
 * are not metered), so over a long session it would grow to everything the peer ever sent:
 * someone who gets an endpoint accepted under that peer's prefix could then spend it all on
 * locators of their choosing. Capped, that is at most this much per peer, while the
 * handshakes and repairs an unverified peer's traffic pays for stay far below it.
 */
export const MAX_CREDIT_BYTES = 256 * 1024;
/** Source addresses remembered per peer as shown to receive our traffic. */
const MAX_PROVEN_ADDRESSES = 8;

export interface AmplificationCounters {
  /** Datagrams not sent: their unverified destination lacked the credit. */
  datagramsWithheld: number;
  bytesWithheld: number;
  /** Datagrams sent to unverified destinations, within their credit, and their bytes. */
  unverifiedDatagramsSent: number;
  unverifiedBytesSent: number;
  /** Datagrams to a locator no remote participant announced (or one refused as announced). */
  unknownDestination: number;
  /** Remote participants that showed they receive our traffic. */
  peersVerified: number;
  /**
   * Bytes received from peers whose unspent credit was already MAX_CREDIT_BYTES: not banked.
   * A verified peer that keeps talking adds to it on every datagram; an unverified one only
   * once it has sent 256 KiB more than we sent it.
   */
  creditBytesForgone: number;
}

class Peer {
  constructor(readonly prefix: GuidPrefix) {}
  /** Bytes received from this peer and not yet spent on its unverified destinations. */
  creditBytes = 0;
  readonly destinations: Destination[] = [];
  /** IPv4 addresses (as numbers) the peer sent proof from. */
  readonly provenIps: number[] = [];
  /** The last source address (as received) that proved something: repeats cost a compare. */
  lastProof: string | undefined;
  /** Whether one of its destinations is verified. */
  verified = false;
}

class Destination {
  readonly owners: Peer[] = [];
  /**
   * Owners that showed they receive here. A proof covers its own peer only: a forged
   * participant announcing a verified peer's locator must not inherit that peer's proof.
   */
  readonly provers: Peer[] = [];
  /** Every owner (at least one) proved: nothing sent here is metered (the common case). */
  open = false;
  /** Ours (SPDP multicast, initial peers): what we send on our own account is not limited. */
  pinned = false;

  constructor(
    readonly key: number,
    readonly ip: number,
  ) {}
}

function destinationKey(ip: number, port: number): number {
  return ip * 65536 + port;
}

/**
 * Keeps us from being an amplifier. An SPDP announcement is unauthenticated: anyone can claim
 * a participant whose locators are a victim's address, and without a bound every such
 * announcement makes us send that address our SPDP reply, SEDP history, heartbeats and
 * periodic announcements, for as long as the (claimed) lease lasts. Measured before this guard:
 * 1.1 MB of forged SPDP made a participant send 23 MB to the victim.
 *
 * The rule is QUIC's address validation (RFC 9000 §8): until a remote participant shows it
 * receives what we send to a locator, we send that locator at most as many bytes as that
 * participant has sent us. The proof is a message from the participant (its header's GUID
 * prefix) that names us in an INFO_DST, received from the locator's IP address: our GUID
 * prefix is random, so a peer that names us has heard from us, and the source address ties it
 * to the host. Fast DDS and Cyclone put INFO_DST before the heartbeats, ACKNACKs and SEDP data
 * they send a participant they discovered, so real peers are verified within a round trip, and
 * from then on their traffic is not metered (the task path pays one map lookup per datagram).
 *
 * The proof is weak against an attacker who learns our prefix (our SPDP also goes to the
 * multicast group) and can spoof the victim's source address; the remote participant limit
 * then bounds what it can make us send, as it bounds the forged participants' number. A
 * destination nobody announced (and none of ours) gets nothing, so a path that forgot to
 * register its locators shows up as `unknownDestination`, not as unmetered traffic.
 *
 * A datagram over the credit is withheld, not queued: the protocols repeat what matters
 * (SPDP announcements, heartbeats, NACK-driven repairs) once the peer is verified.
 */
export class AmplificationGuard {
  private readonly peers = new Map<string, Peer>();
  private readonly destinations = new Map<number, Destination>();
  private lastPrefix: GuidPrefix | undefined;
  private lastPeer: Peer | undefined;
  /** The message being received: its sender (if a known peer), size and proof. */
  private currentPrefix: GuidPrefix | undefined;
  private currentPeer: Peer | undefined;
  private currentBytes = 0;
  private currentProof = false;
  private lastKey = -1;
  private lastDestination: Destination | undefined;
  /** The source of the datagram being received, set by the participant before reading it. */
  source: DatagramSource | undefined;
  readonly counters: AmplificationCounters = {
    datagramsWithheld: 0,
    bytesWithheld: 0,
    unverifiedDatagramsSent: 0,
    unverifiedBytesSent: 0,
    unknownDestination: 0,
    peersVerified: 0,
    creditBytesForgone: 0,
  };

  /** One of our own destinations (multicast group, initial peers): sent to without limit. */
  pin(locator: Locator): void {
    if (locator.kind !== LocatorKind.udpV4) return;
    const ip = locatorIpNumber(locator);
    const key = destinationKey(ip, locator.port);
    let d = this.destinations.get(key);
    if (!d) {
      d = new Destination(key, ip);
      this.destinations.set(key, d);
    }
    d.pinned = true;
  }

  /**
   * Starts tracking a remote participant (a no-op if known). Discovered by the message being
   * received, it is credited with that message (and its proof, if any) at once.
   */
  addPeer(prefixKey: string, prefix: GuidPrefix): void {
    if (this.peers.has(prefixKey)) return;
    const peer = new Peer(prefix);
    this.peers.set(prefixKey, peer);
    const current = this.currentPrefix;
    if (this.currentPeer === undefined && current !== undefined && prefixEquals(current, prefix)) {
      this.currentPeer = peer;
      peer.creditBytes = this.credited(peer.creditBytes, this.currentBytes);
      if (this.currentProof) this.addressedToUs();
    }
  }

  /**
   * Registers locators announced by a known peer as destinations, up to
   * `MAX_DESTINATIONS_PER_PEER` per peer; returns those registered (possibly `locators`).
   */
  addLocators(prefixKey: string, locators: readonly Locator[]): readonly Locator[] {
    const peer = this.peers.get(prefixKey);
    if (!peer) return [];
    let out: Locator[] | undefined;
    for (let i = 0; i < locators.length; i++) {
      const l = locators[i] as Locator;
      if (!this.register(peer, l)) out ??= locators.slice(0, i);
      else out?.push(l);
    }
    return out ?? locators;
  }

  removePeer(prefixKey: string): void {
    const peer = this.peers.get(prefixKey);
    if (!peer) return;
    this.peers.delete(prefixKey);
    for (const d of peer.destinations) {
      const i = d.owners.indexOf(peer);
      if (i >= 0) d.owners.splice(i, 1);
      const j = d.provers.indexOf(peer);
      if (j >= 0) d.provers.splice(j, 1);
      if (d.owners.length === 0 && !d.pinned) this.destinations.delete(d.key);
      else d.open = d.owners.length > 0 && d.provers.length === d.owners.length;
    }
    this.forgetCaches(peer);
  }

  /** Whether the peer showed it receives at one of its locators. */
  isVerified(prefixKey: string): boolean {
    return this.peers.get(prefixKey)?.verified ?? false;
  }

  /**
   * Whether the datagram being received may speak for the peer (renew or end it in SPDP): from
   * any source while it is not verified (nothing ties it to an address yet), else only from an
   * address it proved. Its captured SPDP, replayed from elsewhere, kept a dead verified peer
   * alive (and sent to, unmetered); its prefix in a header disposed it.
   */
  speaksFor(prefixKey: string): boolean {
    const peer = this.peers.get(prefixKey);
    if (peer === undefined || !peer.verified) return true;
    const source = this.source;
    return source !== undefined && peer.provenIps.includes(ipv4ToNumber(source.address));
  }

  /** A message from `prefix` is being received (see `ReceiverSink.onMessage`): its credit. */
  received(prefix: GuidPrefix, bytes: number): void {
    // Header prefixes are interned: the same peer's datagrams usually bring the same object.
    let peer = prefix === this.lastPrefix ? this.lastPeer : undefined;
    if (peer === undefined) {
      peer = this.peers.get(prefixToString(prefix));
      if (peer !== undefined) {
        this.lastPrefix = prefix;
        this.lastPeer = peer;
      }
    }
    this.currentPrefix = prefix;
    this.currentPeer = peer;
    this.currentBytes = bytes;
    this.currentProof = false;
    if (peer !== undefined) peer.creditBytes = this.credited(peer.creditBytes, bytes);
  }

  /** `credit` plus `bytes`, at most MAX_CREDIT_BYTES; what the cap leaves out is counted. */
  private credited(credit: number, bytes: number): number {
    const sum = credit + bytes;
    if (sum < MAX_CREDIT_BYTES) return sum;
    this.counters.creditBytesForgone += sum - MAX_CREDIT_BYTES;
    return MAX_CREDIT_BYTES;
  }

  /** That message names us in an INFO_DST: proof that its sender heard from us. */
  addressedToUs(): void {
    this.currentProof = true;
    const peer = this.currentPeer;
    const source = this.source;
    if (peer !== undefined && source !== undefined && source.address !== peer.lastProof) {
      this.prove(peer, source.address);
    }
  }

  /**
   * Whether a datagram of `bytes` may go to `to` now (and, if metered, spends the credit).
   * `recipient`: the remote participant it is for (every message to a remote endpoint is);
   * undefined only for what we send on our own account (SPDP to our pinned destinations).
   */
  allows(to: Locator, bytes: number, recipient?: GuidPrefix): boolean {
    if (to.kind !== LocatorKind.udpV4) {
      this.counters.unknownDestination++;
      return false;
    }
    const key = destinationKey(locatorIpNumber(to), to.port);
    let d = key === this.lastKey ? this.lastDestination : undefined;
    if (d === undefined) {
      d = this.destinations.get(key);
      if (d === undefined) {
        this.counters.unknownDestination++;
        return false;
      }
      this.lastKey = key;
      this.lastDestination = d;
    }
    if (d.open) return true;
    if (recipient === undefined) {
      if (d.pinned) return true;
      for (const owner of d.owners) if (this.spend(owner, bytes)) return true;
      return this.withhold(bytes);
    }
    // A destination several peers announced (one of them possibly forged): the recipient's
    // own proof or credit decides, never another owner's.
    for (const owner of d.owners) {
      if (!prefixEquals(owner.prefix, recipient)) continue;
      if (d.provers.includes(owner)) return true;
      return this.spend(owner, bytes) || this.withhold(bytes);
    }
    return this.withhold(bytes);
  }

  private spend(owner: Peer, bytes: number): boolean {
    if (owner.creditBytes < bytes) return false;
    owner.creditBytes -= bytes;
    this.counters.unverifiedDatagramsSent++;
    this.counters.unverifiedBytesSent += bytes;
    return true;
  }

  private withhold(bytes: number): false {
    this.counters.datagramsWithheld++;
    this.counters.bytesWithheld += bytes;
    return false;
  }

  /** Remote participants tracked (for tests and introspection). */
  get size(): number {
    return this.peers.size;
  }

  private register(peer: Peer, l: Locator): boolean {
    if (l.kind !== LocatorKind.udpV4) return false;
    const ip = locatorIpNumber(l);
    const key = destinationKey(ip, l.port);
    let d = this.destinations.get(key);
    if (d?.owners.includes(peer)) return true;
    if (peer.destinations.length >= MAX_DESTINATIONS_PER_PEER) return false;
    if (!d) {
      d = new Destination(key, ip);
      this.destinations.set(key, d);
    }
    d.owners.push(peer);
    peer.destinations.push(d);
    d.open = false;
    if (peer.provenIps.includes(ip)) this.verify(peer, d);
    return true;
  }

  private prove(peer: Peer, address: string): void {
    peer.lastProof = address;
    const ip = ipv4ToNumber(address);
    if (ip < 0 || peer.provenIps.includes(ip)) return;
    if (peer.provenIps.length >= MAX_PROVEN_ADDRESSES) peer.provenIps.shift();
    peer.provenIps.push(ip);
    for (const d of peer.destinations) if (d.ip === ip) this.verify(peer, d);
  }

  private verify(peer: Peer, d: Destination): void {
    if (!peer.verified) {
      peer.verified = true;
      this.counters.peersVerified++;
    }
    if (!d.provers.includes(peer)) d.provers.push(peer);
    d.open = d.provers.length === d.owners.length;
  }

  private forgetCaches(removed: Peer): void {
    if (this.currentPeer === removed) this.currentPeer = undefined;
    this.lastPrefix = undefined;
    this.lastPeer = undefined;
    this.lastKey = -1;
    this.lastDestination = undefined;
  }
}
