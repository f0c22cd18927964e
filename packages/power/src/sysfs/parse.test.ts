import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseUnsignedAscii, parseUnsignedText } from "./parse.ts";

describe("parseUnsignedAscii", () => {
  it("reads sysfs integers and refuses everything else", () => {
    expect(parseUnsignedText("262143328850\n")).toBe(262143328850);
    expect(parseUnsignedText("0")).toBe(0);
    expect(parseUnsignedText("  42 \n")).toBe(42);
    expect(parseUnsignedText("")).toBeNaN();
    expect(parseUnsignedText("\n")).toBeNaN();
    expect(parseUnsignedText("-5\n")).toBeNaN();
    expect(parseUnsignedText("12ab\n")).toBeNaN();
    expect(parseUnsignedText("1.5\n")).toBeNaN();
    expect(parseUnsignedText("12 34\n")).toBeNaN();
    expect(parseUnsignedText("99999999999999999999\n")).toBe(Number.POSITIVE_INFINITY);
  });

  it("agrees with Number() on every safe integer", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const bytes = Buffer.from(`${n}\n`);
        expect(parseUnsignedAscii(bytes, bytes.length)).toBe(n);
      }),
    );
  });
});
