import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { DurabilityKind, HistoryQos, ResourceLimitsQos } from "../qos/endpoint-qos.ts";
import { type Guid, guidToString } from "../wire/guid.ts";
import { MessageBuilder } from "../wire/message.ts";
import type { Parameter } from "../wire/parameter-list.ts";
import { MAX_SET_BITS, type SequenceNumber } from "../wire/sequence-number.ts";
import type { AckNackSubmessage } from "../wire/submessages/acknack.ts";
import { writeData } from "../wire/submessages/data.ts";
import { writeDataFrag } from "../wire/submessages/data-frag.ts";
import type { NackFragSubmessage } from "../wire/submessages/fragment-control.ts";
import { writeGap } from "../wire/submessages/gap.ts";
import { writeHeartbeat } from "../wire/submessages/heartbeat.ts";
import { AckWaiters } from "./ack-waiters.ts";
import type { CacheChange, InstanceState } from "./change.ts";
import { isNewerCount, NO_COUNT, nextCount } from "./count.ts";
import { WriterHistory } from "./history.ts";
import { encodeInlineQos, inlineQosMemo } from "./inline-qos.ts";
import { FRAGMENT_SIZE, MAX_DATAGRAM, MAX_UNFRAGMENTED_PAYLOAD, type Outbox } from "./outbox.ts";
import {
  FOLLOW_UP_HEARTBEAT_MS,
  type MatchedReader,
  mayResend,
  PROBE_PERIOD_MS,
  PROBES,
  type ReaderProxy,
  toRuns,
  UNRESPONSIVE_PROBE_MS,
} from "./reader-proxy.ts";
import { type RepairCost, RepairTurn } from "./repair-turn.ts";

export type { MatchedReader } from "./reader-proxy.ts";

export interface WriterConfig {
  readonly guid: Guid;
  readonly reliable: boolean;
  readonly durability: DurabilityKind;
  readonly history: HistoryQos;
  readonly resourceLimits: ResourceLimitsQos;
  readonly keyed: boolean;
  readonly heartbeatPeriodMs: number;
  readonly outbox: Outbox;
  /** Monotonic milliseconds resends are timed by (default `performance.now`; tests pass theirs). */
  readonly now?: () => number;
}

export type WriteErrorKind = "closed" | "out-of-resources" | "bad-key";

export type WriteError = Failure<WriteErrorKind>;

export interface WriteOptions {
  readonly keyHash?: Uint8Array | undefined;
  readonly sourceTimestampMs?: number | undefined;
  /** Extra inline QoS parameters, sent as given (values padded to 4 bytes). */
  readonly inlineQos?: readonly Parameter[] | undefined;
}

/**
 * Fragments one writer resends for NACK_FRAGs in one event-loop turn, all readers together.
 * A NACK_FRAG names at most 256 fragments (one bitmap), and a reader asks once per heartbeat
 * or repair round, so a reader alone asking for a whole window is never cut. But a 64 KB
 * datagram holds 1,000 NACK_FRAGs, each with a new count, and a peer may announce many
 * readers: without a cap, one datagram could make us resend 256,000 fragments of 60,000 bytes
 * (15 GB; measured: 20,000 for a sample of 20 fragments). With it, a turn's resends are at
 * most 256 × 60,000 bytes (15 MB: what one write of a 15 MB sample sends at once), withheld
 * datagrams to an unverified peer included. The budget is dealt fairly over the participants
 * that asked in the turn (`RepairTurn`). Fragments over it are counted
 * (`fragmentResendsOverLimit`) and sent when the reader asks again. A fragmented sample an
 * ACKNACK asks for is resent whole while this budget is not spent, and spends it (see
 * MAX_SAMPLE_RESENDS_PER_TURN): a turn may pass it by one sample, never by more.
 */
export const MAX_FRAGMENT_RESENDS_PER_TURN = MAX_SET_BITS;

