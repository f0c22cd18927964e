/** The testkit bench type `BenchSample { @key u32 key; u32 seq; sequence<octet> payload }`, XCDR1 LE. */
export function encodeBenchSample(key: number, seq: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + Math.ceil(payload.length / 4) * 4);
  const v = new DataView(out.buffer);
  out[1] = 0x01;
  v.setUint32(4, key, true);
  v.setUint32(8, seq, true);
  v.setUint32(12, payload.length, true);
  out.set(payload, 16);
  return out;
}

export function benchSeq(p: Uint8Array): number {
  return new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(8, true);
}

export function benchKeyHash(key: number): Uint8Array {
  const k = new Uint8Array(16);
  new DataView(k.buffer).setUint32(0, key, false);
  return k;
}

export const BENCH_TYPE = "BenchSample";
export const THROUGHPUT_QOS = {
  reliability: "reliable",
  durability: "volatile",
  history: { kind: "keep-all" },
  resourceLimits: { maxSamples: 16000, maxInstances: 16, maxSamplesPerInstance: 1000 },
  maxBlockingTimeMs: 10_000,
} as const;
export const PING_QOS = {
  reliability: "reliable",
  durability: "volatile",
  history: { kind: "keep-last", depth: 1 },
} as const;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? Number.NaN;
}
