import type { SpdpAgent } from "../discovery/spdp.ts";
import type { RtpsReader } from "../endpoints/reader.ts";
import type { RtpsWriter } from "../endpoints/writer.ts";
import {
  type EntityId,
  EntityIds,
  type Guid,
  type GuidPrefix,
  isBuiltinEntity,
} from "../wire/guid.ts";
import type { ReceiveContext } from "../wire/receive-context.ts";
import type { ReaderSubmessage, WriterSubmessage } from "../wire/submessage.ts";
import { type EarlyTrafficLimits, EarlyWriterTraffic } from "./early-writer-traffic.ts";
import type { ReceiverSink } from "./receiver.ts";

export interface RouterCounters {
  /** Writer-side submessages from a writer none of our readers is matched with. */
  unknownWriter: number;
  /** ACKNACKs and NACK_FRAGs for a writer we lack, or from a reader it is not matched with. */
  unknownReader: number;
  /** Submessages from a writer not yet matched, delivered once it was. */
  replayedAfterMatch: number;
}

export interface RouterDeps {
  readonly spdp: Pick<SpdpAgent, "onData" | "onNotData">;
  /** SEDP's builtin endpoints: publications first, then subscriptions. */
  readonly sedpReaders: readonly RtpsReader[];
  readonly sedpWriters: readonly RtpsWriter[];
  /** Our user readers matched with a remote writer. */
  readonly readersOf: (writer: Guid) => ReadonlySet<RtpsReader>;
  readonly userWriter: (entityId: EntityId) => RtpsWriter | undefined;
  readonly hasUserReaders: () => boolean;
  /** Whether SPDP has discovered (and still holds) the participant with this prefix. */
  readonly isDiscovered: (prefix: GuidPrefix) => boolean;
  readonly counters: RouterCounters;
  readonly earlyTrafficLimits: EarlyTrafficLimits;
  /** See `ReceiverSink.onMessage` and `onAddressedToUs`. */
  readonly onMessage: (sourcePrefix: GuidPrefix, bytes: number) => void;
  readonly onAddressedToUs: (sourcePrefix: GuidPrefix) => void;
}

/**
 * Hands each received submessage to the endpoint it is for: SPDP, SEDP's builtin readers and
 * writers, or the user readers a remote writer is matched with (the participant's routing
 * table). Traffic from a user writer we have not matched yet is held for its match.
 */
export class SubmessageRouter implements ReceiverSink {
  private readonly earlyTraffic: EarlyWriterTraffic;
  private undiscoveredEarlyTraffic = 0;
  // Sets, like the user readers of a writer: the routing loop then meets one iterable shape.
  private readonly sedpPublications: ReadonlySet<RtpsReader>;
  private readonly sedpSubscriptions: ReadonlySet<RtpsReader>;

  constructor(private readonly deps: RouterDeps) {
    this.earlyTraffic = new EarlyWriterTraffic(undefined, deps.earlyTrafficLimits);
    this.sedpPublications = new Set(deps.sedpReaders.slice(0, 1));
    this.sedpSubscriptions = new Set(deps.sedpReaders.slice(1, 2));
  }

  onWriterSubmessage(m: WriterSubmessage, ctx: ReceiveContext): void {
    if (m.writerId === EntityIds.spdpWriter) {
      if (m.kind === "data") this.deps.spdp.onData(m, ctx);
      else this.deps.spdp.onNotData();
      return;
    }
    const writerGuid = { prefix: ctx.sourcePrefix, entityId: m.writerId };
    let readers: ReadonlySet<RtpsReader>;
    if (m.writerId === EntityIds.sedpPublicationsWriter) readers = this.sedpPublications;
    else if (m.writerId === EntityIds.sedpSubscriptionsWriter) readers = this.sedpSubscriptions;
    else {
      readers = this.deps.readersOf(writerGuid);
      if (readers.size === 0 && !isBuiltinEntity(m.writerId) && this.deps.hasUserReaders()) {
        this.deps.counters.unknownWriter++;
        // Only a participant SPDP knows can have a writer whose SEDP announcement is on its
        // way (SEDP endpoints of unknown participants are ignored anyway); anything else held
        // would be an invented prefix taking the slots genuine early traffic needs.
        if (this.deps.isDiscovered(ctx.sourcePrefix)) this.earlyTraffic.hold(m, ctx);
        else this.undiscoveredEarlyTraffic++;
        return;
      }
    }
    let handled = false;
    for (const r of readers) {
      if (m.readerId !== EntityIds.unknown && m.readerId !== r.guid.entityId) continue;
      switch (m.kind) {
        case "data":
          handled = r.onData(m, writerGuid, ctx.timestampMs) || handled;
          break;
        case "data-frag":
          handled = r.onDataFrag(m, writerGuid, ctx.timestampMs) || handled;
          break;
        case "gap":
          handled = r.onGap(m, writerGuid) || handled;
          break;
        case "heartbeat":
          handled = r.onHeartbeat(m, writerGuid) || handled;
          break;
        case "heartbeat-frag":
          handled = r.onHeartbeatFrag(m, writerGuid) || handled;
          break;
      }
    }
    // Counted without a branch: the node's warm-up never sends a submessage no reader takes,
    // and a branch it never ran had V8 deoptimise this hot function at the first real one.
    this.deps.counters.unknownWriter += handled ? 0 : 1;
  }

  onMessage(sourcePrefix: GuidPrefix, bytes: number): void {
    this.deps.onMessage(sourcePrefix, bytes);
  }

  onAddressedToUs(sourcePrefix: GuidPrefix): void {
    this.deps.onAddressedToUs(sourcePrefix);
  }

  /** Held submessages dropped unreplayed: expired, or over the limits. */
  get earlyTrafficDropped(): number {
    return this.earlyTraffic.dropped;
  }

  /** Submessages of unmatched writers not held: their participant is not discovered. */
  get earlyTrafficUndiscovered(): number {
    return this.undiscoveredEarlyTraffic;
  }

  onReaderSubmessage(m: ReaderSubmessage, ctx: ReceiveContext): void {
    let writer: RtpsWriter | undefined;
    if (m.writerId === EntityIds.sedpPublicationsWriter) writer = this.deps.sedpWriters[0];
    else if (m.writerId === EntityIds.sedpSubscriptionsWriter) writer = this.deps.sedpWriters[1];
    else writer = this.deps.userWriter(m.writerId);
    if (!writer) {
      this.deps.counters.unknownReader++;
      return;
    }
    const readerGuid = { prefix: ctx.sourcePrefix, entityId: m.readerId };
    const handled =
      m.kind === "acknack" ? writer.onAckNack(m, readerGuid) : writer.onNackFrag(m, readerGuid);
    // A reader our writer is not matched with: counted without a branch (see onWriterSubmessage).
    this.deps.counters.unknownReader += handled ? 0 : 1;
  }

  /** Delivers what `writer` sent before it was matched (call once the match is complete). */
  replayEarlyTraffic(writer: Guid): void {
    for (const { m, ctx } of this.earlyTraffic.take(writer)) {
      this.deps.counters.replayedAfterMatch++;
      this.onWriterSubmessage(m, ctx);
    }
  }
}
