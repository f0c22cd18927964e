import { describe, expect, it } from "vitest";
import { FeedCache } from "./feed-cache.ts";

describe("FeedCache", () => {
  it("drops the oldest sets past its count", () => {
    const cache = new FeedCache<string>({ sets: 2, bytes: 1_000 });
    cache.set("a", "m1", "A", 10);
    cache.set("b", "m1", "B", 10);
    cache.set("c", "m2", "C", 10);
    expect([cache.has("a"), cache.has("b"), cache.has("c")]).toEqual([false, true, true]);
    expect(cache.bytes).toBe(20);
  });

  it("drops the oldest sets past its bytes, always keeping the newest", () => {
    const cache = new FeedCache<string>({ sets: 16, bytes: 100 });
    cache.set("a", "m1", "A", 60);
    cache.set("b", "m1", "B", 30);
    cache.set("c", "m1", "C", 30);
    expect([cache.has("a"), cache.has("b"), cache.has("c")]).toEqual([false, true, true]);
    expect(cache.bytes).toBe(60);
    // One set over the limit alone is kept: it is about to be used.
    cache.set("d", "m1", "D", 500);
    expect([cache.size, cache.get("d"), cache.bytes]).toEqual([1, "D", 500]);
  });

  it("counts a replaced set once, and drops a released model's sets", () => {
    const cache = new FeedCache<string>({ sets: 16, bytes: 1_000 });
    cache.set("a", "m1", "A", 100);
    cache.set("a", "m1", "A2", 200);
    cache.set("b", "m2", "B", 50);
    expect([cache.get("a"), cache.bytes]).toEqual(["A2", 250]);
    cache.dropModel("m1");
    expect([cache.has("a"), cache.has("b"), cache.bytes]).toEqual([false, true, 50]);
  });
});
