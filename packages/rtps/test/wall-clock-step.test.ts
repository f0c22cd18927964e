import { afterEach, describe, expect, it, vi } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import { participant } from "./helpers.ts";

// An NTP step or an operator's `date -s` moves the wall clock, not the time that passed:
// leases must not notice it.
const open: Participant[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(open.splice(0).map((p) => p.close()));
});

async function make(
  net: MemoryNetwork,
  name: string,
  leaseDurationMs: number,
): Promise<Participant> {
  const p = await participant({
    transport: net.transport(),
    name,
    leaseDurationMs,
    announcementPeriodMs: 200,
    heartbeatPeriodMs: 100,
  });
  open.push(p);
  return p;
}

const topic = {
  topicName: "t",
  typeName: "T",
  keyed: true,
  qos: { reliability: "reliable", history: { kind: "keep-all" } },
} as const;

/** Moves Date.now by `offsetMs` from here on, as a stepped system clock does. */
function stepWallClock(offsetMs: number): void {
  const real = Date.now.bind(Date);
  vi.spyOn(Date, "now").mockImplementation(() => real() + offsetMs);
}

describe("leases across a wall-clock step", () => {
  it("keeps a live peer and its match when the wall clock jumps a minute ahead", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "A", 2000);
    const b = await make(net, "B", 2000);
    const writer = a.createWriter(topic);
    b.createReader(topic);
    expect(await writer.waitForMatched(1, 5000)).toBe(true);
    const lost: string[] = [];
    a.on("participantLost", (_info, reason) => lost.push(reason));
    // B is not heard for 700 ms (well within its 2 s lease), so the lease checks (every
    // 250 ms) run before any announcement of B's could renew it on the stepped clock.
    const bPrefix = b.guidPrefix;
    net.dropPolicy = (d) => d.subarray(8, 20).every((x, i) => x === bPrefix[i]);
    stepWallClock(60_000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    net.dropPolicy = undefined;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lost).toEqual([]);
    expect(writer.matchedReaders).toHaveLength(1);
  });

  it("still expires a peer that went silent after the wall clock jumped an hour back", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "A", 20_000);
    const b = await make(net, "B", 600);
    const writer = a.createWriter(topic);
    b.createReader(topic);
    expect(await writer.waitForMatched(1, 5000)).toBe(true);
    stepWallClock(-3_600_000);
    const lost = a.once("participantLost", 5000);
    const bPrefix = b.guidPrefix;
    net.dropPolicy = (d) => d.subarray(8, 20).every((x, i) => x === bPrefix[i]);
    expect((await lost)?.[1]).toBe("lease-expired");
  });
});
