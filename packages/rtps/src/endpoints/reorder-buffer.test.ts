import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SEQUENCE_NUMBER } from "../wire/sequence-number.ts";
import { REORDER_WINDOW, ReorderBuffer } from "./reorder-buffer.ts";

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
              const held = b.hold(sn, step.value);
              expect(held).toBe(step.ahead < REORDER_WINDOW);
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
});
