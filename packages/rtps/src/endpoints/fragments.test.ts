import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ParameterList } from "../wire/parameter-list.ts";
import type { DataFragSubmessage } from "../wire/submessages/data-frag.ts";
import {
  ASSEMBLY_IDLE_TIMEOUT_MS,
  EXPIRY_SWEEP_PERIOD_MS,
  FRAGMENT_OVERHEAD_BYTES,
  type FragmentLimits,
  FragmentPool,
  MAX_ASSEMBLIES_PER_WRITER,
  NEVER_TAKEN,
  WriterFragments,
} from "./fragments.ts";

const MIB = 1024 * 1024;
const DEFAULT_LIKE: FragmentLimits = {
  maxSampleSize: 64 * MIB,
  maxPendingBytesPerWriter: 96 * MIB,
  maxPendingBytes: 192 * MIB,
};

function frag(
  writerSN: number,
  fragmentStartingNum: number,
  fragments: Uint8Array,
  layout: { sampleSize: number; fragmentSize: number; count?: number },
  inlineQos?: ParameterList,
): DataFragSubmessage {
  return {
    kind: "data-frag",
    readerId: 0,
    writerId: 0x102,
    writerSN,
    fragmentStartingNum,
    fragmentsInSubmessage: layout.count ?? 1,
    fragmentSize: layout.fragmentSize,
    sampleSize: layout.sampleSize,
    inlineQos,
    fragments,
    payloadIsKey: false,
  };
}

/** Bytes outside the JS heap (typed array backing stores) plus the heap. */
const memoryBytes = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