/**
 * SNs one writer answers for ACKNACKs (and NACK_FRAGs naming a sample no longer held) in one
 * event-loop turn, all readers together: each resent as DATA (or as the whole sample's
 * DATA_FRAGs, which also spend the fragment budget) or GAPped. An ACKNACK names at most 256
 * SNs (one bitmap) and a reader sends one per heartbeat, so a reader asking for a whole
 * window is never cut. But a 64 KB datagram holds 1,000 ACKNACKs, each with a new count: one
 * datagram of them made us resend 20,000 DATA of 60,000 bytes (1.2 GB), and one naming SNs
 * no longer held, scattered, 127,000 GAPs. With the cap, a turn's resends are at most 256
 * DATA (16 MB of 62,000-byte samples), what one ACKNACK may ask for. The budget is dealt fairly over
 * the participants that asked in the turn (`RepairTurn`). SNs over it are counted
 * (`sampleResendsOverLimit`) and answered when the reader asks again: the reader is sent a
 * heartbeat (one a turn) so that it asks at once.
 */
export const MAX_SAMPLE_RESENDS_PER_TURN = MAX_SET_BITS;

/** What resending an unfragmented sample, or GAPping an SN, costs a turn's budget. */
const ONE_SAMPLE: RepairCost = { samples: 1, fragments: 0 };

/** How many DATA_FRAGs carry `c` (sent whole, or resent whole for an ACKNACK). */
function fragmentsOf(c: CacheChange): number {
  return Math.ceil(c.payload.length / FRAGMENT_SIZE);
}

/** A stateful RTPS writer: per-reader proxies, heartbeats, GAPs, fragments. */
export class RtpsWriter {
  readonly history: WriterHistory;
  private readonly proxies = new Map<string, ReaderProxy>();
  private readonly mb: MessageBuilder;
  private heartbeatCount = 0;
  private heartbeatScheduled = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private followUpTimer: NodeJS.Timeout | undefined;
  /** The last SN the pending follow-up heartbeat covers (later turns raise it). */
  private followUpSN: SequenceNumber = 0;
  /** When unresponsive readers were last heartbeated (`this.now()`; see UNRESPONSIVE_PROBE_MS). */
  private lastUnresponsiveProbeMs = Number.NEGATIVE_INFINITY;
  private readonly waiters = new AckWaiters(() => this.allAcknowledged());
  /** Acknowledgements arrived since the history was last pruned (see `ackProgress`). */
  private pruneDue = false;
  private settleScheduled = false;
  private readonly inlineQos = inlineQosMemo();
  private closed = false;
  /** This turn's repair requests, answered as its datagrams leave (`answerRepairs`). */
  private readonly repairs = new RepairTurn(
    MAX_SAMPLE_RESENDS_PER_TURN,
    MAX_FRAGMENT_RESENDS_PER_TURN,
  );
  counters = {
    samplesWritten: 0,
    dataSent: 0,
    /** DATA_FRAGs sent, resends included. */
    fragmentsSent: 0,
    resent: 0,
    gapsSent: 0,
    heartbeatsSent: 0,
    /**
     * ACKNACKs ignored as DDSI-RTPS says: a count not newer than that reader's last one (a
     * repeat, or an older one), or from a best-effort reader (only reliable ones are repaired).
     */
    ackNacksIgnored: 0,
    /** DATA_FRAGs resent because a NACK_FRAG asked for them. */
    fragmentsResent: 0,
    /**
     * NACK_FRAGs ignored as DDSI-RTPS says: a count not newer than that reader's last one (a
     * repeat, or an older one), or from a best-effort reader (only reliable ones are repaired).
     */
    nackFragsIgnored: 0,
    /** NACK_FRAGs naming an SN we never wrote: nothing to resend, nothing to GAP. */
    nackFragsUnknownSample: 0,
    /**
     * NACK_FRAGs naming a sample we sent whole, as one DATA: it is resent whole (a reader that
     * holds a stray first fragment of that SN asks for it only this way).
     */
    nackFragsNotFragmented: 0,
    /** Non-final ACKNACKs asking only for SNs this writer never wrote: not answered at once. */
    ackNacksBeyondLastSN: 0,
    /** Fragment numbers asked for past their sample's last fragment. */
    fragmentsNotInSample: 0,
    /** Fragments asked for over MAX_FRAGMENT_RESENDS_PER_TURN: not resent this turn. */
    fragmentResendsOverLimit: 0,
    /**
     * SNs asked for over MAX_SAMPLE_RESENDS_PER_TURN (or whose fragments found the fragment
     * budget spent): neither resent nor GAPped this turn.
     */
    sampleResendsOverLimit: 0,
    /**
     * Requested SNs and fragments a reader's later ACKNACK (or NACK_FRAG for the same sample)
     * in the same turn replaced: it asks for what it misses now.
     */
    repairsSuperseded: 0,
    /**
     * SNs an ACKNACK asked for that were resent to the same reader within
     * RESEND_SUPPRESSION_MS: not resent again, nor heartbeated for (it asks again later).
     */
    resendsSuppressed: 0,
    /**
     * Reliable readers that let every probe go by without an ACKNACK: sent no samples nor
     * periodic heartbeats since, only a heartbeat every UNRESPONSIVE_PROBE_MS.
     */
    readersUnresponsive: 0,
    /** Unresponsive readers that sent an ACKNACK at last: served again. */
    readersResponsiveAgain: 0,
  };
  private readonly now: () => number;

