import { buildPeer } from "./build-peer.ts";
import { assertInsidePrivateNetwork } from "./private-network.ts";
import { type PeerProcess, startProcess } from "./process.ts";

/** `--flag value` for every option that is set, in the order of `flags`. */
export function valueFlags<O extends object>(
  options: O,
  flags: Partial<Record<keyof O, string>>,
): string[] {
  const args: string[] = [];
  for (const [key, flag] of Object.entries(flags) as [keyof O, string | undefined][]) {
    const value = options[key];
    if (flag !== undefined && value !== undefined) args.push(flag, String(value));
  }
  return args;
}

/** `--flag` for every boolean option that is true, in the order of `flags`. */
export function switchFlags<O extends object>(
  options: O,
  flags: Partial<Record<keyof O, string>>,
): string[] {
  const args: string[] = [];
  for (const [key, flag] of Object.entries(flags) as [keyof O, string | undefined][]) {
    if (flag !== undefined && options[key] === true) args.push(flag);
  }
  return args;
}

/**
 * Builds (cached) and starts one of the Fast DDS peers; refuses outside the private
 * namespace. `defaultTransports` keeps Fast DDS's SHM+UDP instead of UDPv4 only.
 */
export async function startFastddsPeer(
  name: string,
  args: readonly string[],
  defaultTransports: boolean | undefined,
): Promise<PeerProcess> {
  assertInsidePrivateNetwork();
  const binary = await buildPeer(name);
  const env = { FASTDDS_DEFAULT_TRANSPORTS: defaultTransports ? "1" : undefined };
  return startProcess(binary, [...args], { env });
}
