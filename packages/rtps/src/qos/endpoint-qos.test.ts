import { describe, expect, it } from "vitest";
import { READER_QOS_DEFAULTS, resolveQos, WRITER_QOS_DEFAULTS } from "./endpoint-qos.ts";

describe("resolveQos", () => {
  it("gives each side its DDS defaults for what the input leaves out", () => {
    expect(resolveQos("writer")).toEqual(WRITER_QOS_DEFAULTS);
    expect(resolveQos("reader")).toEqual(READER_QOS_DEFAULTS);
    expect(resolveQos("reader", { durability: "transient-local" })).toEqual({
      ...READER_QOS_DEFAULTS,
      durability: "transient-local",
    });
  });

  it("keeps the default (unlimited) for each resource limit left out", () => {
    const qos = resolveQos("writer", {
      resourceLimits: { maxInstances: 500, maxSamplesPerInstance: 1 },
    });
    expect(qos.resourceLimits).toEqual({
      maxSamples: Number.POSITIVE_INFINITY,
      maxInstances: 500,
      maxSamplesPerInstance: 1,
    });
    expect(
      resolveQos("reader", { resourceLimits: { maxSamples: 16, maxInstances: 2 } }).resourceLimits,
    ).toEqual({ maxSamples: 16, maxInstances: 2, maxSamplesPerInstance: Number.POSITIVE_INFINITY });
  });

  it("refuses a KEEP_LAST depth below 1 (a programmer error)", () => {
    expect(() => resolveQos("writer", { history: { kind: "keep-last", depth: 0 } })).toThrow(
      /depth must be >= 1/,
    );
  });
});
