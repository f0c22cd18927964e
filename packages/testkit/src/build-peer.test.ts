import { describe, expect, it } from "vitest";
import { buildPeer } from "./build-peer.ts";

describe("buildPeer", () => {
  it("rejects a peer without a source file, naming the path it looked for", async () => {
    await expect(buildPeer("no-such-peer")).rejects.toThrow(
      /unknown peer "no-such-peer": .*peers\/fastdds\/no-such-peer\.cpp does not exist/,
    );
  });
});
