import { readExtraData, writeExtraData } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { ExtraDataMemo } from "./extra-data-memo.ts";

const bytes = (json: string) => new TextEncoder().encode(json);

describe("ExtraDataMemo", () => {
  it("hands back the same parsed object for the same bytes, a new one when they change", () => {
    const memo = new ExtraDataMemo();
    const first = memo.parseUser(bytes('{"num_outputs":2}'));
    expect(first).toEqual({ ok: true, value: { num_outputs: 2 } });
    expect(memo.parseUser(bytes('{"num_outputs":2}'))).toBe(first);
    expect(memo.parseUser(bytes('{"num_outputs":3}'))).toEqual({
      ok: true,
      value: { num_outputs: 3 },
    });
    expect(memo.parseUser(new Uint8Array(0))).toBeUndefined();
  });

  it("reports unparsable bytes with the parser's reason", () => {
    const parsed = new ExtraDataMemo().parseUser(bytes("{oops"));
    expect(parsed?.ok).toBe(false);
    expect(parsed?.ok === false && parsed.error.message).toMatch(/not valid JSON/);
    expect(parsed?.ok === false && parsed.error.kind).toBe("invalid-json");
  });

  it("hands on a refusal over the size or depth limit with its kind, remembered for the same bytes", () => {
    const memo = new ExtraDataMemo();
    const deep = bytes(`{"a":${"[".repeat(40)}${"]".repeat(40)}}`);
    const refused = memo.parseUser(deep);
    expect(refused).toMatchObject({ ok: false, error: { kind: "too-deep" } });
    expect(memo.parseUser(deep)).toBe(refused);
    expect(memo.parseUser(new Uint8Array(70_000).fill(0x20))).toMatchObject({
      ok: false,
      error: { kind: "too-large" },
    });
  });

  it("writes an extra object once and keeps its bytes while the object is the same", () => {
    const memo = new ExtraDataMemo();
    const extra = Object.freeze({ mode: "hw_only", num_outputs: 1 });
    const written = memo.write(extra);
    expect(written).toEqual(writeExtraData(extra));
    expect(memo.write(extra)).toBe(written);
    const other = memo.write({ mode: "error" });
    expect(readExtraData(other)).toEqual({ ok: true, value: { mode: "error" } });
  });
});
