import { randomBytes } from "node:crypto";
import { DataReader } from "./data-reader.ts";
import { DataWriter } from "./data-writer.ts";
import { OUR_BUILTIN_ENDPOINTS } from "./discovery/builtin-endpoints.ts";
import type { EndpointDescription } from "./discovery/endpoint-description.ts";
import { type QosInput, resolveQos } from "./discovery/qos.ts";
import { SedpAgent } from "./discovery/sedp.ts";
import { type ParticipantLostReason, SpdpAgent } from "./discovery/spdp.ts";
import { DatagramBatcher } from "./endpoints/datagram-batcher.ts";
import { type FragmentLimits, FragmentPool } from "./endpoints/fragments.ts";
import type { Outbox } from "./endpoints/outbox.ts";
import { type ReceivedSample, RtpsReader } from "./endpoints/reader.ts";
import { RtpsWriter } from "./endpoints/writer.ts";
import { Emitter } from "./events.ts";
import { type Introspection, introspect } from "./introspection.ts";
import { EndpointMatcher } from "./matcher.ts";
import { type ParticipantInfo, participantInfo } from "./participant-info.ts";
import {
  fragmentLimits,
  initialPeerLocators,
  PARTICIPANT_DEFAULTS,
  type ParticipantOptions,
} from "./participant-options.ts";
import { Receiver } from "./receiver.ts";
import { err, ok, type Result } from "./result.ts";
import { SubmessageRouter } from "./submessage-router.ts";
import { isValidDomainId } from "./transport/ports.ts";
import type { Transport, TransportError } from "./transport/transport.ts";
import { udpTransport } from "./transport/udp.ts";
import { EntityKind, type GuidPrefix, makeEntityId, prefixToString } from "./wire/guid.ts";
import { PROTOCOL_VERSION } from "./wire/header.ts";
import { locatorToString } from "./wire/locator.ts";

export interface ParticipantEvents {
  participantDiscovered: (p: ParticipantInfo) => void;
  participantLost: (p: ParticipantInfo, reason: ParticipantLostReason) => void;
}

export interface EndpointOptions {
  readonly topicName: string;
  readonly typeName: string;
  /** Keyed topics carry a 16-byte key hash per sample; must equal the peer's kind to match. */
  readonly keyed: boolean;
  readonly qos?: QosInput;
  /**
   * Readers only: announce PID_EXPECTS_INLINE_QOS so writers send the key hash
   * with every sample (Fast DDS omits it otherwise). Cyclone DDS refuses to match
   * such readers, hence off by default.
   */
  readonly expectsInlineQos?: boolean;
  /**
   * Readers of keyed topics: derives the key hash from a payload when the writer
   * sent none (CDR is the caller's concern, so is the key).
   */
  readonly keyHashOf?: (payload: Uint8Array) => Uint8Array | undefined;
  /** Writers only: overrides the participant's heartbeat period. */
  readonly heartbeatPeriodMs?: number;
}

export type CreateParticipantError =
  | TransportError
  | { readonly kind: "bad-options"; readonly detail: string };

function withKeyHash(s: ReceivedSample, o: EndpointOptions): ReceivedSample {
  if (s.keyHash || !o.keyed || !o.keyHashOf || s.payload.length === 0) return s;
  try {
    return { ...s, keyHash: o.keyHashOf(s.payload) };
  } catch {
    // A payload the application cannot parse still reaches it, without a key.
    return s;
  }
}

/** Opens the transport and starts discovery. */
export async function createParticipant(
  options: ParticipantOptions,
): Promise<Result<Participant, CreateParticipantError>> {
  const domainId = options.domainId ?? PARTICIPANT_DEFAULTS.domainId;
  if (!isValidDomainId(domainId))
    return err({ kind: "bad-options", detail: `domain id ${domainId}` });
  let factory = options.transport;
  if (!factory) {
    if (!options.interfaceAddress) {
      return err({
        kind: "bad-options",
        detail: "interfaceAddress is required (no NIC is guessed)",
      });
    }
    factory = udpTransport({
      interfaceAddress: options.interfaceAddress,
      ...(options.multicastTtl === undefined ? {} : { multicastTtl: options.multicastTtl }),
      ...(options.multicast === undefined ? {} : { multicast: options.multicast }),
    });
  }
  const prefix = options.guidPrefix ?? new Uint8Array(randomBytes(12));
  if (prefix.length !== 12)
    return err({ kind: "bad-options", detail: "guidPrefix must be 12 bytes" });
  const limits = fragmentLimits(options);
  if (!limits.ok) return err({ kind: "bad-options", detail: limits.error });
  // The receiver needs the participant, the participant needs the transport: bridge with a slot.
  const slot: { receive?: (d: Uint8Array) => void } = {};
  const opened = await factory.open({ domainId, onDatagram: (d) => slot.receive?.(d) });
  if (!opened.ok) return opened;
  const p = new Participant(options, domainId, prefix, opened.value, limits.value);
  slot.receive = (d) => p.receiveDatagram(d);
  p.start();
  return ok(p);
}

