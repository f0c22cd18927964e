import { networkInterfaces } from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  assertInsidePrivateNetwork,
  insidePrivateNetwork,
  probePrivateNetwork,
} from "./private-network.ts";

describe("private network guard", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is not inside without the flag set by wattprint-netns", () => {
    vi.stubEnv("WATTPRINT_NETNS", "");
    expect(insidePrivateNetwork()).toBe(false);
    expect(() => assertInsidePrivateNetwork()).toThrow(/outside a private network namespace/);
  });

  it("does not trust the flag alone when other interfaces are visible", () => {
    vi.stubEnv("WATTPRINT_NETNS", "1");
    const onlyLoopback = Object.keys(networkInterfaces()).every((name) => name === "lo");
    expect(insidePrivateNetwork()).toBe(onlyLoopback);
  });

  it("reports a reason whenever the probe fails", () => {
    const probe = probePrivateNetwork();
    if (!probe.ok) expect(probe.reason).not.toBe("");
  });
});
