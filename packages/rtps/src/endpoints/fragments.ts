import type { Parameter, ParameterList } from "../wire/parameter-list.ts";
import { MAX_SET_BITS, type SequenceNumber } from "../wire/sequence-number.ts";
import type { DataFragSubmessage } from "../wire/submessages/data-frag.ts";
import { type FragmentHolder, FragmentHolders } from "./fragment-holders.ts";

/**
 * Fragment reassembly commits memory only for bytes that arrived: each new fragment is copied
 * out of its datagram and charged to its writer and to the participant, the sample is put
 * together once the last one is in. A DATA_FRAG announcing 64 MiB costs what it carries.
 */

export interface FragmentLimits {
  /** Largest announced sample reassembled. */
  readonly maxSampleSize: number;
  /** Bytes of incomplete samples held for one remote writer. */
  readonly maxPendingBytesPerWriter: number;
  /** Bytes of incomplete samples held for all remote writers together. */
  readonly maxPendingBytes: number;
}

/** What `WriterFragments.add` returns for a sample above `maxSampleSize`. */
export const NEVER_TAKEN = "never-taken";

/** Why (part of) a DATA_FRAG was not stored. */
export type FragmentDropReason =
  /** Its sampleSize is above maxSampleSize. */
  | "sample-too-large"
  /** Storing it would pass maxPendingFragmentBytesPerWriter. */
  | "writer-limit"
  /** Storing it would pass maxPendingFragmentBytes. */
  | "participant-limit"
  /**
   * Its sampleSize or fragmentSize differ from the first fragment of that sample, it carries
   * fragments past the sample's last, or fewer bytes than its fragments need (no fragment at
   * all included).
   */
  | "layout-mismatch";

/**
 * Bytes that samples held out of order (waiting for a hole below them) keep alive, over
 * every reader of a participant. A held sample's payload is a view into its datagram, so
 * it is charged the whole buffer it keeps (up to 64 KB): 4,096 held SNs per writer times
 * many matched writers would otherwise pin gigabytes. What would pass it is dropped, counted
 * as `heldSamplesDropped`, and asked for again once the hole is repaired.
 */
export const MAX_HELD_SAMPLE_BYTES = 64 * 1024 * 1024;
/** What holding one sample costs besides the buffer it keeps (the sample object, a slot). */
export const HELD_SAMPLE_OVERHEAD_BYTES = 128;

export interface FragmentCounters {
  /** Bytes held now in incomplete samples, per-fragment bookkeeping included. */
  pendingBytes: number;
  fragmentsStored: number;
  samplesReassembled: number;
  /** Incomplete samples given up for a newer one of the same writer (at most 8 are kept). */
  assembliesEvicted: number;
  /** Incomplete samples given up after ASSEMBLY_IDLE_TIMEOUT_MS without a new fragment. */
  assembliesExpired: number;
  /**
   * Incomplete samples given up to make room under the participant limit for a writer holding
   * less: each the least recently progressing sample of the writer holding the most.
   */
  assembliesReclaimed: number;
  /** DATA_FRAG submessages refused in whole or in part, by reason. */
  dropped: Record<FragmentDropReason, number>;
  /**
   * Bytes kept alive now by samples held out of order, and by the reorder slots grown to hold
   * them (or SNs a GAP declared irrelevant): see MAX_HELD_SAMPLE_BYTES and SLOT_BYTES.
   */
  heldSampleBytes: number;
  /** Out-of-order samples (or irrelevant SNs) not held: MAX_HELD_SAMPLE_BYTES would be passed. */
  heldSamplesDropped: number;
}

/**
 * What one stored fragment costs besides its bytes (typed array, backing store, map entry),
 * charged so that a peer sending one-byte fragments is bounded by the same limits.
 */
export const FRAGMENT_OVERHEAD_BYTES = 256;
/** Incomplete samples kept per writer; a new one evicts the oldest. */
export const MAX_ASSEMBLIES_PER_WRITER = 8;

