import { EncapsulationKind } from "@foxglove/cdr";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AnyMessageCodec, codecs, MESSAGE_TYPE_NAMES } from "../src/index.ts";
import { arbitraryFor } from "./arbitraries.ts";

const ENCODINGS = [
  ["XCDR1 LE", EncapsulationKind.CDR_LE],
  ["XCDR1 BE", EncapsulationKind.CDR_BE],
  ["CDR2 LE", EncapsulationKind.RTPS_CDR2_LE],
  ["CDR2 BE", EncapsulationKind.RTPS_CDR2_BE],
  ["D_CDR2 LE", EncapsulationKind.RTPS_DELIMITED_CDR2_LE],
  ["D_CDR2 BE", EncapsulationKind.RTPS_DELIMITED_CDR2_BE],
] as const;

// Untyped view: the registry's union of codecs cannot take a union of values directly.
function loose(codec: AnyMessageCodec) {
  return codec as unknown as {
    encode(value: unknown, options?: { kind?: EncapsulationKind }): Uint8Array;
    decode(bytes: Uint8Array): {
      ok: boolean;
      value?: unknown;
      error?: { kind: string; message: string };
    };
    parse(input: unknown): { ok: boolean };
  };
}

const DECODE_ERROR_KINDS = [
  "short",
  "bad-encapsulation",
  "bad-length",
  "invalid-value",
  "trailing",
];

function expectTypedOutcome(codec: AnyMessageCodec, bytes: Uint8Array): void {
  const result = loose(codec).decode(bytes);
  if (!result.ok) {
    expect(DECODE_ERROR_KINDS).toContain(result.error?.kind);
    expect(result.error?.message).toContain(codec.typeName);
  } else {
    // Whatever decodes must satisfy the schema, so it can be re-encoded.
    expect(loose(codec).parse(result.value).ok).toBe(true);
  }
}

describe.each(MESSAGE_TYPE_NAMES)("%s", (typeName) => {
  const codec = codecs[typeName];
  const values = arbitraryFor(codec.layout);

  it("random valid values pass the schema and round-trip in every encoding", () => {
    fc.assert(
      fc.property(values, fc.constantFrom(...ENCODINGS), (value, [, kind]) => {
        expect(loose(codec).parse(value).ok).toBe(true);
        const bytes = loose(codec).encode(value, { kind });
        expect(loose(codec).decode(bytes)).toEqual({ ok: true, value });
      }),
      { numRuns: 1000 },
    );
  });

  it("XCDR1 LE output starts 00 01 00 00 and keeps 4-byte alignment of the body", () => {
    fc.assert(
      fc.property(values, (value) => {
        const bytes = loose(codec).encode(value);
        expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 1, 0, 0]);
      }),
      { numRuns: 200 },
    );
  });

  it("random bytes never throw (10,000 cases)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => expectTypedOutcome(codec, bytes)),
      { numRuns: 10_000 },
    );
  });

  it("random bodies behind every valid header never throw (10,000 cases)", () => {
    const header = fc.constantFrom(0x00, 0x01, 0x06, 0x07, 0x08, 0x09, 0x10, 0x11, 0x14, 0x15);
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 128 }), (kind, body) => {
        const bytes = new Uint8Array(4 + body.length);
        bytes[1] = kind;
        bytes.set(body, 4);
        expectTypedOutcome(codec, bytes);
      }),
      { numRuns: 10_000 },
    );
  });

  it("truncated and mutated valid payloads never throw (5,000 cases)", () => {
    fc.assert(
      fc.property(
        values,
        fc.constantFrom(...ENCODINGS),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        (value, [, kind], cut, flips) => {
          const bytes = loose(codec).encode(value, { kind }).slice();
          for (const [at, byte] of flips) bytes[4 + (at % Math.max(1, bytes.length - 4))] = byte;
          expectTypedOutcome(codec, bytes);
          expectTypedOutcome(codec, bytes.subarray(0, cut % (bytes.length + 1)));
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
