import { describe, expect, it } from "vitest";
import { busiestWriter } from "./fair-share.ts";

describe("busiestWriter", () => {
  it("names the writer holding the most entries, the newcomer counted", () => {
    expect(busiestWriter(["a", "b", "b", "b"], "a")).toBe("b");
    expect(busiestWriter(["a", "b", "b"], "a")).toBe("a");
    expect(busiestWriter(["a", "b", "b"], undefined)).toBe("b");
  });

  it("breaks a tie against the newcomer's own writer", () => {
    expect(busiestWriter(["a", "b"], "c")).toBe("c");
    expect(busiestWriter(["a", "a", "b"], "b")).toBe("b");
  });
});