/**
 * An incomplete sample that received no new fragment for this long is given up: its bytes go
 * back to the pool, counted as `assembliesExpired`. Before, nothing aged out, and a peer that
 * sent part of a few samples once held the pool for as long as it stayed matched. Over three
 * heartbeat periods of Fast DDS (3 s, the slowest writer we meet; ours beat every second): a
 * sample whose repair was lost twice still completes. One given up too early is not lost
 * either: its SN is then missing, and our next ACKNACK asks the writer for it whole.
 */
export const ASSEMBLY_IDLE_TIMEOUT_MS = 10_000;
/**
 * How often at most arriving DATA_FRAGs look for idle samples. A look walks every writer
 * holding some (at most one per matched writer, 8 samples each): done per DATA_FRAG, 1,000 of
 * them in a datagram would walk them 1,000 times. Idle samples go within a second of their time.
 */
export const EXPIRY_SWEEP_PERIOD_MS = 1_000;

/**
 * Samples given up at most for one fragment that the participant limit would refuse (see
 * `FragmentPool.makeRoom`): a 60,000-byte fragment may need many small samples of a writer
 * given up, and each costs a scan of MAX_HOLDERS_SCANNED writers. What still does not fit is
 * refused and counted, and comes again with the writer's next repair.
 */
export const MAX_RECLAIMS_PER_FRAGMENT = 64;

export interface FragmentPoolOptions {
  /** Budget of samples held out of order (default MAX_HELD_SAMPLE_BYTES). */
  readonly maxHeldSampleBytes?: number;
  /** Default ASSEMBLY_IDLE_TIMEOUT_MS. */
  readonly assemblyIdleTimeoutMs?: number;
  /** Monotonic milliseconds idle samples are timed by (default `performance.now`; tests pass theirs). */
  readonly now?: () => number;
}

/** Participant-wide: the limits and the bytes held under them. */
export class FragmentPool {
  readonly counters: FragmentCounters = {
    pendingBytes: 0,
    fragmentsStored: 0,
    samplesReassembled: 0,
    assembliesEvicted: 0,
    assembliesExpired: 0,
    assembliesReclaimed: 0,
    dropped: {
      "sample-too-large": 0,
      "writer-limit": 0,
      "participant-limit": 0,
      "layout-mismatch": 0,
    },
    heldSampleBytes: 0,
    heldSamplesDropped: 0,
  };

  readonly maxHeldSampleBytes: number;
  readonly assemblyIdleTimeoutMs: number;
  readonly now: () => number;
  /** @internal The writers holding incomplete samples now (kept by `WriterFragments`). */
  readonly holders = new FragmentHolders();
  private nextSweepMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly limits: FragmentLimits,
    options: FragmentPoolOptions = {},
  ) {
    this.maxHeldSampleBytes = options.maxHeldSampleBytes ?? MAX_HELD_SAMPLE_BYTES;
    this.assemblyIdleTimeoutMs = options.assemblyIdleTimeoutMs ?? ASSEMBLY_IDLE_TIMEOUT_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Gives up, over all writers, the incomplete samples idle for `assemblyIdleTimeoutMs`, at
   * most once per EXPIRY_SWEEP_PERIOD_MS (see there).
   */
  expireIdle(now: number): void {
    if (now < this.nextSweepMs) return;
    this.nextSweepMs = now + EXPIRY_SWEEP_PERIOD_MS;
    const before = now - this.assemblyIdleTimeoutMs;
    this.holders.forEach((h) => {
      this.counters.assembliesExpired += h.expireIdleSince(before);
    });
  }

  /**
   * Makes room under the participant limit for `bytes` more of `requester`, by giving up the
   * least recently progressing sample of the writer holding the most, while that writer holds
   * more than `requester` would with them; answers whether they fit now. First come, first
   * served, a peer that filled the pool once had every other writer's sample refused for good.
   * Now a writer holding less than the others always gets room, and what writers hold tends
   * to even shares; two writers holding about as much refuse each other, as before, so neither
   * loses a sample it nearly has.
   */
  makeRoom(requester: FragmentHolder, bytes: number): boolean {
    const { counters, limits } = this;
    for (let i = 0; i < MAX_RECLAIMS_PER_FRAGMENT; i++) {
      if (counters.pendingBytes + bytes <= limits.maxPendingBytes) return true;
      const victim = this.holders.largest(requester);
      if (!victim || victim.pendingBytes <= requester.pendingBytes + bytes) return false;
      if (!victim.evictStalest()) return false;
      counters.assembliesReclaimed++;
    }
    return counters.pendingBytes + bytes <= limits.maxPendingBytes;
  }

  /** Charges holding a sample whose payload keeps `buffer` alive; false (counted) past the limit. */
  chargeHeld(cost: number): boolean {
    if (this.counters.heldSampleBytes + cost > this.maxHeldSampleBytes) {
      this.counters.heldSamplesDropped++;
      return false;
    }
    this.counters.heldSampleBytes += cost;
    return true;
  }

  releaseHeld(cost: number): void {
    this.counters.heldSampleBytes -= cost;
  }
}

