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
