import { type Guid, guidToString } from "../wire/guid.ts";
import type { Locator } from "../wire/locator.ts";
import { MessageBuilder } from "../wire/message.ts";
import type { Parameter } from "../wire/parameter-list.ts";
import {
  MAX_SEQUENCE_NUMBER,
  MAX_SET_BITS,
  makeSequenceNumberSet,
  type SequenceNumber,
} from "../wire/sequence-number.ts";
import { writeAckNack } from "../wire/submessages/acknack.ts";
import type { DataSubmessage } from "../wire/submessages/data.ts";
import type { DataFragSubmessage } from "../wire/submessages/data-frag.ts";
import {
  type HeartbeatFragSubmessage,
  writeNackFrag,
} from "../wire/submessages/fragment-control.ts";
import type { GapSubmessage } from "../wire/submessages/gap.ts";
import type { HeartbeatSubmessage } from "../wire/submessages/heartbeat.ts";
import type { InstanceState } from "./change.ts";
import { isNewerCount, NO_COUNT, nextCount } from "./count.ts";
import {
  type FragmentAssembler,
  type FragmentPool,
  heldCost,
  MAX_ASSEMBLIES_PER_WRITER,
  NEVER_TAKEN,
  WriterFragments,
} from "./fragments.ts";
import { sampleFields } from "./inline-qos.ts";
import type { Outbox } from "./outbox.ts";
import { REORDER_WINDOW, ReorderBuffer } from "./reorder-buffer.ts";
import { heardHeartbeatCount, SnJumps } from "./sn-jumps.ts";

/** A sample as handed to the application. */
export interface ReceivedSample {
  /** Serialized data with its encapsulation header; for dispose/unregister, the serialized key or empty. */
  readonly payload: Uint8Array;
  readonly keyHash: Uint8Array | undefined;
  readonly writerGuid: Guid;
  readonly sequenceNumber: SequenceNumber;
  readonly sourceTimestampMs: number | undefined;
  readonly instanceState: InstanceState;
  /** Every inline QoS parameter the writer sent (key hash and status info included). */
  readonly inlineQos: readonly Parameter[];
}

export interface ReaderConfig {
  readonly guid: Guid;
  readonly reliable: boolean;
  readonly outbox: Outbox;
  /**
   * The participant's fragment limits and the bytes held under them (sample size, pending
   * bytes per writer and in all), so a hostile DATA_FRAG cannot make us allocate gigabytes.
   */
  readonly fragments: FragmentPool;
  readonly onSample: (sample: ReceivedSample) => void;
}

export interface MatchedWriter {
  readonly guid: Guid;
  readonly locators: readonly Locator[];
  /** Both sides reliable: we acknowledge and repair. */
  readonly reliable: boolean;
}

/** Reader-side state for one matched writer (DDSI-RTPS WriterProxy). */
interface WriterProxy {
  readonly info: MatchedWriter;
  /**
   * `order.next`: every SN below it is delivered or known irrelevant. Reliable writers only:
   * what arrived ahead of it (null for an SN the writer declared irrelevant).
   */
  readonly order: ReorderBuffer<ReceivedSample>;
  highestAnnounced: SequenceNumber;
  lastHeartbeatCount: number;
  lastHeartbeatFragCount: number;
  ackNackCount: number;
  nackFragCount: number;
  /** The hole (its first missing SN) the repair timer works on, and tries left for it. */
  repairFrom: SequenceNumber;
  repairTriesLeft: number;
  readonly fragments: WriterFragments;
  /** Charged to the participant's pool for the samples `order` holds (see heldCost). */
  heldBytes: number;
  /** Charged to the same pool for the slots `order` grew (its `extraSlotBytes`). */
  slotBytes: number;
  /** How far a GAP, HEARTBEAT or best-effort DATA may move `order.next` (see SnJumps). */
  readonly jumps: SnJumps;
}

/**
 * While a known hole stays open, it is NACKed again this often, up to REPAIR_TRIES times
 * per hole: a lost repair would otherwise wait for the writer's next heartbeat (3 s for
 * Fast DDS), and every later sample of that writer with it. Heartbeats take over after.
 */
