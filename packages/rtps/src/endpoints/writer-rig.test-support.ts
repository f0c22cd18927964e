import {
  type DurabilityKind,
  type HistoryQos,
  type ResourceLimitsQos,
  UNLIMITED_RESOURCES,
} from "../qos/endpoint-qos.ts";
import { EntityKind, type Guid, makeEntityId } from "../wire/guid.ts";
import { decodeMessage, MessageBuilder } from "../wire/message.ts";
import { type AckNackSubmessage, writeAckNack } from "../wire/submessages/acknack.ts";
import { type NackFragSubmessage, writeNackFrag } from "../wire/submessages/fragment-control.ts";
import { FRAGMENT_SIZE, type Outbox } from "./outbox.ts";
import { RESEND_SUPPRESSION_MS } from "./reader-proxy.ts";
import { RtpsWriter } from "./writer.ts";

// One reliable writer with matched readers, driven by hand: what the writer tests share. The
// readers' ACKNACKs and NACK_FRAGs are built as bytes and decoded, as the receiver would.

export const prefix = (b: number): Uint8Array => new Uint8Array(12).fill(b);
export const writerId = makeEntityId(1, EntityKind.writerNoKey);
export const readerGuid: Guid = {
  prefix: prefix(2),
  entityId: makeEntityId(1, EntityKind.readerNoKey),
};
/** A second reader, on another participant. */
export const otherReaderGuid: Guid = {
  prefix: prefix(3),
  entityId: makeEntityId(1, EntityKind.readerNoKey),
};

/** Reader `key` of participant `participant` (the first byte of its GUID prefix). */
export const readerOf = (participant: number, key = 1): Guid => ({
  prefix: prefix(participant),
  entityId: makeEntityId(key, EntityKind.readerNoKey),
});

/** What the writer sent, reduced to what the tests look at (no views into reused buffers). */
export interface Sent {
  readonly kind: string;
  /** The reader it went to: the first byte of its GUID prefix (2 or 3 here). */
  readonly to?: number;
  readonly sn?: number;
  readonly fragment?: number;
  readonly gap?: readonly [number, number];
}

const open: RtpsWriter[] = [];

/** Closes the writers made since the last call (for `afterEach`). */
export function closeWriters(): void {
  for (const w of open.splice(0)) w.close();
}