/** A DDS domain participant: discovery, endpoints, timers and sockets, released by `close()`. */
export class Participant extends Emitter<ParticipantEvents> {
  readonly vendorId: number;
  readonly name: string | undefined;
  private readonly receiver: Receiver;
  readonly spdp: SpdpAgent;
  readonly sedp: SedpAgent;
  readonly matcher: EndpointMatcher;
  private readonly outbox: Outbox;
  private readonly batcher: DatagramBatcher;
  private readonly writers = new Map<number, DataWriter>();
  private readonly readers = new Map<number, DataReader>();
  private nextEntityKey = 1;
  private closed = false;
  /** Fragment limits, and the bytes of incomplete samples held under them by every reader. */
  readonly fragments: FragmentPool;
  readonly counters = {
    datagramsSent: 0,
    unknownWriter: 0,
    unknownReader: 0,
    invalidDiscovery: 0,
    /** Submessages from a writer not yet matched, delivered once it was. */
    replayedAfterMatch: 0,
  };
  private readonly router: SubmessageRouter;

  /** @internal Use `createParticipant`. */
  constructor(
    private readonly options: ParticipantOptions,
    readonly domainId: number,
    readonly guidPrefix: GuidPrefix,
    readonly transport: Transport,
    limits: FragmentLimits,
  ) {
    super();
    this.fragments = new FragmentPool(limits);
    this.vendorId = options.vendorId ?? PARTICIPANT_DEFAULTS.vendorId;
    this.name = options.name;
    this.batcher = new DatagramBatcher((datagram, to) => {
      this.counters.datagramsSent++;
      transport.send(datagram, to);
    });
    const batcher = this.batcher;
    this.outbox = {
      prefix: guidPrefix,
      vendorId: this.vendorId,
      send: (datagram, locators) => {
        for (const l of locators) batcher.send(datagram, l);
      },
      beforeFlush: (fn) => batcher.beforeFlush(fn),
    };
    const heartbeatPeriodMs = options.heartbeatPeriodMs ?? PARTICIPANT_DEFAULTS.heartbeatPeriodMs;
    this.matcher = new EndpointMatcher({
      remoteParticipant: (prefix) => this.spdp.get(prefix),
      writers: () => this.writers.values(),
      readers: () => this.readers.values(),
      // After the whole SEDP datagram is processed, so every local reader has been matched.
      writerMatched: (writer) =>
        queueMicrotask(() => {
          if (!this.closed) this.router.replayEarlyTraffic(writer);
        }),
    });
    this.sedp = new SedpAgent({
      prefix: guidPrefix,
      outbox: this.outbox,
      heartbeatPeriodMs,
      fragments: this.fragments,
      onEndpoint: (ep) => {
        if (prefixToString(ep.guid.prefix) !== prefixToString(guidPrefix))
          this.matcher.addRemote(ep);
      },
      onEndpointGone: (guid) => this.matcher.removeRemote(guid),
      onInvalid: () => this.counters.invalidDiscovery++,
    });
    const loc = transport.locators;
    this.spdp = new SpdpAgent({
      self: {
        guidPrefix,
        protocolVersion: PROTOCOL_VERSION,
        vendorId: this.vendorId,
        domainId,
        leaseDurationMs: options.leaseDurationMs ?? PARTICIPANT_DEFAULTS.leaseDurationMs,
        builtinEndpoints: OUR_BUILTIN_ENDPOINTS,
        metatrafficUnicast: [loc.metatrafficUnicast],
        metatrafficMulticast: loc.metatrafficMulticast ? [loc.metatrafficMulticast] : [],
        defaultUnicast: [loc.defaultUnicast],
        defaultMulticast: [],
        name: options.name,
        properties: options.properties ?? {},
      },
      announceTo: [
        ...(loc.metatrafficMulticast ? [loc.metatrafficMulticast] : []),
        // Not to ourselves: our own well-known port is among the initial peers' ones.
        ...initialPeerLocators(options, domainId).filter(
          (l) => locatorToString(l) !== locatorToString(loc.metatrafficUnicast),
        ),
      ],
      initialAnnouncements: PARTICIPANT_DEFAULTS.initialAnnouncements,
      initialPeriodMs: PARTICIPANT_DEFAULTS.initialPeriodMs,
      announcementPeriodMs:
        options.announcementPeriodMs ?? PARTICIPANT_DEFAULTS.announcementPeriodMs,
      leaseCheckPeriodMs: 250,
      send: this.outbox.send,
      now: () => Date.now(),
      onDiscovered: (d) => {
        this.sedp.addParticipant(d);
        this.emit("participantDiscovered", participantInfo(d));
      },
      onUpdated: () => {},
      onLost: (d, reason) => {
        this.sedp.removeParticipant(d.guidPrefix);
        this.matcher.removeParticipant(d.guidPrefix);
        this.emit("participantLost", participantInfo(d), reason);
      },
    });
    this.router = new SubmessageRouter({
      spdp: this.spdp,
      sedpReaders: this.sedp.readers,
      sedpWriters: this.sedp.writers,
      readersOf: (writer) => this.matcher.readersOf(writer),
      userWriter: (entityId) => this.writers.get(entityId)?.rtps,
      hasUserReaders: () => this.readers.size > 0,
      counters: this.counters,
    });
    this.receiver = new Receiver(guidPrefix, this.router);
  }

