import { encodeInlineQos, sampleFields } from "../endpoints/inline-qos.ts";
import {
  EntityIds,
  type GuidPrefix,
  guidFromBytes,
  guidToBytes,
  prefixEquals,
  prefixToString,
} from "../wire/guid.ts";
import type { Locator } from "../wire/locator.ts";
import { MessageBuilder } from "../wire/message.ts";
import { ParameterListBuilder } from "../wire/parameter-list.ts";
import { Pid } from "../wire/pids.ts";
import type { ReceiveContext } from "../wire/receive-context.ts";
import { type DataSubmessage, writeData } from "../wire/submessages/data.ts";
import { AddressShare } from "./address-share.ts";
import { plCdrPayload, readPlCdr } from "./sedp-data.ts";
import { decodeParticipantData, encodeParticipantData, type ParticipantData } from "./spdp-data.ts";

/**
 * `evicted`: a newcomer needed its place, and it had not shown it receives our traffic, or its
 * source address held more participants than any other (see `maxParticipantsPerAddress`).
 */
export type ParticipantLostReason = "lease-expired" | "disposed" | "evicted";

export interface SpdpLimits {
  /** Remote participants kept at once. */
  readonly maxRemoteParticipants: number;
  /** Longest lease honoured; a longer (or infinite) announced lease is cut to this. */
  readonly maxRemoteLeaseMs: number;
  /**
   * When the table is full, a newcomer takes the place of the oldest participant that is
   * not verified (see `isVerified`) and was discovered at least this long ago.
   */
  readonly evictUnverifiedAfterMs: number;
  /**
   * Participants kept per source address (that of the datagram that first announced each): a
   * newcomer beyond it is refused. When the table is full and no unverified participant can
   * go, a newcomer from another address takes the place of the least recently heard
   * participant of the most represented address, verified or not (AddressShare.crowdedOver).
   */
  readonly maxParticipantsPerAddress: number;
}

export interface SpdpConfig {
  readonly self: ParticipantData;
  /** Where announcements go besides every known peer's metatraffic unicast locator. */
  readonly announceTo: readonly Locator[];
  readonly initialAnnouncements: number;
  readonly initialPeriodMs: number;
  readonly announcementPeriodMs: number;
  readonly leaseCheckPeriodMs: number;
  /** `recipient`: the remote participant a message is for (see `Outbox.send`). */
  readonly send: (datagram: Uint8Array, to: readonly Locator[], recipient?: GuidPrefix) => void;
  readonly onDiscovered: (p: ParticipantData) => void;
  readonly onUpdated: (p: ParticipantData) => void;
  readonly onLost: (p: ParticipantData, reason: ParticipantLostReason) => void;
  /**
   * Milliseconds on a clock that never steps (`performance.now()`): leases and ages. On the wall
   * clock an NTP step forward expired every live peer at once, and one back kept dead peers
   * for the size of the step.
   */
  readonly now: () => number;
  /** Milliseconds since the epoch, for the INFO_TS our announcements carry. */
  readonly wallNow: () => number;
  readonly limits: SpdpLimits;
  /** Whether the participant showed it receives what we send it (AmplificationGuard). */
  readonly isVerified: (prefixKey: string) => boolean;
  /**
   * Whether the datagram being received may renew or dispose that participant: a verified one
   * only from an address it proved (AmplificationGuard.speaksFor).
   */
  readonly speaksFor: (prefixKey: string) => boolean;
  /** The source address of the datagram being received (undefined when not known). */
  readonly sourceAddress: () => string | undefined;
  /** A newcomer's data as kept: locators we may send to (allowlist, unicast only, capped). */
  readonly admit: (p: ParticipantData) => ParticipantData;
}

interface RemoteParticipant {
  data: ParticipantData;
  lastSeenMs: number;
  readonly discoveredAtMs: number;
  /** Where its first announcement came from (see `maxParticipantsPerAddress`). */
  readonly address: string;
  /** When we last answered one of its announcements directly. */
  answeredAtMs: number;
}

/**
 * The simple participant discovery protocol: periodic best-effort announcements,
 * lease tracking of peers, and disposal on shutdown (DDSI-RTPS §8.5.3).
 */