  constructor(readonly config: WriterConfig) {
    this.history = new WriterHistory(config.history, config.resourceLimits);
    this.mb = new MessageBuilder(config.outbox.vendorId, config.outbox.prefix);
    this.now = config.now ?? (() => performance.now());
    if (config.reliable) {
      this.heartbeatTimer = setInterval(() => this.periodicHeartbeat(), config.heartbeatPeriodMs);
    }
  }

  get guid(): Guid {
    return this.config.guid;
  }

  get matchedReaders(): readonly MatchedReader[] {
    return [...this.proxies.values()].map((p) => p.info);
  }

  write(payload: Uint8Array, options: WriteOptions = {}): Result<SequenceNumber, WriteError> {
    return this.addChange("alive", payload, options);
  }

  /** Disposes (or unregisters) an instance; `payload` may carry the serialized key. */
  retire(
    state: Exclude<InstanceState, "alive">,
    options: WriteOptions,
    payload?: Uint8Array,
  ): Result<SequenceNumber, WriteError> {
    return this.addChange(state, payload ?? new Uint8Array(0), options);
  }

  private addChange(
    state: InstanceState,
    payload: Uint8Array,
    options: WriteOptions,
  ): Result<SequenceNumber, WriteError> {
    if (this.closed) return err(failure("closed", "writer is closed"));
    const keyHash = this.config.keyed ? options.keyHash : undefined;
    if (this.config.keyed && keyHash?.length !== 16) {
      return err(failure("bad-key", "a keyed writer needs a 16-byte key hash"));
    }
    // Acknowledgements of this turn not applied yet: a full KEEP_ALL history they freed must
    // take this write (`writeAsync` retries as soon as an ACKNACK arrives, before the flush).
    if (this.pruneDue) this.pruneAcknowledged();
    const added = this.history.add({
      instanceState: state,
      keyHash,
      payload,
      sourceTimestampMs: options.sourceTimestampMs ?? Date.now(),
      inlineQos: encodeInlineQos(keyHash, state, options.inlineQos, this.inlineQos),
    });
    if (!added.ok) return err(added.error);
    const change = added.value;
    this.counters.samplesWritten++;
    for (const proxy of this.proxies.values()) {
      if (!proxy.unresponsive) this.sendChanges(proxy, [change], false);
    }
    if (this.config.reliable) this.scheduleHeartbeat();
    this.pruneAcknowledged();
    return ok(change.sn);
  }

  matchReader(info: MatchedReader): void {
    const key = guidToString(info.guid);
    if (this.proxies.has(key)) return;
    const replay = info.wantsHistory && this.config.durability !== "volatile";
    const minRelevant = replay ? 1 : this.history.lastSN + 1;
    const proxy: ReaderProxy = {
      info,
      ackedBelow: minRelevant,
      minRelevant,
      lastAckNackCount: NO_COUNT,
      lastNackFragCount: NO_COUNT,
      probesLeft: info.reliable ? PROBES : 0,
      unresponsive: false,
      recentResends: new Map(),
    };
    this.proxies.set(key, proxy);
    if (proxy.probesLeft > 0) this.startProbing();
    // Late joiners get the held history pushed at once, then a heartbeat to repair losses.
    const held = [...this.history.from(minRelevant)];
    this.sendChanges(proxy, held, info.reliable);
    if (info.reliable && held.length === 0) this.sendHeartbeat(proxy, false);
  }

