import { ByteWriter } from "../wire/cursor.ts";
import { RTPS_HEADER_LENGTH } from "../wire/header.ts";
import { type Locator, LocatorKind } from "../wire/locator.ts";
import { SubmessageId } from "../wire/submessages/framing.ts";
import { MAX_DATAGRAM } from "./outbox.ts";

interface Pending {
  readonly to: Locator;
  /** IPv4 address as a signed 32-bit number (a small integer for V8), and the port. */
  readonly ip: number;
  readonly port: number;
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
/** Past this many destinations in one turn, they are found through a map instead of a scan. */
const SCAN_LIMIT = 16;

export class DatagramBatcher {
  /** One entry per destination this turn: usually a handful, so a scan beats hashing. */
  private readonly pending: Pending[] = [];
  /**
   * Built only when a turn reaches many destinations (announcements to every peer, heartbeats
   * to many readers): a scan per message was quadratic there, and with thousands of
   * (forged) peers it stalled the process for seconds.
   */
  private index: Map<number, Pending> | undefined;
  private readonly spare: ByteWriter[] = [];
  private hooks: Array<() => void> = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly sendNow: (datagram: Uint8Array, to: Locator) => void) {}

  /** Copies `message` (a view the caller reuses) into the datagram for `to`. */
  send(message: Uint8Array, to: Locator): void {
    if (to.kind !== LocatorKind.udpV4) {
      this.sendNow(message.slice(), to);
      return;
    }
    const a = to.address;
    const ip = ((a[12] ?? 0) << 24) | ((a[13] ?? 0) << 16) | ((a[14] ?? 0) << 8) | (a[15] ?? 0);
    const port = to.port;
    let p: Pending | undefined;
    if (this.index) p = this.index.get(ip * 65536 + port);
    else {
      for (const q of this.pending) {
        if (q.ip === ip && q.port === port) {
          p = q;
          break;
        }
      }
    }
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
    const entry = { to, ip, port, w };
    this.pending.push(entry);
    if (this.index) this.index.set(ip * 65536 + port, entry);
    else if (this.pending.length > SCAN_LIMIT) {
      this.index = new Map();
      for (const q of this.pending) this.index.set(q.ip * 65536 + q.port, q);
    }
    this.schedule();
  }

  /** Runs `fn` once, just before the pending datagrams leave (late heartbeats and ACKNACKs). */
  beforeFlush(fn: () => void): void {
    this.hooks.push(fn);
    this.schedule();
  }

  /** Sends everything pending now (also called before the transport closes). */
  flush(): void {
    if (this.scheduled) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    // Hooks may send, and may register further hooks.
    while (this.hooks.length > 0) {
      const hooks = this.hooks;
      this.hooks = [];
      for (const fn of hooks) fn();
    }
    for (const p of this.pending) {
      this.sendNow(p.w.toBytes(), p.to);
      p.w.reset();
      if (this.spare.length < 8) this.spare.push(p.w);
    }
    this.pending.length = 0;
    this.index = undefined;
  }

  /** One callback for every turn (no closure per turn); it runs with nothing to cancel. */
  private readonly onImmediate = (): void => {
    this.scheduled = undefined;
    this.flush();
  };

  private schedule(): void {
    if (!this.scheduled) this.scheduled = setImmediate(this.onImmediate);
  }
}
