import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeEndpointData, readPlCdr } from "../src/discovery/sedp-data.ts";
import { decodeParticipantData } from "../src/discovery/spdp-data.ts";
import { sampleFields } from "../src/endpoints/inline-qos.ts";
import { ByteWriter } from "../src/wire/cursor.ts";
import { EntityIds } from "../src/wire/guid.ts";
import { decodeMessage } from "../src/wire/message.ts";
import type { SubmessageItem } from "../src/wire/submessage.ts";
import { writeAckNack } from "../src/wire/submessages/acknack.ts";
import { writeGap } from "../src/wire/submessages/gap.ts";
import { writeHeartbeat } from "../src/wire/submessages/heartbeat.ts";
import { writeInfoDst } from "../src/wire/submessages/info.ts";

/** Real peer traffic, see test/fixtures/README.md. */
function load(name: string): Uint8Array[] {
  const url = new URL(`./fixtures/${name}.json`, import.meta.url);
  const json = JSON.parse(readFileSync(url, "utf8")) as { datagrams: string[] };
  return json.datagrams.map((h) => new Uint8Array(Buffer.from(h, "hex")));
}

/** Raw byte ranges of each submessage, in the order the decoder yields items. */
function ranges(d: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = 20;
  while (at + 4 <= d.length) {
    const le = ((d[at + 1] ?? 0) & 1) === 1;
    const len = le
      ? (d[at + 2] ?? 0) | ((d[at + 3] ?? 0) << 8)
      : ((d[at + 2] ?? 0) << 8) | (d[at + 3] ?? 0);
    const end = len === 0 && d[at] !== 0x01 && d[at] !== 0x09 ? d.length : at + 4 + len;
    out.push([at, end]);
    at = end;
  }
  return out;
}

function items(
  ds: readonly Uint8Array[],
): Array<{ vendorId: number; item: SubmessageItem; raw: Uint8Array }> {
  return ds.flatMap((d) => {
    const m = decodeMessage(d);
    if (!m.ok) throw new Error(m.error.message);
    const r = ranges(d);
    return m.value.items.map((item, i) => ({
      vendorId: m.value.header.vendorId,
      item,
      raw: d.subarray(r[i]?.[0] ?? 0, r[i]?.[1] ?? 0),
    }));
  });
}

/** Our encoders must reproduce the peers' fixed-layout submessages byte for byte. */
function reencode(item: SubmessageItem): Uint8Array | undefined {
  const w = new ByteWriter();
  if (item.kind === "heartbeat") writeHeartbeat(w, item);
  else if (item.kind === "acknack") writeAckNack(w, item);
  else if (item.kind === "gap") writeGap(w, item);
  else if (item.kind === "info-dst") writeInfoDst(w, item.guidPrefix);
  else return undefined;
  return w.toBytes();
}

describe.each([
  ["fastdds-2.9.1-tlpub", 0x010f],
  ["cyclone-0.10.2-ddsperf-pub", 0x0110],
])("captured %s traffic", (name, vendor) => {
  const all = items(load(name));
  const fromPeer = all.filter((x) => x.vendorId === vendor);

  it("decodes every submessage; only vendor submessages are unknown", () => {
    expect(fromPeer.length).toBeGreaterThan(20);
    expect(all.filter((x) => x.item.kind === "invalid")).toEqual([]);
    for (const x of all)
      if (x.item.kind === "unknown") expect(x.item.id).toBeGreaterThanOrEqual(0x80);
  });

  it("re-encodes HEARTBEAT, ACKNACK, GAP and INFO_DST byte for byte", () => {
    let compared = 0;
    for (const x of fromPeer) {
      const again = reencode(x.item);
      if (!again) continue;
      expect(Buffer.from(again).toString("hex")).toBe(Buffer.from(x.raw).toString("hex"));
      compared++;
    }
    expect(compared).toBeGreaterThan(3);
  });

  it("reads the peer's SPDP and SEDP data", () => {
    const spdp = fromPeer.flatMap((x) =>
      x.item.kind === "data" &&
      x.item.writerId === EntityIds.spdpWriter &&
      x.item.payload &&
      !x.item.payloadIsKey
        ? [x.item.payload]
        : [],
    );
    const list = readPlCdr(spdp[0] ?? new Uint8Array(0));
    if (!list.ok) throw new Error(list.error.message);
    const p = decodeParticipantData(list.value, vendor);
    expect(p.ok && p.value.vendorId).toBe(vendor);
    expect(p.ok && p.value.metatrafficUnicast.length).toBeGreaterThan(0);

    const pubs = fromPeer.flatMap((x) =>
      x.item.kind === "data" &&
      x.item.writerId === EntityIds.sedpPublicationsWriter &&
      x.item.payload
        ? [x.item.payload]
        : [],
    );
    const topics = pubs.flatMap((payload) => {
      const l = readPlCdr(payload);
      const e = l.ok
        ? decodeEndpointData(l.value, { side: "writer", vendorId: vendor, keyHash: undefined })
        : l;
      return e.ok ? [`${e.value.topicName}/${e.value.typeName}/${e.value.keyed}`] : [];
    });
    expect(topics).toContain(
      vendor === 0x010f
        ? "/sustainml/carbon_tracker/output/CO2FootprintImpl/true"
        : "DDSPerfRDataKS/KeyedSeq/true",
    );
  });

  it("carries user samples (with a key hash only where the reader asked for inline QoS)", () => {
    const samples = fromPeer.flatMap((x) =>
      x.item.kind === "data" && (x.item.writerId & 0xc0) === 0 && x.item.payload ? [x.item] : [],
    );
    expect(samples.length).toBeGreaterThan(1);
    const keys = samples.map((s) => sampleFields(s.inlineQos).keyHash);
    if (vendor === 0x010f)
      expect(keys[0]?.subarray(0, 8)).toEqual(Uint8Array.of(0, 0, 0, 7, 0, 0, 0, 1));
    else expect(keys[0]).toBeUndefined();
  });
});