export const REPAIR_PERIOD_MS = 100;
export const REPAIR_TRIES = 20;
/**
 * SNs a GAP marks irrelevant one by one when its range lies ahead of a hole: the ACKNACK
 * window. Past it the SNs are asked for again once the hole closes, and GAPped again.
 */
const MAX_GAP_RANGE = MAX_SET_BITS;

/** A stateful RTPS reader: per-writer proxies, in-order delivery, ACKNACK and NACK_FRAG. */
export class RtpsReader {
  private readonly proxies = new Map<string, WriterProxy>();
  private readonly mb: MessageBuilder;
  /** Writers whose heartbeats this turn still await our ACKNACK. */
  private readonly ackNacksDue = new Set<WriterProxy>();
  /**
   * Samples whose HEARTBEAT_FRAGs this turn still await our NACK_FRAG, per writer, with the
   * highest last fragment announced (at most MAX_ASSEMBLIES_PER_WRITER samples per writer).
   */
  private readonly nackFragsDue = new Map<WriterProxy, Map<SequenceNumber, number>>();
  private repairTimer: NodeJS.Timeout | undefined;
  counters = {
    samplesReceived: 0,
    samplesLost: 0,
    duplicates: 0,
    /** Out-of-order arrivals more than REORDER_WINDOW SNs ahead, dropped (asked for again later). */
    beyondWindow: 0,
    ackNacksSent: 0,
    nackFragsSent: 0,
    /**
     * HEARTBEAT_FRAGs not answered: a count not newer than the writer's last one (a repeat,
     * or an older one), from a best-effort writer (best-effort readers never NACK), or naming
     * a sample past MAX_ASSEMBLIES_PER_WRITER in one turn.
     */
    heartbeatFragsIgnored: 0,
    /**
     * GAPs, HEARTBEATs and best-effort DATA (or GAPped SNs) that would have moved the next
     * expected SN further than SnJumps allows: ignored (a forger's, or a writer's jump not yet
     * confirmed).
     */
    jumpsRefused: 0,
    /**
     * Resets to what the writer says it wrote, after something moved us past it: a heartbeat
     * whose lastSN is below the next expected SN - 1, or (best effort) a run of DATA below it.
     */
    jumpsUndone: 0,
    /** HEARTBEATs heard although their count was far behind the last one (COUNT_REORDER_SPAN). */
    heartbeatCountsBehind: 0,
  };

  constructor(readonly config: ReaderConfig) {
    this.mb = new MessageBuilder(config.outbox.vendorId, config.outbox.prefix);
  }

  get guid(): Guid {
    return this.config.guid;
  }

  get matchedWriters(): readonly MatchedWriter[] {
    return [...this.proxies.values()].map((p) => p.info);
  }

  isMatched(writerGuid: Guid): boolean {
    return this.proxies.has(guidToString(writerGuid));
  }

  matchWriter(info: MatchedWriter): void {
    const key = guidToString(info.guid);
    if (this.proxies.has(key)) return;
    const proxy: WriterProxy = {
      info,
      order: new ReorderBuffer(),
      highestAnnounced: 0,
      lastHeartbeatCount: NO_COUNT,
      lastHeartbeatFragCount: NO_COUNT,
      ackNackCount: 0,
      nackFragCount: 0,
      repairFrom: 0,
      repairTriesLeft: 0,
      fragments: new WriterFragments(this.config.fragments),
      heldBytes: 0,
      slotBytes: 0,
      jumps: new SnJumps(),
    };
    this.proxies.set(key, proxy);
    // An initial ACKNACK without the Final flag asks the writer to heartbeat now (DDSI-RTPS
    // 8.3.7.1: a writer must answer a non-final ACKNACK), so a sample it sent before we knew
    // it is repaired at once instead of after its heartbeat period (3 s for Fast DDS).
    if (info.reliable) this.sendAckNack(proxy, { final: false });
  }

  unmatchWriter(guid: Guid): boolean {
    const key = guidToString(guid);
    const proxy = this.proxies.get(key);
    if (!proxy) return false;
    this.ackNacksDue.delete(proxy);
    this.nackFragsDue.delete(proxy);
    proxy.fragments.clear();
    this.config.fragments.releaseHeld(proxy.heldBytes + proxy.slotBytes);
    proxy.heldBytes = 0;
    proxy.slotBytes = 0;
    return this.proxies.delete(key);
  }

