import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MessageBuilder } from "../wire/message.ts";
import { writeData } from "../wire/submessages/data.ts";
import { writeHeartbeat } from "../wire/submessages/heartbeat.ts";
import { Receiver, type ReceiverSink } from "./receiver.ts";

const own = new Uint8Array(12).fill(7);
const peer = new Uint8Array(12).fill(9);

function validDatagram(): Uint8Array {
  const mb = new MessageBuilder(0, peer);
  mb.infoDst(own).infoTs(1_000);
  writeData(mb.w, {
    readerId: 0,
    writerId: 0x102,
    writerSN: 1,
    inlineQos: Uint8Array.of(0x70, 0, 16, 0, ...new Uint8Array(16), 1, 0, 0, 0),
    payload: Uint8Array.of(0, 1, 0, 0, 1, 2, 3, 4),
  });
  writeHeartbeat(mb.w, {
    readerId: 0,
    writerId: 0x102,
    firstSN: 1,
    lastSN: 1,
    count: 1,
    final: false,
    liveliness: false,
  });
  return mb.take();
}

function counting(): { sink: ReceiverSink; calls: { n: number } } {
  const calls = { n: 0 };
  return {
    calls,
    sink: {
      onWriterSubmessage: () => {
        calls.n++;
      },
      onReaderSubmessage: () => {
        calls.n++;
      },
    },
  };
}

describe("receiver", () => {
  it("routes a valid datagram", () => {
    const { sink, calls } = counting();
    const r = new Receiver(own, sink);
    r.receive(validDatagram());
    expect(calls.n).toBe(2);
  });

  it("drops datagrams addressed to another participant", () => {
    const { sink, calls } = counting();
    const r = new Receiver(new Uint8Array(12).fill(1), sink);
    r.receive(validDatagram());
    expect(calls.n).toBe(0);
    expect(r.counters.dropped["not-for-us"]).toBe(2);
  });

  it("counts non-RTPS input and never throws on random bytes", () => {
    const { sink } = counting();
    const r = new Receiver(own, sink);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        r.receive(bytes);
      }),
      { numRuns: 2000 },
    );
    expect(r.counters.datagramsReceived).toBe(2000);
  });

  it("never throws on truncated or mutated valid datagrams", () => {
    const { sink } = counting();
    const r = new Receiver(own, sink);
    const valid = validDatagram();
    fc.assert(
      fc.property(
        fc.nat(valid.length),
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
          maxLength: 8,
        }),
        (cut, mutations) => {
          const d = valid.slice(0, cut);
          for (const [at, v] of mutations) if (at < d.length) d[at] = v;
          r.receive(d);
        },
      ),
      { numRuns: 3000 },
    );
    expect(r.counters.dropped["handler-error"]).toBe(0);
  });
});
