import { describe, expect, it } from "vitest";
import {
  asciiJson,
  co2ExtraDataSchema,
  jsonDepthExceededAt,
  MAX_EXTRA_DATA_BYTES,
  MAX_EXTRA_DATA_DEPTH,
  readExtraData,
  writeExtraData,
} from "./extra-data.ts";

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

  it("co2ExtraDataSchema takes the modes and intensity sources wattprint writes, and no others", () => {
    const extra = (more: Record<string, string>) =>
      co2ExtraDataSchema.safeParse({ num_outputs: 1, model_restrains: ["m"], ...more }).success;
    for (const mode of ["hw_only", "onnx_hw_only", "tracker", "no_model", "error"]) {
      expect(extra({ mode }), mode).toBe(true);
    }
    for (const source of ["embedded", "live", "env", "calibrated_or_fallback"]) {
      expect(extra({ grid_ci_source: source }), source).toBe(true);
    }
    expect(extra({ mode: "measured" })).toBe(false);
    expect(extra({ grid_ci_source: "guess" })).toBe(false);
  });
});

describe("extra_data limits", () => {
  const nested = (depth: number) => `{"a":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;

  it("reads nesting up to MAX_EXTRA_DATA_DEPTH and refuses one level more, before parsing", () => {
    expect(readExtraData(bytesOf(nested(MAX_EXTRA_DATA_DEPTH))).ok).toBe(true);
    expect(readExtraData(bytesOf(nested(MAX_EXTRA_DATA_DEPTH + 1)))).toEqual({
      ok: false,
      error: {
        kind: "too-deep",
        message: `extra_data nests arrays/objects deeper than the limit of 32 levels (at byte ${5 + MAX_EXTRA_DATA_DEPTH - 1})`,
      },
    });
  });

  it("refuses 20,000 levels without recursing (no stack overflow), even when the JSON is broken after", () => {
    const deep = `{"model_restrains":[${"[".repeat(20_000)}${"]".repeat(20_000)}]}`;
    expect(readExtraData(bytesOf(deep))).toMatchObject({ ok: false, error: { kind: "too-deep" } });
    const unclosed = `{"x":${"{".repeat(20_000)}`;
    expect(readExtraData(bytesOf(unclosed))).toMatchObject({
      ok: false,
      error: { kind: "too-deep" },
    });
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const text = JSON.stringify({ s: `\\"${"[".repeat(100)}"{{{`, t: ["é", "]]]"] });
    expect(jsonDepthExceededAt(bytesOf(text), 2)).toBe(-1);
    expect(readExtraData(bytesOf(text))).toEqual({ ok: true, value: JSON.parse(text) });
    expect(jsonDepthExceededAt(bytesOf('{"a":[["x"]]}'), 2)).toBe(6);
  });

  it("refuses more than MAX_EXTRA_DATA_BYTES by size alone, and reads exactly that many", () => {
    const fill = (bytes: number) => `{"pad":"${"x".repeat(bytes - 10)}"}`;
    expect(bytesOf(fill(MAX_EXTRA_DATA_BYTES)).length).toBe(MAX_EXTRA_DATA_BYTES);
    expect(readExtraData(bytesOf(fill(MAX_EXTRA_DATA_BYTES))).ok).toBe(true);
    // Not even valid UTF-8: the size is checked before anything is decoded.
    const big = new Uint8Array(MAX_EXTRA_DATA_BYTES + 1).fill(0xff);
    expect(readExtraData(big)).toEqual({
      ok: false,
      error: {
        kind: "too-large",
        message: "extra_data is 65537 bytes, over the limit of 65536 bytes",
      },
    });
  });

  it("takes other limits from the caller", () => {
    expect(readExtraData(bytesOf('{"a":[1]}'), { maxBytes: 8, maxDepth: 4 })).toMatchObject({
      ok: false,
      error: { kind: "too-large" },
    });
    expect(readExtraData(bytesOf('{"a":[1]}'), { maxBytes: 64, maxDepth: 1 })).toMatchObject({
      ok: false,
      error: { kind: "too-deep" },
    });
  });
});
