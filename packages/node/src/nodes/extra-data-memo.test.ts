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
    expect(parsed?.ok === false && parsed.message).toMatch(/not valid JSON/);
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