  unmatchReader(guid: Guid): boolean {
    const removed = this.proxies.delete(guidToString(guid));
    // The reader may have been the slowest: what only it lacked can go, and waiters may be done.
    if (removed) this.ackProgress();
    return removed;
  }

  /** Returns false when the reader is not matched (the caller counts it). */
  onAckNack(m: AckNackSubmessage, readerGuid: Guid): boolean {
    const proxy = this.proxies.get(guidToString(readerGuid));
    if (!proxy) return false;
    if (!proxy.info.reliable || !isNewerCount(m.count, proxy.lastAckNackCount)) {
      this.counters.ackNacksIgnored++;
      return true;
    }
    proxy.lastAckNackCount = m.count;
    proxy.probesLeft = 0;
    if (proxy.unresponsive) {
      proxy.unresponsive = false;
      this.counters.readersResponsiveAgain++;
    }
    const base = m.readerSNState.base;
    if (base > proxy.ackedBelow) proxy.ackedBelow = Math.min(base, this.history.lastSN + 1);
    // A reader below our window still needs a GAP to move on, listed or not.
    const first = Math.min(
      Math.max(this.history.firstSN, proxy.minRelevant),
      this.history.lastSN + 1,
    );
    // Not for a base of 0 (Fast DDS's first ACKNACK): that would be an empty GAP [1, 0].
    const gapFrom = Math.max(1, base);
    if (gapFrom < first) this.sendGapRuns(proxy, [[gapFrom, first - 1]]);
    const last = this.history.lastSN;
    const members = m.readerSNState.members;
    const requested = members.filter((sn) => sn >= first && sn <= last);
    if (requested.length > 0) {
      this.turnHasRepairs();
      const { superseded } = this.repairs.askSamples(proxy, requested);
      this.counters.repairsSuperseded += superseded;
    } else if (members.length > 0 && (members.at(-1) as SequenceNumber) > last) {
      // It asks only for SNs we never wrote (it took a forged DATA for ours): an answer at once
      // made a round-trip-speed loop with such a reader. Our periodic heartbeat tells it.
      this.counters.ackNacksBeyondLastSN++;
    }
    // A non-final ACKNACK must be answered (DDSI-RTPS 8.3.7.1): a reader that just matched us
    // learns at once what we hold instead of at our next periodic heartbeat. The answer is a
    // final heartbeat, so a reader missing nothing stays quiet and the two never ping-pong.
    else if (!m.final) this.sendHeartbeat(proxy, true);
    this.ackProgress();
    return true;
  }

  /**
   * Asks for the fragments a NACK_FRAG names, answered at the turn's end: at most its 256 set
   * members, only those of a sample we sent as DATA_FRAGs, within MAX_FRAGMENT_RESENDS_PER_TURN;
   * a GAP for a sample no longer held or written before the reader mattered. What it refuses
   * is counted.
   */
  onNackFrag(m: NackFragSubmessage, readerGuid: Guid): boolean {
    const proxy = this.proxies.get(guidToString(readerGuid));
    if (!proxy) return false;
    if (!proxy.info.reliable || !isNewerCount(m.count, proxy.lastNackFragCount)) {
      this.counters.nackFragsIgnored++;
      return true;
    }
    proxy.lastNackFragCount = m.count;
    const sn = m.writerSN;
    if (sn > this.history.lastSN) this.counters.nackFragsUnknownSample++;
    else {
      // A volatile reader gets no sample written before it matched, fragments included.
      const change = sn >= proxy.minRelevant ? this.history.get(sn) : undefined;
      if (!change) {
        this.turnHasRepairs();
        this.repairs.askGap(proxy, sn);
      } else if (change.payload.length <= MAX_UNFRAGMENTED_PAYLOAD) {
        // Ignored, such a reader waited for that SN for ever, and every later sample with it.
        this.counters.nackFragsNotFragmented++;
        this.turnHasRepairs();
        const { superseded } = this.repairs.askSamples(proxy, [sn]);
        this.counters.repairsSuperseded += superseded;
      } else this.askFragments(proxy, change, m.fragmentNumberState.members);
    }
    return true;
  }