  /** Returns false when the writer is not matched (the caller counts it). */
  onData(m: DataSubmessage, writerGuid: Guid, timestampMs: number | undefined): boolean {
    const proxy = this.proxies.get(guidToString(writerGuid));
    if (!proxy) return false;
    const { keyHash, instanceState } = sampleFields(m.inlineQos);
    this.accept(proxy, m.writerSN, {
      payload: m.payload ?? new Uint8Array(0),
      keyHash,
      writerGuid: proxy.info.guid,
      sequenceNumber: m.writerSN,
      sourceTimestampMs: timestampMs,
      instanceState,
      inlineQos: m.inlineQos?.parameters ?? [],
    });
    return true;
  }

  onDataFrag(m: DataFragSubmessage, writerGuid: Guid, timestampMs: number | undefined): boolean {
    const proxy = this.proxies.get(guidToString(writerGuid));
    if (!proxy) return false;
    const order = proxy.order;
    if (m.writerSN < order.next || order.has(m.writerSN)) return true;
    if (proxy.info.reliable && m.writerSN - order.next >= REORDER_WINDOW) {
      // Its sample could not be held once complete: store none of it.
      this.counters.beyondWindow++;
      return true;
    }
    const asm = proxy.fragments.add(m);
    if (asm === NEVER_TAKEN) {
      // A sample this reader will never take, however often it is resent: passed over as a
      // GAP would pass it, so the writer's later samples are not held behind it forever (and
      // it is acknowledged). Counted once: its other fragments now fall below `order.next`.
      this.accept(proxy, m.writerSN, null);
      return true;
    }
    if (!asm) return true;
    const { keyHash, instanceState } = sampleFields(asm.inlineQos);
    this.accept(proxy, m.writerSN, {
      payload: asm.sample(),
      keyHash,
      writerGuid: proxy.info.guid,
      sequenceNumber: m.writerSN,
      sourceTimestampMs: timestampMs,
      instanceState,
      inlineQos: asm.inlineQos?.parameters ?? [],
    });
    return true;
  }

  onGap(m: GapSubmessage, writerGuid: Guid): boolean {
    const proxy = this.proxies.get(guidToString(writerGuid));
    if (!proxy) return false;
    const next = proxy.order.next;
    const end = m.gapList.base;
    if (m.gapStart <= next) {
      // Irrelevant, not lost: the same GAP ahead of a hole (below) counts nothing either.
      if (end > next && proxy.jumps.mayJump(next, end)) this.skipTo(proxy, end, false);
      else if (end > next) this.counters.jumpsRefused++;
    } else {
      // [gapStart, end) lies ahead of a hole. A count, not an SN bound, ends the loop.
      const n = Math.min(end - m.gapStart, MAX_GAP_RANGE);
      for (let i = 0; i < n; i++) this.accept(proxy, m.gapStart + i, null);
    }
    // At most 256 members, ascending.
    for (const sn of m.gapList.members) this.accept(proxy, sn, null);
    return true;
  }

  onHeartbeat(m: HeartbeatSubmessage, writerGuid: Guid): boolean {
    const proxy = this.proxies.get(guidToString(writerGuid));
    if (!proxy) return false;
    if (!proxy.info.reliable || !heardHeartbeatCount(m.count, proxy.lastHeartbeatCount))
      return true;
    if (!isNewerCount(m.count, proxy.lastHeartbeatCount)) this.counters.heartbeatCountsBehind++;
    proxy.lastHeartbeatCount = m.count;
    const next = proxy.order.next;
    const back = proxy.jumps.rewindTarget(next, m.firstSN, m.lastSN);
    if (back !== undefined) this.rewind(proxy, back);
    else if (m.firstSN <= next) proxy.jumps.heartbeatNear();
    else if (proxy.jumps.heartbeatMayJump(next, m.firstSN)) this.skipTo(proxy, m.firstSN);
    else this.counters.jumpsRefused++;
    // The writer's own word on what it has written, not the highest ever heard: one forged
    // DATA far ahead (its GUID prefix is in every SPDP announcement) had this reader ask for
    // SNs the writer never wrote after every heartbeat, and the two ping-ponged at round-trip
    // speed (20,000 heartbeats and ACKNACKs a second) until the writer caught up.
    proxy.highestAnnounced = m.lastSN;
    // Final heartbeats are answered too: Fast DDS waits a period otherwise (docs/rtps-notes.md §6.3).
    this.answerAtFlush(proxy);
    return true;
  }

