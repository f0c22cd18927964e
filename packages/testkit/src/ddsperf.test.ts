import { describe, expect, it } from "vitest";
import { ddsperfArgs, ddsperfTotals } from "./ddsperf.ts";
import type { PeerProcess } from "./process.ts";

describe("ddsperf helpers", () => {
  it("builds the command line", () => {
    expect(
      ddsperfArgs({ domain: 30, durationS: 3, pub: { rate: 100, size: 64 }, keys: 2 }),
    ).toEqual(["-i", "30", "-T", "KS", "-D", "3", "-n", "2", "pub", "100Hz", "size", "64"]);
    expect(
      ddsperfArgs({
        domain: 31,
        durationS: 4,
        minMatch: 1,
        samples: 10,
        sub: true,
        bestEffort: true,
      }),
    ).toEqual(["-i", "31", "-T", "KS", "-D", "4", "-u", "-Qminmatch:1", "-Qsamples:10", "sub"]);
  });

  it("reads the last totals line of a sub", () => {
    const lines = [
      "[1] participant vm:2: new",
      "[1] 1.000  size 12 total 48 lost 0 delta 48 lost 0 rate 0.05 kS/s 0.00 Mb/s",
      "[1] 2.000  size 12 total 98 lost 1 delta 50 lost 1 rate 0.05 kS/s 0.00 Mb/s",
    ];
    const peer = { lines } as unknown as PeerProcess;
    expect(ddsperfTotals(peer)).toEqual({ total: 98, lost: 1 });
  });
});
