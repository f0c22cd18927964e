import { isIPv4 } from "node:net";
import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { ipv4ToNumber, type Locator, LocatorKind, locatorIpNumber } from "../wire/locator.ts";

interface Network {
  readonly base: number;
  readonly mask: number;
}

/**
 * Which peers a participant accepts, by IPv4 address: single addresses and CIDR networks.
 * Matching is on numbers rather than through node:net's `BlockList`, whose `check` parses its
 * argument on every call (about 2 µs, measured): this runs once per received datagram.
 */
export class PeerAllowlist {
  private constructor(private readonly networks: readonly Network[]) {}

  /** Parses entries such as "127.0.0.1" or "10.0.0.0/8"; the error names the bad entry. */
  static parse(entries: readonly string[]): Result<PeerAllowlist, Failure<"invalid-value">> {
    const networks: Network[] = [];
    for (const raw of entries) {
      const entry = raw.trim();
      const slash = entry.indexOf("/");
      const address = slash < 0 ? entry : entry.slice(0, slash);
      const bitsText = slash < 0 ? "32" : entry.slice(slash + 1);
      const bits = /^\d{1,2}$/.test(bitsText) ? Number(bitsText) : -1;
      if (!isIPv4(address) || bits < 0 || bits > 32) {
        return err(
          failure(
            "invalid-value",
            `"${raw}" is not an IPv4 address or CIDR network (e.g. 10.0.0.0/8)`,
          ),
        );
      }
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      networks.push({ base: (ipv4ToNumber(address) & mask) >>> 0, mask });
    }
    if (networks.length === 0)
      return err(failure("invalid-value", "the list is empty (it would admit no peer)"));
    return ok(new PeerAllowlist(networks));
  }

  /** Whether the IPv4 address `ip` (an unsigned 32-bit number) lies inside the list. */
  admitsIp(ip: number): boolean {
    for (const n of this.networks) if ((ip & n.mask) >>> 0 === n.base) return true;
    return false;
  }

  /** Whether a datagram from `address` ("a.b.c.d") is accepted; anything else is refused. */
  admitsAddress(address: string): boolean {
    const ip = ipv4ToNumber(address);
    return ip >= 0 && this.admitsIp(ip);
  }
}

/** Unicast locators a remote participant may announce for itself, per list (as Fast DDS's
 * default `max_unicast_locators`): more would only multiply what we send. */
export const MAX_LOCATORS_PER_LIST = 4;

/**
 * The announced locators we are willing to send to: UDPv4 unicast (not multicast, broadcast
 * or 0.0.0.0, which a forged announcement could use to fan our traffic out), inside the
 * allowlist when there is one, the first `MAX_LOCATORS_PER_LIST` of them. Returns `locators`
 * itself when nothing was removed. `onRefused` is told about each locator left out.
 */
export function usableUnicastLocators(
  locators: readonly Locator[],
  allowlist: PeerAllowlist | undefined,
  onRefused: (reason: "not-unicast" | "not-allowed" | "too-many") => void,
): readonly Locator[] {
  let out: Locator[] | undefined;
  let kept = 0;
  for (let i = 0; i < locators.length; i++) {
    const l = locators[i] as Locator;
    const ip = locatorIpNumber(l);
    const first = ip >>> 24;
    let refused: "not-unicast" | "not-allowed" | "too-many" | undefined;
    if (
      l.kind !== LocatorKind.udpV4 ||
      ip === 0 ||
      ip === 0xffffffff ||
      (first >= 224 && first <= 239)
    )
      refused = "not-unicast";
    else if (allowlist && !allowlist.admitsIp(ip)) refused = "not-allowed";
    else if (kept >= MAX_LOCATORS_PER_LIST) refused = "too-many";
    if (refused) {
      onRefused(refused);
      out ??= locators.slice(0, i);
    } else {
      kept++;
      out?.push(l);
    }
  }
  return out ?? locators;
}
