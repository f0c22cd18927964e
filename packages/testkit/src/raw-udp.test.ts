import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { openUdpSinks, sendDatagrams } from "./raw-udp.ts";

const until = async (done: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};

describe("raw UDP on 127.0.0.1", () => {
  it("counts every byte a paced sender delivers to a sink, and resets", async () => {
    await using sinks = await openUdpSinks(3);
    expect(new Set(sinks.ports).size).toBe(3);
    const datagrams = Array.from({ length: 250 }, (_, i) => new Uint8Array(100 + (i % 7)));
    const expected = datagrams.reduce((n, d) => n + d.length, 0);
    const report = await sendDatagrams(sinks.ports[1] ?? 0, datagrams, { batchSize: 50 });
    expect(report).toMatchObject({ datagrams: 250, bytes: expected, cutShort: false });
    await until(() => sinks.datagrams === 250, 2000);
    expect(sinks.datagrams).toBe(250);
    expect(sinks.bytes).toBe(expected);
    sinks.reset();
    expect([sinks.bytes, sinks.datagrams]).toEqual([0, 0]);
  });

  it("reports the datagrams the kernel dropped while nobody read them", async () => {
    await using sinks = await openUdpSinks(1, { receiveBufferBytes: 4096 });
    expect(sinks.kernelDrops()).toBe(0);
    // spawnSync blocks this event loop, so the sink cannot drain its 4 KiB buffer.
    const child = spawnSync(
      process.execPath,
      [
        "-e",
        `const s = require("node:dgram").createSocket("udp4");
         let left = 200;
         const next = () => left-- > 0 ? s.send(Buffer.alloc(500), ${sinks.ports[0]}, "127.0.0.1", next) : s.close();
         next();`,
      ],
      { timeout: 10_000 },
    );
    expect(child.status).toBe(0);
    await until(() => sinks.datagrams + sinks.kernelDrops() === 200, 2000);
    expect(sinks.kernelDrops()).toBeGreaterThan(0);
    expect(sinks.datagrams + sinks.kernelDrops()).toBe(200);
    sinks.reset();
    expect(sinks.kernelDrops()).toBe(0);
  });

  it("stops at its deadline and says so", async () => {
    await using sinks = await openUdpSinks(1);
    const datagrams = Array.from({ length: 50 }, () => new Uint8Array(10));
    const report = await sendDatagrams(sinks.ports[0] ?? 0, datagrams, {
      batchSize: 1,
      pauseMs: 20,
      deadlineMs: 60,
    });
    expect(report.cutShort).toBe(true);
    expect(report.datagrams).toBeLessThan(50);
    expect(report.datagrams).toBeGreaterThan(0);
  });

  it("waits for the receiver to be ready before each batch, within its deadline", async () => {
    await using sinks = await openUdpSinks(1);
    const port = sinks.ports[0] ?? 0;
    const datagrams = Array.from({ length: 30 }, () => new Uint8Array(20));
    let asked = 0;
    const paced = await sendDatagrams(port, datagrams, {
      batchSize: 10,
      pauseMs: 0,
      // not ready on the first two questions of every batch
      ready: () => ++asked % 3 === 0,
    });
    expect(paced).toMatchObject({ datagrams: 30, cutShort: false });
    expect(asked).toBe(9);
    const never = await sendDatagrams(port, datagrams, { ready: () => false, deadlineMs: 50 });
    expect(never).toMatchObject({ datagrams: 0, bytes: 0, cutShort: true });
  });

  it("refuses an unbounded number of sinks", async () => {
    await expect(openUdpSinks(0)).rejects.toThrow(/1\.\.2000/);
    await expect(openUdpSinks(2001)).rejects.toThrow(/1\.\.2000/);
  });
});
