import { describe, expect, it } from "vitest";
import { describeThrown } from "./describe-thrown.ts";

describe("describeThrown", () => {
  it("gives an Error's message, and any other value as text", () => {
    expect(describeThrown(new RangeError("out of range"))).toBe("out of range");
    expect(describeThrown("plain")).toBe("plain");
    expect(describeThrown(Symbol("curve"))).toBe("Symbol(curve)");
    expect(describeThrown(null)).toBe("null");
  });

  it("never throws, whatever the value", () => {
    const hostile = {
      toString() {
        throw new Error("no text");
      },
    };
    expect(describeThrown(hostile)).toBe("a value that cannot be converted to text");
    expect(describeThrown(Object.create(null))).toBe("a value that cannot be converted to text");
  });
});
