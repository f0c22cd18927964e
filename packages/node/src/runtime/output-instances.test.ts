import { describe, expect, it } from "vitest";
import { OutputInstanceWindow } from "./output-instances.ts";

const key = (n: number) => Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? n : 0));

describe("OutputInstanceWindow", () => {
  it("names nothing to retire until the window is full, then the oldest instance", () => {
    const window = new OutputInstanceWindow(3);
    expect([1, 2, 3].map((n) => window.admit(key(n)))).toEqual([undefined, undefined, undefined]);
    expect(window.admit(key(4))).toEqual(key(1));
    expect(window.admit(key(5))).toEqual(key(2));
  });

  it("treats a task answered again as the newest, without retiring anything", () => {
    const window = new OutputInstanceWindow(2);
    window.admit(key(1));
    window.admit(key(2));
    expect(window.admit(key(1))).toBeUndefined();
    expect(window.admit(key(3))).toEqual(key(2));
  });
});
