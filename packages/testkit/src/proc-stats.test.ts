import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cpuSecondsOf, memoryOf, residentBytes, udpSocketsOf } from "./proc-stats.ts";
import { openUdpSinks } from "./raw-udp.ts";

const until = async (done: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};

describe("/proc readers", () => {
  it("list the UDP ports this process bound, with their address", async () => {
    await using sinks = await openUdpSinks(2);
    const bound = udpSocketsOf(process.pid);
    for (const port of sinks.ports)
      expect(bound).toContainEqual({ address: "127.0.0.1", port, receiveQueueBytes: 0, drops: 0 });
    await sinks.close();
    const after = udpSocketsOf(process.pid).map((b) => b.port);
    for (const port of sinks.ports) expect(after).not.toContain(port);
  });

  it("read virtual memory that grows with an allocation and resident memory with its pages", () => {
    const MiB = 1024 * 1024;
    const before = memoryOf(process.pid);
    expect(before?.residentBytes).toBeGreaterThan(MiB);
    expect(before?.virtualBytes).toBeGreaterThan(before?.residentBytes ?? 0);
    const buffer = new Uint8Array(96 * MiB);
    const allocated = memoryOf(process.pid);
    expect((allocated?.virtualBytes ?? 0) - (before?.virtualBytes ?? 0)).toBeGreaterThan(64 * MiB);
    buffer.fill(1);
    const touched = residentBytes(process.pid) ?? 0;
    expect(touched - (allocated?.residentBytes ?? 0)).toBeGreaterThan(64 * MiB);
    expect(buffer[buffer.length - 1]).toBe(1);
    expect(memoryOf(2 ** 22 + 12345)).toBeUndefined();
  });

  it("read the CPU time a process used, as getrusage counts it", () => {
    const before = cpuSecondsOf(process.pid) ?? Number.NaN;
    const usageBefore = process.cpuUsage();
    // Spin until getrusage saw 300 ms of CPU (a busy machine may take longer to give it).
    const end = performance.now() + 10_000;
    let usedS = 0;
    while (usedS < 0.3 && performance.now() < end) {
      const used = process.cpuUsage(usageBefore);
      usedS = (used.user + used.system) / 1e6;
    }
    const after = cpuSecondsOf(process.pid) ?? Number.NaN;
    expect(usedS).toBeGreaterThanOrEqual(0.3);
    // /proc counts in 10 ms ticks; both read the same kernel accounting
    expect(after - before).toBeGreaterThan(usedS - 0.05);
    expect(after - before).toBeLessThan(usedS + 0.05);
    expect(cpuSecondsOf(2 ** 22 + 12345)).toBeUndefined();
  });

  it("show a socket's unread bytes until its process reads them", async () => {
    await using sinks = await openUdpSinks(1);
    const port = sinks.ports[0] ?? 0;
    const queued = (): number =>
      udpSocketsOf(process.pid).find((s) => s.port === port)?.receiveQueueBytes ?? -1;
    // spawnSync blocks this event loop: the datagram waits in the kernel until it returns.
    spawnSync(
      process.execPath,
      [
        "-e",
        `const s = require("node:dgram").createSocket("udp4");
         s.send(Buffer.alloc(300), ${port}, "127.0.0.1", () => s.close());`,
      ],
      { timeout: 10_000 },
    );
    expect(queued()).toBeGreaterThanOrEqual(300);
    await until(() => sinks.datagrams === 1, 2000);
    expect(queued()).toBe(0);
  });
});