/** What holding `payload` out of order costs: the whole buffer it is a view into. */
export function heldCost(payload: Uint8Array): number {
  return payload.buffer.byteLength + HELD_SAMPLE_OVERHEAD_BYTES;
}

/** One sample being reassembled (fragment numbers are 1-based). */
export class FragmentAssembler {
  private readonly fragments = new Map<number, Uint8Array>();
  /** Every fragment below this one has arrived. */
  private firstMissing = 1;
  readonly totalFragments: number;
  /** What this sample is charged. */
  bytes = 0;
  /** When a new fragment of it was last stored (the pool's clock). */
  lastProgressMs: number;
  inlineQos: ParameterList | undefined;

  constructor(
    readonly sampleSize: number,
    readonly fragmentSize: number,
    startedMs: number,
  ) {
    this.totalFragments = Math.ceil(sampleSize / fragmentSize);
    this.lastProgressMs = startedMs;
  }

  has(num: number): boolean {
    return this.fragments.has(num);
  }

  get complete(): boolean {
    return this.fragments.size === this.totalFragments;
  }

  /** @internal Stores a fragment's own copy, received at `nowMs`; the caller charged it. */
  store(num: number, bytes: Uint8Array, charge: number, nowMs: number): void {
    this.fragments.set(num, bytes);
    this.bytes += charge;
    this.lastProgressMs = nowMs;
  }

  /**
   * Missing fragment numbers within the NACK_FRAG window (256) from the first missing one.
   * The first missing number only moves up, so finding it costs one step per fragment received.
   */
  missing(): number[] {
    while (this.firstMissing <= this.totalFragments && this.fragments.has(this.firstMissing))
      this.firstMissing++;
    const out: number[] = [];
    const last = Math.min(this.totalFragments, this.firstMissing + MAX_SET_BITS - 1);
    for (let n = this.firstMissing; n <= last; n++) if (!this.fragments.has(n)) out.push(n);
    return out;
  }

  /** The reassembled sample (call once complete). */
  sample(): Uint8Array {
    const only = this.totalFragments === 1 ? this.fragments.get(1) : undefined;
    if (only) return only;
    const out = new Uint8Array(this.sampleSize);
    for (const [num, bytes] of this.fragments) out.set(bytes, (num - 1) * this.fragmentSize);
    return out;
  }
}

/** The incomplete samples of one remote writer, and what they are charged. */
export class WriterFragments implements FragmentHolder {
  private readonly assemblies = new Map<SequenceNumber, FragmentAssembler>();
  private bytes = 0;
  holderIndex = -1;

