import { mkdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { errorCode, fileErrorSentence } from "./index.ts";

describe("fileErrorSentence", () => {
  it("says what a real system error means and the fix, not the system call", async () => {
    const error = await mkdir("/proc/self/nope/deeper").catch((e: unknown) => e);
    expect(errorCode(error)).toBe("ENOENT");
    expect(fileErrorSentence(error)).toBe("it does not exist: check the path");
  });

  it("keeps Node's message for a code it has no fix for, and any other thrown value", () => {
    const odd = Object.assign(new Error("EXDEV: cross-device link not permitted"), {
      code: "EXDEV",
    });
    expect(fileErrorSentence(odd)).toBe("EXDEV: cross-device link not permitted");
    expect(fileErrorSentence("gone")).toBe("gone");
    expect(errorCode({ code: 5 })).toBeUndefined();
  });
});
