import { describe, expect, it } from "vitest";
import { udpV4Locator } from "../wire/locator.ts";
import {
  AmplificationGuard,
  MAX_CREDIT_BYTES,
  MAX_DESTINATIONS_PER_PEER,
} from "./amplification-guard.ts";

const prefix = (n: number) => Uint8Array.from({ length: 12 }, (_, i) => (i === 11 ? n : 7));
const key = (n: number) => Buffer.from(prefix(n)).toString("hex");

/** A peer `n` announcing `locators`, then one message of `bytes` from it (from `address`). */
function withPeer(
  g: AmplificationGuard,
  n: number,
  locators: ReturnType<typeof udpV4Locator>[],
  bytes: number,
  address = "10.0.0.2",
  addressedToUs = false,
): void {
  g.addPeer(key(n), prefix(n));
  g.addLocators(key(n), locators);
  g.source = { address, port: 40_000 };
  g.received(prefix(n), bytes);
  if (addressedToUs) g.addressedToUs();
}

describe("AmplificationGuard", () => {
  it("sends an unverified peer's locators at most what the peer sent us", () => {
    const g = new AmplificationGuard();
    const meta = udpV4Locator("10.0.0.2", 7410);
    withPeer(g, 1, [meta], 300);
    expect(g.allows(meta, 200)).toBe(true);
    expect(g.allows(meta, 200)).toBe(false);
    expect(g.allows(meta, 100)).toBe(true);
    expect(g.allows(meta, 1)).toBe(false);
    expect(g.counters).toMatchObject({
      unverifiedDatagramsSent: 2,
      unverifiedBytesSent: 300,
      datagramsWithheld: 2,
      bytesWithheld: 201,
    });
    g.received(prefix(1), 50);
    expect(g.allows(meta, 50)).toBe(true);
  });

  it("banks at most MAX_CREDIT_BYTES of a peer's traffic", () => {
    const g = new AmplificationGuard();
    const meta = udpV4Locator("10.0.0.2", 7410);
    withPeer(g, 1, [meta], 60_000);
    // A long session: far more received than the cap.
    for (let i = 0; i < 1000; i++) g.received(prefix(1), 60_000);
    let sent = 0;
    while (g.allows(meta, 1024)) sent += 1024;
    expect(sent).toBe(Math.floor(MAX_CREDIT_BYTES / 1024) * 1024);
    expect(g.counters.unverifiedBytesSent).toBe(sent);
    // What the cap left out is counted: 1,001 datagrams of 60,000 bytes, 256 KiB banked.
    expect(g.counters.creditBytesForgone).toBe(1001 * 60_000 - MAX_CREDIT_BYTES);
  });

  it("stops metering a locator once the peer names us from that locator's address", () => {
    const g = new AmplificationGuard();
    const meta = udpV4Locator("10.0.0.2", 7410);
    const elsewhere = udpV4Locator("192.0.2.9", 7410);
    withPeer(g, 1, [meta, elsewhere], 100, "10.0.0.2", true);
    expect(g.isVerified(key(1))).toBe(true);
    expect(g.counters.peersVerified).toBe(1);
    for (let i = 0; i < 10; i++) expect(g.allows(meta, 60_000)).toBe(true);
    // Its other announced address proved nothing: still metered.
    expect(g.allows(elsewhere, 101)).toBe(false);
    expect(g.allows(elsewhere, 100)).toBe(true);
  });

  it("does not count a message naming us from another address as proof", () => {
    const g = new AmplificationGuard();
    const meta = udpV4Locator("10.0.0.2", 7410);
    withPeer(g, 1, [meta], 100, "203.0.113.66", true);
    expect(g.isVerified(key(1))).toBe(false);
    expect(g.allows(meta, 101)).toBe(false);
  });

  it("credits (and verifies) a peer with the very message that made it known", () => {
    const g = new AmplificationGuard();
    const meta = udpV4Locator("10.0.0.2", 7410);
    g.source = { address: "10.0.0.2", port: 7410 };
    g.received(prefix(1), 436);
    g.addressedToUs();
    // The SPDP data in that message is processed now: the peer becomes known.
    g.addPeer(key(1), prefix(1));
    g.addLocators(key(1), [meta]);
    expect(g.isVerified(key(1))).toBe(true);
    const g2 = new AmplificationGuard();
    g2.received(prefix(2), 224);
    g2.addPeer(key(2), prefix(2));
    g2.addLocators(key(2), [meta]);
    expect(g2.allows(meta, 224)).toBe(true);
    expect(g2.allows(meta, 1)).toBe(false);
  });

  it("sends nothing to a locator nobody announced, and without limit to its own destinations", () => {
    const g = new AmplificationGuard();
    const group = udpV4Locator("239.255.0.1", 7400);
    g.pin(group);
    expect(g.allows(udpV4Locator("198.51.100.1", 7410), 10)).toBe(false);
    expect(g.counters.unknownDestination).toBe(1);
    expect(g.allows(group, 60_000)).toBe(true);
    expect(g.allows({ kind: 16, port: 0, address: new Uint8Array(16) }, 10)).toBe(false);
  });

  it("forgets a removed peer's locators, but not those another peer announced too", () => {
    const g = new AmplificationGuard();
    const shared = udpV4Locator("10.0.0.2", 7410);
    const own = udpV4Locator("10.0.0.2", 7411);
    withPeer(g, 1, [shared, own], 0, "10.0.0.2", true);
    withPeer(g, 2, [shared], 0);
    expect(g.allows(shared, 1000, prefix(1))).toBe(true);
    g.removePeer(key(1));
    expect(g.allows(own, 1)).toBe(false);
    expect(g.counters.unknownDestination).toBe(1);
    // Still peer 2's, which proved nothing: metered again.
    expect(g.allows(shared, 1)).toBe(false);
    expect(g.counters.datagramsWithheld).toBe(1);
    expect(g.size).toBe(1);
  });

  it("does not extend a peer's proof to another peer announcing the same locator", () => {
    const g = new AmplificationGuard();
    const shared = udpV4Locator("10.0.0.2", 7410);
    withPeer(g, 1, [shared], 0, "10.0.0.2", true);
    // A forgery claiming the verified peer's locator, from elsewhere: its own 100 bytes only.
    withPeer(g, 2, [shared], 100, "203.0.113.66");
    expect(g.allows(shared, 60_000, prefix(1))).toBe(true);
    expect(g.allows(shared, 100, prefix(2))).toBe(true);
    expect(g.allows(shared, 1, prefix(2))).toBe(false);
    expect(g.counters.datagramsWithheld).toBe(1);
    // Our own destinations stay unlimited for our own sends, not for a peer claiming them.
    const pinned = udpV4Locator("10.0.0.9", 7410);
    g.pin(pinned);
    withPeer(g, 3, [pinned], 0, "203.0.113.66");
    expect(g.allows(pinned, 60_000)).toBe(true);
    expect(g.allows(pinned, 1, prefix(3))).toBe(false);
  });

  it("registers at most MAX_DESTINATIONS_PER_PEER locators per peer", () => {
    const g = new AmplificationGuard();
    const many = Array.from({ length: MAX_DESTINATIONS_PER_PEER + 5 }, (_, i) =>
      udpV4Locator("10.0.0.2", 8000 + i),
    );
    g.addPeer(key(1), prefix(1));
    expect(g.addLocators(key(1), many)).toHaveLength(MAX_DESTINATIONS_PER_PEER);
    expect(g.addLocators(key(9), many)).toEqual([]);
  });
});
