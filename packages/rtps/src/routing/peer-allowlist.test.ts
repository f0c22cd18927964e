import { describe, expect, it } from "vitest";
import { ipv4ToNumber, udpV4Locator } from "../wire/locator.ts";
import { MAX_LOCATORS_PER_LIST, PeerAllowlist, usableUnicastLocators } from "./peer-allowlist.ts";

function allowlist(entries: string[]): PeerAllowlist {
  const parsed = PeerAllowlist.parse(entries);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe("peer allowlist", () => {
  it("reads dotted quads as numbers, and nothing else", () => {
    expect(ipv4ToNumber("0.0.0.0")).toBe(0);
    expect(ipv4ToNumber("255.255.255.255")).toBe(0xffffffff);
    expect(ipv4ToNumber("10.1.2.3")).toBe(0x0a010203);
    for (const bad of [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "256.0.0.1",
      "1..2.3",
      "a.b.c.d",
      "1.2.3.4 ",
      "::1",
    ])
      expect(ipv4ToNumber(bad), bad).toBe(-1);
  });

  it("admits addresses and CIDR networks, bounds included", () => {
    const a = allowlist(["127.0.0.1", "10.0.0.0/8", "192.168.4.17/28"]);
    expect(a.admitsAddress("127.0.0.1")).toBe(true);
    expect(a.admitsAddress("127.0.0.2")).toBe(false);
    expect(a.admitsAddress("10.0.0.0")).toBe(true);
    expect(a.admitsAddress("10.255.255.255")).toBe(true);
    expect(a.admitsAddress("11.0.0.0")).toBe(false);
    // Host bits of a network entry are ignored: 192.168.4.16-31.
    expect(a.admitsAddress("192.168.4.16")).toBe(true);
    expect(a.admitsAddress("192.168.4.31")).toBe(true);
    expect(a.admitsAddress("192.168.4.32")).toBe(false);
    expect(a.admitsAddress("not an address")).toBe(false);
    expect(allowlist(["0.0.0.0/0"]).admitsAddress("203.0.113.1")).toBe(true);
  });

  it("names the entry it cannot read", () => {
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "host.example", "10.0.0.1/", "10.0.0.1/-1"]) {
      const parsed = PeerAllowlist.parse(["127.0.0.1", bad]);
      expect(parsed.ok ? "accepted" : parsed.error.message).toContain(`"${bad}"`);
    }
  });

  it("keeps only unicast UDPv4 locators inside the list, at most a few per list", () => {
    const refused: string[] = [];
    const count = (r: string) => refused.push(r);
    const inside = [1, 2, 3, 4, 5].map((i) => udpV4Locator(`10.0.0.${i}`, 7410));
    const announced = [
      udpV4Locator("239.255.0.1", 7400),
      udpV4Locator("0.0.0.0", 7410),
      udpV4Locator("255.255.255.255", 7410),
      { kind: 16, port: 0, address: new Uint8Array(16) },
      udpV4Locator("203.0.113.5", 7410),
      ...inside,
    ];
    const kept = usableUnicastLocators(announced, allowlist(["10.0.0.0/24"]), count);
    expect(kept).toEqual(inside.slice(0, MAX_LOCATORS_PER_LIST));
    expect(refused.sort()).toEqual([
      "not-allowed",
      "not-unicast",
      "not-unicast",
      "not-unicast",
      "not-unicast",
      "too-many",
    ]);
    const fine = inside.slice(0, 2);
    expect(usableUnicastLocators(fine, undefined, count)).toBe(fine);
  });
});
