import { describe, expect, it } from "vitest";
import { startProcess, stopAll } from "./process.ts";

describe("startProcess", () => {
  it("collects stdout and stderr lines and reports the exit code", async () => {
    const child = startProcess("sh", ["-c", "echo one; echo two >&2; exit 3"]);
    await expect(child.waitForLine(/^tw(o)$/, 5000)).resolves.toMatchObject({ 1: "o" });
    expect(await child.waitForExit(5000)).toEqual({ code: 3, signal: null });
    expect([...child.lines].sort()).toEqual(["one", "two"]);
  });

  it("rejects a wait with the output when the process exits first", async () => {
    const child = startProcess("sh", ["-c", "echo bye"]);
    await expect(child.waitForLine(/never/, 5000)).rejects.toThrow(/exited \(code 0\)[\s\S]*bye/);
  });

  it("rejects a wait on timeout", async () => {
    const child = startProcess("sleep", ["5"]);
    await expect(child.waitForLine(/never/, 50)).rejects.toThrow(/timeout after 50 ms/);
    await child.stop();
  });

  it("stops every running process", async () => {
    const children = [startProcess("sleep", ["30"]), startProcess("sleep", ["30"])];
    await stopAll();
    for (const child of children) {
      expect((await child.waitForExit(1000)).signal).toBe("SIGTERM");
    }
  });

  it("stops a process at the end of an `await using` scope", async () => {
    let pid: number | undefined;
    let exited: Promise<unknown> = Promise.resolve();
    {
      await using child = startProcess("sleep", ["30"]);
      pid = child.pid;
      exited = child.exited;
    }
    expect(pid).toBeTypeOf("number");
    await expect(exited).resolves.toEqual({ code: null, signal: "SIGTERM" });
  });

  it("reports a command that cannot start", async () => {
    const child = startProcess("/nonexistent/peer", []);
    expect((await child.waitForExit(5000)).code).toBeNull();
    expect(child.output()).toMatch(/spawn error/);
  });
});
