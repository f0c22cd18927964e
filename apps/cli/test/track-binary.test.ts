import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveGridIntensity } from "@wattprint/core";
import { parseAllLogs } from "@wattprint/logs";
import { afterAll, describe, expect, it } from "vitest";
import {
  readyThenWait,
  SPAWN_TIMEOUT_MS,
  simulatedTo,
  spawnBinary,
  waitForReady,
  waitUntil,
} from "./helpers/spawned.ts";

/*
 * `wattprint track` as a user runs it: the built binary (the test script builds dist first),
 * real signals sent to its process, the command's stdin and stdout passed through.
 */
const NODE = process.execPath;
const root = mkdtempSync(join(tmpdir(), "wattprint-track-bin-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

async function logCount(dir: string): Promise<number> {
  const parsed = await parseAllLogs(dir);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.logs.length;
}

describe.concurrent("the built wattprint track", { timeout: 2 * SPAWN_TIMEOUT_MS }, () => {
  it("passes stdin and stdout through and exits with the command's code", async () => {
    const logDir = join(root, `logs-${++runs}`);
    const echo =
      "process.stdin.pipe(process.stdout); process.stdin.on('end', () => process.exit(3))";
    const args = ["track", ...simulatedTo(logDir), "--", NODE, "-e", echo];
    const outcome = await spawnBinary(args, { stdin: "hello\n" }).closed;
    expect(outcome.code).toBe(3);
    expect(outcome.stdout).toBe("hello\n");
    expect(outcome.stderr).toMatch(/the command exited 3 after/);
    expect(await logCount(logDir)).toBe(1);
  });

  it("keeps --json-file apart from a command whose output has no final newline", async () => {
    // With --json the result ran into `abc` on the same line; a file cannot.
    const target = join(root, `result-${++runs}.json`);
    const args = ["track", "--sim-cpu", "10", "--no-logs", "--json-file", target];
    const outcome = await spawnBinary([...args, "--", "printf", "abc"]).closed;
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toBe("abc");
    const result = JSON.parse(readFileSync(target, "utf8")) as { schema: string };
    expect(result.schema).toBe("wattprint.tracker/v1");
  });

  it.each(["US-CAL-CISO", "IN-WE"])(
    "gives %s the Electricity Maps intensity the core's sources give (the bundle parses each year on first use)",
    async (zone) => {
      const expected = resolveGridIntensity({ location: zone });
      if (!expected.ok) throw new Error(expected.error.message);
      const logDir = join(root, `logs-${++runs}`);
      const args = ["track", ...simulatedTo(logDir), "--location", zone, "--json", "--", "true"];
      const outcome = await spawnBinary(args).closed;
      expect(outcome.code).toBe(0);
      const result = JSON.parse(outcome.stdout) as {
        intensity: { gPerKWh: number; zone: string; year: number; source: { id: string } };
      };
      expect(result.intensity).toMatchObject({
        gPerKWh: expected.value.intensity.value,
        zone: expected.value.zone,
        year: expected.value.year,
        source: { id: expected.value.provenance.source.id },
      });
      expect(result.intensity.source.id).toMatch(/^electricity-maps-yearly-/);
    },
  );

  it("exits 143 when SIGTERM ends the command (sh -c 'kill -TERM $$'), and writes the logs", async () => {
    const logDir = join(root, `logs-${++runs}`);
    const args = ["track", ...simulatedTo(logDir), "--", "sh", "-c", "kill -TERM $$"];
    const outcome = await spawnBinary(args).closed;
    expect(outcome.code).toBe(143);
    expect(outcome.stderr).toMatch(/killed by SIGTERM \(exit 143\)/);
    expect(await logCount(logDir)).toBe(1);
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "forwards %s sent to wattprint to the command, then writes the logs",
    async (signal, code) => {
      const logDir = join(root, `logs-${++runs}`);
      const ready = join(root, `ready-${runs}`);
      const args = ["track", ...simulatedTo(logDir), "--", NODE, "-e", readyThenWait(ready)];
      const running = spawnBinary(args);
      await waitForReady(ready);
      running.child.kill(signal);
      const outcome = await running.closed;
      // wattprint itself was not killed: it exits with the command's 128 + N after writing.
      expect(outcome.signal).toBeNull();
      expect(outcome.code).toBe(code);
      expect(outcome.stderr).toMatch(new RegExp(`killed by ${signal} \\(exit ${code}\\)`));
      expect(await logCount(logDir)).toBe(1);
    },
  );
});

describe("the built wattprint track, signalled while it reports", () => {
  it("gives the report up on SIGTERM once the command has ended, logs written, exit 143", {
    timeout: 2 * SPAWN_TIMEOUT_MS,
  }, async () => {
    // A server that takes the request and never answers: each attempt waits out its timeout
    // and the retries follow, ~44 s in all, through which a signal used to be ignored.
    const held: ServerResponse[] = [];
    const server = createServer((_request, response) => {
      held.push(response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const logDir = join(root, `logs-${++runs}`);
      const args = [
        "track",
        ...simulatedTo(logDir),
        ...["--report-to", `http://127.0.0.1:${port}`, "--", NODE, "-e", "process.exit(3)"],
      ];
      const run = spawnBinary(args);
      await waitUntil(() => held.length > 0);
      expect(held.length).toBeGreaterThan(0);
      run.child.kill("SIGTERM");
      const outcome = await run.closed;
      expect(outcome.code).toBe(143);
      expect(outcome.stderr).toContain(
        "wattprint track: SIGTERM: the report to the server was given up; the run's logs are written",
      );
      expect(outcome.stderr).toMatch(/the command exited 3 after/);
      expect(held).toHaveLength(1);
      expect(await logCount(logDir)).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
