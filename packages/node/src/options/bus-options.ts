import { isIPv4 } from "node:net";
import { type NetworkInterfaceInfo, networkInterfaces } from "node:os";
import { DOMAIN_ID_ENV } from "@wattprint/messages";
import { isValidDomainId } from "@wattprint/rtps";
import { RtpsBusError } from "../adapters/rtps-bus.ts";
import { type Env, optionText, parseNumberOption, quotedValue } from "./option-values.ts";
import { UsageError } from "./usage-error.ts";

/**
 * The bus settings `wattprint bus ...` and `wattprint-node` share, read by one rule: flag,
 * else environment variable, else default; anything given and not valid is a usage error
 * naming the flag or variable.
 */
export const INTERFACE_ENV = "WATTPRINT_INTERFACE";
/** Loopback: with no interface named, no traffic leaves the machine. */
export const DEFAULT_INTERFACE_ADDRESS = "127.0.0.1";
export const DEFAULT_DOMAIN_ID = 0;

/**
 * The largest domain id rtps opens (231): every participant id it may try must keep its ports
 * below 65536. Derived from rtps rather than written down, so the apps cannot promise more.
 */
export const MAX_DOMAIN_ID = (() => {
  let max = 0;
  while (isValidDomainId(max + 1)) max += 1;
  return max;
})();

export interface BusOptions {
  readonly domainId: number;
  readonly interfaceAddress: string;
  /** "--interface", the variable or "default": names the setting in errors found later. */
  readonly interfaceFrom: string;
}

export function parseBusOptions(
  flags: { readonly domain?: string | undefined; readonly interface?: string | undefined },
  env: Env,
): BusOptions {
  const domain = optionText("domain", flags.domain, env, DOMAIN_ID_ENV);
  const domainId =
    domain === undefined
      ? DEFAULT_DOMAIN_ID
      : parseNumberOption(domain, { integer: true, min: 0, max: MAX_DOMAIN_ID });
  const address = optionText("interface", flags.interface, env, INTERFACE_ENV);
  if (address === undefined) {
    return { domainId, interfaceAddress: DEFAULT_INTERFACE_ADDRESS, interfaceFrom: "default" };
  }
  const interfaceAddress = address.text.trim();
  if (!isIPv4(interfaceAddress)) {
    throw new UsageError(
      `${address.name} expects the IPv4 address of one of this machine's interfaces (e.g. 192.168.1.20), got ${quotedValue(address.text)}`,
    );
  }
  return { domainId, interfaceAddress, interfaceFrom: address.name };
}

function ipv4ToNumber(address: string): number {
  return address.split(".").reduce((value, part) => value * 256 + Number(part), 0);
}

/** Whether `address` is one of `nic`'s, or inside its loopback network (all of 127/8 binds). */
function belongsTo(address: string, nic: NetworkInterfaceInfo): boolean {
  if (nic.family !== "IPv4") return false;
  if (nic.address === address) return true;
  if (!nic.internal || !isIPv4(nic.netmask)) return false;
  const mask = ipv4ToNumber(nic.netmask);
  // Unsigned arithmetic on 32-bit values without bit operators (which are signed in JS).
  const network = (value: number) => value - (value % (2 ** 32 - mask));
  return network(ipv4ToNumber(address)) === network(ipv4ToNumber(nic.address));
}

/**
 * Refuses, as a usage error, an address no interface of this machine has: binding to it could
 * only fail, later and less clearly (EADDRNOTAVAIL). `interfaces` is os.networkInterfaces()'s
 * shape, a parameter so tests can describe machines other than the one they run on.
 */
export function checkInterfaceOnThisMachine(
  options: Pick<BusOptions, "interfaceAddress" | "interfaceFrom">,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): void {
  const nics = Object.values(interfaces).flatMap((list) => list ?? []);
  if (nics.some((nic) => belongsTo(options.interfaceAddress, nic))) return;
  const here = nics.filter((nic) => nic.family === "IPv4").map((nic) => nic.address);
  const setting =
    options.interfaceFrom === "default" ? "the default interface" : options.interfaceFrom;
  throw new UsageError(
    `${setting}: no interface with address ${options.interfaceAddress} on this machine (it has ${here.join(", ") || "no IPv4 address"})`,
  );
}

/** What a socket error code means for someone who named an interface and a domain. */
const BIND_FAILURES: Readonly<Record<string, string>> = {
  EADDRNOTAVAIL: "no interface on this machine has that address",
  EADDRINUSE: "the domain's ports are taken by other programs",
  EACCES: "the system refused the sockets",
  EPERM: "the system refused the sockets",
  EINVAL: "the address cannot be bound",
};

/**
 * One line for a bus that could not open (an `RtpsBusError` from createRtpsBus), with the
 * socket error explained; undefined for anything else, which is a bug to report, not a setting.
 */
export function explainBusOpenError(error: unknown): string | undefined {
  if (!(error instanceof RtpsBusError)) return undefined;
  const line = error.message.replace(/\s*\n\s*/g, " ");
  const code = Object.keys(BIND_FAILURES).find((name) => line.includes(name));
  return code === undefined ? line : `${line} (${BIND_FAILURES[code]})`;
}
