import { ParameterListBuilder } from "../wire/parameter-list.ts";
import { Pid, StatusInfo } from "../wire/pids.ts";
import type { InstanceState } from "./change.ts";

/** Inline QoS for a change: key hash when keyed, status info when not alive. */
export function encodeInlineQos(
  keyHash: Uint8Array | undefined,
  state: InstanceState,
): Uint8Array | undefined {
  if (!keyHash && state === "alive") return undefined;
  const b = new ParameterListBuilder();
  if (keyHash) b.addBytes(Pid.keyHash, keyHash);
  if (state !== "alive") {
    const bits = state === "disposed" ? StatusInfo.disposed : StatusInfo.unregistered;
    // STATUS_INFO is a 4-octet array; the flags sit in the last octet.
    b.addBytes(Pid.statusInfo, Uint8Array.of(0, 0, 0, bits));
  }
  return b.finish();
}
