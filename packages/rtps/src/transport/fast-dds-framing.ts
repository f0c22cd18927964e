import { ByteReader, ByteWriter } from "../wire/cursor.ts";
import { EntityIds } from "../wire/guid.ts";
import { RTPS_HEADER_LENGTH } from "../wire/header.ts";
import type { Locator } from "../wire/locator.ts";
import { writeAckNack } from "../wire/submessages/acknack.ts";
import { FLAG_D, FLAG_K, FLAG_Q, readData, writeData } from "../wire/submessages/data.ts";
import { FLAG_E, SubmessageId } from "../wire/submessages/framing.ts";
import { writeGap } from "../wire/submessages/gap.ts";
import type { Transport, TransportFactory } from "./transport.ts";

/** Fast DDS 2.9 ends every datagram with a vendor-specific submessage of this size. */
const VENDOR_SUBMESSAGE_ID = 0x80;
const VENDOR_SUBMESSAGE_BODY = new Uint8Array(56);

/**
 * Frames a participant's outgoing datagrams the way Fast DDS 2.9 does, as captured from
 * SustainML's orchestrator on loopback:
 * - an alive sample carries no inline QoS (the reader derives its key from the data);
 * - a GAP for the replaced sample precedes each dispose or unregister;
 * - its participant-message reader sends a preemptive ACKNACK (base 0) alongside the first
 *   discovery ACKNACK to each peer, even to a peer that announces no such writer;
 * - a vendor-specific submessage ends every datagram.
 * What a conforming reader gets out of the traffic is unchanged. The point is to exercise the
 * receive paths a Fast DDS peer exercises, for an in-process warm-up whose JIT training must
 * match the real peer.
 */
export function fastDdsFraming(factory: TransportFactory): TransportFactory {
  return {
    async open(params) {
      const opened = await factory.open(params);
      if (!opened.ok) return opened;
      const inner = opened.value;
      const framer = new FastDdsFramer();
      const framed: Transport = {
        locators: inner.locators,
        get sendErrors() {
          return inner.sendErrors;
        },
        send(datagram, to) {
          inner.send(framer.frame(datagram, to), to);
        },
        close: () => inner.close(),
      };
      return { ok: true, value: framed };
    },
  };
}

export class FastDdsFramer {
  private readonly w = new ByteWriter(2048);
  private readonly greeted = new Set<string>();

  /** Rewrites one of our datagrams (well formed by construction); returns a fresh copy. */
  frame(datagram: Uint8Array, to: Locator): Uint8Array {
    const w = this.w;
    w.reset();
    w.bytes(datagram.subarray(0, RTPS_HEADER_LENGTH));
    let at = RTPS_HEADER_LENGTH;
    while (at + 4 <= datagram.length) {
      const id = datagram[at] ?? 0;
      const flags = datagram[at + 1] ?? 0;
      const length = (datagram[at + 2] ?? 0) | ((datagram[at + 3] ?? 0) << 8);
      const end = length === 0 ? datagram.length : at + 4 + length;
      if (id === SubmessageId.data && !this.reframeData(datagram, at, end, flags)) {
        at = end;
        continue;
      }
      if (id === SubmessageId.acknack) this.greet(to);
      w.bytes(datagram.subarray(at, end));
      at = end;
    }
    w.u8(VENDOR_SUBMESSAGE_ID);
    w.u8(FLAG_E);
    w.u16(VENDOR_SUBMESSAGE_BODY.length);
    w.bytes(VENDOR_SUBMESSAGE_BODY);
    return w.toBytes();
  }

  /** Writes what goes before (or instead of) a DATA; false when it was rewritten whole. */
  private reframeData(datagram: Uint8Array, at: number, end: number, flags: number): boolean {
    const data = readData(new ByteReader(datagram, true).range(at + 4, end, true), flags);
    if ((flags & FLAG_D) !== 0 && data.inlineQos) {
      writeData(this.w, { ...data, inlineQos: undefined });
      return false;
    }
    const retiring = (flags & (FLAG_D | FLAG_K)) === 0 && (flags & FLAG_Q) !== 0;
    if (retiring && data.writerSN > 1) {
      writeGap(this.w, {
        readerId: data.readerId,
        writerId: data.writerId,
        gapStart: data.writerSN - 1,
        gapList: { base: data.writerSN, numBits: 0, members: [] },
      });
    }
    return true;
  }

  private greet(to: Locator): void {
    const key = `${to.address.join(".")}:${to.port}`;
    if (this.greeted.has(key)) return;
    this.greeted.add(key);
    writeAckNack(this.w, {
      readerId: EntityIds.participantMessageReader,
      writerId: EntityIds.participantMessageWriter,
      readerSNState: { base: 0, numBits: 0, members: [] },
      count: 1,
      final: false,
    });
  }
}
