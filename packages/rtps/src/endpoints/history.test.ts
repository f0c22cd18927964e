import { describe, expect, it } from "vitest";
import { UNLIMITED_RESOURCES } from "../qos/endpoint-qos.ts";
import { WriterHistory } from "./history.ts";

const key = (n: number) => Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? n : 0));
const change = (n: number, state: "alive" | "disposed" = "alive") => ({
  instanceState: state,
  keyHash: key(n),
  payload: new Uint8Array(4),
  sourceTimestampMs: 0,
  inlineQos: undefined,
});

describe("writer history", () => {
  it("keeps the last N per instance, dropping the older changes", () => {
    const h = new WriterHistory({ kind: "keep-last", depth: 1 }, UNLIMITED_RESOURCES);
    h.add(change(1));
    h.add(change(2));
    const third = h.add(change(1));
    expect(third.ok && third.value.sn).toBe(3);
    expect(h.get(1)).toBeUndefined();
    expect([...h.from(1)].map((c) => c.sn)).toEqual([2, 3]);
    expect(h.firstSN).toBe(2);
    expect(h.lastSN).toBe(3);
  });

  it("refuses a new instance beyond max_instances unless one is retired", () => {
    const h = new WriterHistory(
      { kind: "keep-last", depth: 1 },
      { ...UNLIMITED_RESOURCES, maxInstances: 2, maxSamplesPerInstance: 1 },
    );
    h.add(change(1));
    h.add(change(2));
    expect(h.add(change(3))).toMatchObject({ ok: false, error: { kind: "out-of-resources" } });
    h.add(change(1, "disposed"));
    const after = h.add(change(3));
    expect(after.ok && after.value.sn).toBe(4);
    // Instance 1 (retired by SN 3) made room; 2 and 3 remain.
    expect(h.get(3)).toBeUndefined();
    expect([...h.from(1)].map((c) => c.sn)).toEqual([2, 4]);
    expect(h.instanceCount).toBe(2);
  });

  it("KEEP_ALL refuses when full and frees acknowledged changes", () => {
    const h = new WriterHistory({ kind: "keep-all" }, { ...UNLIMITED_RESOURCES, maxSamples: 2 });
    h.add(change(1));
    h.add(change(1));
    expect(h.add(change(1)).ok).toBe(false);
    h.removeBelow(2);
    expect(h.add(change(1)).ok).toBe(true);
    expect(h.firstSN).toBe(2);
  });

  it("keeps the depth per instance when maxSamples evicts an instance's last change", () => {
    // SN 1 (A's only change) evicted for SN 4 left A's list out of the table: A's later
    // changes went onto the detached list, past the depth, and B was pushed out instead.
    const h = new WriterHistory(
      { kind: "keep-last", depth: 2 },
      { ...UNLIMITED_RESOURCES, maxSamples: 3, maxInstances: 2 },
    );
    for (const n of [1, 2, 2, 1, 1, 1, 1, 1]) h.add(change(n));
    const held = [...h.from(1)].map((c) => [c.sn, c.keyHash?.[0]]);
    expect(held).toEqual([
      [3, 2],
      [7, 1],
      [8, 1],
    ]);
  });

  it("treats a KEEP_LAST depth of 0 as 1 instead of looping", () => {
    const h = new WriterHistory({ kind: "keep-last", depth: 0 }, UNLIMITED_RESOURCES);
    h.add(change(1));
    expect(h.add(change(1)).ok).toBe(true);
    expect([...h.from(1)].map((c) => c.sn)).toEqual([2]);
  });

  it("firstSN is lastSN + 1 when empty", () => {
    const h = new WriterHistory({ kind: "keep-all" }, UNLIMITED_RESOURCES);
    expect([h.firstSN, h.lastSN]).toEqual([1, 0]);
  });
});
