import { describe, expect, it } from "vitest";
import { boundedMemo } from "./bounded-memo.ts";

describe("boundedMemo", () => {
  it("computes each key once while it is kept, and holds at most its limit", () => {
    const computed: string[] = [];
    const upper = boundedMemo({ entries: 2, keyChars: 8 }, (key) => {
      computed.push(key);
      return key.toUpperCase();
    });
    expect([upper("a"), upper("a"), upper("b"), upper("a")]).toEqual(["A", "A", "B", "A"]);
    expect(computed).toEqual(["a", "b"]);
    // A third key drops the oldest ("a"), which is computed again when asked for.
    expect(upper("c")).toBe("C");
    expect(upper("b")).toBe("B");
    expect(upper("a")).toBe("A");
    expect(computed).toEqual(["a", "b", "c", "a"]);
  });

  it("keeps an undefined answer as an answer", () => {
    let calls = 0;
    const nothing = boundedMemo({ entries: 4, keyChars: 8 }, () => {
      calls += 1;
      return undefined;
    });
    nothing("x");
    nothing("x");
    expect(calls).toBe(1);
  });

  it("computes a key longer than its limit every time and keeps none of it", () => {
    const computed: string[] = [];
    const upper = boundedMemo({ entries: 1, keyChars: 3 }, (key) => {
      computed.push(key);
      return key.toUpperCase();
    });
    expect([upper("abc"), upper("abc")]).toEqual(["ABC", "ABC"]);
    expect([upper("abcd"), upper("abcd")]).toEqual(["ABCD", "ABCD"]);
    // The long key was not kept: "abc" is still the one entry, not dropped for it.
    expect(upper("abc")).toBe("ABC");
    expect(computed).toEqual(["abc", "abcd", "abcd"]);
  });
});