  constructor(private readonly pool: FragmentPool) {}

  has(sn: SequenceNumber): boolean {
    return this.assemblies.has(sn);
  }

  get(sn: SequenceNumber): FragmentAssembler | undefined {
    return this.assemblies.get(sn);
  }

  /** Bytes held for this writer now. */
  get pendingBytes(): number {
    return this.bytes;
  }

  /**
   * Takes in a DATA_FRAG; returns the sample's assembler once its last fragment arrived (the
   * assembler then leaves this table). What does not fit a limit is dropped and counted; a
   * sample over `maxSampleSize`, which no resend will ever make fit, is `NEVER_TAKEN`.
   */
  add(m: DataFragSubmessage): FragmentAssembler | typeof NEVER_TAKEN | undefined {
    const { counters, limits } = this.pool;
    if (m.sampleSize > limits.maxSampleSize) {
      counters.dropped["sample-too-large"]++;
      return NEVER_TAKEN;
    }
    if (!carriesFirstFragment(m)) {
      // It would store nothing: it must not start a sample, which may evict one in progress.
      counters.dropped["layout-mismatch"]++;
      return undefined;
    }
    const now = this.pool.now();
    this.pool.expireIdle(now);
    let asm = this.assemblies.get(m.writerSN);
    if (!asm) {
      if (this.assemblies.size >= MAX_ASSEMBLIES_PER_WRITER) this.evictOldest();
      asm = new FragmentAssembler(m.sampleSize, m.fragmentSize, now);
      this.assemblies.set(m.writerSN, asm);
      this.pool.holders.add(this);
    } else if (asm.sampleSize !== m.sampleSize || asm.fragmentSize !== m.fragmentSize) {
      counters.dropped["layout-mismatch"]++;
      return undefined;
    }
    const refused = this.storeAll(asm, m, now);
    if (refused) counters.dropped[refused]++;
    if (asm.bytes === 0) {
      // Nothing of it fit: keep no empty entry (it would only evict a real one later).
      this.release(m.writerSN, asm);
      return undefined;
    }
    if (!asm.complete) return undefined;
    this.release(m.writerSN, asm);
    counters.samplesReassembled++;
    return asm;
  }

  /** Incomplete samples held now (at most MAX_ASSEMBLIES_PER_WRITER). */
  get size(): number {
    return this.assemblies.size;
  }

  /** Forgets the incomplete sample `sn`, if one is held (it arrived whole). */
  drop(sn: SequenceNumber): void {
    const asm = this.assemblies.get(sn);
    if (asm) this.release(sn, asm);
  }

  /** Forgets incomplete samples below `sn` (the writer moved past them). */
  dropBelow(sn: SequenceNumber): void {
    for (const [key, asm] of this.assemblies) if (key < sn) this.release(key, asm);
  }

  /** Forgets everything (the writer is unmatched, or the reader closed). */
  clear(): void {
    for (const [key, asm] of this.assemblies) this.release(key, asm);
  }

  /** @internal The pool's sweep: gives up the samples with no new fragment since `before`. */
  expireIdleSince(before: number): number {
    let expired = 0;
    for (const [key, asm] of this.assemblies) {
      if (asm.lastProgressMs > before) continue;
      this.release(key, asm);
      expired++;
    }
    return expired;
  }

  /** @internal The pool's reclaim: gives up the sample that least recently got a new fragment. */
  evictStalest(): boolean {
    let stalest: [SequenceNumber, FragmentAssembler] | undefined;
    for (const entry of this.assemblies)
      if (!stalest || entry[1].lastProgressMs < stalest[1].lastProgressMs) stalest = entry;
    if (!stalest) return false;
    this.release(stalest[0], stalest[1]);
    return true;
  }