export class SpdpAgent {
  private readonly remotes = new Map<string, RemoteParticipant>();
  private readonly shares = new AddressShare();
  private readonly mb: MessageBuilder;
  private readonly payload: Uint8Array;
  private sequence = 0;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  /** No participant can be evicted before this time (a cache: see `evictionCandidate`). */
  private noEvictionBeforeMs = 0;
  counters = {
    announcementsSent: 0,
    received: 0,
    invalid: 0,
    otherDomain: 0,
    /** Newcomers refused: the table was full of verified or recent participants. */
    participantsRejected: 0,
    participantsEvicted: 0,
    /** Newcomers refused: their address already had `maxParticipantsPerAddress`. */
    participantsOverAddressLimit: 0,
    /** Of `participantsEvicted`: verified or not, from the most represented address. */
    participantsEvictedFromCrowdedAddress: 0,
    /** Participants whose announced lease was cut to `maxRemoteLeaseMs`. */
    leasesCapped: 0,
    /** Disposals of a participant sent by another one: ignored. */
    disposesNotTheirs: 0,
    /**
     * DATA_FRAG, GAP, HEARTBEAT and HEARTBEAT_FRAG from an SPDP writer: ignored. SPDP is best
     * effort (nothing to repair) and an announcement here fits one DATA.
     */
    notData: 0,
    /**
     * Announcements of a participant with our own GUID prefix from another sender: ignored.
     * Two participants with one prefix (a copied configuration, a forger) would otherwise
     * pass unnoticed; our own looped-back traffic is dropped earlier, by its header.
     */
    ownPrefixAnnounced: 0,
    /**
     * Announcements whose sender (header or INFO_SRC prefix) is not the participant they
     * announce, and renewals or disposals of a verified participant from an address it never
     * proved: ignored. Anyone can put a peer's prefix in a header, or replay its SPDP.
     */
    notFromPeer: 0,
  };

  constructor(private readonly config: SpdpConfig) {
    this.mb = new MessageBuilder(config.self.vendorId, config.self.guidPrefix);
    this.payload = encodeParticipantData(config.self);
  }

  get participants(): ReadonlyArray<{
    readonly data: ParticipantData;
    readonly lastSeenMs: number;
  }> {
    return [...this.remotes.values()];
  }

  get(prefix: GuidPrefix): ParticipantData | undefined {
    return this.remotes.get(prefixToString(prefix))?.data;
  }

  start(): void {
    let shots = 0;
    const initial = setInterval(() => {
      this.announce();
      if (++shots >= this.config.initialAnnouncements) {
        clearInterval(initial);
        this.timers.push(setInterval(() => this.announce(), this.config.announcementPeriodMs));
      }
    }, this.config.initialPeriodMs);
    this.timers.push(initial);
    this.timers.push(setInterval(() => this.checkLeases(), this.config.leaseCheckPeriodMs));
    this.announce();
  }

  /** Sends our participant data to the multicast group and every known peer (or `only` one). */
  announce(only?: ParticipantData): void {
    if (this.stopped) return;
    const keyHash = guidToBytes({
      prefix: this.config.self.guidPrefix,
      entityId: EntityIds.participant,
    });
    this.mb.infoTs(this.config.wallNow());
    writeData(this.mb.w, {
      readerId: EntityIds.spdpReader,
      writerId: EntityIds.spdpWriter,
      writerSN: ++this.sequence,
      inlineQos: encodeInlineQos(keyHash, "alive"),
      payload: this.payload,
    });
    this.sendToAll(only);
    this.counters.announcementsSent++;
  }

  /**
   * Sends the message built in `mb` to our own destinations and to each known peer's first
   * metatraffic locator, or to `only` that peer's; then resets `mb`. Each peer's copy is sent
   * on its own account: a locator it shares with another peer is not covered by the other's
   * proof or credit.
   */
  private sendToAll(only?: ParticipantData): void {
    const message = this.mb.w.written();
    if (only === undefined) {
      this.config.send(message, this.config.announceTo);
      for (const r of this.remotes.values()) this.sendToPeer(message, r.data);
    } else this.sendToPeer(message, only);
    this.mb.reset();
  }

  private sendToPeer(message: Uint8Array, p: ParticipantData): void {
    const l = p.metatrafficUnicast[0];
    if (l) this.config.send(message, [l], p.guidPrefix);
  }

