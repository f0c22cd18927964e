import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import { EntityIds } from "../src/wire/guid.ts";
import { decodeMessage } from "../src/wire/message.ts";
import { keyHash, participant, readU32Payload, u32Payload } from "./helpers.ts";
import {
  burst,
  converged,
  dataSNs,
  expectTasks,
  kinds,
  lossRig,
  taskValue,
  trickle,
  userItems,
} from "./loss-helpers.ts";

// Each case drops chosen datagrams of a reliable, keyed, KEEP_LAST 1 exchange (a burst of
// 50 tasks on 3 writers, as the orchestrator sends a task's inputs) and requires that every
// instance's newest value still arrives: one unrepaired SN would hold back all later ones.

const opened: Participant[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

const durabilities = ["transient-local", "volatile"] as const;

describe.each(durabilities)("loss repair, %s", (durability) => {
  it("repairs a lost DATA datagram in the middle of a trickled burst", async () => {
    const rig = await lossRig(opened, { durability });
    // SNs 10, 11 and 30 (of all three writers: one datagram per turn), first transmission only.
    const lost = new Set<number>();
    rig.net.dropPolicy = (d) => {
      const hit = dataSNs(d).find((sn) => [10, 11, 30].includes(sn) && !lost.has(sn));
      if (hit === undefined) return false;
      lost.add(hit);
      return true;
    };
    await trickle(rig, 1, 50);
    await converged(rig, expectTasks(1, 50));
    expect(lost.size).toBe(3);
  });

  it("repairs a whole lost burst datagram (several batched submessages)", async () => {
    const rig = await lossRig(opened, { durability });
    let n = 0;
    rig.net.dropPolicy = (d) => kinds(d).has("data") && dataSNs(d).length > 1 && ++n <= 2;
    burst(rig, 1, 50);
    await converged(rig, expectTasks(1, 50));
    expect(n).toBeGreaterThanOrEqual(2);
  });

  it("repairs the last DATA of a burst from the periodic heartbeat", async () => {
    const rig = await lossRig(opened, { durability });
    await trickle(rig, 1, 49);
    await converged(rig, expectTasks(1, 49));
    // Task 50, and every heartbeat that rides with it, is lost; nothing more is written.
    let n = 0;
    rig.net.dropPolicy = (d) => kinds(d).has("data") && ++n <= 3;
    burst(rig, 50, 50);
    await converged(rig, expectTasks(1, 50));
  });

  it("repairs a lost last DATA (and its heartbeat) without waiting for the heartbeat period", async () => {
    // A period far beyond the test's timeout: only the follow-up heartbeat can repair.
    const rig = await lossRig(opened, { durability, writerHeartbeatPeriodMs: 3_600_000 });
    await trickle(rig, 1, 9);
    await converged(rig, expectTasks(1, 9));
    let n = 0;
    rig.net.dropPolicy = (d) => kinds(d).has("data") && ++n === 1;
    burst(rig, 10, 10);
    await converged(rig, expectTasks(1, 10));
    expect(n).toBeGreaterThanOrEqual(1);
  });

  // The race a node joining a running orchestrator meets: the writer has matched our reader
  // and written, but its SEDP announcement has not reached us yet, so the DATA and its
  // heartbeat come from a writer we do not know.
  it.each([
    ["held and replayed once the writer matches", false],
    ["asked for by the reader's first ACKNACK when nothing was held", true],
  ])("a sample sent before the reader knew its writer is %s", async (_how, lostToo) => {
    const net = new MemoryNetwork();
    const a = await participant({ transport: net.transport(), name: "W", heartbeatPeriodMs: 100 });
    const b = await participant({ transport: net.transport(), name: "R", heartbeatPeriodMs: 100 });
    opened.push(a, b);
    let holdAnnouncement = true;
    // In the second case the writer's traffic is lost until the reader has matched it, so
    // nothing is held and only the reader's first ACKNACK can start the repair.
    let loseWriterTraffic = lostToo;
    net.dropPolicy = (d) => {
      const m = decodeMessage(d);
      if (!m.ok) return false;
      // Only A has a user writer, so every SEDP publication DATA is A's announcement to B.
      const announces = m.value.items.some(
        (i) => i.kind === "data" && i.writerId === EntityIds.sedpPublicationsWriter,
      );
      if (announces) return holdAnnouncement;
      return loseWriterTraffic && userItems(d).some((i) => i.kind !== "acknack");
    };
    const qos = {
      reliability: "reliable",
      durability,
      history: { kind: "keep-last", depth: 1 },
    } as const;
    const reader = b.createReader({ topicName: "late", typeName: "T", keyed: true, qos });
    const values: number[] = [];
    reader.on("sample", (sample) => values.push(readU32Payload(sample.payload)));
    // A period far beyond the test's timeout: the writer's periodic heartbeat cannot help.
    const writer = a.createWriter({
      topicName: "late",
      typeName: "T",
      keyed: true,
      qos,
      heartbeatPeriodMs: 3_600_000,
    });
    expect(await writer.waitForMatched(1, 5_000)).toBe(true);
    expect(writer.write(u32Payload(7), { keyHash: keyHash(1) }).ok).toBe(true);
    // Past the writer's follow-up heartbeat, which the reader cannot use either.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(values).toEqual([]);
    holdAnnouncement = false;
    expect(await reader.waitForMatched(1, 5_000)).toBe(true);
    loseWriterTraffic = false;
    const deadline = Date.now() + 5_000;
    while (values.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(values).toEqual([7]);
    if (lostToo) expect(b.counters.replayedAfterMatch).toBe(0);
    else expect(b.counters.replayedAfterMatch).toBeGreaterThanOrEqual(1);
  });

  it("repairs when the first heartbeats are lost", async () => {
    const rig = await lossRig(opened, { durability });
    let hb = 0;
    let data = 0;
    rig.net.dropPolicy = (d) => {
      const k = kinds(d);
      if (k.has("data") && ++data % 7 === 0) return true;
      return k.has("heartbeat") && ++hb <= 12;
    };
    await trickle(rig, 1, 50);
    await converged(rig, expectTasks(1, 50));
  });

  it("repairs when ACKNACKs are lost", async () => {
    const rig = await lossRig(opened, { durability });
    let an = 0;
    let data = 0;
    rig.net.dropPolicy = (d) => {
      const k = kinds(d);
      if (k.has("data") && !k.has("acknack") && ++data % 5 === 0) return true;
      return k.has("acknack") && ++an <= 10;
    };
    await trickle(rig, 1, 50);
    await converged(rig, expectTasks(1, 50));
  });

  it("GAPs a lost DATA whose instance was overwritten, also when the GAP is lost", async () => {
    const rig = await lossRig(opened, { durability });
    let data = 0;
    let gaps = 0;
    rig.net.dropPolicy = (d) => {
      const k = kinds(d);
      if (k.has("gap") && ++gaps <= 2) return true;
      // Lose the first transmission of round 0's tasks 5..9 (SNs 5..9 of each writer).
      return (
        k.has("data") &&
        dataSNs(d).length === 1 &&
        dataSNs(d).every((sn) => sn >= 5 && sn <= 9) &&
        ++data <= 15
      );
    };
    await trickle(rig, 1, 10);
    // Overwrite tasks 1..10 before any repair: SNs 5..9 are gone from the writer's history.
    burst(rig, 1, 10, 1);
    await converged(rig, expectTasks(1, 10, 1));
    for (const order of rig.seen) {
      const newest = order.filter((v) => v >= taskValue(0, 1));
      expect(newest).toEqual([...newest].sort((x, y) => x - y));
    }
    expect(rig.writers.some((w) => w.rtps.counters.gapsSent > 0)).toBe(true);
  });

  it("delivers a held-back sample when the heartbeat skips past a lost, replaced one", async () => {
    const rig = await lossRig(opened, { durability, writers: 1 });
    // SN 1 (task 1) never arrives; SN 2 (task 2) waits behind it.
    rig.net.dropPolicy = (d) => dataSNs(d).includes(1);
    await trickle(rig, 1, 2);
    // Both instances are overwritten (SNs 3, 4): the writer holds nothing below 3 any more.
    burst(rig, 1, 2, 1);
    await converged(rig, expectTasks(1, 2, 1));
    expect(rig.seen[0]).toEqual([taskValue(2), taskValue(1, 1), taskValue(2, 1)]);
  });

  it("converges after a second burst overwrites a partly lost first one", async () => {
    const rig = await lossRig(opened, { durability });
    let n = 0;
    rig.net.dropPolicy = (d) => kinds(d).has("data") && ++n % 3 === 0;
    burst(rig, 1, 50);
    await trickle(rig, 25, 75, 1);
    rig.net.dropPolicy = undefined;
    const expected = expectTasks(1, 24);
    for (const [k, v] of expectTasks(25, 75, 1)) expected.set(k, v);
    await converged(rig, expected);
  });
});

describe("random loss both ways", () => {
  it("delivers every instance's last value whatever is dropped (seeded)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.05, max: 0.4, noNaN: true }),
        fc.constantFrom(...durabilities),
        fc.boolean(),
        async (seed, rate, durability, asBurst) => {
          const rig = await lossRig(opened, { durability });
          try {
            let s = seed;
            rig.net.dropPolicy = (d) => {
              if (userItems(d).length === 0) return false;
              s = (s * 1103515245 + 12345) % 2147483648;
              return s / 2147483648 < rate;
            };
            if (asBurst) burst(rig, 1, 50);
            else await trickle(rig, 1, 50);
            burst(rig, 40, 60, 1);
            const expected = expectTasks(1, 39);
            for (const [k, v] of expectTasks(40, 60, 1)) expected.set(k, v);
            // Losses go on until convergence: repair must work under loss, not after it.
            await converged(rig, expected, 30_000);
          } finally {
            await Promise.all(opened.splice(0).map((p) => p.close()));
          }
        },
      ),
      { seed: 20261129, numRuns: 8, endOnFailure: true },
    );
  }, 120_000);
});
