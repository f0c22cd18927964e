import { afterEach } from "vitest";
import type { DataReader } from "../src/dds/data-reader.ts";
import { createParticipant, type Participant } from "../src/dds/participant.ts";
import type { ParticipantOptions } from "../src/dds/participant-options.ts";
import type { ReceivedSample } from "../src/endpoints/reader.ts";
import type { MemoryNetwork } from "../src/transport/memory.ts";

/** Creates a participant or fails the test with the reason. */
export async function participant(options: ParticipantOptions): Promise<Participant> {
  const r = await createParticipant(options);
  if (!r.ok) throw new Error(`createParticipant: ${r.error.kind}: ${r.error.message}`);
  return r.value;
}

/** A keyed, reliable, KEEP_ALL topic: what the memory-network tests write on. */
export const RELIABLE_TOPIC = {
  topicName: "t",
  typeName: "T",
  keyed: true,
  qos: { reliability: "reliable", history: { kind: "keep-all" } },
} as const;

/**
 * A maker of participants on a memory network (at `address`, or the network's next one) with
 * `defaults` under each call's options; every one it made is closed after each test.
 */
export function memoryParticipants(
  defaults: Partial<ParticipantOptions>,
): (
  net: MemoryNetwork,
  name: string,
  options?: Partial<ParticipantOptions>,
  address?: string,
) => Promise<Participant> {
  const open: Participant[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()));
  });
  return async (net, name, options = {}, address) => {
    const p = await participant({
      transport: net.transport(address),
      name,
      ...defaults,
      ...options,
    });
    open.push(p);
    return p;
  };
}

/** Collects `count` samples from a reader, or rejects after `timeoutMs` with what arrived. */
export function collect(
  reader: DataReader,
  count: number,
  timeoutMs: number,
): Promise<ReceivedSample[]> {
  const got: ReceivedSample[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`expected ${count} samples, got ${got.length}`));
    }, timeoutMs);
    const off = reader.on("sample", (s) => {
      got.push(s);
      if (got.length >= count) {
        clearTimeout(timer);
        off();
        resolve(got);
      }
    });
  });
}

export function keyHash(n: number): Uint8Array {
  const k = new Uint8Array(16);
  new DataView(k.buffer).setUint32(0, n, false);
  return k;
}

/** A CDR_LE payload: encapsulation header, then `body`. */
export function cdr(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[1] = 0x01;
  out.set(body, 4);
  return out;
}

export function u32Payload(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return cdr(b);
}

export function readU32Payload(p: Uint8Array): number {
  return new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(4, true);
}
