import { assertInsidePrivateNetwork } from "@wattprint/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { participant } from "../helpers.ts";

// Domain 80 belongs to this file. Alone in its file (and process): it counts the process's sockets.
const DOMAIN = 80;

describe("UDP transport resources", () => {
  beforeAll(() => {
    assertInsidePrivateNetwork();
  });

  it("closes every socket", async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === "UDPWrap").length;
    const before = sockets();
    const p = await participant({ domainId: DOMAIN, interfaceAddress: "127.0.0.1" });
    expect(sockets()).toBe(before + 3);
    await p.close();
    // Handles leave the active list a few loop turns after their close callbacks.
    for (let i = 0; i < 100 && sockets() !== before; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(sockets()).toBe(before);
  });
});
