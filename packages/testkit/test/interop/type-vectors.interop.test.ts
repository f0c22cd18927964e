import { beforeAll, describe, expect, it } from "vitest";
import { buildPeer } from "../../src/build-peer.ts";
import { assertInsidePrivateNetwork } from "../../src/private-network.ts";
import { startProcess } from "../../src/process.ts";

// Byte-exact values from docs/sustainml-wire.md §7.3 (bytes) and §7.5 (key hashes).
const CO2_BYTES =
  "00010000000000000000f83f00000000000002400000000000d0724003000000010203000700000001000000";
const CO2_KEY = "00000007000000010000000000000000";
const STATUS_KEY = "a00cb8bb7bb456f8d8e135d40d4a0684";

describe("hand-written Fast DDS types", () => {
  let binary: string;
  // Built in the hook, as every other peer is (its timeout allows a compile on a loaded
  // machine): inside the test, a cold g++ build ran past the test's 40 s in CI.
  beforeAll(async () => {
    binary = await buildPeer("fastdds-type-vectors");
  });

  it("serialise and hash keys as docs/sustainml-wire.md §7 says, and round-trip", async () => {
    assertInsidePrivateNetwork();
    await using vectors = startProcess(binary, []);
    expect((await vectors.waitForExit(10_000)).code).toBe(0);

    const byType = new Map(
      vectors.lines.flatMap((line) => {
        const m = /^VECTOR type=(\S+) key=([0-9a-f]{32}) roundtrip=(\d) bytes=([0-9a-f]+)$/.exec(
          line,
        );
        return m ? [[m[1], { key: m[2], roundTrip: m[3], bytes: m[4] ?? "" }] as const] : [];
      }),
    );
    expect(byType.get("CO2FootprintImpl")).toEqual({
      key: CO2_KEY,
      roundTrip: "1",
      bytes: CO2_BYTES,
    });
    expect(byType.get("NodeStatusImpl")?.key).toBe(STATUS_KEY);
    expect(byType.size).toBe(10);
    for (const vector of byType.values()) {
      expect(vector.roundTrip).toBe("1");
      expect(vector.bytes.startsWith("00010000")).toBe(true);
    }
  });
});
