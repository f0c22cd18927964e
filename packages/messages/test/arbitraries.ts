import fc from "fast-check";
import type { FieldKind, StructLayout } from "../src/cdr/layout.ts";

/** Any string the schema accepts: full Unicode (no lone surrogates), no NUL. */
export const wireString = fc
  .string({ unit: "binary", maxLength: 24 })
  .filter((s) => !s.includes("\0"));

function arbitraryForKind(kind: FieldKind): fc.Arbitrary<unknown> {
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
      return wireString;
    case "bytes":
      return fc.uint8Array({ maxLength: 48 });
    case "strings":
      return fc.array(wireString, { maxLength: 4 });
    case "enum":
      return fc.constantFrom(...kind.values);
    case "struct":
      return arbitraryFor(kind.layout);
  }
}

/** Random valid values for a layout, derived from the layout itself. */
export function arbitraryFor(layout: StructLayout): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of layout.fields) shape[field.name] = arbitraryForKind(field.kind);
  return fc.record(shape);
}