describe("fragment reassembly under limits", () => {
  it("eight DATA_FRAGs announcing 64 MiB each commit what they carry, not 512 MiB", () => {
    const pool = new FragmentPool(DEFAULT_LIKE);
    const w = new WriterFragments(pool);
    const before = memoryBytes();
    for (let sn = 1; sn <= 8; sn++) {
      const m = frag(sn, 1, new Uint8Array(64).fill(sn), {
        sampleSize: 64 * MIB,
        fragmentSize: 64,
      });
      expect(w.add(m)).toBeUndefined();
    }
    const grown = memoryBytes() - before;
    expect(pool.counters.pendingBytes).toBe(8 * (64 + FRAGMENT_OVERHEAD_BYTES));
    expect(w.pendingBytes).toBe(pool.counters.pendingBytes);
    expect(pool.counters.fragmentsStored).toBe(8);
    // Generous: the point is 512 MiB (or even one 64 MiB buffer) was never committed.
    expect(grown).toBeLessThan(16 * MIB);
    w.clear();
    expect(pool.counters.pendingBytes).toBe(0);
  });

  it("reassembles a sample from fragments in any order, duplicates charged once", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        (sampleSize, fragmentSize, seed) => {
          const pool = new FragmentPool(DEFAULT_LIKE);
          const w = new WriterFragments(pool);
          const sample = Uint8Array.from({ length: sampleSize }, (_, i) => (i * 7 + seed) & 0xff);
          const total = Math.ceil(sampleSize / fragmentSize);
          // Every fragment once in a shuffled order, a few twice.
          const order = Array.from({ length: total }, (_, i) => i + 1);
          for (let i = order.length - 1; i > 0; i--) {
            const j = (seed + i * 31) % (i + 1);
            [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
          }
          order.splice(Math.floor(order.length / 2), 0, ...order.slice(0, 2));
          let done: Uint8Array | undefined;
          let charged = 0;
          const seen = new Set<number>();
          for (const num of order) {
            const from = (num - 1) * fragmentSize;
            const bytes = sample.subarray(from, Math.min(sampleSize, from + fragmentSize));
            seen.add(num);
            const asm = w.add(frag(5, num, bytes, { sampleSize, fragmentSize }));
            if (asm !== undefined && asm !== NEVER_TAKEN) {
              // Complete exactly when the last distinct fragment arrived.
              expect(seen.size).toBe(total);
              done = asm.sample();
              break;
            }
            charged = pool.counters.pendingBytes;
          }
          // Byte-wise equality without the matcher's per-element diffing (200 runs).
          expect(done && Buffer.compare(done, sample)).toBe(0);
          expect(charged).toBeLessThanOrEqual(sampleSize + total * FRAGMENT_OVERHEAD_BYTES);
          expect(pool.counters.pendingBytes).toBe(0);
          expect(pool.counters.samplesReassembled).toBe(1);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it("drops what passes the per-writer limit, and counts it", () => {
    const limit = 10 * (100 + FRAGMENT_OVERHEAD_BYTES);
    const pool = new FragmentPool({ ...DEFAULT_LIKE, maxPendingBytesPerWriter: limit });
    const w = new WriterFragments(pool);
    const layout = { sampleSize: 100_000, fragmentSize: 100 };
    for (let num = 1; num <= 15; num++) w.add(frag(1, num, new Uint8Array(100), layout));
    expect(w.pendingBytes).toBe(limit);
    expect(pool.counters.dropped["writer-limit"]).toBe(5);
    // Another writer has its own budget.
    const other = new WriterFragments(pool);
    other.add(frag(1, 1, new Uint8Array(100), layout));
    expect(other.pendingBytes).toBe(100 + FRAGMENT_OVERHEAD_BYTES);
  });

  it("drops what passes the participant limit, across writers, and counts it", () => {
    const each = 100 + FRAGMENT_OVERHEAD_BYTES;
    const pool = new FragmentPool({ ...DEFAULT_LIKE, maxPendingBytes: 3 * each });
    const layout = { sampleSize: 100_000, fragmentSize: 100 };
    const writers = Array.from({ length: 5 }, () => new WriterFragments(pool));
    for (const w of writers) w.add(frag(1, 1, new Uint8Array(100), layout));
    expect(pool.counters.pendingBytes).toBe(3 * each);
    expect(pool.counters.dropped["participant-limit"]).toBe(2);
    // Released bytes are usable again.
    writers[0]?.clear();
    writers[4]?.add(frag(1, 1, new Uint8Array(100), layout));
    expect(writers[4]?.pendingBytes).toBe(each);
  });

  it("takes room from the writer holding the most, its least recently progressing sample first", () => {
    const each = 100 + FRAGMENT_OVERHEAD_BYTES;
    let now = 0;
    const pool = new FragmentPool(
      { ...DEFAULT_LIKE, maxPendingBytes: 4 * each },
      { now: () => now },
    );
    const hog = new WriterFragments(pool);
    const layout = { sampleSize: 100_000, fragmentSize: 100 };
    for (const sn of [1, 2, 3]) {
      now = sn;
      hog.add(frag(sn, 1, new Uint8Array(100), layout));
    }
    now = 4;
    hog.add(frag(1, 2, new Uint8Array(100), layout)); // sample 1 progressed last
    expect(pool.counters.pendingBytes).toBe(4 * each);
    const newcomer = new WriterFragments(pool);
    newcomer.add(frag(1, 1, new Uint8Array(100), layout));
    expect(newcomer.pendingBytes).toBe(each);
    expect(pool.counters.assembliesReclaimed).toBe(1);
    expect(pool.counters.dropped["participant-limit"]).toBe(0);
    expect([1, 2, 3].map((sn) => hog.has(sn))).toEqual([true, false, true]);
    // The hog, holding more, may not take it back; the newcomer may grow to an even share.
    hog.add(frag(4, 1, new Uint8Array(100), layout));
    expect(pool.counters.dropped["participant-limit"]).toBe(1);
    expect(newcomer.has(1)).toBe(true);
    newcomer.add(frag(1, 2, new Uint8Array(100), layout));
    expect(newcomer.pendingBytes).toBe(2 * each);
    expect(hog.pendingBytes).toBe(2 * each);
    expect(pool.counters.assembliesReclaimed).toBe(2);
    // Even shares: neither takes from the other.
    newcomer.add(frag(1, 3, new Uint8Array(100), layout));
    expect(pool.counters.dropped["participant-limit"]).toBe(2);
    expect(pool.counters.assembliesReclaimed).toBe(2);
  });

  it("refuses samples above maxSampleSize before storing anything", () => {
    const pool = new FragmentPool({ ...DEFAULT_LIKE, maxSampleSize: 1000 });
    const w = new WriterFragments(pool);
    expect(w.add(frag(1, 1, new Uint8Array(100), { sampleSize: 1001, fragmentSize: 100 }))).toBe(
      NEVER_TAKEN,
    );
    expect(pool.counters.dropped["sample-too-large"]).toBe(1);
    expect(pool.counters.pendingBytes).toBe(0);
    expect(w.has(1)).toBe(false);
  });

  it("counts fragments whose layout disagrees with the sample's first one", () => {
    const pool = new FragmentPool(DEFAULT_LIKE);
    const w = new WriterFragments(pool);
    w.add(frag(1, 1, new Uint8Array(100), { sampleSize: 1000, fragmentSize: 100 }));
    // Another sample size, another fragment size, a run past the last fragment, short data.
    w.add(frag(1, 2, new Uint8Array(100), { sampleSize: 2000, fragmentSize: 100 }));
    w.add(frag(1, 2, new Uint8Array(50), { sampleSize: 1000, fragmentSize: 50 }));
    w.add(frag(1, 10, new Uint8Array(200), { sampleSize: 1000, fragmentSize: 100, count: 2 }));
    w.add(frag(1, 3, new Uint8Array(150), { sampleSize: 1000, fragmentSize: 100, count: 2 }));
    expect(pool.counters.dropped["layout-mismatch"]).toBe(4);
    // What did fit before the disagreement was kept: fragments 1, 10 and 3.
    expect(pool.counters.fragmentsStored).toBe(3);
  });

  it("keeps at most eight incomplete samples per writer, releasing the evicted ones' bytes", () => {
    const pool = new FragmentPool(DEFAULT_LIKE);
    const w = new WriterFragments(pool);
    const layout = { sampleSize: 1000, fragmentSize: 100 };
    for (let sn = 1; sn <= MAX_ASSEMBLIES_PER_WRITER + 3; sn++)
      w.add(frag(sn, 1, new Uint8Array(100), layout));
    expect(pool.counters.assembliesEvicted).toBe(3);
    expect(w.has(1)).toBe(false);
    expect(w.has(MAX_ASSEMBLIES_PER_WRITER + 3)).toBe(true);
    expect(pool.counters.pendingBytes).toBe(
      MAX_ASSEMBLIES_PER_WRITER * (100 + FRAGMENT_OVERHEAD_BYTES),
    );
  });

  it("copies inline QoS out of the datagram and charges it", () => {
    const pool = new FragmentPool(DEFAULT_LIKE);
    const w = new WriterFragments(pool);
    const datagram = new Uint8Array(64).fill(9);
    const qos: ParameterList = {
      littleEndian: true,
      parameters: [{ pid: 0x70, value: datagram.subarray(4, 20) }],
    };
    const layout = { sampleSize: 200, fragmentSize: 100 };
    w.add(frag(1, 1, new Uint8Array(100), layout, qos));
    expect(pool.counters.pendingBytes).toBeGreaterThan(100 + FRAGMENT_OVERHEAD_BYTES + 16);
    datagram.fill(0); // the socket reuses its buffer
    const done = w.add(frag(1, 2, new Uint8Array(100), layout));
    if (done === NEVER_TAKEN) throw new Error("a 200-byte sample refused as too large");
    expect(done?.inlineQos?.parameters[0]?.value).toEqual(new Uint8Array(16).fill(9));
    expect(pool.counters.pendingBytes).toBe(0);
  });

  it("gives up samples that got no new fragment for a while, and keeps those that progress", () => {
    let now = 0;
    const pool = new FragmentPool(DEFAULT_LIKE, { now: () => now });
    const idle = new WriterFragments(pool);
    const busy = new WriterFragments(pool);
    const layout = { sampleSize: 1000, fragmentSize: 100 };
    for (const sn of [1, 2]) idle.add(frag(sn, 1, new Uint8Array(100), layout));
    busy.add(frag(1, 1, new Uint8Array(100), layout));
    // A fragment stored just before the timeout keeps its sample; a repeated one does not.
    now = ASSEMBLY_IDLE_TIMEOUT_MS - 1;
    busy.add(frag(1, 2, new Uint8Array(100), layout));
    idle.add(frag(1, 1, new Uint8Array(100), layout));
    now = ASSEMBLY_IDLE_TIMEOUT_MS + EXPIRY_SWEEP_PERIOD_MS;
    busy.add(frag(1, 3, new Uint8Array(100), layout));
    expect(pool.counters.assembliesExpired).toBe(2);
    expect(idle.size).toBe(0);
    expect(idle.pendingBytes).toBe(0);
    expect(busy.has(1)).toBe(true);
    expect(pool.counters.pendingBytes).toBe(3 * (100 + FRAGMENT_OVERHEAD_BYTES));
    expect(pool.holders.size).toBe(1);
  });

  it("looks for idle samples at most once per sweep period", () => {
    let now = 0;
    const pool = new FragmentPool(DEFAULT_LIKE, { now: () => now });
    const w = new WriterFragments(pool);
    const layout = { sampleSize: 1000, fragmentSize: 100 };
    w.add(frag(1, 1, new Uint8Array(100), layout));
    now = ASSEMBLY_IDLE_TIMEOUT_MS - 1;
    w.add(frag(2, 1, new Uint8Array(100), layout)); // a sweep: nothing idle yet
    now = ASSEMBLY_IDLE_TIMEOUT_MS + 1;
    w.add(frag(3, 1, new Uint8Array(100), layout)); // within the period: no sweep
    expect(pool.counters.assembliesExpired).toBe(0);
    now = ASSEMBLY_IDLE_TIMEOUT_MS - 1 + EXPIRY_SWEEP_PERIOD_MS;
    w.add(frag(4, 1, new Uint8Array(100), layout));
    expect(pool.counters.assembliesExpired).toBe(1);
    expect(w.has(1)).toBe(false);
  });

  it("lets go of a writer that holds nothing any more", () => {
    const pool = new FragmentPool(DEFAULT_LIKE);
    const writers = Array.from({ length: 3 }, () => new WriterFragments(pool));
    const layout = { sampleSize: 200, fragmentSize: 100 };
    for (const w of writers) w.add(frag(1, 1, new Uint8Array(100), layout));
    expect(pool.holders.size).toBe(3);
    writers[0]?.add(frag(1, 2, new Uint8Array(100), layout)); // completes
    writers[1]?.clear();
    expect(pool.holders.size).toBe(1);
    writers[2]?.dropBelow(2);
    expect(pool.holders.size).toBe(0);
  });

  it("lists missing fragments from the first one missing, at most 256 of them", () => {
    const pool = new FragmentPool(DEFAULT_LIKE);
    const w = new WriterFragments(pool);
    const layout = { sampleSize: 1_000_000, fragmentSize: 1 };
    for (const num of [1, 2, 3, 5]) w.add(frag(1, num, Uint8Array.of(1), layout));
    const missing = w.get(1)?.missing() ?? [];
    expect(missing[0]).toBe(4);
    expect(missing).not.toContain(5);
    expect(missing.at(-1)).toBe(4 + 255);
    expect(missing).toHaveLength(255);
  });
});
