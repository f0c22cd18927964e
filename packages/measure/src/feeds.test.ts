import { describe, expect, it } from "vitest";
import { batchFed, MAX_FEED_BYTES, MAX_FEED_ELEMENTS, planFeeds } from "./feeds.ts";

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
    // An unknown dimension as onnxruntime-node reports it (""), a negative one, a named one:
    // dynamic. A declared 0 is the model's (it was fed as 1, and every pass failed).
    const unknown = planFeeds([tensor("x", "float32", ["", -1, 3, "h", 0])], { batchSize: 2 });
    expect(unknown.ok && unknown.value[0]?.dims).toEqual([2, 1, 3, 1, 0]);
  });

  it("refuses a batch size no input can take, naming the shapes (it was reported, not fed)", () => {
    const fixed = planFeeds([tensor("x", "float32", [1, 64])], { batchSize: 8 });
    expect(fixed).toMatchObject({
      ok: false,
      error: {
        kind: "invalid-request",
        field: "batch_size",
        message: expect.stringMatching(/^batch_size 8 cannot be fed: .*x: float32\[1x64\]/),
      },
    });
    const overridden = planFeeds([tensor("x", "float32", ["batch", 64])], {
      batchSize: 8,
      inputShapes: { x: [3, 64] },
    });
    expect(overridden).toMatchObject({ ok: false, error: { field: "batch_size" } });
    // A batch of 1 asks for nothing, and a fixed leading dimension stays.
    expect(planFeeds([tensor("x", "float32", [1, 64])], { batchSize: 1 }).ok).toBe(true);
  });

  it("reads the batch fed from the leading dimension the inputs share", () => {
    expect(batchFed([{ dims: [3, 64] }, { dims: [3] }, { dims: [] }])).toBe(3);
    expect(batchFed([{ dims: [8, 64] }])).toBe(8);
    // Inputs that disagree, or none with a dimension: per-item figures are per pass.
    expect(batchFed([{ dims: [2, 4] }, { dims: [5] }])).toBe(1);
    expect(batchFed([{ dims: [] }])).toBe(1);
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

  it("counts a string element at what the runner and onnxruntime hold for it", () => {
    // At 8 bytes each, 64 Mi empty strings passed the 512 MiB limit and took 7.7 GiB.
    const strings = planFeeds([tensor("text", "string", [64 * 1024 * 1024])], { batchSize: 1 });
    expect(strings).toMatchObject({
      ok: false,
      error: { kind: "inputs-not-feedable", message: expect.stringMatching(/over the limit/) },
    });
    expect(planFeeds([tensor("text", "string", [1024 * 1024])], { batchSize: 1 }).ok).toBe(true);
  });

  it("quotes at most 16 of a model's input names, each cut, in a message", () => {
    // 256 names of 256 KiB made a 67 MB message, which the bus node would have published.
    const inputs = Array.from({ length: 256 }, (_, i) =>
      tensor(`${String(i).padStart(3, "0")}${"n".repeat(256 * 1024)}`, "float32", [1]),
    );
    const plan = planFeeds(inputs, { batchSize: 1, inputShapes: { nope: [1] } });
    if (plan.ok) throw new Error("planned");
    expect(plan.error.message.length).toBeLessThan(2000);
    expect(plan.error.message).toMatch(/inputs: 000n+…, 001n+…, .* and 240 more\)/);
  });
});
