import type { Participant } from "../src/dds/participant.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import type { ByteWriter } from "../src/wire/cursor.ts";
import { isBuiltinEntity } from "../src/wire/guid.ts";
import { locatorIpV4 } from "../src/wire/locator.ts";
import { decodeMessage } from "../src/wire/message.ts";
import { writeInfoDst } from "../src/wire/submessages/info.ts";
import {
  type FakePeer,
  fakeHost,
  fakePeer,
  turn,
  until,
  untilMatched,
  type WellBehavedPair,
  wellBehavedPair,
} from "./fake-peer.ts";

// A participant (A) with a well-behaved one (B) and a matched peer that is nothing but bytes,
// sent through A's socket entry point; what A sends back to the peer's host is counted on the
// memory network, then dropped. The hostile repair tests share it.

export const HOST = "127.0.0.2";
const FROM_HOST = { address: HOST, port: 7410 } as const;
/** Where a peer that claims the host's locators without being there sends from. */
const FROM_ELSEWHERE = { address: "203.0.113.66", port: 40_000 } as const;

/** What A sent the fake peer's host: bytes, and some submessages. */
export interface ToHost {
  bytes: number;
  /** DATA of A's own writers (discovery's left out: SPDP announces itself on a timer). */
  data: number;
  dataFrags: number;
  heartbeats: number;
  nackFrags: number[][];
}

export interface HostileRig {
  readonly pair: WellBehavedPair;
  readonly peer: FakePeer;
  readonly toHost: ToHost;
  /** Bytes the fake peer sent A, discovery included. */
  sentByPeer: number;
  /** Sends A one datagram from the fake peer and lets A's replies of that turn leave. */
  send(fill: (w: ByteWriter) => void): Promise<void>;
}

/**
 * A with B (well-behaved) and a fake peer announcing the host's locators; A and B go into
 * `opened`, for the caller to close. `verified`: the peer sends from the host and names A (the
 * amplification guard's proof); otherwise it sends from elsewhere, so what A sends the host
 * stays metered by what the peer sent.
 */
export async function hostileRig(o: {
  verified: boolean;
  opened: Participant[];
}): Promise<HostileRig> {
  const from = o.verified ? FROM_HOST : FROM_ELSEWHERE;
  const net = new MemoryNetwork();
  const pair = await wellBehavedPair(net, "f");
  o.opened.push(pair.a, pair.b);
  const host = await fakeHost(net, HOST);
  const peer = fakePeer(host, { index: 1, topicName: "f", typeName: "T" });
  const toHost: ToHost = {
    bytes: 0,
    data: 0,
    dataFrags: 0,
    heartbeats: 0,
    nackFrags: [],
  };
  // What A sends the host is counted, then dropped: the fake peer reads nothing.
  net.dropPolicy = (d, to) => {
    if (locatorIpV4(to) !== HOST) return false;
    toHost.bytes += d.length;
    const m = decodeMessage(d);
    if (m.ok)
      for (const i of m.value.items) {
        if (i.kind === "data") {
          if (!isBuiltinEntity(i.writerId)) toHost.data++;
        } else if (i.kind === "data-frag") toHost.dataFrags++;
        else if (i.kind === "heartbeat") toHost.heartbeats++;
        else if (i.kind === "nack-frag") toHost.nackFrags.push([...i.fragmentNumberState.members]);
      }
    return true;
  };
  const rig: HostileRig = {
    pair,
    peer,
    toHost,
    sentByPeer: 0,
    async send(fill) {
      const d = peer.datagram(fill);
      rig.sentByPeer += d.length;
      pair.a.receiveDatagram(d, from);
      await turn();
    },
  };
  for (const d of peer.discovery) {
    rig.sentByPeer += d.length;
    pair.a.receiveDatagram(d, from);
  }
  await untilMatched(pair, peer, "A matching the fake peer's endpoints");
  if (o.verified) {
    // A message naming A, from the address the peer announced: the amplification guard's proof.
    await rig.send((w) => writeInfoDst(w, pair.a.guidPrefix));
    const verified = () =>
      pair.a.introspect().participants.some((p) => p.name === "hostile" && p.verified);
    await until(verified, "the fake peer verified");
  }
  return rig;
}

/** The counters `introspect()` shows for A's endpoint `guid`. */
export const endpointCounters = (rig: HostileRig, guid: string): Readonly<Record<string, number>> =>
  rig.pair.a.introspect().endpoints.find((e) => e.guid === guid)?.counters ?? {};
