import { createSocket } from "node:dgram";
import { assertInsidePrivateNetwork } from "@wattprint/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { createParticipant } from "../../src/dds/participant.ts";
import { MemoryNetwork } from "../../src/transport/memory.ts";
import { metatrafficUnicastPort, userUnicastPort } from "../../src/transport/ports.ts";
import { DatagramFrom, type DatagramSource } from "../../src/transport/transport.ts";
import { udpTransport } from "../../src/transport/udp.ts";
import { collect, keyHash, participant, readU32Payload, u32Payload } from "../helpers.ts";

// Domains 70-79 belong to this file; each concurrent test takes its own.
const DOMAIN = 70;
const tl = {
  reliability: "reliable",
  durability: "transient-local",
  history: { kind: "keep-last", depth: 1 },
} as const;

describe.concurrent("TS <-> TS over real UDP (loopback, private namespace)", () => {
  beforeAll(() => {
    assertInsidePrivateNetwork();
  });

  it("binds the well-known ports, participant ids 0 then 1", async () => {
    const d = DOMAIN + 1;
    await using a = await participant({ domainId: d, interfaceAddress: "127.0.0.1" });
    await using b = await participant({ domainId: d, interfaceAddress: "127.0.0.1" });
    expect([a.participantId, b.participantId]).toEqual([0, 1]);
    expect(b.introspect().locators).toEqual({
      metatrafficUnicast: `udpv4:127.0.0.1:${metatrafficUnicastPort(d, 1)}`,
      defaultUnicast: `udpv4:127.0.0.1:${userUnicastPort(d, 1)}`,
    });
  });

  it("refuses to start without an interface address", async () => {
    const r = await createParticipant({ domainId: DOMAIN + 2 });
    expect(r).toMatchObject({ ok: false, error: { kind: "bad-options" } });
  });

  it("replays TRANSIENT_LOCAL history to a late reader and carries a 1 MiB sample", async () => {
    const d = DOMAIN + 3;
    await using a = await participant({
      domainId: d,
      interfaceAddress: "127.0.0.1",
      name: "UDP_A",
    });
    const w = a.createWriter({ topicName: "t", typeName: "T", keyed: true, qos: tl });
    for (let i = 1; i <= 5; i++) w.write(u32Payload(i), { keyHash: keyHash(i) });
    await using b = await participant({
      domainId: d,
      interfaceAddress: "127.0.0.1",
      name: "UDP_B",
    });
    const r = b.createReader({ topicName: "t", typeName: "T", keyed: true, qos: tl });
    const samples = await collect(r, 5, 10_000);
    expect(samples.map((s) => readU32Payload(s.payload)).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(r.matchedWriters[0]?.participantName).toBe("UDP_A");

    const big = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7) & 0xff);
    const next = r.once("sample", 10_000);
    w.write(big, { keyHash: keyHash(9) });
    const [s] = (await next) ?? [];
    expect(s && Buffer.compare(s.payload, big)).toBe(0);
    expect(await w.waitForAcknowledgments(5_000)).toBe(true);
  });

  it("skips non-RTPS and truncated datagrams on its ports (RTI's RTPX, garbage)", async () => {
    const d = DOMAIN + 4;
    await using p = await participant({ domainId: d, interfaceAddress: "127.0.0.1" });
    const socket = createSocket("udp4");
    const port = metatrafficUnicastPort(d, p.participantId);
    const send = (b: Uint8Array) =>
      new Promise<void>((resolve) => socket.send(b, port, "127.0.0.1", () => resolve()));
    await send(new TextEncoder().encode("RTPX not for us at all, from another vendor"));
    await send(Uint8Array.of(0x52, 0x54, 0x50, 0x53, 2));
    await send(
      Uint8Array.of(0x52, 0x54, 0x50, 0x53, 2, 3, 0, 0, ...new Uint8Array(12), 0x15, 1, 0xff, 0xff),
    );
    const dropped = () => p.introspect().counters.receiver.dropped;
    for (let i = 0; i < 100 && dropped()["invalid-submessage"] === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    socket.close();
    expect(dropped()["not-rtps"]).toBe(1);
    expect(dropped()["truncated-header"]).toBe(1);
    expect(dropped()["invalid-submessage"]).toBe(1);
  });

  it("discovers over unicast only, through initial peers on the well-known ports", async () => {
    const d = DOMAIN + 5;
    const options = {
      domainId: d,
      interfaceAddress: "127.0.0.1",
      multicast: false,
      initialPeers: ["127.0.0.1"],
    };
    await using a = await participant({ ...options, name: "UNICAST_A" });
    await using b = await participant({ ...options, name: "UNICAST_B" });
    const w = a.createWriter({ topicName: "u", typeName: "T", keyed: false, qos: tl });
    w.write(u32Payload(7));
    const r = b.createReader({ topicName: "u", typeName: "T", keyed: false, qos: tl });
    const [s] = await collect(r, 1, 10_000);
    expect(readU32Payload(s?.payload ?? new Uint8Array(8))).toBe(7);
    expect(a.introspect().counters.receiver.dropped["own-message"]).toBe(0);
  });

  it("hands receivers the same source class as the memory network (one hidden class for V8)", async () => {
    const d = DOMAIN + 6;
    const udp = firstSource();
    const opened = await udpTransport({ interfaceAddress: "127.0.0.1" }).open({
      domainId: d,
      onDatagram: udp.handler,
    });
    if (!opened.ok) throw new Error(opened.error.message);
    const sender = createSocket("udp4");
    await new Promise<void>((resolve) => sender.bind(0, "127.0.0.1", resolve));
    try {
      sender.send(Buffer.from("RTPS"), metatrafficUnicastPort(d, 0), "127.0.0.1");
      const source = await udp.source;
      expect(source).toBeInstanceOf(DatagramFrom);
      expect({ ...source }).toEqual({ address: "127.0.0.1", port: sender.address().port });
    } finally {
      sender.close();
      await opened.value.close();
    }

    const network = new MemoryNetwork();
    const memory = firstSource();
    const peer = network.socket("127.0.0.2", 7400);
    const transport = await network.transport().open({ domainId: d, onDatagram: memory.handler });
    if (!transport.ok) throw new Error(transport.error.message);
    peer.send(new Uint8Array(4), transport.value.locators.metatrafficUnicast);
    const source = await memory.source;
    expect(source).toBeInstanceOf(DatagramFrom);
    expect({ ...source }).toEqual({ address: "127.0.0.2", port: 7400 });
    await transport.value.close();
  });
});

function firstSource(): {
  handler: (data: Uint8Array, source: DatagramSource) => void;
  source: Promise<DatagramSource>;
} {
  let handler: (data: Uint8Array, source: DatagramSource) => void = () => {};
  const source = new Promise<DatagramSource>((resolve) => {
    handler = (_data, from) => resolve(from);
  });
  return { handler, source };
}
