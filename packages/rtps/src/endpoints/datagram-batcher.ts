import { ByteWriter } from "../wire/cursor.ts";
import { RTPS_HEADER_LENGTH } from "../wire/header.ts";
import { type Locator, LocatorKind } from "../wire/locator.ts";
import { SubmessageId } from "../wire/submessages/framing.ts";
import { MAX_DATAGRAM } from "./outbox.ts";

interface Pending {
  readonly to: Locator;
  readonly w: ByteWriter;
}

/**
 * Joins the messages sent to one locator during one event-loop turn into one datagram,
 * sent from `setImmediate`: a task's acknowledgements, statuses and output, or a burst's
 * samples, cost one `sendmsg` instead of one each (on loopback the syscall dominates).
 *
 * Every message comes from our participant, so a later one only needs its submessages
 * appended. It may join only if it starts with INFO_DST: that resets the destination the
 * receiver carries over from the previous submessages (INFO_TS precedes every DATA we send).
 * Messages leave in the order they were sent, per locator.
 */
export class DatagramBatcher {
  private readonly pending = new Map<number, Pending>();
  private readonly spare: ByteWriter[] = [];
  private hooks: Array<() => void> = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly sendNow: (datagram: Uint8Array, to: Locator) => void) {}

  send(message: Uint8Array, to: Locator): void {
    if (to.kind !== LocatorKind.udpV4) {
      this.sendNow(message, to);
      return;
    }
    const a = to.address;
    // IPv4 and port as one exact number (48 bits): no string per message.
    const key =
      ((a[12] ?? 0) * 0x1000000 + ((a[13] ?? 0) << 16) + ((a[14] ?? 0) << 8) + (a[15] ?? 0)) *
        0x10000 +
      (to.port & 0xffff);
    const p = this.pending.get(key);
    if (p) {
      const joinable =
        message.length > RTPS_HEADER_LENGTH && message[RTPS_HEADER_LENGTH] === SubmessageId.infoDst;
      if (joinable && p.w.offset + message.length - RTPS_HEADER_LENGTH <= MAX_DATAGRAM) {
        p.w.bytes(message.subarray(RTPS_HEADER_LENGTH));
        return;
      }
      this.sendNow(p.w.toBytes(), p.to);
      p.w.reset();
      p.w.bytes(message);
      return;
    }
    const w = this.spare.pop() ?? new ByteWriter(2048);
    w.bytes(message);
    this.pending.set(key, { to, w });
    this.schedule();
  }

  /** Runs `fn` once, just before the pending datagrams leave (late heartbeats and ACKNACKs). */
  beforeFlush(fn: () => void): void {
    this.hooks.push(fn);
    this.schedule();
  }

  /** Sends everything pending now (also called before the transport closes). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    // Hooks may send, and may register further hooks.
    while (this.hooks.length > 0) {
      const hooks = this.hooks;
      this.hooks = [];
      for (const fn of hooks) fn();
    }
    for (const p of this.pending.values()) {
      this.sendNow(p.w.toBytes(), p.to);
      p.w.reset();
      if (this.spare.length < 8) this.spare.push(p.w);
    }
    this.pending.clear();
  }

  private schedule(): void {
    if (!this.scheduled) this.scheduled = setImmediate(() => this.flush());
  }
}
