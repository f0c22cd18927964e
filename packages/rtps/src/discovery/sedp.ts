import type { FragmentPool } from "../endpoints/fragments.ts";
import type { Outbox } from "../endpoints/outbox.ts";
import { type ReceivedSample, RtpsReader } from "../endpoints/reader.ts";
import { RtpsWriter } from "../endpoints/writer.ts";
import { UNLIMITED_RESOURCES } from "../qos/endpoint-qos.ts";
import {
  type Guid,
  guidFromBytes,
  guidToBytes,
  isReaderEntity,
  isWriterEntity,
  prefixEquals,
} from "../wire/guid.ts";
import type { Locator } from "../wire/locator.ts";
import { SEDP_TOPICS } from "./builtin-endpoints.ts";
import type { EndpointDescription } from "./endpoint-description.ts";
import { decodeEndpointData, encodeEndpointData, readPlCdr } from "./sedp-data.ts";
import type { ParticipantData } from "./spdp-data.ts";

export interface SedpConfig {
  readonly prefix: Uint8Array;
  readonly outbox: Outbox;
  readonly heartbeatPeriodMs: number;
  /** The participant's fragment limits, shared with its user readers. */
  readonly fragments: FragmentPool;
  readonly onEndpoint: (ep: EndpointDescription) => void;
  readonly onEndpointGone: (guid: Guid) => void;
  readonly onInvalid: () => void;
  /** An endpoint (or its disposal) announced by a participant other than its own: ignored. */
  readonly onNotTheirs: () => void;
  /** An endpoint (or its disposal) on the other side's topic (a reader as a publication). */
  readonly onWrongSide: () => void;
}

type Side = "writer" | "reader";

/**
 * The simple endpoint discovery protocol: reliable TRANSIENT_LOCAL builtin
 * writers and readers for publications and subscriptions (DDSI-RTPS §8.5.4).
 */
export class SedpAgent {
  /** Indexed like SEDP_TOPICS: [publications, subscriptions]. */
  readonly writers: readonly RtpsWriter[];
  readonly readers: readonly RtpsReader[];

  constructor(private readonly config: SedpConfig) {
    this.writers = SEDP_TOPICS.map(
      (t) =>
        new RtpsWriter({
          guid: { prefix: config.prefix, entityId: t.writerId },
          reliable: true,
          durability: "transient-local",
          history: { kind: "keep-last", depth: 1 },
          resourceLimits: UNLIMITED_RESOURCES,
          keyed: true,
          heartbeatPeriodMs: config.heartbeatPeriodMs,
          outbox: config.outbox,
        }),
    );
    this.readers = SEDP_TOPICS.map((t, i) => {
      const side: Side = i === 0 ? "writer" : "reader";
      return new RtpsReader({
        guid: { prefix: config.prefix, entityId: t.readerId },
        reliable: true,
        outbox: config.outbox,
        fragments: config.fragments,
        onSample: (s) => this.onSample(side, s),
      });
    });
  }

  /** Matches our builtin endpoints with the peer's, as its endpoint set allows. */
  addParticipant(p: ParticipantData): void {
    const locators: readonly Locator[] =
      p.metatrafficUnicast.length > 0 ? p.metatrafficUnicast : p.defaultUnicast;
    SEDP_TOPICS.forEach((t, i) => {
      if (p.builtinEndpoints & t.detectorBit) {
        this.writers[i]?.matchReader({
          guid: { prefix: p.guidPrefix, entityId: t.readerId },
          locators,
          reliable: true,
          wantsHistory: true,
        });
      }
      if (p.builtinEndpoints & t.announcerBit) {
        this.readers[i]?.matchWriter({
          guid: { prefix: p.guidPrefix, entityId: t.writerId },
          locators,
          reliable: true,
        });
      }
    });
  }

  removeParticipant(prefix: Uint8Array): void {
    SEDP_TOPICS.forEach((t, i) => {
      this.writers[i]?.unmatchReader({ prefix, entityId: t.readerId });
      this.readers[i]?.unmatchWriter({ prefix, entityId: t.writerId });
    });
  }

  /** Announces (or re-announces, after a QoS change) one of our endpoints. */
  publish(ep: EndpointDescription): void {
    const w = this.writers[ep.side === "writer" ? 0 : 1];
    w?.write(encodeEndpointData(ep), { keyHash: guidToBytes(ep.guid) });
  }

  /** Tells peers one of our endpoints is gone. */
  withdraw(side: Side, guid: Guid): void {
    const w = this.writers[side === "writer" ? 0 : 1];
    w?.retire("disposed", { keyHash: guidToBytes(guid) });
  }

  close(): void {
    for (const w of this.writers) w.close();
    for (const r of this.readers) r.close();
  }

  /**
   * A participant announces only its own endpoints (its SEDP writers' prefix). Otherwise a
   * forged participant could announce readers under a verified peer's prefix, with a victim's
   * locators: that peer's credit with the amplification guard would pay for what we send them.
   */
  private isTheirs(s: ReceivedSample, guid: Guid): boolean {
    if (prefixEquals(guid.prefix, s.writerGuid.prefix)) return true;
    this.config.onNotTheirs();
    return false;
  }

  /**
   * The entity kind in a GUID says writer or reader, and the topic it came on says it too: they
   * must agree. Otherwise one GUID could be announced as a writer on one topic and as a reader
   * on the other, and the matcher, which keys endpoints by GUID, would hold one side's
   * description for matches made on the other side: they outlived their participant.
   */
  private fitsSide(side: Side, guid: Guid): boolean {
    if (side === "writer" ? isWriterEntity(guid.entityId) : isReaderEntity(guid.entityId))
      return true;
    this.config.onWrongSide();
    return false;
  }

  private onSample(side: Side, s: ReceivedSample): void {
    if (s.instanceState !== "alive") {
      if (!s.keyHash || s.keyHash.length < 16) return;
      const guid = guidFromBytes(s.keyHash);
      if (this.isTheirs(s, guid) && this.fitsSide(side, guid)) this.config.onEndpointGone(guid);
      return;
    }
    const list = readPlCdr(s.payload);
    const decoded = list.ok
      ? decodeEndpointData(list.value, { side, vendorId: 0, keyHash: s.keyHash })
      : list;
    if (!decoded.ok) this.config.onInvalid();
    else if (this.isTheirs(s, decoded.value.guid) && this.fitsSide(side, decoded.value.guid))
      this.config.onEndpoint(decoded.value);
  }
}
