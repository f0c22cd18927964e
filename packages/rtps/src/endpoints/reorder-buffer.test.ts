import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SEQUENCE_NUMBER } from "../wire/sequence-number.ts";
import { REORDER_WINDOW, ReorderBuffer, SLOT_BYTES } from "./reorder-buffer.ts";

type Op =
  | { readonly op: "hold"; readonly ahead: number; readonly value: number | null }
  | { readonly op: "shift" }
  | { readonly op: "jump"; readonly by: number };

const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    fc.record({
      op: fc.constant("hold" as const),
      ahead: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5000 })),
      value: fc.option(fc.nat(), { nil: null }),
    }),
    fc.constant({ op: "shift" as const }),
    fc.record({ op: fc.constant("jump" as const), by: fc.integer({ min: 0, max: 300 }) }),
  ),
  { maxLength: 200 },
);

describe("ReorderBuffer", () => {
  it("behaves like a map of SNs ahead of `next`, from any start, 2^52 included", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(1), fc.constant(MAX_SEQUENCE_NUMBER - 6000), fc.nat(2 ** 40)),
        ops,
        (start, program) => {
          const b = new ReorderBuffer<number>();
          b.jumpTo(start);
          const model = new Map<number, number | null>();
          let next = Math.max(1, start);
          for (const step of program) {
            if (step.op === "hold") {
              const sn = next + step.ahead;
              if (model.has(sn)) continue;
              const growth = b.growthBytesFor(sn);
              const slotBytes = b.extraSlotBytes;
              const held = b.hold(sn, step.value);
              expect(held).toBe(step.ahead < REORDER_WINDOW);
              // What the reader charges before holding is what the slots grow by.
              expect(b.extraSlotBytes - slotBytes).toBe(held ? growth : 0);
              if (held) model.set(sn, step.value);
            } else if (step.op === "shift") {
              const expected = model.has(next) ? model.get(next) : undefined;
              expect(b.shift()).toBe(expected);
              model.delete(next);
              next++;
            } else {
              // Only over what is no longer held, as the reader does after shifting.
              const target = next + step.by;
              if ([...model.keys()].some((k) => k < target)) continue;
              b.jumpTo(target);
              next = Math.max(next, target);
            }
            expect(b.next).toBe(next);
            expect(b.size).toBe(model.size);
            // Emptied, it is back to its initial slots (the reader gives their charge back).
            if (model.size === 0) expect(b.extraSlotBytes).toBe(0);
            for (let d = 0; d < 50; d++) expect(b.has(next + d)).toBe(model.has(next + d));
            for (const k of model.keys()) expect(b.has(k)).toBe(true);
          }
        },
      ),
      { numRuns: 300, seed: 52 },
    );
  });

  it("refuses SNs a full window ahead without growing past it", () => {
    const b = new ReorderBuffer<string>();
    expect(b.hold(1 + REORDER_WINDOW, "far")).toBe(false);
    expect(b.hold(REORDER_WINDOW, "edge")).toBe(true);
    expect(b.has(REORDER_WINDOW)).toBe(true);
    expect(b.size).toBe(1);
  });

  it("goes back to its initial slots once emptied, however far ahead it grew", () => {
    const b = new ReorderBuffer<string>();
    // What a GAP far ahead of a hole does: nulls at the window's end. Before, the 4,096 slots
    // (32 KB) stayed for the life of the match.
    for (let sn = REORDER_WINDOW - 255; sn <= REORDER_WINDOW; sn++) b.hold(sn, null);
    expect(b.extraSlotBytes).toBe((REORDER_WINDOW - 16) * SLOT_BYTES);
    while (b.size > 0) b.shift();
    expect(b.extraSlotBytes).toBe(0);
    expect(b.hold(b.next + 3, "near")).toBe(true);
    expect(b.extraSlotBytes).toBe(0);
  });
});
