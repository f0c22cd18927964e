import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { failure, isFailure } from "./failure.ts";
import { err, mapResult, ok, type Result, unwrapOr } from "./result.ts";

describe("Result", () => {
  it("tags success and failure with exactly ok/value and ok/error", () => {
    expect(Object.keys(ok(3))).toEqual(["ok", "value"]);
    expect(Object.keys(err("bad"))).toEqual(["ok", "error"]);
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(err("bad")).toEqual({ ok: false, error: "bad" });
  });

  it("maps successes and passes failures through as the same object", () => {
    fc.assert(
      fc.property(fc.integer(), fc.boolean(), (n, good) => {
        const r: Result<number, string> = good ? ok(n) : err(`no ${n}`);
        const mapped = mapResult(r, (x) => x * 2);
        if (r.ok) expect(mapped).toEqual(ok(n * 2));
        else expect(mapped).toBe(r);
        expect(unwrapOr(r, (e) => e.length)).toBe(good ? n : `no ${n}`.length);
      }),
    );
  });
});

describe("failure", () => {
  it("spreads details beside kind and message", () => {
    const f = failure("invalid-value", "power must be finite", { field: "hw.power_consumption" });
    expect(f).toEqual({
      kind: "invalid-value",
      message: "power must be finite",
      field: "hw.power_consumption",
    });
    expect(failure("closed", "the participant is closed")).toEqual({
      kind: "closed",
      message: "the participant is closed",
    });
  });

  it("recognises the shape and nothing else", () => {
    expect(isFailure(failure("x", "y"))).toBe(true);
    expect(isFailure({ kind: "x", detail: "y" })).toBe(false);
    expect(isFailure(new Error("boom"))).toBe(false);
    expect(isFailure(null)).toBe(false);
    expect(isFailure("x")).toBe(false);
  });
});
