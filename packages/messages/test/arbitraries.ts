import fc from "fast-check";
import type { FieldKind, StructLayout } from "../src/cdr/layout.ts";

/** Any string the schema accepts: full Unicode (no lone surrogates), no NUL. */
export const wireString = fc
  .string({ unit: "binary", maxLength: 24 })
  .filter((s) => !s.includes("\0"));

/** Printable ASCII only: for comparisons with encoders that count UTF-16 units as bytes. */
export const asciiString = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 24,
});

function arbitraryForKind(kind: FieldKind, text: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  switch (kind.type) {
    case "u32":
      return fc.integer({ min: 0, max: 0xffff_ffff });
    case "i32":
      return fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
    case "f64":
      return fc.double(); // NaN, ±0, ±Infinity included: the wire carries them all.
    case "bool":
      return fc.boolean();
    case "string":
      return text;
    case "bytes":
      return fc.uint8Array({ maxLength: 48 });
    case "strings":
      return fc.array(text, { maxLength: 4 });
    case "enum":
      return fc.constantFrom(...kind.values);
    case "struct":
      return arbitraryFor(kind.layout, text);
  }
}

/** Random valid values for a layout, derived from the layout itself. */
export function arbitraryFor(
  layout: StructLayout,
  text: fc.Arbitrary<string> = wireString,
): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of layout.fields) shape[field.name] = arbitraryForKind(field.kind, text);
  return fc.record(shape);
}
