import { describe, expect, it } from "vitest";
import {
  dataFragDatagram,
  EntityId,
  forgedGuidPrefix,
  forgedSpdpDatagram,
  gapDatagram,
  heartbeatDatagram,
} from "./rtps-datagrams.ts";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const PREFIX = Uint8Array.from(Buffer.from("face000000002060deadbeef", "hex"));

// A forged Fast DDS participant and its follow-ups, as captured for the security review: the
// builders must reproduce them byte for byte from their fields.
const SPDP =
  "525450530203010fface000000002060deadbeef090108000bd90f6b643bdf8f1507b80000001000000100c7000100c2000000000100000070001000face000000002060deadbeef000001c10100000000030000150004000203000016000400010f000050001000face000000002060deadbeef000001c10f00040000000000580004003f00000002000800140000000000000032001800010000000e2700000000000000000000000000007f00000131001800010000000f2700000000000000000000000000007f00000162000800020000005800000001000000";
const HEARTBEAT_2_60 =
  "525450530203010fface000000002060deadbeef07011c0000000000000003c20000001000000000000000100000000001000000";
const GAP_2_60 =
  "525450530203010fface000000002060deadbeef08011c0000000000000003c20000001000000000000000200000000000000000";

describe("hand-built RTPS datagrams", () => {
  it("reproduce the captured SPDP announcement of a forged participant", () => {
    const datagram = forgedSpdpDatagram({
      guidPrefix: PREFIX,
      domainId: 0,
      metatrafficUnicastPort: 9998,
      defaultUnicastPort: 9999,
      timestamp: { seconds: 0x6b0fd90b, fraction: 0x8fdf3b64 },
    });
    expect(hex(datagram)).toBe(SPDP);
    expect(datagram.length).toBe(220);
  });

  it("put the domain, ports and prefix where a receiver reads them", () => {
    const datagram = forgedSpdpDatagram({
      guidPrefix: forgedGuidPrefix(7),
      domainId: 76,
      metatrafficUnicastPort: 40001,
      defaultUnicastPort: 40002,
      timestamp: { seconds: 0x6b0fd90b, fraction: 0x8fdf3b64 },
    });
    const view = new DataView(datagram.buffer, datagram.byteOffset);
    const prefix = "face000000000007deadbeef";
    expect(hex(datagram.subarray(8, 20))).toBe(prefix);
    expect(hex(datagram.subarray(60, 72))).toBe(prefix); // key hash
    expect(hex(datagram.subarray(104, 116))).toBe(prefix); // PID_PARTICIPANT_GUID
    expect(view.getUint32(124, true)).toBe(76);
    expect(view.getUint32(156, true)).toBe(40001);
    expect(view.getUint32(184, true)).toBe(40002);
    expect(hex(SPDP_WITHOUT(datagram))).toBe(hex(SPDP_WITHOUT(Buffer.from(SPDP, "hex"))));
  });

  it("reproduce the captured HEARTBEAT and GAP at sequence number 2^60", () => {
    const from = {
      guidPrefix: PREFIX,
      readerId: EntityId.unknown,
      writerId: EntityId.sedpPublicationsWriter,
    };
    expect(
      hex(heartbeatDatagram({ ...from, firstSn: 2n ** 60n, lastSn: 2n ** 60n, count: 1 })),
    ).toBe(HEARTBEAT_2_60);
    expect(hex(gapDatagram({ ...from, gapStart: 2n ** 60n, bitmapBase: 2n ** 61n }))).toBe(
      GAP_2_60,
    );
  });

  it("build a DATA_FRAG whose fields sit at their DDSI-RTPS offsets", () => {
    const fragments = new Uint8Array(48).fill(0xab);
    const datagram = dataFragDatagram({
      guidPrefix: PREFIX,
      readerId: EntityId.sedpPublicationsReader,
      writerId: EntityId.sedpPublicationsWriter,
      writerSn: 3n,
      fragmentStartingNum: 1,
      fragmentSize: 48,
      sampleSize: 64 * 1024 * 1024,
      fragments,
    });
    const view = new DataView(datagram.buffer, datagram.byteOffset);
    expect(datagram.length).toBe(20 + 4 + 32 + 48);
    expect(view.getUint8(20)).toBe(0x16);
    expect(view.getUint8(21)).toBe(0x01);
    expect(view.getUint16(22, true)).toBe(32 + 48);
    expect(view.getUint16(26, true)).toBe(28);
    expect(view.getUint32(28, false)).toBe(EntityId.sedpPublicationsReader);
    expect(view.getUint32(32, false)).toBe(EntityId.sedpPublicationsWriter);
    expect(view.getUint32(36, true)).toBe(0); // SN high
    expect(view.getUint32(40, true)).toBe(3); // SN low
    expect(view.getUint32(44, true)).toBe(1); // fragmentStartingNum
    expect(view.getUint16(48, true)).toBe(1); // fragmentsInSubmessage
    expect(view.getUint16(50, true)).toBe(48); // fragmentSize
    expect(view.getUint32(52, true)).toBe(64 * 1024 * 1024);
    expect(datagram.subarray(56)).toEqual(fragments);
  });

  it("give every forged participant its own prefix", () => {
    const prefixes = new Set(Array.from({ length: 1000 }, (_, i) => hex(forgedGuidPrefix(i))));
    expect(prefixes.size).toBe(1000);
  });
});

/** The datagram with the prefix, domain and port bytes blanked: the rest must not move. */
function SPDP_WITHOUT(datagram: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(datagram);
  for (const [from, to] of [
    [8, 20],
    [60, 72],
    [104, 116],
    [124, 128],
    [156, 160],
    [184, 188],
  ] as const)
    copy.fill(0, from, to);
  return copy;
}