  /** Resolves true once every reliable reader acknowledged everything written so far. */
  waitForAcknowledgments(timeoutMs: number): Promise<boolean> {
    return this.waiters.untilAllAcknowledged(timeoutMs);
  }

  /** Resolves at the next acknowledgement progress (history space may have been freed), or after `timeoutMs`. */
  nextAckProgress(timeoutMs: number): Promise<void> {
    return this.waiters.untilProgress(timeoutMs);
  }

  allAcknowledged(): boolean {
    const last = this.history.lastSN;
    for (const p of this.proxies.values()) {
      if (p.info.reliable && p.ackedBelow <= last) return false;
    }
    return true;
  }

  close(): void {
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    if (this.followUpTimer) clearTimeout(this.followUpTimer);
    this.probeTimer = undefined;
    this.followUpTimer = undefined;
    this.heartbeatTimer = undefined;
    this.waiters.releaseAll();
    this.proxies.clear();
  }

  /**
   * Acknowledgements moved (or a reader left): progress waiters are told now, and the history
   * pruned and "everything acknowledged" checked once, as the turn's datagrams leave. Both walk
   * every reader: done per ACKNACK, a datagram of 2,000 ACKNACKs to a writer matched with 8,000
   * readers (a peer may announce 512 per participant) cost 16 million steps.
   */
  private ackProgress(): void {
    this.waiters.notifyProgress();
    this.pruneDue = true;
    if (this.settleScheduled) return;
    this.settleScheduled = true;
    this.config.outbox.beforeFlush(this.settleAcks);
  }

  private readonly settleAcks = (): void => {
    this.settleScheduled = false;
    if (this.closed) return;
    if (this.pruneDue) this.pruneAcknowledged();
    this.waiters.notifyAll();
  };

  /** A volatile KEEP_ALL history would grow without end; acknowledged changes serve nobody. */
  private pruneAcknowledged(): void {
    this.pruneDue = false;
    if (this.config.durability !== "volatile" || this.config.history.kind !== "keep-all") return;
    let below = this.history.lastSN + 1;
    for (const p of this.proxies.values())
      if (p.info.reliable) below = Math.min(below, p.ackedBelow);
    if (below > this.history.firstSN) this.history.removeBelow(below);
  }

  private startProbing(): void {
    if (this.probeTimer || this.closed) return;
    this.probeTimer = setInterval(() => this.probeUnheard(), PROBE_PERIOD_MS);
  }

  private probeUnheard(): void {
    let pending = false;
    for (const p of this.proxies.values()) {
      if (p.probesLeft <= 0) continue;
      p.probesLeft--;
      this.sendHeartbeat(p, false);
      pending = true;
      // Only a best-effort reader never answers, and it is never probed.
      if (p.probesLeft === 0 && p.lastAckNackCount === NO_COUNT) {
        p.unresponsive = true;
        this.counters.readersUnresponsive++;
      }
    }
    if (!pending && this.probeTimer) {
      clearInterval(this.probeTimer);
      this.probeTimer = undefined;
    }
  }

  /**
   * One heartbeat per event-loop turn with writes, piggybacked: it joins the datagram
   * that carries this turn's DATA (the outbox batches per locator), as Fast DDS does, so
   * it costs no datagram of its own and lets readers detect a lost last sample at once.
   */
  private scheduleHeartbeat(): void {
    if (this.heartbeatScheduled) return;
    this.heartbeatScheduled = true;
    this.config.outbox.beforeFlush(() => {
      this.heartbeatScheduled = false;
      if (this.closed) return;
      const last = this.history.lastSN;
      for (const p of this.proxies.values()) {
        if (p.info.reliable && !p.unresponsive && p.ackedBelow <= last)
          this.sendHeartbeat(p, false);
      }
      this.scheduleFollowUp(last);
    });
  }

  private scheduleFollowUp(upTo: SequenceNumber): void {
    this.followUpSN = upTo;
    if (this.followUpTimer || this.closed) return;
    this.followUpTimer = setTimeout(() => {
      this.followUpTimer = undefined;
      if (this.closed) return;
      const covered = this.followUpSN;
      // Only readers still missing what those turns wrote: a steady stream, acknowledged as
      // it goes, costs no extra heartbeat.
      for (const p of this.proxies.values()) {
        if (p.info.reliable && !p.unresponsive && p.ackedBelow <= covered) {
          this.sendHeartbeat(p, false);
        }
      }
    }, FOLLOW_UP_HEARTBEAT_MS);
    this.followUpTimer.unref();
  }

