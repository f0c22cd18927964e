import type { ParameterList } from "../wire/parameter-list.ts";
import type { WriterSubmessage } from "../wire/submessage.ts";

/** Bytes charged per held submessage beyond its byte arrays (the objects that describe it). */
export const HELD_SUBMESSAGE_OVERHEAD_BYTES = 128;

/**
 * `m` with its byte arrays copied out of the datagram they are views of. A held submessage
 * would otherwise keep its whole datagram alive (up to 64 KiB for a few bytes of payload, and
 * more on the in-memory network) under no budget; a copy costs what it holds, and only on
 * the rare path of traffic that came before its writer's SEDP announcement.
 */
export function detachedSubmessage(m: WriterSubmessage): WriterSubmessage {
  switch (m.kind) {
    case "data":
      return {
        ...m,
        inlineQos: m.inlineQos && detachedParameters(m.inlineQos),
        payload: m.payload?.slice(),
      };
    case "data-frag":
      return {
        ...m,
        inlineQos: m.inlineQos && detachedParameters(m.inlineQos),
        fragments: m.fragments.slice(),
      };
    default:
      // GAP, HEARTBEAT and HEARTBEAT_FRAG are numbers and number sets: nothing to copy.
      return m;
  }
}

/** What holding `m` costs, its byte arrays and a fixed overhead. */
export function heldBytes(m: WriterSubmessage): number {
  let bytes = HELD_SUBMESSAGE_OVERHEAD_BYTES;
  if (m.kind === "data" || m.kind === "data-frag") {
    for (const p of m.inlineQos?.parameters ?? []) bytes += p.value.length;
    bytes += m.kind === "data" ? (m.payload?.length ?? 0) : m.fragments.length;
  } else if (m.kind === "gap") {
    // Up to 256 members, one number each.
    bytes += 8 * m.gapList.members.length;
  }
  return bytes;
}

function detachedParameters(list: ParameterList): ParameterList {
  return {
    littleEndian: list.littleEndian,
    parameters: list.parameters.map((p) => ({ ...p, value: p.value.slice() })),
  };
}