  /** @internal */
  start(): void {
    this.spdp.start();
  }

  /** @internal Socket entry point; never throws. */
  receiveDatagram(data: Uint8Array): void {
    if (!this.closed) this.receiver.receive(data);
  }

  get participantId(): number {
    return this.transport.locators.participantId;
  }

  /** Peers currently alive. */
  get participants(): readonly ParticipantInfo[] {
    return this.spdp.participants.map((p) => participantInfo(p.data));
  }

  createWriter(o: EndpointOptions): DataWriter {
    this.assertOpen();
    const qos = resolveQos("writer", o.qos);
    const guid = {
      prefix: this.guidPrefix,
      entityId: makeEntityId(
        this.nextEntityKey++,
        o.keyed ? EntityKind.writerWithKey : EntityKind.writerNoKey,
      ),
    };
    const description = this.describe(guid, "writer", o, qos);
    const rtps = new RtpsWriter({
      guid,
      reliable: qos.reliability === "reliable",
      durability: qos.durability,
      history: qos.history,
      resourceLimits: qos.resourceLimits,
      keyed: o.keyed,
      heartbeatPeriodMs:
        o.heartbeatPeriodMs ??
        this.options.heartbeatPeriodMs ??
        PARTICIPANT_DEFAULTS.heartbeatPeriodMs,
      outbox: this.outbox,
    });
    const w = new DataWriter(description, rtps, (x) => this.removeWriter(x));
    this.writers.set(guid.entityId, w);
    this.sedp.publish(description);
    this.matcher.addLocal(w);
    return w;
  }

  createReader(o: EndpointOptions): DataReader {
    this.assertOpen();
    const qos = resolveQos("reader", o.qos);
    const guid = {
      prefix: this.guidPrefix,
      entityId: makeEntityId(
        this.nextEntityKey++,
        o.keyed ? EntityKind.readerWithKey : EntityKind.readerNoKey,
      ),
    };
    const description = this.describe(guid, "reader", o, qos);
    const r = new DataReader(description, (x) => this.removeReader(x));
    r.attach(
      new RtpsReader({
        guid,
        reliable: qos.reliability === "reliable",
        outbox: this.outbox,
        fragments: this.fragments,
        onSample: (s) => r.handleSample(withKeyHash(s, o)),
      }),
    );
    this.readers.set(guid.entityId, r);
    this.sedp.publish(description);
    this.matcher.addLocal(r);
    return r;
  }

  /** Snapshot for tooling: peers, endpoints, counters. */
  introspect(): Introspection {
    return introspect({
      participant: this,
      receiverCounters: this.receiver.counters,
      writers: [...this.writers.values()],
      readers: [...this.readers.values()],
    });
  }

  /** Withdraws endpoints, announces our disposal, stops every timer and closes the sockets. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const w of [...this.writers.values()]) this.removeWriter(w);
    for (const r of [...this.readers.values()]) this.removeReader(r);
    this.spdp.stop();
    this.closed = true;
    this.sedp.close();
    this.removeAllListeners();
    // The goodbyes above are still batched; they must leave before the sockets close.
    this.batcher.flush();
    await this.transport.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private describe(
    guid: EndpointDescription["guid"],
    side: "writer" | "reader",
    o: EndpointOptions,
    qos: EndpointDescription["qos"],
  ): EndpointDescription {
    return {
      guid,
      side,
      topicName: o.topicName,
      typeName: o.typeName,
      keyed: o.keyed,
      qos,
      unicastLocators: [this.transport.locators.defaultUnicast],
      multicastLocators: [],
      expectsInlineQos: side === "reader" && (o.expectsInlineQos ?? false),
      contentFiltered: false,
      vendorId: this.vendorId,
    };
  }

  private removeWriter(w: DataWriter): void {
    if (!this.writers.delete(w.description.guid.entityId)) return;
    this.matcher.removeLocal(w);
    this.sedp.withdraw("writer", w.description.guid);
    w.rtps.close();
    w.handleClosed();
  }

  private removeReader(r: DataReader): void {
    if (!this.readers.delete(r.description.guid.entityId)) return;
    this.matcher.removeLocal(r);
    this.sedp.withdraw("reader", r.description.guid);
    r.rtps.close();
    r.handleClosed();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("participant is closed");
  }
}