  private periodicHeartbeat(): void {
    const last = this.history.lastSN;
    const now = this.now();
    const probeUnresponsive = now - this.lastUnresponsiveProbeMs >= UNRESPONSIVE_PROBE_MS;
    if (probeUnresponsive) this.lastUnresponsiveProbeMs = now;
    for (const p of this.proxies.values()) {
      // An unresponsive reader is heartbeated even with nothing to acknowledge: its answer,
      // whatever it says, is what brings it back.
      if (p.unresponsive) {
        if (probeUnresponsive) this.sendHeartbeat(p, false);
      } else if (p.info.reliable && p.ackedBelow <= last) this.sendHeartbeat(p, false);
    }
  }

  private sendHeartbeat(proxy: ReaderProxy, final: boolean): void {
    this.mb.infoDst(proxy.info.guid.prefix);
    this.writeHeartbeatInto(proxy, final);
    this.flush(proxy);
  }

  private writeHeartbeatInto(proxy: ReaderProxy, final: boolean): void {
    const last = this.history.lastSN;
    const first = Math.min(Math.max(this.history.firstSN, proxy.minRelevant), last + 1);
    this.heartbeatCount = nextCount(this.heartbeatCount);
    writeHeartbeat(this.mb.w, {
      readerId: proxy.info.guid.entityId,
      writerId: this.config.guid.entityId,
      firstSN: first,
      lastSN: last,
      count: this.heartbeatCount,
      final,
      liveliness: false,
    });
    this.counters.heartbeatsSent++;
  }

  private flush(proxy: ReaderProxy): void {
    if (!this.mb.isEmpty)
      this.mb.sendTo(this.config.outbox.send, proxy.info.locators, proxy.info.guid.prefix);
  }

  /** Sends DATA (or DATA_FRAG) for `changes`, packing several into one datagram. */
  private sendChanges(
    proxy: ReaderProxy,
    changes: Iterable<CacheChange>,
    heartbeat: boolean,
  ): void {
    let hasContent = false;
    for (const c of changes) {
      if (c.payload.length > MAX_UNFRAGMENTED_PAYLOAD) {
        if (hasContent) this.flush(proxy);
        hasContent = false;
        const total = fragmentsOf(c);
        for (let num = 1; num <= total; num++) this.sendFragment(proxy, c, num);
        continue;
      }
      const size = c.payload.length + (c.inlineQos?.length ?? 0) + 64;
      if (hasContent && this.mb.length + size > MAX_DATAGRAM) {
        this.flush(proxy);
        hasContent = false;
      }
      if (!hasContent) this.mb.infoDst(proxy.info.guid.prefix);
      this.mb.infoTs(c.sourceTimestampMs);
      writeData(this.mb.w, {
        readerId: proxy.info.guid.entityId,
        writerId: this.config.guid.entityId,
        writerSN: c.sn,
        inlineQos: c.inlineQos,
        payload: c.payload.length > 0 ? c.payload : undefined,
      });
      this.counters.dataSent++;
      hasContent = true;
    }
    if (heartbeat && proxy.info.reliable) {
      if (!hasContent) this.mb.infoDst(proxy.info.guid.prefix);
      this.writeHeartbeatInto(proxy, false);
      hasContent = true;
    }
    if (hasContent) this.flush(proxy);
  }

  /** Asks for the `requested` fragments of `c` (a NACK_FRAG's members: at most 256, ascending, from 1) that exist. */
  private askFragments(proxy: ReaderProxy, c: CacheChange, requested: readonly number[]): void {
    const total = fragmentsOf(c);
    let inSample = requested.length;
    while (inSample > 0 && (requested[inSample - 1] as number) > total) inSample--;
    this.counters.fragmentsNotInSample += requested.length - inSample;
    if (inSample === 0) return;
    this.turnHasRepairs();
    const { superseded } = this.repairs.askFragments(proxy, c.sn, requested.slice(0, inSample));
    this.counters.repairsSuperseded += superseded;
  }

