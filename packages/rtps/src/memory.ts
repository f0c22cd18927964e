/**
 * `@wattprint/rtps/memory`: the in-process datagram network (no sockets), Fast DDS 2.9's
 * framing of outgoing datagrams, and what a `DropPolicy` needs to look into the datagrams it
 * sees. Not test-only: wattprint-node's JIT warm-up runs synthetic tasks over it in production,
 * hence the name (README, "Entry points").
 */
export { fastDdsFraming } from "./transport/fast-dds-framing.ts";
export { type DropPolicy, MemoryNetwork, type MemorySocket } from "./transport/memory.ts";
export { type EntityId, EntityIds, isBuiltinEntity } from "./wire/guid.ts";
export { type DecodedMessage, decodeMessage } from "./wire/message.ts";
export type { SubmessageItem } from "./wire/submessage.ts";
