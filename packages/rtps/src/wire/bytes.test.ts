import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex, sameBytes } from "./bytes.ts";

describe("bytesToHex", () => {
  it("is lowercase hex, two digits a byte, for views at any offset and past the scratch buffer", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(8), (bytes, skip) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        expect(bytesToHex(view)).toBe(Buffer.from(view).toString("hex"));
      }),
    );
    expect(bytesToHex(Uint8Array.of(0, 0xab, 0x0f))).toBe("00ab0f");
    expect(bytesToHex(new Uint8Array(0))).toBe("");
  });

  it("leaves no trace of a longer earlier call in a shorter later one", () => {
    expect(bytesToHex(new Uint8Array(16).fill(0xff))).toBe("ff".repeat(16));
    expect(bytesToHex(Uint8Array.of(1))).toBe("01");
  });
});

describe("sameBytes", () => {
  it("is true exactly when length and every byte agree", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(sameBytes(a, b)).toBe(Buffer.compare(a, b) === 0);
        expect(sameBytes(a, a.slice())).toBe(true);
      }),
    );
    expect(sameBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
  });
});
