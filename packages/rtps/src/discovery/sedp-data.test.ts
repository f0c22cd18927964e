import { describe, expect, it } from "vitest";
import { resolveQos } from "../qos/endpoint-qos.ts";
import { ByteReader } from "../wire/cursor.ts";
import { guidToBytes } from "../wire/guid.ts";
import {
  type ParameterList,
  ParameterListBuilder,
  readParameterList,
} from "../wire/parameter-list.ts";
import { Pid } from "../wire/pids.ts";
import type { EndpointDescription } from "./endpoint-description.ts";
import { MAX_DISCOVERY_NAME_CHARS } from "./parameter-values.ts";
import { decodeEndpointData, encodeEndpointData, readPlCdr } from "./sedp-data.ts";

const prefix = new Uint8Array(12).fill(3);

function minimal(entityId: number): ParameterList {
  const bytes = new ParameterListBuilder()
    .addBytes(Pid.endpointGuid, guidToBytes({ prefix, entityId }))
    .add(Pid.topicName, (w) => w.string("t"))
    .add(Pid.typeName, (w) => w.string("T"))
    .finish();
  return readParameterList(new ByteReader(bytes, true));
}

describe("SEDP endpoint data", () => {
  it("applies the DDS defaults for every omitted PID (RTI omits reliability, among others)", () => {
    const w = decodeEndpointData(minimal(0x102), {
      side: "writer",
      vendorId: 0x0101,
      keyHash: undefined,
    });
    const r = decodeEndpointData(minimal(0x107), {
      side: "reader",
      vendorId: 0x0101,
      keyHash: undefined,
    });
    expect(w.ok && w.value.qos).toMatchObject({
      reliability: "reliable",
      durability: "volatile",
      history: { kind: "keep-last", depth: 1 },
      ownership: "shared",
      partitions: [],
      dataRepresentation: [0],
    });
    expect(r.ok && r.value.qos.reliability).toBe("best-effort");
    expect(r.ok && r.value).toMatchObject({
      keyed: true,
      topicName: "t",
      typeName: "T",
      expectsInlineQos: false,
      unicastLocators: [],
    });
  });

  it("takes the topic kind from the entity kind", () => {
    const w = decodeEndpointData(minimal(0x103), {
      side: "writer",
      vendorId: 0,
      keyHash: undefined,
    });
    expect(w.ok && w.value.keyed).toBe(false);
  });

  it("round-trips our own encoding", () => {
    const ep: EndpointDescription = {
      guid: { prefix, entityId: 0x207 },
      side: "reader",
      topicName: "/sustainml/carbon_tracker/output",
      typeName: "CO2FootprintImpl",
      keyed: true,
      qos: resolveQos("reader", {
        reliability: "reliable",
        durability: "transient-local",
        history: { kind: "keep-last", depth: 1 },
        partitions: ["a", "bc"],
        deadlineMs: 1500,
      }),
      unicastLocators: [],
      multicastLocators: [],
      expectsInlineQos: true,
      contentFiltered: false,
      vendorId: 0,
    };
    const list = readPlCdr(encodeEndpointData(ep));
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    const back = decodeEndpointData(list.value, {
      side: "reader",
      vendorId: 0,
      keyHash: undefined,
    });
    expect(back.ok && back.value).toMatchObject({
      topicName: ep.topicName,
      typeName: ep.typeName,
      keyed: true,
      expectsInlineQos: true,
      qos: {
        reliability: "reliable",
        durability: "transient-local",
        partitions: ["a", "bc"],
        deadlineMs: 1500,
      },
    });
  });

  it.each([
    ["a topic name", { topicName: "t".repeat(MAX_DISCOVERY_NAME_CHARS + 1) }, /a name of 513/],
    ["a type name", { typeName: "T".repeat(MAX_DISCOVERY_NAME_CHARS + 1) }, /a name of 513/],
    ["65 partitions", { partitions: Array.from({ length: 65 }, (_, i) => `p${i}`) }, /65 names/],
    ["a long partition", { partitions: ["p".repeat(MAX_DISCOVERY_NAME_CHARS + 1)] }, /513/],
  ])("refuses an endpoint with %s past the discovery limits", (_what, change, message) => {
    const { partitions, ...names } = change as { partitions?: string[]; topicName?: string };
    const ep: EndpointDescription = {
      guid: { prefix, entityId: 0x207 },
      side: "reader",
      topicName: "t",
      typeName: "T",
      keyed: true,
      qos: resolveQos("reader", { reliability: "reliable", ...(partitions ? { partitions } : {}) }),
      unicastLocators: [],
      multicastLocators: [],
      expectsInlineQos: false,
      contentFiltered: false,
      vendorId: 0,
      ...names,
    };
    const list = readPlCdr(encodeEndpointData(ep));
    if (!list.ok) throw new Error(list.error.message);
    const back = decodeEndpointData(list.value, {
      side: "reader",
      vendorId: 0,
      keyHash: undefined,
    });
    expect(!back.ok && back.error.message).toMatch(message);
  });

  it("rejects data without topic as a value, not an exception", () => {
    const bytes = new ParameterListBuilder()
      .addBytes(Pid.endpointGuid, new Uint8Array(16))
      .finish();
    const list = readParameterList(new ByteReader(bytes, true));
    expect(decodeEndpointData(list, { side: "writer", vendorId: 0, keyHash: undefined }).ok).toBe(
      false,
    );
    expect(readPlCdr(Uint8Array.of(0, 3)).ok).toBe(false);
  });

  it("tolerates content-filtered readers (orchestrator status readers) and foreign vendor PIDs", () => {
    const bytes = new ParameterListBuilder()
      .addBytes(Pid.endpointGuid, guidToBytes({ prefix, entityId: 0x107 }))
      .add(Pid.topicName, (w) => w.string("/sustainml/status"))
      .add(Pid.typeName, (w) => w.string("NodeStatusImpl"))
      .add(Pid.contentFilterProperty, (w) => {
        for (const x of [
          "cft",
          "/sustainml/status",
          "NodeStatusImpl",
          "DDSSQL",
          "node_name like %0",
        ]) {
          w.align(4);
          w.string(x);
        }
        w.align(4);
        w.u32(0);
      })
      .addBytes(0x8007, Uint8Array.of(1, 2, 3, 4))
      .finish();
    const d = decodeEndpointData(readParameterList(new ByteReader(bytes, true)), {
      side: "reader",
      vendorId: 0x010f,
      keyHash: undefined,
    });
    expect(d.ok && d.value).toMatchObject({
      contentFiltered: true,
      topicName: "/sustainml/status",
    });
  });
});