  /**
   * Only a sample being reassembled is answered, with a NACK_FRAG at the end of the turn: one
   * never seen costs nothing, and whatever lastFragmentNum says, the NACK_FRAG lists at most
   * the sample's own missing fragments, from a 256-number window.
   */
  onHeartbeatFrag(m: HeartbeatFragSubmessage, writerGuid: Guid): boolean {
    const proxy = this.proxies.get(guidToString(writerGuid));
    if (!proxy) return false;
    if (!proxy.info.reliable || !isNewerCount(m.count, proxy.lastHeartbeatFragCount)) {
      this.counters.heartbeatFragsIgnored++;
      return true;
    }
    proxy.lastHeartbeatFragCount = m.count;
    if (proxy.fragments.has(m.writerSN)) this.nackFragAtFlush(proxy, m.writerSN, m.lastFragmentNum);
    return true;
  }

  /**
   * HEARTBEAT_FRAGs of one turn get one NACK_FRAG per sample, built after the turn's DATA_FRAGs
   * were taken in (as heartbeats get one ACKNACK per writer): a datagram holds 2,000
   * HEARTBEAT_FRAGs, each with a new count, and answered one by one they cost 2,000 NACK_FRAGs.
   */
  private nackFragAtFlush(proxy: WriterProxy, sn: SequenceNumber, upTo: number): void {
    let due = this.nackFragsDue.get(proxy);
    if (!due) {
      if (this.nackFragsDue.size === 0) this.config.outbox.beforeFlush(this.sendNackFragsDue);
      due = new Map();
      this.nackFragsDue.set(proxy, due);
    }
    const before = due.get(sn);
    if (before === undefined && due.size >= MAX_ASSEMBLIES_PER_WRITER) {
      // Samples evicted and started again within the turn: the table stays at its bound.
      this.counters.heartbeatFragsIgnored++;
      return;
    }
    due.set(sn, before === undefined || upTo > before ? upTo : before);
  }

  private readonly sendNackFragsDue = (): void => {
    for (const [proxy, due] of this.nackFragsDue) {
      for (const [sn, upTo] of due) {
        const asm = proxy.fragments.get(sn);
        if (asm) this.sendNackFrag(proxy, sn, asm, upTo);
      }
    }
    this.nackFragsDue.clear();
  };

  /**
   * Declares what is still missing below `sn` lost (a heartbeat's firstSN: counted in
   * `samplesLost`) or irrelevant (a GAP: not counted), then drains what follows. Samples that
   * did arrive below `sn` are delivered, in order: the writer dropping them from its history
   * (KEEP_LAST replaced them) makes them unrepairable for others, not invalid for us.
   */
  private skipTo(proxy: WriterProxy, sn: SequenceNumber, lost = true): void {
    const order = proxy.order;
    let missing = 0;
    // One step per SN, only while something is held: never past the reorder window.
    for (let i = 0; i < REORDER_WINDOW && order.size > 0 && order.next < sn; i++) {
      const held = order.shift();
      if (held === undefined) missing++;
      else if (held) this.deliverHeld(proxy, held);
    }
    if (sn > order.next) {
      missing += sn - order.next;
      order.jumpTo(sn);
    }
    proxy.fragments.dropBelow(sn);
    if (lost) this.countLost(missing);
    this.drain(proxy);
  }

  /**
   * The writer says it wrote less than we expect: something (a forged GAP, HEARTBEAT or DATA)
   * moved us past it, and its genuine samples were dropped as duplicates since. Back to `sn`:
   * what was held is beyond what it wrote, so dropped, and the next ACKNACK asks from `sn`.
   */
  private rewind(proxy: WriterProxy, sn: SequenceNumber): void {
    this.counters.jumpsUndone++;
    this.config.fragments.releaseHeld(proxy.heldBytes + proxy.slotBytes);
    proxy.heldBytes = 0;
    proxy.slotBytes = 0;
    proxy.order.reset(sn);
    proxy.jumps.rewound(sn);
    proxy.repairFrom = 0;
  }

