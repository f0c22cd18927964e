import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { dateTimeMs } from "./date-time-ms.ts";

describe("dateTimeMs", () => {
  it("reads a Date from this realm or another", () => {
    expect(dateTimeMs(new Date(Date.UTC(2026, 11, 3)))).toBe(Date.UTC(2026, 11, 3));
    const foreign: unknown = runInNewContext("new Date(Date.UTC(2001, 0, 1))");
    expect(foreign instanceof Date).toBe(false);
    expect(dateTimeMs(foreign)).toBe(Date.UTC(2001, 0, 1));
  });

  it("gives NaN for an invalid Date, undefined for anything else, never calling its methods", () => {
    expect(dateTimeMs(new Date(Number.NaN))).toBeNaN();
    let called = false;
    const lookAlike = {
      getTime: () => {
        called = true;
        return 0;
      },
    };
    const trapped = new Proxy(new Date(0), {
      get: () => {
        called = true;
        return undefined;
      },
      getPrototypeOf: () => {
        called = true;
        return Date.prototype;
      },
    });
    for (const value of [lookAlike, trapped, null, undefined, 0, "2026-12-03", {}]) {
      expect(dateTimeMs(value)).toBeUndefined();
    }
    expect(called).toBe(false);
  });
});