export function writerRig(
  o: {
    durability?: DurabilityKind;
    history?: HistoryQos;
    readerReliable?: boolean;
    keyed?: boolean;
    resourceLimits?: ResourceLimitsQos;
  } = {},
) {
  const sent: Sent[] = [];
  /** Heartbeats sent, each as the first byte of its reader's GUID prefix. */
  const heartbeats: number[] = [];
  /** The writer's clock: it stands still unless a test moves it (`later`). */
  let nowMs = 0;
  let hooks: Array<() => void> = [];
  const outbox: Outbox = {
    prefix: prefix(1),
    vendorId: 0,
    send: (datagram, _locators, recipient) => {
      const m = decodeMessage(datagram);
      if (!m.ok) return;
      const to = recipient?.[0] ?? 0;
      for (const i of m.value.items) {
        if (i.kind === "data-frag")
          sent.push({ kind: i.kind, to, sn: i.writerSN, fragment: i.fragmentStartingNum });
        else if (i.kind === "data") sent.push({ kind: i.kind, to, sn: i.writerSN });
        else if (i.kind === "gap")
          sent.push({ kind: i.kind, to, gap: [i.gapStart, i.gapList.base - 1] });
        else if (i.kind === "heartbeat") heartbeats.push(to);
      }
    },
    beforeFlush: (fn) => hooks.push(fn),
  };
  const writer = new RtpsWriter({
    guid: { prefix: prefix(1), entityId: writerId },
    reliable: true,
    durability: o.durability ?? "transient-local",
    history: o.history ?? { kind: "keep-all" },
    resourceLimits: o.resourceLimits ?? UNLIMITED_RESOURCES,
    keyed: o.keyed ?? false,
    heartbeatPeriodMs: 60_000,
    outbox,
    now: () => nowMs,
  });
  open.push(writer);
  /** Ends the turn: runs the hooks its sends registered (the resend budgets' reset among them). */
  const flush = (): void => {
    while (hooks.length > 0) {
      const now = hooks;
      hooks = [];
      for (const fn of now) fn();
    }
  };
  const match = (reader: Guid = readerGuid): void => {
    writer.matchReader({
      guid: reader,
      locators: [],
      reliable: o.readerReliable ?? true,
      wantsHistory: (o.durability ?? "transient-local") !== "volatile",
    });
    flush();
  };
  /** Writes a payload of `fragments` full DATA_FRAG fragments (or `bytes` bytes). */
  const write = (size: { fragments?: number; bytes?: number; key?: number }): number => {
    const keyHash = size.key === undefined ? undefined : new Uint8Array(16).fill(size.key);
    const r = writer.write(new Uint8Array(size.bytes ?? (size.fragments ?? 1) * FRAGMENT_SIZE), {
      keyHash,
    });
    if (!r.ok) throw new Error(r.error.message);
    flush();
    return r.value;
  };
  /**
   * Hands the writer a NACK_FRAG of `from` as its bytes carry it (the turn is not ended:
   * repairs are answered at its end, see `answered`).
   */
  const nackInTurn = (
    m: Omit<NackFragSubmessage, "kind" | "readerId" | "writerId">,
    from: Guid = readerGuid,
  ): void => {
    writer.onNackFrag(nackFrag(m, from), from);
  };
  /** Ends the turn (its repairs are answered then) and says what was sent since `sent` was last emptied. */
  const answered = (): Sent[] => {
    flush();
    return sent;
  };
  /** Hands the writer a NACK_FRAG in a turn of its own, and what the writer sent for it. */
  const nack = (m: Omit<NackFragSubmessage, "kind" | "readerId" | "writerId">): Sent[] => {
    sent.length = 0;
    nackInTurn(m);
    return answered();
  };
  /** Hands the writer an ACKNACK of `from` as its bytes carry it (the turn is not ended). */
  const ack = (
    m: Omit<AckNackSubmessage, "kind" | "readerId" | "writerId" | "final"> & { final?: boolean },
    from: Guid = readerGuid,
  ): void => {
    writer.onAckNack(ackNack(m, from), from);
  };
  /** Moves the writer's clock on (by default past the resend suppression). */
  const later = (ms = RESEND_SUPPRESSION_MS): void => {
    nowMs += ms;
  };
  return { writer, sent, heartbeats, flush, match, write, nack, nackInTurn, answered, ack, later };
}

/** Encodes a NACK_FRAG from `from` and decodes it again, as the receiver would. */
export function nackFrag(
  m: Omit<NackFragSubmessage, "kind" | "readerId" | "writerId">,
  from: Guid = readerGuid,
): NackFragSubmessage {
  const mb = new MessageBuilder(0x010f, from.prefix);
  writeNackFrag(mb.w, { ...m, readerId: from.entityId, writerId });
  const decoded = decodeMessage(mb.take());
  const item = decoded.ok ? decoded.value.items[0] : undefined;
  if (item?.kind !== "nack-frag") throw new Error(`not decoded as a NACK_FRAG: ${item?.kind}`);
  return item;
}

/** Encodes an ACKNACK from `from` and decodes it again, as the receiver would. */
export function ackNack(
  m: Omit<AckNackSubmessage, "kind" | "readerId" | "writerId" | "final"> & { final?: boolean },
  from: Guid = readerGuid,
): AckNackSubmessage {
  const mb = new MessageBuilder(0x010f, from.prefix);
  writeAckNack(mb.w, { final: false, ...m, readerId: from.entityId, writerId });
  const decoded = decodeMessage(mb.take());
  const item = decoded.ok ? decoded.value.items[0] : undefined;
  if (item?.kind !== "acknack") throw new Error(`not decoded as an ACKNACK: ${item?.kind}`);
  return item;
}

/** A set holding every number of [base, base + numBits) (SNs or fragment numbers). */
export const every = (base: number, numBits: number) => ({
  base,
  numBits,
  members: Array.from({ length: numBits }, (_, i) => base + i),
});

export const fragmentsOf = (sent: readonly Sent[]): number[] =>
  sent.filter((s) => s.kind === "data-frag").map((s) => s.fragment ?? 0);