  /** A writer may skip up to 2^52 SNs; the counter saturates instead of losing precision. */
  private countLost(n: number): void {
    this.counters.samplesLost = Math.min(MAX_SEQUENCE_NUMBER, this.counters.samplesLost + n);
  }

  private accept(proxy: WriterProxy, sn: SequenceNumber, sample: ReceivedSample | null): void {
    const order = proxy.order;
    if (sn < order.next || order.has(sn)) {
      if (!sample) return;
      if (!proxy.info.reliable && proxy.jumps.behind(sn)) {
        // Best effort: the writer is behind us. Heartbeats undo this for reliable writers.
        this.counters.jumpsUndone++;
        proxy.order.reset(sn);
        proxy.jumps.rewound(sn);
      } else {
        this.counters.duplicates++;
        return;
      }
    }
    // The SN is settled whole (or declared irrelevant): fragments of it held from before (a
    // forged first fragment, or an earlier try) serve nothing and would keep it out of ACKNACKs.
    if (proxy.fragments.size > 0) proxy.fragments.drop(sn);
    if (!proxy.info.reliable) {
      if (!proxy.jumps.bestEffortMayTake(order.next, sn)) {
        this.counters.jumpsRefused++;
        return;
      }
      // Best effort: deliver what arrives, never wait for what did not.
      if (sample) this.deliver(proxy, sample);
      order.jumpTo(sn + 1);
      return;
    }
    if (sn === order.next) {
      order.next++;
      if (sample) this.deliver(proxy, sample);
      this.drain(proxy);
      return;
    }
    const cost = sample ? heldCost(sample.payload) : 0;
    // An SN a GAP declared irrelevant is held as a null, free in the slots there are; but a GAP
    // far ahead grows them to 4,096 (32 KB) per writer, so growth is charged like samples are.
    const growth = order.growthBytesFor(sn);
    if (cost + growth > 0 && !this.config.fragments.chargeHeld(cost + growth)) return;
    if (!order.hold(sn, sample)) {
      this.config.fragments.releaseHeld(cost + growth);
      this.counters.beyondWindow++;
      return;
    }
    proxy.heldBytes += cost;
    proxy.slotBytes += growth;
    if (sample) proxy.jumps.taken(sn, false);
    // A new hole just below this SN: ask for it now. A Fast DDS writer heartbeats every
    // 3 s, and every later sample of the writer waits for the lost one until then; a burst
    // with one loss repaired that late makes every later task in it miss a 10 s deadline.
    // One ACKNACK per hole (a run of lost SNs counts once); heartbeats retry after that.
    if (sample && sn - 1 >= order.next && !order.has(sn - 1)) {
      proxy.highestAnnounced = Math.max(proxy.highestAnnounced, sn - 1);
      this.answerAtFlush(proxy);
      this.startRepair();
    }
  }

  /** Stops the repair timer and gives back the fragment bytes held (the reader is going away). */
  close(): void {
    this.stopRepair();
    this.nackFragsDue.clear();
    for (const proxy of this.proxies.values()) {
      proxy.fragments.clear();
      this.config.fragments.releaseHeld(proxy.heldBytes + proxy.slotBytes);
      proxy.heldBytes = 0;
      proxy.slotBytes = 0;
    }
  }

  private stopRepair(): void {
    if (this.repairTimer) clearInterval(this.repairTimer);
    this.repairTimer = undefined;
  }

  private startRepair(): void {
    if (this.repairTimer) return;
    this.repairTimer = setInterval(() => this.repairHoles(), REPAIR_PERIOD_MS);
    // Repair never keeps a process alive on its own.
    this.repairTimer.unref();
  }

  private repairHoles(): void {
    let open = false;
    for (const proxy of this.proxies.values()) {
      // Something held means order.next is missing while later SNs arrived.
      if (!proxy.info.reliable || proxy.order.size === 0) continue;
      if (proxy.repairFrom !== proxy.order.next) {
        proxy.repairFrom = proxy.order.next;
        proxy.repairTriesLeft = REPAIR_TRIES;
      }
      if (proxy.repairTriesLeft <= 0) continue;
      proxy.repairTriesLeft--;
      open = true;
      this.answerAtFlush(proxy);
    }
    if (!open) this.stopRepair();
  }

