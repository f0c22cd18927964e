import { describe, expect, it } from "vitest";
import { serve } from "../src/serve.ts";

describe("a stop signal during start-up", () => {
  it("ends the warm-up and the start before the bus is joined, with a log line and exit 0", async () => {
    let stderr = "";
    let handlers = 0;
    // Loopback only: should a regression open the bus, it stays on this machine.
    // A warm-up that would run to its 30 s limit unless the signal ends it.
    const argv = ["--warm-up-tasks", "1000000", "--log-level", "info", "--interface", "127.0.0.1"];
    const code = await serve(argv, {
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      env: {},
      // The operator's SIGTERM arrives as soon as the node listens for it: during the warm-up.
      onStopSignal: (stop) => {
        handlers++;
        stop("SIGTERM");
      },
    });
    const records = stderr
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { msg?: string; message?: string; signal?: string });
    const said = records.map((r) => r.msg ?? r.message);
    expect(code).toBe(0);
    expect(handlers).toBe(1);
    expect(said).toContain("warming up");
    expect(said).toContain("stopped before joining the bus");
    expect(said).not.toContain("listening");
    // Ended by the signal, not skipped for a reason worth a warning, and not run through.
    expect(said).not.toContain("warm-up skipped");
    expect(said).not.toContain("warmed up");
    expect(
      records.find((r) => (r.msg ?? r.message) === "stopped before joining the bus"),
    ).toMatchObject({ signal: "SIGTERM" });
  }, 60_000);
});
