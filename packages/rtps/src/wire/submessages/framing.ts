import type { ByteWriter } from "../cursor.ts";

export const SubmessageId = {
  pad: 0x01,
  acknack: 0x06,
  heartbeat: 0x07,
  gap: 0x08,
  infoTs: 0x09,
  infoSrc: 0x0c,
  infoReplyIp4: 0x0d,
  infoDst: 0x0e,
  infoReply: 0x0f,
  nackFrag: 0x12,
  heartbeatFrag: 0x13,
  data: 0x15,
  dataFrag: 0x16,
} as const;

export const FLAG_E = 0x01;

/** Writes a submessage header with a length placeholder; returns where the body starts. */
export function beginSubmessage(w: ByteWriter, id: number, flags: number): number {
  w.u8(id);
  w.u8(flags | FLAG_E);
  w.u16(0);
  return w.offset;
}

/** Patches octetsToNextHeader once the body is written. */
export function endSubmessage(w: ByteWriter, bodyStart: number): void {
  w.patchU16(bodyStart - 2, w.offset - bodyStart);
}
