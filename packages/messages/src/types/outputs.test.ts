import { describe, expect, expectTypeOf, it } from "vitest";
import { type CO2FootprintImpl, co2FootprintImplCodec } from "./outputs.ts";

const VECTOR_HEX =
  "00010000000000000000f83f00000000000002400000000000d0724003000000010203000700000001000000";

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"));
}

const SAMPLE: CO2FootprintImpl = {
  carbon_footprint: 1.5,
  energy_consumption: 2.25,
  carbon_intensity: 301,
  extra_data: Uint8Array.of(1, 2, 3),
  task_id: { problem_id: 7, iteration_id: 1 },
};

describe("CO2FootprintImpl reference vector (docs/sustainml-wire.md §7.3)", () => {
  it("encodes to exactly the 44 listed bytes", () => {
    const bytes = co2FootprintImplCodec.encode(SAMPLE);
    expect(bytes.byteLength).toBe(44);
    expect(hex(bytes)).toBe(VECTOR_HEX);
  });

  it("decodes the listed bytes back to the sample", () => {
    expect(co2FootprintImplCodec.decode(fromHex(VECTOR_HEX))).toEqual({ ok: true, value: SAMPLE });
  });

  it("decodes the same sample written big-endian (CDR_BE 00 00)", () => {
    const be = fromHex(
      `0000 0000 3ff8000000000000 4002000000000000 4072d00000000000
       00000003 010203 00 00000007 00000001`,
    );
    expect(co2FootprintImplCodec.decode(be)).toEqual({ ok: true, value: SAMPLE });
  });

  it("decodes a hand-built D_CDR2 LE payload (DHEADERs, f64 aligned to 4)", () => {
    // Body offsets: DHEADER @0 (44 = 0x2c), f64s @4/@12/@20 (aligned to 4, not 8), extra_data
    // length @28, bytes @32, pad @35, TaskIdImpl DHEADER (8) @36, ids @40/@44; 48 bytes.
    const dcdr2 = fromHex(
      `0009 0000 2c000000
       000000000000f83f 0000000000000240 0000000000d07240
       03000000 010203 00 08000000 07000000 01000000`,
    );
    expect(co2FootprintImplCodec.decode(dcdr2)).toEqual({ ok: true, value: SAMPLE });
  });

  it("infers the schema type", () => {
    expectTypeOf(co2FootprintImplCodec.decode).returns.toEqualTypeOf<
      ReturnType<typeof co2FootprintImplCodec.decode>
    >();
    expectTypeOf<CO2FootprintImpl["task_id"]>().toEqualTypeOf<{
      problem_id: number;
      iteration_id: number;
    }>();
  });
});
