import { readFileSync } from "node:fs";
import { EncapsulationKind } from "@foxglove/cdr";
import { parseIDL } from "@foxglove/omgidl-parser";
import { MessageReader, MessageWriter } from "@foxglove/omgidl-serialization";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codecs, MESSAGE_TYPE_NAMES } from "../src/index.ts";
import { arbitraryFor, asciiString } from "./arbitraries.ts";

/*
 * An independent implementation as a second opinion: @foxglove/omgidl-serialization, driven by
 * an IDL text of the same types, was observed to produce Fast DDS's exact XCDR1 bytes
 * (docs/sustainml-wire.md §7.3). Our encoder must agree with it byte for byte. Only XCDR1 is compared:
 * its XCDR2 reader puts no DHEADER before sequence<string>, where Fast CDR 2 and XTypes do.
 */
const definitions = parseIDL(readFileSync(new URL("./sustainml.idl", import.meta.url), "utf8"));

function encodeLoose(typeName: string, value: unknown): Uint8Array {
  const codec = codecs[typeName as keyof typeof codecs] as unknown as {
    encode(v: unknown): Uint8Array;
  };
  return codec.encode(value);
}

describe.each(MESSAGE_TYPE_NAMES)("%s against @foxglove/omgidl-serialization", (typeName) => {
  const writer = new MessageWriter(typeName, definitions, { kind: EncapsulationKind.CDR_LE });
  const reader = new MessageReader(typeName, definitions);
  // ASCII strings only: omgidl-serialization 1.0.3 writes string lengths in UTF-16 units, so
  // it mis-encodes non-ASCII text (our own UTF-8 handling is tested in src/codec.test.ts).
  const values = arbitraryFor(codecs[typeName].layout, asciiString);

  it("writes identical XCDR1 LE bytes", () => {
    fc.assert(
      fc.property(values, (value) => {
        const ours = encodeLoose(typeName, value);
        const theirs = writer.writeMessage(value);
        expect(Buffer.from(ours).toString("hex")).toBe(Buffer.from(theirs).toString("hex"));
      }),
      { numRuns: 300 },
    );
  });

  it("its reader reads our bytes back to the same value", () => {
    fc.assert(
      fc.property(values, (value) => {
        const decoded = reader.readMessage(encodeLoose(typeName, value));
        expect(normalise(decoded)).toEqual(normalise(value));
      }),
      { numRuns: 300 },
    );
  });
});

// foxglove returns booleans as booleans and octet sequences as Uint8Array views: compare plainly.
function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}
