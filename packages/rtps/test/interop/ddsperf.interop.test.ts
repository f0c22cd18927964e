import { assertInsidePrivateNetwork, type PeerProcess, startProcess } from "@wattprint/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { collect, participant } from "../helpers.ts";
import { encodeKeyedSeq, keyedSeqKeyHash } from "./peer-types.ts";

// Domains 60-69 belong to this file; each concurrent test takes its own.
const DOMAIN = 60;
const EXIT_MS = 20_000;
const TOPIC = "DDSPerfRDataKS";
/** With -u ddsperf switches to the best-effort topic. */
const BE_TOPIC = "DDSPerfUDataKS";
const TYPE = "KeyedSeq";

/** Cyclone's ddsperf (cyclonedds-tools); `-T KS` is the keyed KeyedSeq topic. */
function ddsperf(domain: number, args: readonly string[]): PeerProcess {
  return startProcess("ddsperf", ["-i", String(domain), "-T", "KS", ...args]);
}

function totals(peer: PeerProcess): { total: number; lost: number } | undefined {
  for (let i = peer.lines.length - 1; i >= 0; i--) {
    const m = /\bsize \d+ total (\d+) lost (\d+)\b/.exec(peer.lines[i] ?? "");
    if (m) return { total: Number(m[1]), lost: Number(m[2]) };
  }
  return undefined;
}

function seqOf(p: Uint8Array): number {
  return new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(4, true);
}

describe.concurrent("interop with Cyclone DDS ddsperf", () => {
  beforeAll(() => {
    assertInsidePrivateNetwork();
  });

  it("ddsperf pub -> TS keyed reliable reader", async () => {
    const domain = DOMAIN + 1;
    await using p = await participant({
      domainId: domain,
      interfaceAddress: "127.0.0.1",
      name: "TS_DDSPERF_SUB",
    });
    const r = p.createReader({
      topicName: TOPIC,
      typeName: TYPE,
      keyed: true,
      qos: { reliability: "reliable", history: { kind: "keep-all" } },
    });
    const got = collect(r, 50, EXIT_MS);
    await using pub = ddsperf(domain, ["-D", "5", "pub", "50Hz"]);
    const samples = await got;
    const seqs = samples.map((s) => seqOf(s.payload));
    // Reliable and in order: consecutive sequence numbers from wherever we joined.
    expect(seqs.every((v, i) => i === 0 || v === (seqs[i - 1] ?? 0) + 1)).toBe(true);
    expect(
      samples.every((s) => s.writerGuid.prefix[0] === 0x01 && s.writerGuid.prefix[1] === 0x10),
    ).toBe(true);
    pub.kill();
  });

  it("TS keyed writer -> ddsperf sub: 100 samples, none lost", async () => {
    const domain = DOMAIN + 2;
    await using p = await participant({
      domainId: domain,
      interfaceAddress: "127.0.0.1",
      name: "TS_DDSPERF_PUB",
    });
    const w = p.createWriter({
      topicName: TOPIC,
      typeName: TYPE,
      keyed: true,
      qos: { reliability: "reliable", history: { kind: "keep-all" } },
    });
    await using sub = ddsperf(domain, ["-D", "6", "-Qsamples:100", "sub"]);
    expect(await w.waitForMatched(1, EXIT_MS)).toBe(true);
    // A VOLATILE Cyclone reader starts at our SN current when it matched us (testkit README).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (let seq = 0; seq < 100; seq++) {
      expect(
        w.write(encodeKeyedSeq(seq, 0, new Uint8Array(8)), { keyHash: keyedSeqKeyHash(0) }).ok,
      ).toBe(true);
    }
    expect(await w.waitForAcknowledgments(10_000)).toBe(true);
    // Cyclone names us (INFO_DST) from the address it announces: verified, so unmetered.
    expect(p.introspect().participants.map((x) => x.verified)).toEqual([true]);
    expect(p.introspect().counters.peers.unknownDestination).toBe(0);
    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(totals(sub)).toEqual({ total: 100, lost: 0 });
  });

  it("best effort both ways (ddsperf -u)", async () => {
    const domain = DOMAIN + 3;
    await using p = await participant({
      domainId: domain,
      interfaceAddress: "127.0.0.1",
      name: "TS_DDSPERF_BE",
    });
    const r = p.createReader({
      topicName: BE_TOPIC,
      typeName: TYPE,
      keyed: true,
      qos: { reliability: "best-effort", history: { kind: "keep-all" } },
    });
    const got = collect(r, 20, EXIT_MS);
    await using pub = ddsperf(domain, ["-u", "-D", "5", "pub", "50Hz"]);
    expect((await got).length).toBe(20);
    pub.kill();

    const w = p.createWriter({
      topicName: BE_TOPIC,
      typeName: TYPE,
      keyed: true,
      qos: { reliability: "best-effort", history: { kind: "keep-all" } },
    });
    await using sub = ddsperf(domain, ["-u", "-D", "8", "-Qsamples:20", "sub"]);
    await sub.waitForLine(/./, EXIT_MS);
    expect(await w.waitForMatched(1, EXIT_MS)).toBe(true);
    // Paced: best effort over loopback keeps up, but a burst could overrun a socket buffer.
    // Written until ddsperf has its 20: best effort never repairs, and under load ddsperf may
    // still be matching our writer when the first samples arrive (it drops those).
    const exited = sub.waitForExit(EXIT_MS);
    let running = true;
    void exited.finally(() => {
      running = false;
    });
    for (let seq = 0; running && seq < 1_000; seq++) {
      w.write(encodeKeyedSeq(seq, 0, new Uint8Array(8)), { keyHash: keyedSeqKeyHash(0) });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await exited).code).toBe(0);
    expect(totals(sub)?.total).toBeGreaterThanOrEqual(20);
  });
});
