import type { DataReader } from "../src/dds/data-reader.ts";
import type { DataWriter } from "../src/dds/data-writer.ts";
import type { Participant } from "../src/dds/participant.ts";
import type { DurabilityKind } from "../src/qos/endpoint-qos.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import { isBuiltinEntity } from "../src/wire/guid.ts";
import { decodeMessage } from "../src/wire/message.ts";
import type { SubmessageItem } from "../src/wire/submessage.ts";
import { keyHash, participant, readU32Payload, u32Payload } from "./helpers.ts";

/** The user-endpoint submessages of a datagram (discovery traffic is never dropped here). */
export function userItems(d: Uint8Array): SubmessageItem[] {
  const m = decodeMessage(d);
  if (!m.ok) return [];
  return m.value.items.filter(
    (i) =>
      (i.kind === "data" ||
        i.kind === "gap" ||
        i.kind === "heartbeat" ||
        i.kind === "acknack" ||
        i.kind === "data-frag") &&
      !isBuiltinEntity(i.writerId),
  );
}

export function kinds(d: Uint8Array): Set<string> {
  return new Set(userItems(d).map((i) => i.kind));
}

export function dataSNs(d: Uint8Array): number[] {
  const out: number[] = [];
  for (const i of userItems(d)) if (i.kind === "data") out.push(i.writerSN);
  return out;
}

export interface LossRig {
  readonly net: MemoryNetwork;
  readonly a: Participant;
  readonly b: Participant;
  readonly writers: DataWriter[];
  readonly readers: DataReader[];
  /** Newest value seen per reader, per instance key. */
  readonly latest: Array<Map<number, number>>;
  /** Every value seen per reader, in delivery order. */
  readonly seen: number[][];
}

export interface RigOptions {
  readonly durability: DurabilityKind;
  readonly writers?: number;
  readonly heartbeatPeriodMs?: number;
  /** The user writers' own heartbeat period (discovery keeps `heartbeatPeriodMs`). */
  readonly writerHeartbeatPeriodMs?: number;
}

/** A writes on `writers` topics, B reads each: reliable, keyed, KEEP_LAST 1, like a task's inputs. */
export async function lossRig(opened: Participant[], o: RigOptions): Promise<LossRig> {
  const net = new MemoryNetwork();
  const hb = o.heartbeatPeriodMs ?? 100;
  const a = await participant({ transport: net.transport(), name: "W", heartbeatPeriodMs: hb });
  const b = await participant({ transport: net.transport(), name: "R", heartbeatPeriodMs: hb });
  opened.push(a, b);
  const qos = {
    reliability: "reliable",
    durability: o.durability,
    history: { kind: "keep-last", depth: 1 },
  } as const;
  const writers: DataWriter[] = [];
  const readers: DataReader[] = [];
  const latest: Array<Map<number, number>> = [];
  const seen: number[][] = [];
  for (let t = 0; t < (o.writers ?? 3); t++) {
    const topicName = `input${t}`;
    const heartbeatPeriodMs = o.writerHeartbeatPeriodMs;
    writers.push(
      a.createWriter({
        topicName,
        typeName: "T",
        keyed: true,
        qos,
        ...(heartbeatPeriodMs ? { heartbeatPeriodMs } : {}),
      }),
    );
    const r = b.createReader({ topicName, typeName: "T", keyed: true, qos });
    const mine = new Map<number, number>();
    const order: number[] = [];
    r.on("sample", (s) => {
      const v = readU32Payload(s.payload);
      const k = s.keyHash ? new DataView(s.keyHash.buffer, s.keyHash.byteOffset).getUint32(0) : -1;
      mine.set(k, v);
      order.push(v);
    });
    readers.push(r);
    latest.push(mine);
    seen.push(order);
  }
  for (const w of writers) if (!(await w.waitForMatched(1, 5000))) throw new Error("no match");
  for (const r of readers) if (!(await r.waitForMatched(1, 5000))) throw new Error("no match");
  return { net, a, b, writers, readers, latest, seen };
}

/** Value written for task `task` at round `round` (so overwrites are told apart). */
export const taskValue = (task: number, round = 0): number => round * 100_000 + task;

/** Writes tasks first..last on every writer, all in one event-loop turn (one burst). */
export function burst(rig: LossRig, first: number, last: number, round = 0): void {
  for (let task = first; task <= last; task++)
    for (const w of rig.writers) {
      const r = w.write(u32Payload(taskValue(task, round)), { keyHash: keyHash(task) });
      if (!r.ok) throw new Error(r.error.message);
    }
}

/** Writes the same tasks, one event-loop turn each, so every DATA leaves in its own datagram. */
export async function trickle(rig: LossRig, first: number, last: number, round = 0): Promise<void> {
  for (let task = first; task <= last; task++) {
    burst(rig, task, task, round);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Waits until every reader holds `expected` for every key (or fails with what is missing);
 * the timeout only stops a hang, it is no claim about speed.
 */
export async function converged(
  rig: LossRig,
  expected: Map<number, number>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const done = (): boolean =>
    rig.latest.every((m) => [...expected].every(([k, v]) => m.get(k) === v));
  while (!done()) {
    if (Date.now() > deadline) {
      const missing = rig.latest.map((m) =>
        [...expected].filter(([k, v]) => m.get(k) !== v).map(([k]) => k),
      );
      throw new Error(`not converged, missing keys per reader: ${JSON.stringify(missing)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (const w of rig.writers)
    if (!(await w.waitForAcknowledgments(timeoutMs))) throw new Error("not acknowledged");
}

export function expectTasks(first: number, last: number, round = 0): Map<number, number> {
  const m = new Map<number, number>();
  for (let t = first; t <= last; t++) m.set(t, taskValue(t, round));
  return m;
}