  /** Stores the new fragments of `m` until one does not fit; returns why one did not. */
  private storeAll(
    asm: FragmentAssembler,
    m: DataFragSubmessage,
    now: number,
  ): FragmentDropReason | undefined {
    if (m.inlineQos && !asm.inlineQos) {
      const charge = detachedSize(m.inlineQos);
      const refused = this.reserve(charge);
      if (refused) return refused;
      asm.inlineQos = detach(m.inlineQos);
      asm.bytes += charge;
    }
    const { fragmentSize, sampleSize, totalFragments } = asm;
    const data = m.fragments;
    // Bounded by fragmentsInSubmessage (16 bits) and, below, by the bytes actually carried.
    for (let i = 0; i < m.fragmentsInSubmessage; i++) {
      const num = m.fragmentStartingNum + i;
      if (num > totalFragments) return "layout-mismatch";
      const length = Math.min(fragmentSize, sampleSize - (num - 1) * fragmentSize);
      const from = i * fragmentSize;
      if (from + length > data.length) return "layout-mismatch";
      if (asm.has(num)) continue;
      const charge = length + FRAGMENT_OVERHEAD_BYTES;
      const refused = this.reserve(charge);
      if (refused) return refused;
      // A copy: a view would keep the whole datagram alive for a few bytes of it.
      asm.store(num, data.slice(from, from + length), charge, now);
      this.pool.counters.fragmentsStored++;
    }
    return undefined;
  }

  /** Charges `bytes` to this writer and the pool, or says which limit they would pass. */
  private reserve(bytes: number): FragmentDropReason | undefined {
    const { counters, limits } = this.pool;
    if (this.bytes + bytes > limits.maxPendingBytesPerWriter) return "writer-limit";
    if (counters.pendingBytes + bytes > limits.maxPendingBytes && !this.pool.makeRoom(this, bytes))
      return "participant-limit";
    this.bytes += bytes;
    counters.pendingBytes += bytes;
    return undefined;
  }

  private release(sn: SequenceNumber, asm: FragmentAssembler): void {
    this.assemblies.delete(sn);
    this.bytes -= asm.bytes;
    this.pool.counters.pendingBytes -= asm.bytes;
    // A writer holding nothing leaves the pool's list: unmatched, it is not kept alive by it.
    if (this.assemblies.size === 0) this.pool.holders.remove(this);
  }

  private evictOldest(): void {
    for (const [key, asm] of this.assemblies) {
      this.release(key, asm);
      this.pool.counters.assembliesEvicted++;
      return;
    }
  }
}

/**
 * Whether `m` holds its first fragment whole (the decoder checked that this fragment exists in
 * the announced layout): a DATA_FRAG of 0 fragments, or of fewer bytes, stores nothing.
 */
function carriesFirstFragment(m: DataFragSubmessage): boolean {
  const length = Math.min(
    m.fragmentSize,
    m.sampleSize - (m.fragmentStartingNum - 1) * m.fragmentSize,
  );
  return m.fragmentsInSubmessage > 0 && m.fragments.length >= length;
}

/** Bookkeeping charged per inline QoS parameter kept. */
const PARAMETER_OVERHEAD_BYTES = 64;

function valueBytes(list: ParameterList): number {
  let size = 0;
  for (const p of list.parameters) size += p.value.length;
  return size;
}

/** What keeping a copy of `list` costs. */
function detachedSize(list: ParameterList): number {
  return valueBytes(list) + PARAMETER_OVERHEAD_BYTES * (list.parameters.length + 1);
}

/** A copy of `list` in one buffer of its own (the original views its datagram). */
function detach(list: ParameterList): ParameterList {
  const buffer = new Uint8Array(valueBytes(list));
  const parameters: Parameter[] = [];
  let at = 0;
  for (const p of list.parameters) {
    buffer.set(p.value, at);
    parameters.push({ pid: p.pid, value: buffer.subarray(at, at + p.value.length) });
    at += p.value.length;
  }
  return { littleEndian: list.littleEndian, parameters };
}
