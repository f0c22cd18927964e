import type { Participant } from "../src/dds/participant.ts";
import { OUR_BUILTIN_ENDPOINTS } from "../src/discovery/builtin-endpoints.ts";
import { encodeEndpointData } from "../src/discovery/sedp-data.ts";
import { encodeParticipantData } from "../src/discovery/spdp-data.ts";
import { resolveQos } from "../src/qos/endpoint-qos.ts";
import { ByteWriter } from "../src/wire/cursor.ts";
import { EntityIds, EntityKind, guidToBytes, makeEntityId } from "../src/wire/guid.ts";
import { PROTOCOL_VERSION } from "../src/wire/header.ts";
import { udpV4Locator } from "../src/wire/locator.ts";
import { ParameterListBuilder } from "../src/wire/parameter-list.ts";
import { Pid } from "../src/wire/pids.ts";
import { writeData } from "../src/wire/submessages/data.ts";
import { writeDataFrag } from "../src/wire/submessages/data-frag.ts";

// A peer that announces `writers` writers on a topic and sends parts of fragmented samples
// through a participant's socket entry point, never completing them: it fills the fragment pool
// (audit defect 2). What the participant sends back to it is for the caller to drop.

export const HOG_ADDRESS = "10.9.9.9";
const FROM = { address: HOG_ADDRESS, port: 7410 } as const;
const VENDOR = 0x010f;

export interface PoolHog {
  /** Bytes sent so far, discovery included. */
  sent: number;
  /**
   * Sends fragments `first..last` (1-based, `fragmentSize` bytes each) of samples
   * `1..samples` of a `sampleSize`-byte sample on every writer, one DATA_FRAG a datagram.
   */
  fill(o: {
    samples: number;
    first: number;
    last: number;
    fragmentSize: number;
    sampleSize: number;
  }): void;
}

export function poolHog(target: Participant, topicName: string, writers: number): PoolHog {
  const prefix = Uint8Array.from([0xba, 0xd0, 0, 0, 0, 7, 1, 2, 3, 4, 5, 6]);
  const writerId = (i: number) => makeEntityId(i + 1, EntityKind.writerNoKey);
  const start = () => {
    const w = new ByteWriter(65_000);
    w.bytes(Uint8Array.of(0x52, 0x54, 0x50, 0x53, 2, 3, VENDOR >> 8, VENDOR & 0xff));
    w.bytes(prefix);
    return w;
  };
  const hog: PoolHog = {
    sent: 0,
    fill(o) {
      const fragment = new Uint8Array(o.fragmentSize).fill(0xee);
      for (let i = 0; i < writers; i++)
        for (let sn = 1; sn <= o.samples; sn++)
          for (let f = o.first; f <= o.last; f++) {
            const w = start();
            writeDataFrag(w, {
              readerId: EntityIds.unknown,
              writerId: writerId(i),
              writerSN: sn,
              fragmentStartingNum: f,
              fragmentsInSubmessage: 1,
              fragmentSize: o.fragmentSize,
              sampleSize: o.sampleSize,
              fragments: fragment,
            });
            send(w);
          }
    },
  };
  const send = (w: ByteWriter) => {
    const d = w.toBytes();
    hog.sent += d.length;
    target.receiveDatagram(d, FROM);
  };
  let w = start();
  writeData(w, {
    readerId: EntityIds.spdpReader,
    writerId: EntityIds.spdpWriter,
    writerSN: 1,
    payload: encodeParticipantData({
      guidPrefix: prefix,
      protocolVersion: PROTOCOL_VERSION,
      vendorId: VENDOR,
      domainId: 0,
      leaseDurationMs: 100_000,
      builtinEndpoints: OUR_BUILTIN_ENDPOINTS,
      metatrafficUnicast: [udpV4Locator(HOG_ADDRESS, 7410)],
      metatrafficMulticast: [],
      defaultUnicast: [udpV4Locator(HOG_ADDRESS, 7411)],
      defaultMulticast: [],
      name: "hog",
      properties: {},
    }),
  });
  send(w);
  const qos = resolveQos("writer", { reliability: "reliable", durability: "volatile" });
  for (let i = 0; i < writers; i++) {
    const guid = { prefix, entityId: writerId(i) };
    w = start();
    writeData(w, {
      readerId: EntityIds.sedpPublicationsReader,
      writerId: EntityIds.sedpPublicationsWriter,
      writerSN: i + 1,
      inlineQos: new ParameterListBuilder().addBytes(Pid.keyHash, guidToBytes(guid)).finish(),
      payload: encodeEndpointData({
        guid,
        side: "writer",
        topicName,
        typeName: "T",
        keyed: false,
        qos,
        unicastLocators: [],
        multicastLocators: [],
        expectsInlineQos: false,
        contentFiltered: false,
        vendorId: VENDOR,
      }),
    });
    send(w);
  }
  return hog;
}
