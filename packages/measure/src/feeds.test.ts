import { describe, expect, it } from "vitest";
import { MAX_FEED_BYTES, MAX_FEED_ELEMENTS, planFeeds } from "./feeds.ts";

const tensor = (name: string, type: string, shape: (number | string)[]) =>
  ({ name, isTensor: true, type, shape }) as const;

describe("planFeeds", () => {
  it("sets a dynamic leading dimension to the batch size and other dynamic ones to 1", () => {
    const plan = planFeeds(
      [tensor("ids", "int64", ["batch", "sequence"]), tensor("scale", "float32", [])],
      { batchSize: 8 },
    );
    expect(plan).toEqual({
      ok: true,
      value: [
        { name: "ids", type: "int64", dims: [8, 1], elements: 8 },
        { name: "scale", type: "float32", dims: [], elements: 1 },
      ],
    });
    const unknown = planFeeds([tensor("x", "float32", [-1, 3, "h", 0])], { batchSize: 2 });
    expect(unknown.ok && unknown.value[0]?.dims).toEqual([2, 3, 1, 1]);
  });

  it("takes input_shapes over the declared shape when the rank matches", () => {
    const inputs = [tensor("ids", "int64", ["batch", "sequence"])];
    expect(planFeeds(inputs, { batchSize: 1, inputShapes: { ids: [4, 128] } })).toMatchObject({
      ok: true,
      value: [{ dims: [4, 128], elements: 512 }],
    });
    expect(planFeeds(inputs, { batchSize: 1, inputShapes: { ids: [4] } })).toMatchObject({
      ok: false,
      error: { kind: "invalid-request", field: "input_shapes.ids" },
    });
    expect(planFeeds(inputs, { batchSize: 1, inputShapes: { mask: [1] } })).toMatchObject({
      ok: false,
      error: { kind: "invalid-request", message: expect.stringMatching(/inputs: ids/) },
    });
  });

  it("refuses non-tensors, unbuildable types and inputs over the limits, naming the input", () => {
    expect(planFeeds([{ name: "seq", isTensor: false }], { batchSize: 1 })).toMatchObject({
      ok: false,
      error: { kind: "inputs-not-feedable", field: "seq" },
    });
    expect(planFeeds([tensor("q", "int4", [2])], { batchSize: 1 })).toMatchObject({
      ok: false,
      error: { kind: "inputs-not-feedable", message: expect.stringMatching(/int4/) },
    });
    expect(
      planFeeds([tensor("x", "uint8", [MAX_FEED_ELEMENTS + 1])], { batchSize: 1 }),
    ).toMatchObject({ ok: false, error: { kind: "inputs-not-feedable", field: "x" } });
    // At the element limit but over the byte limit together.
    const half = MAX_FEED_BYTES / 2 / 8;
    expect(
      planFeeds(
        [tensor("a", "float64", [half]), tensor("b", "float64", [half]), tensor("c", "int8", [1])],
        { batchSize: 1 },
      ),
    ).toMatchObject({ ok: false, error: { kind: "inputs-not-feedable", field: "c" } });
  });
});