  /** Announces that we are gone, then stops every timer. */
  stop(): void {
    if (this.stopped) return;
    const keyHash = guidToBytes({
      prefix: this.config.self.guidPrefix,
      entityId: EntityIds.participant,
    });
    const key = new ParameterListBuilder().addBytes(Pid.participantGuid, keyHash).finish();
    this.mb.infoTs(this.config.wallNow());
    writeData(this.mb.w, {
      readerId: EntityIds.spdpReader,
      writerId: EntityIds.spdpWriter,
      writerSN: ++this.sequence,
      inlineQos: encodeInlineQos(keyHash, "disposed"),
      payload: plCdrPayload(key),
      payloadIsKey: true,
    });
    this.sendToAll();
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** A submessage other than DATA from an SPDP writer: counted, nothing else. */
  onNotData(): void {
    this.counters.notData++;
  }

  onData(m: DataSubmessage, ctx: ReceiveContext): void {
    this.counters.received++;
    const { keyHash, instanceState } = sampleFields(m.inlineQos);
    if (instanceState !== "alive" || m.payloadIsKey) {
      const prefix = keyHash ? guidFromBytes(keyHash).prefix : ctx.sourcePrefix;
      // A participant disposes only itself: anyone could otherwise remove a verified peer
      // (and take its place in a full table) with one datagram naming its key.
      if (!prefixEquals(prefix, ctx.sourcePrefix)) {
        this.counters.disposesNotTheirs++;
        return;
      }
      // The header's prefix is the sender's word: a verified peer is disposed only from an
      // address it proved, or one datagram with its prefix would tear it down.
      const key = prefixToString(prefix);
      if (!this.config.speaksFor(key)) {
        this.counters.notFromPeer++;
        return;
      }
      this.remove(key, "disposed");
      return;
    }
    if (!m.payload) {
      // Alive, yet nothing announced: nothing to read.
      this.counters.invalid++;
      return;
    }
    const limits = this.config.limits;
    const now = this.config.now();
    const address = this.config.sourceAddress() ?? "";
    // A sender we do not know, from an address at its limit or to a full table that has no
    // room for it: refused before the payload is even decoded, so a flood of forged
    // participants costs a lookup each (and a walk of the addresses when the table is full).
    if (!this.remotes.has(prefixToString(ctx.sourcePrefix))) {
      if (
        this.shares.count(address) >= limits.maxParticipantsPerAddress &&
        this.evictionCandidate(now, address) === undefined
      ) {
        this.counters.participantsOverAddressLimit++;
        return;
      }
      if (
        this.remotes.size >= limits.maxRemoteParticipants &&
        this.evictionCandidate(now) === undefined &&
        this.shares.crowdedOver(address) === undefined
      ) {
        this.counters.participantsRejected++;
        return;
      }
    }
    const list = readPlCdr(m.payload);
    const decoded = list.ok ? decodeParticipantData(list.value, ctx.sourceVendorId) : list;
    if (!decoded.ok) {
      this.counters.invalid++;
      return;
    }
    const announced = decoded.value;
    if (announced.domainId !== undefined && announced.domainId !== this.config.self.domainId) {
      this.counters.otherDomain++;
      return;
    }
    if (prefixEquals(announced.guidPrefix, this.config.self.guidPrefix)) {
      this.counters.ownPrefixAnnounced++;
      return;
    }
    // A participant announces only itself (relaying is Discovery Server's, not simple SPDP).
    if (!prefixEquals(announced.guidPrefix, ctx.sourcePrefix)) {
      this.counters.notFromPeer++;
      return;
    }
    const key = prefixToString(announced.guidPrefix);
    const leaseDurationMs = Math.min(announced.leaseDurationMs, limits.maxRemoteLeaseMs);
    const known = this.remotes.get(key);
    if (known && !this.config.speaksFor(key)) {
      // Its captured announcement replayed from elsewhere: no renewal, so a dead peer expires.
      this.counters.notFromPeer++;
      return;
    }
    if (known) {
      // Locators stay those of the discovery: the send path registered (and meters) them.
      const k = known.data;
      known.data = {
        ...announced,
        leaseDurationMs,
        metatrafficUnicast: k.metatrafficUnicast,
        metatrafficMulticast: k.metatrafficMulticast,
        defaultUnicast: k.defaultUnicast,
        defaultMulticast: k.defaultMulticast,
      };
      known.lastSeenMs = now;
      this.config.onUpdated(known.data);
      // Until it shows it hears us, answer its announcements directly (within its credit):
      // our first answer may have been withheld, and it may not be on our multicast group.
      // Not more often than our initial announcements, or two such peers would ping-pong.
      if (!this.config.isVerified(key) && now - known.answeredAtMs >= this.config.initialPeriodMs) {
        known.answeredAtMs = now;
        this.answer(known.data);
      }
      return;
    }
    if (this.shares.count(address) >= limits.maxParticipantsPerAddress) {
      // At its address's limit: room only in place of one of that address's unverified
      // participants old enough to go (a flood of forged ones from the host a genuine peer
      // shares, loopback, must not keep that peer out), never a verified one.
      const victim = this.evictionCandidate(now, address);
      if (victim === undefined) {
        this.counters.participantsOverAddressLimit++;
        return;
      }
      this.counters.participantsEvicted++;
      this.remove(victim, "evicted");
    }
    if (this.remotes.size >= limits.maxRemoteParticipants && !this.makeRoom(now, address)) {
      this.counters.participantsRejected++;
      return;
    }
    if (leaseDurationMs < announced.leaseDurationMs) this.counters.leasesCapped++;
    const data = this.config.admit({ ...announced, leaseDurationMs });
    this.remotes.set(key, {
      data,
      lastSeenMs: now,
      discoveredAtMs: now,
      answeredAtMs: now,
      address,
    });
    this.shares.add(address);
    this.noEvictionBeforeMs = Math.min(
      this.noEvictionBeforeMs,
      now + this.config.limits.evictUnverifiedAfterMs,
    );
    this.config.onDiscovered(data);
    // Answer a newcomer directly so it need not wait for our next periodic announcement.
    this.answer(data);
  }

  private answer(p: ParticipantData): void {
    if (p.metatrafficUnicast.length > 0) this.announce(p);
  }

  /**
   * Evicts a participant for a newcomer from `address`: the oldest unverified one (see
   * `evictionCandidate`), else the least recently heard of the most represented address.
   */
  private makeRoom(now: number, address: string): boolean {
    let victim = this.evictionCandidate(now);
    if (victim === undefined) {
      const crowded = this.shares.crowdedOver(address);
      if (crowded === undefined) return false;
      victim = this.leastRecentlyHeard(crowded);
      if (victim === undefined) return false;
      this.counters.participantsEvictedFromCrowdedAddress++;
    }
    this.counters.participantsEvicted++;
    this.remove(victim, "evicted");
    return true;
  }

  private leastRecentlyHeard(address: string): string | undefined {
    let found: string | undefined;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [key, r] of this.remotes) {
      if (r.address === address && r.lastSeenMs < oldest) {
        found = key;
        oldest = r.lastSeenMs;
      }
    }
    return found;
  }

