import { encodeInlineQos } from "../endpoints/inline-qos.ts";
import { sampleFields } from "../endpoints/reader.ts";
import type { ReceiveContext } from "../receiver.ts";
import {
  EntityIds,
  type GuidPrefix,
  guidFromBytes,
  guidToBytes,
  prefixToString,
} from "../wire/guid.ts";
import type { Locator } from "../wire/locator.ts";
import { MessageBuilder } from "../wire/message.ts";
import { ParameterListBuilder } from "../wire/parameter-list.ts";
import { Pid } from "../wire/pids.ts";
import { type DataSubmessage, writeData } from "../wire/submessages/data.ts";
import { plCdrPayload, readPlCdr } from "./sedp-data.ts";
import { decodeParticipantData, encodeParticipantData, type ParticipantData } from "./spdp-data.ts";

export type ParticipantLostReason = "lease-expired" | "disposed";

export interface SpdpConfig {
  readonly self: ParticipantData;
  /** Where announcements go besides every known peer's metatraffic unicast locator. */
  readonly announceTo: readonly Locator[];
  readonly initialAnnouncements: number;
  readonly initialPeriodMs: number;
  readonly announcementPeriodMs: number;
  readonly leaseCheckPeriodMs: number;
  readonly send: (datagram: Uint8Array, to: readonly Locator[]) => void;
  readonly onDiscovered: (p: ParticipantData) => void;
  readonly onUpdated: (p: ParticipantData) => void;
  readonly onLost: (p: ParticipantData, reason: ParticipantLostReason) => void;
  readonly now: () => number;
}

interface RemoteParticipant {
  data: ParticipantData;
  lastSeenMs: number;
}

/**
 * The simple participant discovery protocol: periodic best-effort announcements,
 * lease tracking of peers, and disposal on shutdown (DDSI-RTPS §8.5.3).
 */
export class SpdpAgent {
  private readonly remotes = new Map<string, RemoteParticipant>();
  private readonly mb: MessageBuilder;
  private readonly payload: Uint8Array;
  private sequence = 0;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  counters = { announcementsSent: 0, received: 0, invalid: 0, otherDomain: 0 };

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

  /** Sends our participant data to the multicast group and every known peer. */
  announce(only?: readonly Locator[]): void {
    if (this.stopped) return;
    const keyHash = guidToBytes({
      prefix: this.config.self.guidPrefix,
      entityId: EntityIds.participant,
    });
    this.mb.infoTs(this.config.now());
    writeData(this.mb.w, {
      readerId: EntityIds.spdpReader,
      writerId: EntityIds.spdpWriter,
      writerSN: ++this.sequence,
      inlineQos: encodeInlineQos(keyHash, "alive"),
      payload: this.payload,
    });
    this.mb.sendTo(this.config.send, only ?? this.destinations());
    this.counters.announcementsSent++;
  }

  private destinations(): Locator[] {
    const out = [...this.config.announceTo];
    for (const r of this.remotes.values()) {
      const l = r.data.metatrafficUnicast[0];
      if (l) out.push(l);
    }
    return out;
  }

  /** Announces that we are gone, then stops every timer. */
  stop(): void {
    if (this.stopped) return;
    const keyHash = guidToBytes({
      prefix: this.config.self.guidPrefix,
      entityId: EntityIds.participant,
    });
    const key = new ParameterListBuilder().addBytes(Pid.participantGuid, keyHash).finish();
    this.mb.infoTs(this.config.now());
    writeData(this.mb.w, {
      readerId: EntityIds.spdpReader,
      writerId: EntityIds.spdpWriter,
      writerSN: ++this.sequence,
      inlineQos: encodeInlineQos(keyHash, "disposed"),
      payload: plCdrPayload(key),
      payloadIsKey: true,
    });
    this.mb.sendTo(this.config.send, this.destinations());
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  onData(m: DataSubmessage, ctx: ReceiveContext): void {
    this.counters.received++;
    const { keyHash, instanceState } = sampleFields(m.inlineQos);
    if (instanceState !== "alive" || m.payloadIsKey) {
      const prefix = keyHash ? guidFromBytes(keyHash).prefix : ctx.sourcePrefix;
      this.remove(prefixToString(prefix), "disposed");
      return;
    }
    if (!m.payload) return;
    const list = readPlCdr(m.payload);
    const decoded = list.ok ? decodeParticipantData(list.value, ctx.sourceVendorId) : list;
    if (!decoded.ok) {
      this.counters.invalid++;
      return;
    }
    const data = decoded.value;
    if (data.domainId !== undefined && data.domainId !== this.config.self.domainId) {
      this.counters.otherDomain++;
      return;
    }
    const key = prefixToString(data.guidPrefix);
    if (key === prefixToString(this.config.self.guidPrefix)) return;
    const known = this.remotes.get(key);
    this.remotes.set(key, { data, lastSeenMs: this.config.now() });
    if (known) {
      this.config.onUpdated(data);
      return;
    }
    this.config.onDiscovered(data);
    // Answer a newcomer directly so it need not wait for our next periodic announcement.
    if (data.metatrafficUnicast.length > 0) this.announce(data.metatrafficUnicast.slice(0, 1));
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
  }
}
