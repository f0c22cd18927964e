/**
 * Test-only codecs for the sample types the real peers speak. The rtps package
 * itself knows no types: these build the opaque payloads and key hashes.
 */

export interface Co2Sample {
  readonly problem: number;
  readonly iteration: number;
  readonly carbon: number;
  readonly energy: number;
  readonly intensity: number;
  readonly extra: Uint8Array;
}

/** CO2FootprintImpl in XCDR1 CDR_LE, encapsulation header included (docs/sustainml-wire.md §7.3). */
export function encodeCo2(s: Co2Sample): Uint8Array {
  const bodyLength = 24 + 4 + s.extra.length;
  const padded = Math.ceil(bodyLength / 4) * 4;
  const out = new Uint8Array(4 + padded + 8);
  const v = new DataView(out.buffer);
  out[1] = 0x01;
  v.setFloat64(4, s.carbon, true);
  v.setFloat64(12, s.energy, true);
  v.setFloat64(20, s.intensity, true);
  v.setUint32(28, s.extra.length, true);
  out.set(s.extra, 32);
  v.setUint32(4 + padded, s.problem, true);
  v.setUint32(4 + padded + 4, s.iteration, true);
  return out;
}

export function decodeCo2(p: Uint8Array): Co2Sample {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const len = v.getUint32(28, true);
  const extra = p.slice(32, 32 + len);
  const at = 4 + Math.ceil((24 + 4 + len) / 4) * 4;
  return {
    carbon: v.getFloat64(4, true),
    energy: v.getFloat64(12, true),
    intensity: v.getFloat64(20, true),
    extra,
    problem: v.getUint32(at, true),
    iteration: v.getUint32(at + 4, true),
  };
}

/** Key hash of a task_id-keyed type: problem BE, iteration BE, 8 zero bytes. */
export function taskKeyHash(problem: number, iteration: number): Uint8Array {
  const k = new Uint8Array(16);
  const v = new DataView(k.buffer);
  v.setUint32(0, problem, false);
  v.setUint32(4, iteration, false);
  return k;
}

/** The peer's own samples: task (7, i), carbon 1.5 i, energy 2.25, intensity 300 + i. */
export function peerStyleCo2(i: number, extra: Uint8Array = Uint8Array.of(1, 2, 3)): Co2Sample {
  return { problem: 7, iteration: i, carbon: 1.5 * i, energy: 2.25, intensity: 300 + i, extra };
}

/** Cyclone ddsperf's KeyedSeq: seq u32, keyval u32 (@key), baggage sequence<octet>. */
export function encodeKeyedSeq(seq: number, keyval: number, baggage: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 12 + Math.ceil(baggage.length / 4) * 4);
  const v = new DataView(out.buffer);
  out[1] = 0x01;
  v.setUint32(4, seq, true);
  v.setUint32(8, keyval, true);
  v.setUint32(12, baggage.length, true);
  out.set(baggage, 16);
  return out;
}

export function keyedSeqKeyHash(keyval: number): Uint8Array {
  const k = new Uint8Array(16);
  new DataView(k.buffer).setUint32(0, keyval, false);
  return k;
}

export const CO2_TOPIC = "/sustainml/carbon_tracker/output";
export const CO2_TYPE = "CO2FootprintImpl";

/** The SustainML input-reader / output-writer QoS (docs/sustainml-wire.md §5.1). */
export const SUSTAINML_QOS = {
  reliability: "reliable",
  durability: "transient-local",
  history: { kind: "keep-last", depth: 1 },
  resourceLimits: {
    maxSamples: Number.POSITIVE_INFINITY,
    maxInstances: 500,
    maxSamplesPerInstance: 1,
  },
} as const;
