import type { Result } from "@wattprint/result";
import { asDecodeError, ByteReader, ByteWriter, type DecodeError } from "./cursor.ts";
import type { GuidPrefix } from "./guid.ts";
import { type MessageHeader, RTPS_HEADER_LENGTH, readHeader, writeHeader } from "./header.ts";
import type { Locator } from "./locator.ts";
import { readSubmessages, type SubmessageItem } from "./submessage.ts";
import { writeInfoDst, writeInfoTs } from "./submessages/info.ts";

export interface DecodedMessage {
  readonly header: MessageHeader;
  readonly items: readonly SubmessageItem[];
}

/** Decodes a whole datagram; never throws, whatever the bytes. */
export function decodeMessage(data: Uint8Array): Result<DecodedMessage, DecodeError> {
  // The header is the only part that can fail as a whole; submessages fail one by one.
  try {
    const header = readHeader(new ByteReader(data, false));
    return { ok: true, value: { header, items: readSubmessages(data, RTPS_HEADER_LENGTH) } };
  } catch (e) {
    const error = asDecodeError(e);
    if (!error) throw e;
    return { ok: false, error };
  }
}

/**
 * Accumulates submessages behind one RTPS header. Endpoints write their
 * submessages straight into `w`, so a message is built without intermediate copies.
 */
export class MessageBuilder {
  readonly w = new ByteWriter(1024);
  private headerLength = 0;

  constructor(
    private readonly vendorId: number,
    private readonly prefix: GuidPrefix,
  ) {
    this.reset();
  }

  reset(): void {
    this.w.reset();
    writeHeader(this.w, this.vendorId, this.prefix);
    this.headerLength = this.w.offset;
  }

  get isEmpty(): boolean {
    return this.w.offset === this.headerLength;
  }

  get length(): number {
    return this.w.offset;
  }

  infoDst(prefix: GuidPrefix): this {
    writeInfoDst(this.w, prefix);
    return this;
  }

  infoTs(timestampMs: number): this {
    writeInfoTs(this.w, timestampMs);
    return this;
  }

  /** The datagram so far, copied; the builder is reset for reuse. */
  take(): Uint8Array {
    const out = this.w.toBytes();
    this.reset();
    return out;
  }

  /**
   * Hands the message so far to `send` without copying it, then resets the builder: for an
   * outbox, which copies what it keeps before returning (see `Outbox.send`).
   */
  sendTo(
    send: (message: Uint8Array, locators: readonly Locator[], recipient?: GuidPrefix) => void,
    to: readonly Locator[],
    recipient?: GuidPrefix,
  ): void {
    send(this.w.written(), to, recipient);
    this.reset();
  }
}