  /** The turn's first repair request schedules their answer, just before its datagrams leave. */
  private turnHasRepairs(): void {
    if (this.repairs.empty) this.config.outbox.beforeFlush(this.answerRepairs);
  }

  /** What an SN's repair costs: one sample, and a fragmented sample's fragments besides. */
  private readonly priceOf = (proxy: ReaderProxy, sn: SequenceNumber): RepairCost => {
    const c = sn >= proxy.minRelevant ? this.history.get(sn) : undefined;
    if (c === undefined || c.payload.length <= MAX_UNFRAGMENTED_PAYLOAD) return ONE_SAMPLE;
    return { samples: 1, fragments: fragmentsOf(c) };
  };

  /**
   * Answers the turn's repair requests within its budget, dealt fairly over the participants
   * that asked (`RepairTurn.deal`): DATA for the SNs held and relevant, GAPs for the rest,
   * the fragments asked for. What the budget cuts is counted, and a reader whose SNs were cut
   * is sent a heartbeat with its answer so that it asks again.
   */
  private readonly answerRepairs = (): void => {
    const answers = this.repairs.deal(this.priceOf);
    if (this.closed) return;
    const now = this.now();
    for (const a of answers) {
      const proxy = a.repairs.proxy;
      // A reader that left during the turn is owed nothing.
      if (this.proxies.get(guidToString(proxy.info.guid)) !== proxy) continue;
      const present: CacheChange[] = [];
      const gone: SequenceNumber[] = [];
      for (const sn of [...new Set(a.sns)].sort((x, y) => x - y)) {
        const c = sn >= proxy.minRelevant ? this.history.get(sn) : undefined;
        if (c === undefined) gone.push(sn);
        else if (mayResend(proxy, sn, now)) present.push(c);
        else this.counters.resendsSuppressed++;
      }
      if (gone.length > 0) this.sendGapRuns(proxy, toRuns(gone));
      for (const [sn, fragments] of a.fragments) {
        const c = this.history.get(sn);
        // Dropped from the history since it was asked for: the reader's next ask gets a GAP.
        if (c === undefined) continue;
        for (const num of fragments) this.sendFragment(proxy, c, num);
        this.counters.fragmentsResent += fragments.length;
      }
      this.counters.resent += present.length;
      this.counters.sampleResendsOverLimit += a.cutSamples;
      this.counters.fragmentResendsOverLimit += a.cutFragments;
      this.sendChanges(proxy, present, present.length > 0 || a.cutSamples > 0);
    }
  };

  /** Fragment `num` (from 1, at most the sample's last) of `c`, in a datagram of its own. */
  private sendFragment(proxy: ReaderProxy, c: CacheChange, num: number): void {
    const start = (num - 1) * FRAGMENT_SIZE;
    this.mb.infoDst(proxy.info.guid.prefix);
    this.mb.infoTs(c.sourceTimestampMs);
    writeDataFrag(this.mb.w, {
      readerId: proxy.info.guid.entityId,
      writerId: this.config.guid.entityId,
      writerSN: c.sn,
      fragmentStartingNum: num,
      fragmentsInSubmessage: 1,
      fragmentSize: FRAGMENT_SIZE,
      sampleSize: c.payload.length,
      inlineQos: num === 1 ? c.inlineQos : undefined,
      fragments: c.payload.subarray(start, start + FRAGMENT_SIZE),
    });
    this.counters.fragmentsSent++;
    this.flush(proxy);
  }

  /** One GAP per inclusive run [start, end], with an empty list after it. */
  private sendGapRuns(
    proxy: ReaderProxy,
    runs: ReadonlyArray<readonly [SequenceNumber, SequenceNumber]>,
  ): void {
    this.mb.infoDst(proxy.info.guid.prefix);
    for (const [start, end] of runs) {
      writeGap(this.mb.w, {
        readerId: proxy.info.guid.entityId,
        writerId: this.config.guid.entityId,
        gapStart: start,
        gapList: { base: end + 1, numBits: 0, members: [] },
      });
      this.counters.gapsSent++;
    }
    this.flush(proxy);
  }
}
