import { z } from "zod";
import { bool, enumKind, i32, type StructLayout, str } from "../cdr/layout.ts";
import { defineCodec } from "../codec.ts";
import { ErrorCode, errorCodeSchema } from "../enums.ts";
import { boolSchema, i32Schema, stringSchema } from "./primitives.ts";

/**
 * Configuration request on `sustainml/request` (v0.1.0/v0.2.0 only; main uses Fast DDS RPC).
 * Keyed by (node_id, transaction_id): 8 bytes, so the key hash is the padded key itself.
 */
export const requestTypeImplSchema = z.object({
  node_id: i32Schema,
  transaction_id: i32Schema,
  configuration: stringSchema,
});
export type RequestTypeImpl = z.infer<typeof requestTypeImplSchema>;

export const requestTypeImplLayout: StructLayout = {
  typeName: "RequestTypeImpl",
  fields: [
    { name: "node_id", kind: i32, key: true },
    { name: "transaction_id", kind: i32, key: true },
    { name: "configuration", kind: str },
  ],
};

export const requestTypeImplCodec = defineCodec(requestTypeImplLayout, requestTypeImplSchema);

/** Configuration response on `sustainml/response` (v0.1.0/v0.2.0 only). */
export const responseTypeImplSchema = z.object({
  node_id: i32Schema,
  transaction_id: i32Schema,
  success: boolSchema,
  err_code: errorCodeSchema,
  configuration: stringSchema,
});
export type ResponseTypeImpl = z.infer<typeof responseTypeImplSchema>;

export const responseTypeImplLayout: StructLayout = {
  typeName: "ResponseTypeImpl",
  fields: [
    { name: "node_id", kind: i32, key: true },
    { name: "transaction_id", kind: i32, key: true },
    { name: "success", kind: bool },
    { name: "err_code", kind: enumKind("ErrorCode", ErrorCode) },
    { name: "configuration", kind: str },
  ],
};

export const responseTypeImplCodec = defineCodec(responseTypeImplLayout, responseTypeImplSchema);
