import { describe, expect, it, vi } from "vitest";
import { UsageError } from "./usage-error.ts";

describe("UsageError", () => {
  it("is recognised by instanceof from another copy of its module (a bundle's)", async () => {
    vi.resetModules();
    const copy = await import("./usage-error.ts");
    expect(copy.UsageError).not.toBe(UsageError);
    const fromCopy = new copy.UsageError("--interval takes a duration");
    expect(fromCopy instanceof UsageError).toBe(true);
    expect(new UsageError("x") instanceof copy.UsageError).toBe(true);
    expect(fromCopy.message).toBe("--interval takes a duration");
  });

  it("is not fooled by other errors, and a subclass keeps the ordinary check", () => {
    expect(new Error("x") instanceof UsageError).toBe(false);
    const notObjects: unknown[] = [null, "UsageError"];
    for (const value of notObjects) expect(value instanceof UsageError).toBe(false);
    class FlagError extends UsageError {}
    expect(new FlagError("x") instanceof UsageError).toBe(true);
    expect(new UsageError("x") instanceof FlagError).toBe(false);
    expect(new FlagError("x") instanceof FlagError).toBe(true);
  });
});
