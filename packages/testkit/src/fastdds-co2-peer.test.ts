import { describe, expect, it } from "vitest";
import { co2PeerArgs, fnv1a32, parseCo2Sample } from "./fastdds-co2-peer.ts";

describe("fastdds-co2-peer helpers", () => {
  it("turns options into the peer's flags", () => {
    expect(co2PeerArgs("pub", { count: 5, domain: 12, nokey: true, extraBytes: 1024 })).toEqual([
      "pub",
      "--count",
      "5",
      "--domain",
      "12",
      "--extra-bytes",
      "1024",
      "--nokey",
    ]);
    expect(co2PeerArgs("tlsub")).toEqual(["tlsub"]);
  });

  it("parses SAMPLE lines and ignores others", () => {
    const line =
      "SAMPLE problem=7 iteration=3 carbon=4.5 energy=2.25 intensity=303 extra_len=3 extra_fnv=deadbeef extra_hex=010203";
    expect(parseCo2Sample(line)).toEqual({
      problem: 7,
      iteration: 3,
      carbon: 4.5,
      energy: 2.25,
      intensity: 303,
      extraLength: 3,
      extraFnv: "deadbeef",
      extraHead: "010203",
    });
    expect(parseCo2Sample("TOTAL 5")).toBeUndefined();
  });

  it("hashes like FNV-1a 32", () => {
    expect(fnv1a32(new Uint8Array())).toBe("811c9dc5");
    expect(fnv1a32(new TextEncoder().encode("a"))).toBe("e40c292c");
  });
});
