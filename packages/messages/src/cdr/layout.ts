/**
 * A declarative description of an IDL struct, in wire order. One generic engine
 * (encode.ts, decode.ts, ../key-hash.ts) walks these, so the twelve SustainML types are data,
 * not twelve hand-written serialisers.
 */
export type FieldKind =
  | { readonly type: "u32" }
  | { readonly type: "i32" }
  | { readonly type: "f64" }
  | { readonly type: "bool" }
  | { readonly type: "string" }
  /** `sequence<octet>` */
  | { readonly type: "bytes" }
  /** `sequence<string>` */
  | { readonly type: "strings" }
  /** An `enum class : int32_t`; `values` lists the members this build knows. */
  | { readonly type: "enum"; readonly enumName: string; readonly values: readonly number[] }
  /** A nested `@appendable` struct, inlined in XCDR1. */
  | { readonly type: "struct"; readonly layout: StructLayout };

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  /** `@key` in the IDL. */
  readonly key?: true;
}

export interface StructLayout {
  /** Wire type name (`set_name` in typesImplPubSubTypes.cxx). */
  readonly typeName: string;
  readonly fields: readonly FieldSpec[];
}

export const u32: FieldKind = { type: "u32" };
export const i32: FieldKind = { type: "i32" };
export const f64: FieldKind = { type: "f64" };
export const bool: FieldKind = { type: "bool" };
export const str: FieldKind = { type: "string" };
export const bytes: FieldKind = { type: "bytes" };
export const strings: FieldKind = { type: "strings" };

export function enumKind(
  enumName: string,
  enumObject: Readonly<Record<string, number>>,
): FieldKind {
  return { type: "enum", enumName, values: Object.values(enumObject) };
}

export function structKind(layout: StructLayout): FieldKind {
  return { type: "struct", layout };
}

/** An internal, untyped view of a struct value; codecs give it the zod-inferred type. */
export type StructValue = Readonly<Record<string, unknown>>;

/** IDL defaults: numbers and enums 0, strings and sequences empty. */
export function defaultValue(kind: FieldKind): unknown {
  switch (kind.type) {
    case "u32":
    case "i32":
    case "f64":
    case "enum":
      return 0;
    case "bool":
      return false;
    case "string":
      return "";
    case "bytes":
      return new Uint8Array(0);
    case "strings":
      return [];
    case "struct":
      return defaultStruct(kind.layout);
  }
}

export function defaultStruct(layout: StructLayout): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of layout.fields) out[field.name] = defaultValue(field.kind);
  return out;
}
