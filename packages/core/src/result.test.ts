import { describe, expect, it } from "vitest";
import { err, ok } from "./result.ts";

describe("Result", () => {
  it("tags success and failure", () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(err("bad")).toEqual({ ok: false, error: "bad" });
  });
});
