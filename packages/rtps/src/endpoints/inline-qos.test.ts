import { describe, expect, it } from "vitest";
import { ParameterListBuilder } from "../wire/parameter-list.ts";
import { Pid, StatusInfo } from "../wire/pids.ts";
import { encodeInlineQos, inlineQosMemo } from "./inline-qos.ts";

const key = (n: number) => Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? n : 0));

/** The general encoder's output, to compare the direct one with. */
function built(keyHash: Uint8Array, status?: number): Uint8Array {
  const b = new ParameterListBuilder().addBytes(Pid.keyHash, keyHash);
  if (status !== undefined) b.addBytes(Pid.statusInfo, Uint8Array.of(0, 0, 0, status));
  return b.finish();
}

describe("encodeInlineQos", () => {
  it("writes a key hash, and status info when the instance is retired, as a parameter list", () => {
    expect(encodeInlineQos(key(1), "alive")).toEqual(built(key(1)));
    expect(encodeInlineQos(key(2), "unregistered")).toEqual(built(key(2), StatusInfo.unregistered));
    expect(encodeInlineQos(key(3), "disposed")).toEqual(built(key(3), StatusInfo.disposed));
  });

  it("reuses a writer's list for its repeated writes of one instance and state, and only then", () => {
    const memo = inlineQosMemo();
    const first = encodeInlineQos(key(7), "alive", [], memo);
    expect(encodeInlineQos(key(7), "alive", [], memo)).toBe(first);
    expect(encodeInlineQos(key(7), "alive")).not.toBe(first);
    const retired = encodeInlineQos(key(7), "unregistered", [], memo);
    expect(retired).toEqual(built(key(7), StatusInfo.unregistered));
    expect(encodeInlineQos(key(8), "unregistered", [], memo)).toEqual(
      built(key(8), StatusInfo.unregistered),
    );
    expect(first).toEqual(built(key(7)));
  });

  it("puts extra parameters first, then the key hash", () => {
    const extra = { pid: 0x8001, value: Uint8Array.of(1, 2, 3, 4) };
    const expected = new ParameterListBuilder()
      .addBytes(extra.pid, extra.value)
      .addBytes(Pid.keyHash, key(1))
      .finish();
    expect(encodeInlineQos(key(1), "alive", [extra])).toEqual(expected);
  });
});
