import { describe, expect, it } from "vitest";
import type { EndpointDescription } from "../discovery/endpoint-description.ts";
import { matchEndpoints } from "./compatibility.ts";
import { type QosInput, resolveQos } from "./endpoint-qos.ts";

function ep(
  side: "writer" | "reader",
  qos: QosInput,
  over: Partial<EndpointDescription> = {},
): EndpointDescription {
  return {
    guid: { prefix: new Uint8Array(12), entityId: side === "writer" ? 0x102 : 0x107 },
    side,
    topicName: "t",
    typeName: "T",
    keyed: true,
    qos: resolveQos(side, qos),
    unicastLocators: [],
    multicastLocators: [],
    expectsInlineQos: false,
    contentFiltered: false,
    vendorId: 0,
    ...over,
  };
}

describe("request/offered matching", () => {
  it.each([
    [
      "best-effort writer, reliable reader",
      { reliability: "best-effort" },
      { reliability: "reliable" },
      "reliability",
    ],
    [
      "volatile writer, transient-local reader",
      {},
      { durability: "transient-local" },
      "durability",
    ],
    [
      "deadline offered longer than requested",
      { deadlineMs: 200 },
      { deadlineMs: 100 },
      "deadline",
    ],
    ["exclusive writer, shared reader", { ownership: "exclusive" }, {}, "ownership"],
    ["disjoint partitions", { partitions: ["a"] }, { partitions: ["b"] }, "partition"],
    [
      "XCDR2 writer, XCDR1-only reader",
      { dataRepresentation: [2] },
      { dataRepresentation: [0] },
      "data-representation",
    ],
    [
      "manual liveliness requested",
      {},
      { liveliness: { kind: "manual-by-topic", leaseDurationMs: 1000 } },
      "liveliness",
    ],
  ] as const)("refuses %s", (_, w, r, reason) => {
    const m = matchEndpoints(ep("writer", w), ep("reader", r));
    expect(m.compatible).toBe(false);
    if (!m.compatible) expect(m.reasons).toContain(reason);
  });

  it("accepts offered >= requested", () => {
    const w = ep("writer", {
      reliability: "reliable",
      durability: "transient-local",
      deadlineMs: 100,
    });
    expect(matchEndpoints(w, ep("reader", {})).compatible).toBe(true);
    expect(
      matchEndpoints(w, ep("reader", { reliability: "reliable", durability: "transient-local" }))
        .compatible,
    ).toBe(true);
  });

  it("refuses keyed with unkeyed, other type names", () => {
    expect(matchEndpoints(ep("writer", {}), ep("reader", {}, { keyed: false }))).toEqual({
      compatible: false,
      reasons: ["topic-kind"],
    });
    expect(matchEndpoints(ep("writer", {}), ep("reader", {}, { typeName: "U" }))).toEqual({
      compatible: false,
      reasons: ["type-name"],
    });
  });
});
