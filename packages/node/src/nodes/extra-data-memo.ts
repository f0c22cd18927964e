import type { UserExtra } from "@wattprint/core";
import { type JsonObject, readExtraData, writeExtraData } from "@wattprint/messages";
import { sameBytes } from "@wattprint/rtps";

/**
 * One-entry memos for the JSON at both ends of a task. The tasks of one problem carry the
 * same user extra_data and get the same output extra_data (nothing in it is per task), so a
 * burst parses and writes that JSON once. The parsed object is handed on as the same object,
 * which is what lets the core reuse the output extra it built from it.
 */
export class ExtraDataMemo {
  private userBytes: Uint8Array | undefined;
  private user: UserExtra;
  private extra: JsonObject | undefined;
  private extraBytes: Uint8Array = new Uint8Array(0);

  parseUser(bytes: Uint8Array): UserExtra {
    if (bytes.length === 0) return undefined;
    if (this.userBytes && sameBytes(this.userBytes, bytes)) return this.user;
    // readExtraData checks the size and depth limits before it parses: an oversized sample
    // is remembered as refused (its kind says so) and costs one linear pass.
    this.user = readExtraData(bytes);
    this.userBytes = bytes.slice();
    return this.user;
  }

  /** Serialized extra_data; the same bytes for the same (frozen, shared) extra object. */
  write(extra: JsonObject): Uint8Array {
    if (extra !== this.extra) {
      this.extraBytes = writeExtraData(extra);
      this.extra = extra;
    }
    return this.extraBytes;
  }
}
