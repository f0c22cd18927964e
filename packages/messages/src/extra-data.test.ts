import { describe, expect, it } from "vitest";
import { asciiJson, co2ExtraDataSchema, readExtraData, writeExtraData } from "./extra-data.ts";

const bytesOf = (text: string) => new TextEncoder().encode(text);

describe("extra_data", () => {
  it("writes ASCII-only JSON with \\u escapes, like Python's ensure_ascii", () => {
    const bytes = writeExtraData({ model_restrains: ["café", "😀"], num_outputs: 2 });
    expect(Buffer.from(bytes).toString("latin1")).toBe(
      '{"model_restrains":["caf\\u00e9","\\ud83d\\ude00"],"num_outputs":2}',
    );
    expect(bytes.every((b) => b < 0x80)).toBe(true);
  });

  it("reads back what it writes", () => {
    const value = { num_outputs: 1, model_restrains: ["Ω"], nested: { a: [1, null, true] } };
    expect(readExtraData(writeExtraData(value))).toEqual({ ok: true, value });
  });

  it("reads raw UTF-8 too", () => {
    expect(readExtraData(bytesOf('{"x":"é"}'))).toEqual({ ok: true, value: { x: "é" } });
  });

  it("reports each kind of bad input clearly", () => {
    expect(readExtraData(new Uint8Array(0))).toMatchObject({ ok: false, error: { kind: "empty" } });
    expect(readExtraData(Uint8Array.of(0x7b, 0xff, 0x7d))).toMatchObject({
      ok: false,
      error: { kind: "invalid-utf8" },
    });
    const bad = readExtraData(bytesOf("{num_outputs: 1}"));
    expect(bad).toMatchObject({ ok: false, error: { kind: "invalid-json" } });
    if (!bad.ok) expect(bad.error.message).toMatch(/^extra_data is not valid JSON: /);
    expect(readExtraData(bytesOf("[1]"))).toMatchObject({
      ok: false,
      error: { kind: "not-object", message: "extra_data holds an array, not a JSON object" },
    });
    expect(readExtraData(bytesOf("null"))).toMatchObject({
      ok: false,
      error: { kind: "not-object" },
    });
  });

  it("asciiJson leaves ASCII alone", () => {
    expect(asciiJson({ a: "b\n" })).toBe('{"a":"b\\n"}');
  });

  it("co2ExtraDataSchema enforces what the orchestrator reads", () => {
    expect(co2ExtraDataSchema.safeParse({ num_outputs: 1, model_restrains: [] }).success).toBe(
      true,
    );
    expect(
      co2ExtraDataSchema.safeParse({
        num_outputs: 2,
        model_restrains: ["m"],
        mode: "tracker",
        x: 1,
      }).success,
    ).toBe(true);
    expect(co2ExtraDataSchema.safeParse({ num_outputs: "1", model_restrains: [] }).success).toBe(
      false,
    );
    expect(co2ExtraDataSchema.safeParse({ num_outputs: 0, model_restrains: [] }).success).toBe(
      false,
    );
    expect(co2ExtraDataSchema.safeParse({ model_restrains: [] }).success).toBe(false);
  });
});
