import { describe, expect, it } from "vitest";
import { EncodeError } from "./errors.ts";
import { requestTypeImplCodec } from "./types/config.ts";
import { userInputImplCodec } from "./types/inputs.ts";
import { co2FootprintImplCodec } from "./types/outputs.ts";
import { isValidTaskId, parseTaskIdKey, taskIdImplCodec, taskIdKey } from "./types/task-id.ts";

describe("codec validation", () => {
  it("parse reports every issue with its path", () => {
    const result = co2FootprintImplCodec.parse({
      carbon_footprint: "1",
      energy_consumption: 0,
      carbon_intensity: Number.NaN,
      extra_data: [1, 2],
      task_id: { problem_id: -1, iteration_id: 2 ** 32 },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues.map((i) => i.path)).toEqual([
      "carbon_footprint",
      "extra_data",
      "task_id.problem_id",
      "task_id.iteration_id",
    ]);
    expect(result.error.message).toContain("CO2FootprintImpl: carbon_footprint:");
  });

  it("parse rejects NUL and lone surrogates in strings", () => {
    const base = { node_id: 1, transaction_id: 1 };
    expect(requestTypeImplCodec.parse({ ...base, configuration: "a\0b" }).ok).toBe(false);
    expect(requestTypeImplCodec.parse({ ...base, configuration: "\ud800" }).ok).toBe(false);
    expect(requestTypeImplCodec.parse({ ...base, configuration: "😀" }).ok).toBe(true);
  });

  it("encode throws EncodeError naming the field for values the schema rejects", () => {
    const value = { ...userInputImplCodec.defaults(), inputs: ["ok", "bad\0"] };
    expect(() => userInputImplCodec.encode(value)).toThrow(EncodeError);
    expect(() => userInputImplCodec.encode(value)).toThrow("UserInputImpl.inputs[1]: contains NUL");
    const overflow = { ...userInputImplCodec.defaults(), minimum_samples: 2 ** 32 };
    expect(() => userInputImplCodec.encode(overflow)).toThrow("UserInputImpl.minimum_samples");
  });

  it("encodes UTF-8 byte lengths, not UTF-16 lengths", () => {
    const bytes = requestTypeImplCodec.encode({
      node_id: 0,
      transaction_id: 0,
      configuration: "é😀",
    });
    // 2 + 4 UTF-8 bytes + NUL = 7
    expect(Buffer.from(bytes.subarray(12)).toString("hex")).toBe("07000000c3a9f09f988000");
    expect(requestTypeImplCodec.decode(bytes)).toMatchObject({
      ok: true,
      value: { configuration: "é😀" },
    });
  });

  it("keeps a leading byte-order mark in a string (TextDecoder strips it by default)", () => {
    const value = { node_id: 0, transaction_id: 0, configuration: "\ufeff{}" };
    expect(requestTypeImplCodec.decode(requestTypeImplCodec.encode(value))).toEqual({
      ok: true,
      value,
    });
  });

  it("defaults are the IDL zeros and empties", () => {
    expect(co2FootprintImplCodec.defaults()).toEqual({
      carbon_footprint: 0,
      energy_consumption: 0,
      carbon_intensity: 0,
      extra_data: new Uint8Array(0),
      task_id: { problem_id: 0, iteration_id: 0 },
    });
  });
});

describe("task ids", () => {
  it("(0,0) is invalid, anything else valid", () => {
    expect(isValidTaskId({ problem_id: 0, iteration_id: 0 })).toBe(false);
    expect(isValidTaskId({ problem_id: 0, iteration_id: 1 })).toBe(true);
  });

  it("taskIdKey round-trips through parseTaskIdKey", () => {
    expect(taskIdKey({ problem_id: 7, iteration_id: 1 })).toBe("7/1");
    expect(parseTaskIdKey("4294967295/0")).toEqual({ problem_id: 4294967295, iteration_id: 0 });
    expect(parseTaskIdKey("4294967296/0")).toBeUndefined();
    expect(parseTaskIdKey("7-1")).toBeUndefined();
  });

  it("TaskIdImpl encodes as two u32", () => {
    const bytes = taskIdImplCodec.encode({ problem_id: 7, iteration_id: 1 });
    expect(Buffer.from(bytes).toString("hex")).toBe("000100000700000001000000");
  });
});
