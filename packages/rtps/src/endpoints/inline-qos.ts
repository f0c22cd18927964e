import { sameBytes } from "../wire/bytes.ts";
import {
  findParameter,
  type Parameter,
  type ParameterList,
  ParameterListBuilder,
} from "../wire/parameter-list.ts";
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
  memo?: InlineQosMemo,
): Uint8Array | undefined {
  if (!keyHash && state === "alive" && extra.length === 0) return undefined;
  if (keyHash?.length === 16 && extra.length === 0) {
    if (!memo) return keyHashAndStatus(keyHash, state);
    if (memo.qos && memo.state === state && sameBytes(memo.keyHash, keyHash)) return memo.qos;
    memo.qos = keyHashAndStatus(keyHash, state);
    memo.keyHash.set(keyHash);
    memo.state = state;
    return memo.qos;
  }
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

/** The key hash and instance state a received sample's inline QoS carries (decode side). */
export function sampleFields(inlineQos: ParameterList | undefined): {
  keyHash: Uint8Array | undefined;
  instanceState: InstanceState;
} {
  let keyHash: Uint8Array | undefined;
  let instanceState: InstanceState = "alive";
  if (inlineQos) {
    const kh = findParameter(inlineQos, Pid.keyHash);
    if (kh && kh.value.length >= 16) keyHash = kh.value.slice(0, 16);
    const si = findParameter(inlineQos, Pid.statusInfo);
    const bits = si && si.value.length >= 4 ? (si.value[3] ?? 0) : 0;
    if (bits & StatusInfo.disposed) instanceState = "disposed";
    else if (bits & StatusInfo.unregistered) instanceState = "unregistered";
  }
  return { keyHash, instanceState };
}

/**
 * A writer's last inline QoS, reused when its next write is for the same instance and state
 * (a node's status writer writes one instance twice per task); changes never mutate it.
 */
export interface InlineQosMemo {
  readonly keyHash: Uint8Array;
  state: InstanceState;
  qos: Uint8Array | undefined;
}

export function inlineQosMemo(): InlineQosMemo {
  return { keyHash: new Uint8Array(16), state: "alive", qos: undefined };
}

/**
 * The common cases, written directly: key hash, plus status info for a dispose or unregister.
 * A ParameterListBuilder per write was measurable garbage.
 */
function keyHashAndStatus(keyHash: Uint8Array, state: InstanceState): Uint8Array {
  const alive = state === "alive";
  const out = new Uint8Array(alive ? 24 : 32);
  // PID_KEY_HASH, length 16, little endian like everything we send.
  out[0] = Pid.keyHash & 0xff;
  out[1] = Pid.keyHash >> 8;
  out[2] = 16;
  out.set(keyHash, 4);
  let at = 20;
  if (!alive) {
    // PID_STATUS_INFO: a 4-octet array whose flags sit in the last octet.
    out[20] = Pid.statusInfo & 0xff;
    out[21] = Pid.statusInfo >> 8;
    out[22] = 4;
    out[27] = state === "disposed" ? StatusInfo.disposed : StatusInfo.unregistered;
    at = 28;
  }
  // PID_SENTINEL, length 0.
  out[at] = Pid.sentinel & 0xff;
  out[at + 1] = Pid.sentinel >> 8;
  return out;
}