  private drain(proxy: WriterProxy): void {
    const order = proxy.order;
    while (order.size > 0 && order.has(order.next)) {
      const s = order.shift();
      if (s) this.deliverHeld(proxy, s);
    }
    // Emptied, `order` went back to its initial slots: their charge is given back.
    if (proxy.slotBytes !== order.extraSlotBytes) {
      this.config.fragments.releaseHeld(proxy.slotBytes - order.extraSlotBytes);
      proxy.slotBytes = order.extraSlotBytes;
    }
  }

  /** Delivers a sample `order` held, giving back what holding it was charged. */
  private deliverHeld(proxy: WriterProxy, sample: ReceivedSample): void {
    const cost = heldCost(sample.payload);
    proxy.heldBytes -= cost;
    this.config.fragments.releaseHeld(cost);
    this.deliver(proxy, sample);
  }

  private deliver(proxy: WriterProxy, sample: ReceivedSample): void {
    proxy.jumps.taken(sample.sequenceNumber, true);
    this.counters.samplesReceived++;
    this.config.onSample(sample);
  }

  /**
   * Heartbeats that arrive in one event-loop turn (a burst, or a DATA with its piggybacked
   * heartbeat from each of several writers) get one ACKNACK per writer, built after the
   * turn's DATA were taken in (so it lists only what is really missing) and sent in the
   * datagram that carries our other traffic to that peer.
   */
  private answerAtFlush(proxy: WriterProxy): void {
    if (this.ackNacksDue.size === 0) {
      this.config.outbox.beforeFlush(() => {
        for (const p of this.ackNacksDue) this.sendAckNack(p);
        this.ackNacksDue.clear();
      });
    }
    this.ackNacksDue.add(proxy);
  }

  private sendAckNack(proxy: WriterProxy, options: { final?: boolean } = {}): void {
    const base = Math.max(1, proxy.order.next);
    const missing: SequenceNumber[] = [];
    const partial: SequenceNumber[] = [];
    // A count of at most 256 (one ACKNACK bitmap), whatever the writer announced.
    const n = Math.min(proxy.highestAnnounced - base + 1, MAX_SET_BITS);
    for (let i = 0; i < n; i++) {
      const sn = base + i;
      if (proxy.order.has(sn)) continue;
      if (proxy.fragments.has(sn)) partial.push(sn);
      else missing.push(sn);
    }
    proxy.ackNackCount = nextCount(proxy.ackNackCount);
    proxy.jumps.answered();
    this.mb.infoDst(proxy.info.guid.prefix);
    writeAckNack(this.mb.w, {
      readerId: this.config.guid.entityId,
      writerId: proxy.info.guid.entityId,
      // Base is never 0: SNs start at 1, and Fast DDS loops on a zero base.
      readerSNState: makeSequenceNumberSet(base, missing),
      count: proxy.ackNackCount,
      final: options.final ?? missing.length === 0,
    });
    this.counters.ackNacksSent++;
    this.mb.sendTo(this.config.outbox.send, proxy.info.locators, proxy.info.guid.prefix);
    for (const sn of partial) {
      const asm = proxy.fragments.get(sn);
      if (asm) this.sendNackFrag(proxy, sn, asm, asm.totalFragments);
    }
  }

  private sendNackFrag(
    proxy: WriterProxy,
    sn: SequenceNumber,
    asm: FragmentAssembler,
    upTo: number,
  ): void {
    const missing = asm.missing().filter((n) => n <= upTo);
    const first = missing[0];
    if (first === undefined) return;
    const inWindow = missing.filter((n) => n < first + MAX_SET_BITS);
    proxy.nackFragCount = nextCount(proxy.nackFragCount);
    this.mb.infoDst(proxy.info.guid.prefix);
    writeNackFrag(this.mb.w, {
      readerId: this.config.guid.entityId,
      writerId: proxy.info.guid.entityId,
      writerSN: sn,
      fragmentNumberState: {
        base: first,
        numBits: (inWindow[inWindow.length - 1] ?? first) - first + 1,
        members: inWindow,
      },
      count: proxy.nackFragCount,
    });
    this.counters.nackFragsSent++;
    this.mb.sendTo(this.config.outbox.send, proxy.info.locators, proxy.info.guid.prefix);
  }
}
