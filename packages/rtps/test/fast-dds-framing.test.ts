import { afterEach, describe, expect, it } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { FastDdsFramer, fastDdsFraming } from "../src/transport/fast-dds-framing.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import { ByteWriter } from "../src/wire/cursor.ts";
import { EntityIds } from "../src/wire/guid.ts";
import { writeHeader } from "../src/wire/header.ts";
import { udpV4Locator } from "../src/wire/locator.ts";
import { decodeMessage } from "../src/wire/message.ts";
import { writeAckNack } from "../src/wire/submessages/acknack.ts";
import { writeData } from "../src/wire/submessages/data.ts";
import { writeInfoDst } from "../src/wire/submessages/info.ts";
import { collect, keyHash, participant, readU32Payload, u32Payload } from "./helpers.ts";

const PREFIX = Uint8Array.from({ length: 12 }, (_, i) => i + 1);
const WRITER = 0x00000102;
const READER = 0x00000107;
// PID_KEY_HASH (0x0070), 16 bytes, then PID_SENTINEL.
const KEY_HASH_QOS = Uint8Array.from([0x70, 0, 16, 0, ...keyHash(7), 0x01, 0, 0, 0]);

function datagram(write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter();
  writeHeader(w, 0x0000, PREFIX);
  write(w);
  return w.toBytes();
}

function kinds(bytes: Uint8Array): string[] {
  const decoded = decodeMessage(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value.items.map((item) =>
    item.kind === "unknown" ? `0x${item.id.toString(16)}` : item.kind,
  );
}

describe("FastDdsFramer", () => {
  const to = udpV4Locator("10.0.0.1", 7411);

  it("sends an alive sample without inline QoS and ends the datagram with a vendor submessage", () => {
    const framed = new FastDdsFramer().frame(
      datagram((w) =>
        writeData(w, {
          readerId: READER,
          writerId: WRITER,
          writerSN: 3,
          inlineQos: KEY_HASH_QOS,
          payload: u32Payload(42),
        }),
      ),
      to,
    );
    const decoded = decodeMessage(framed);
    if (!decoded.ok) throw new Error(decoded.error.message);
    const [data, vendor] = decoded.value.items;
    expect(data?.kind === "data" && data.inlineQos).toBe(undefined);
    expect(data?.kind === "data" && data.payload && readU32Payload(data.payload)).toBe(42);
    expect(vendor).toEqual({ kind: "unknown", id: 0x80 });
  });

  it("puts a GAP for the replaced sample before an unregister", () => {
    const framed = new FastDdsFramer().frame(
      datagram((w) =>
        writeData(w, { readerId: READER, writerId: WRITER, writerSN: 8, inlineQos: KEY_HASH_QOS }),
      ),
      to,
    );
    const decoded = decodeMessage(framed);
    if (!decoded.ok) throw new Error(decoded.error.message);
    const [gap, data] = decoded.value.items;
    expect(gap).toMatchObject({ kind: "gap", writerId: WRITER, gapStart: 7, gapList: { base: 8 } });
    expect(data).toMatchObject({ kind: "data", writerSN: 8, payload: undefined });
  });

  it("adds the participant-message ACKNACK once per destination", () => {
    const framer = new FastDdsFramer();
    const acknack = datagram((w) => {
      writeInfoDst(w, PREFIX);
      writeAckNack(w, {
        readerId: EntityIds.sedpPublicationsReader,
        writerId: EntityIds.sedpPublicationsWriter,
        readerSNState: { base: 1, numBits: 0, members: [] },
        count: 1,
        final: false,
      });
    });
    expect(kinds(framer.frame(acknack, to))).toEqual(["info-dst", "acknack", "acknack", "0x80"]);
    expect(kinds(framer.frame(acknack, to))).toEqual(["info-dst", "acknack", "0x80"]);
    expect(kinds(framer.frame(acknack, udpV4Locator("10.0.0.9", 7411)))).toHaveLength(4);
  });
});

describe("fastDdsFraming over the memory network", () => {
  const open: Participant[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()));
  });

  it("delivers every sample and unregistration a framed writer sends", async () => {
    const net = new MemoryNetwork();
    const framed = await participant({
      transport: fastDdsFraming(net.transport("10.0.0.2")),
      name: "FRAMED",
      heartbeatPeriodMs: 100,
    });
    const plain = await participant({ transport: net.transport("10.0.0.1"), name: "PLAIN" });
    open.push(framed, plain);
    const qos = {
      reliability: "reliable",
      durability: "transient-local",
      history: { kind: "keep-last", depth: 1 },
    } as const;
    const w = framed.createWriter({ topicName: "t", typeName: "T", keyed: true, qos });
    const r = plain.createReader({ topicName: "t", typeName: "T", keyed: true, qos });
    expect(await w.waitForMatched(1, 5000)).toBe(true);
    expect(await r.waitForMatched(1, 5000)).toBe(true);
    const got = collect(r, 6, 5000);
    for (let i = 1; i <= 3; i++) {
      expect(w.write(u32Payload(i), { keyHash: keyHash(i) }).ok).toBe(true);
      expect(w.unregister(keyHash(i)).ok).toBe(true);
    }
    const samples = await got;
    expect(samples.map((s) => s.instanceState)).toEqual([
      "alive",
      "unregistered",
      "alive",
      "unregistered",
      "alive",
      "unregistered",
    ]);
    expect(
      samples.filter((s) => s.instanceState === "alive").map((s) => readU32Payload(s.payload)),
    ).toEqual([1, 2, 3]);
  });
});
