import { type Parameter, ParameterListBuilder } from "../wire/parameter-list.ts";
import { Pid, StatusInfo } from "../wire/pids.ts";
import type { InstanceState } from "./change.ts";

/**
 * Inline QoS for a change: key hash when keyed, status info when not alive, then
 * any parameters the application adds (e.g. a related sample identity for RPC).
 */
export function encodeInlineQos(
  keyHash: Uint8Array | undefined,
  state: InstanceState,
  extra: readonly Parameter[] = [],
): Uint8Array | undefined {
  if (!keyHash && state === "alive" && extra.length === 0) return undefined;
  if (keyHash?.length === 16 && state === "alive" && extra.length === 0)
    return keyHashOnly(keyHash);
  const b = new ParameterListBuilder();
  for (const p of extra) b.addBytes(p.pid, p.value);
  if (keyHash) b.addBytes(Pid.keyHash, keyHash);
  if (state !== "alive") {
    const bits = state === "disposed" ? StatusInfo.disposed : StatusInfo.unregistered;
    // STATUS_INFO is a 4-octet array; the flags sit in the last octet.
    b.addBytes(Pid.statusInfo, Uint8Array.of(0, 0, 0, bits));
  }
  return b.finish();
}

/** The common case, written directly: a ParameterListBuilder per write was measurable garbage. */
function keyHashOnly(keyHash: Uint8Array): Uint8Array {
  const out = new Uint8Array(24);
  // PID_KEY_HASH, length 16, little endian like everything we send; then PID_SENTINEL, 0.
  out[0] = Pid.keyHash & 0xff;
  out[1] = Pid.keyHash >> 8;
  out[2] = 16;
  out.set(keyHash, 4);
  out[20] = Pid.sentinel & 0xff;
  out[21] = Pid.sentinel >> 8;
  return out;
}
