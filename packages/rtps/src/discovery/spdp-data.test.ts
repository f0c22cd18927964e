import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "../wire/cursor.ts";
import { PROTOCOL_VERSION } from "../wire/header.ts";
import { LocatorKind, udpV4Locator, writeLocator } from "../wire/locator.ts";
import { readParameterList } from "../wire/parameter-list.ts";
import { Pid } from "../wire/pids.ts";
import { MAX_DISCOVERY_NAME_CHARS } from "./parameter-values.ts";
import { readPlCdr } from "./sedp-data.ts";
import { decodeParticipantData, encodeParticipantData, type ParticipantData } from "./spdp-data.ts";

const data: ParticipantData = {
  guidPrefix: new Uint8Array(12).fill(5),
  protocolVersion: PROTOCOL_VERSION,
  vendorId: 0,
  domainId: 3,
  leaseDurationMs: 20_000,
  builtinEndpoints: 0x3f,
  metatrafficUnicast: [udpV4Locator("127.0.0.1", 8160)],
  metatrafficMulticast: [udpV4Locator("239.255.0.1", 8150)],
  defaultUnicast: [udpV4Locator("127.0.0.1", 8161)],
  defaultMulticast: [],
  name: "CARBON_FOOTPRINT_NODE",
  properties: { "fastdds.application.id": "SUSTAINML", "fastdds.application.metadata": "" },
};

describe("SPDP participant data", () => {
  it("round-trips name, properties, lease and locators", () => {
    const list = readPlCdr(encodeParticipantData(data));
    if (!list.ok) throw new Error(list.error.message);
    expect(decodeParticipantData(list.value, 0)).toEqual({ ok: true, value: data });
  });

  it("keeps a property named __proto__ as a property, and leaves out overlong ones", () => {
    const long = "x".repeat(MAX_DISCOVERY_NAME_CHARS + 1);
    // A computed "__proto__" key is an own property (a plain `__proto__:` would set the prototype).
    const properties = { ["__proto__"]: "p", [long]: "v", k: long, ok: "1" };
    const list = readPlCdr(encodeParticipantData({ ...data, properties }));
    if (!list.ok) throw new Error(list.error.message);
    const back = decodeParticipantData(list.value, 0);
    if (!back.ok) throw new Error(back.error.message);
    expect(Object.entries(back.value.properties)).toEqual([
      ["__proto__", "p"],
      ["ok", "1"],
    ]);
  });

  it("refuses a participant name past MAX_DISCOVERY_NAME_CHARS", () => {
    const list = readPlCdr(
      encodeParticipantData({ ...data, name: "n".repeat(MAX_DISCOVERY_NAME_CHARS + 1) }),
    );
    if (!list.ok) throw new Error(list.error.message);
    const back = decodeParticipantData(list.value, 0);
    expect(!back.ok && back.error.message).toMatch(/a name of 513 characters \(at most 512\)/);
  });

  it("keeps only UDPv4 locators (Fast DDS also announces SHM, kind 16)", () => {
    const encoded = encodeParticipantData(data);
    const list = readPlCdr(encoded);
    if (!list.ok) throw new Error("decode");
    const shm = { kind: LocatorKind.shm, port: 7411, address: new Uint8Array(16) };
    const w = new ByteWriter();
    writeLocator(w, shm);
    const withShm = {
      ...list.value,
      parameters: [
        { pid: Pid.defaultUnicastLocator, value: w.toBytes() },
        ...list.value.parameters,
      ],
    };
    const decoded = decodeParticipantData(withShm, 0);
    expect(decoded.ok && decoded.value.defaultUnicast).toEqual(data.defaultUnicast);
  });

  it("defaults the lease to 100 s when omitted", () => {
    const list = readParameterList(
      new ByteReader(Uint8Array.of(0x50, 0, 16, 0, ...new Uint8Array(16), 1, 0, 0, 0), true),
    );
    const d = decodeParticipantData(list, 0x010f);
    expect(d.ok && d.value).toMatchObject({
      leaseDurationMs: 100_000,
      vendorId: 0x010f,
      name: undefined,
    });
  });
});