  /**
   * The key of the oldest participant that is not verified and was discovered at least
   * `evictUnverifiedAfterMs` ago, if any; with `address`, the oldest of those heard first from
   * there. The table holds participants in the order they were discovered, so the first
   * match is the oldest. When a scan of the whole table finds none, the earliest time one
   * could become so is remembered: until then a flood (from one address or many) is refused
   * without scanning the table.
   */
  private evictionCandidate(now: number, address?: string): string | undefined {
    if (now < this.noEvictionBeforeMs) return undefined;
    const after = this.config.limits.evictUnverifiedAfterMs;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [key, r] of this.remotes) {
      if (this.config.isVerified(key)) continue;
      if (address !== undefined && r.address !== address) continue;
      if (now - r.discoveredAtMs >= after) return key;
      earliest = Math.min(earliest, r.discoveredAtMs + after);
    }
    // Later newcomers are younger, and verification only removes candidates. Only a scan of
    // every address says when the next one anywhere becomes old enough.
    if (address === undefined) this.noEvictionBeforeMs = earliest;
    return undefined;
  }

  private checkLeases(): void {
    const now = this.config.now();
    for (const [key, r] of this.remotes) {
      if (now - r.lastSeenMs > r.data.leaseDurationMs) this.remove(key, "lease-expired");
    }
  }

  private remove(key: string, reason: ParticipantLostReason): void {
    const r = this.remotes.get(key);
    if (!r) return;
    // Listeners still see the peer (its name) while its endpoints are torn down.
    this.config.onLost(r.data, reason);
    this.remotes.delete(key);
    this.shares.remove(r.address);
  }
}
