import { describe, expect, it } from "vitest";
import { MemoryNetwork } from "../transport/memory.ts";
import { createParticipant } from "./participant.ts";
import { fragmentLimits } from "./participant-options.ts";

const MIB = 1024 * 1024;

describe("fragment limits", () => {
  it("default to 64 MiB samples, 96 MiB per writer, 192 MiB in all", () => {
    expect(fragmentLimits({})).toEqual({
      ok: true,
      value: {
        maxSampleSize: 64 * MIB,
        maxPendingBytesPerWriter: 96 * MIB,
        maxPendingBytes: 192 * MIB,
      },
    });
  });

  it("grow with a larger maxSampleSize unless set, so one such sample still fits", () => {
    expect(fragmentLimits({ maxSampleSize: 256 * MIB })).toMatchObject({
      value: { maxPendingBytesPerWriter: 384 * MIB, maxPendingBytes: 768 * MIB },
    });
    expect(
      fragmentLimits({ maxSampleSize: 256 * MIB, maxPendingFragmentBytes: MIB }),
    ).toMatchObject({ value: { maxPendingBytes: MIB } });
  });

  it("refuse values that are not whole byte counts, naming the option", async () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = fragmentLimits({ maxPendingFragmentBytesPerWriter: bad });
      expect(!r.ok && r.error.message).toMatch(/maxPendingFragmentBytesPerWriter/);
    }
    const created = await createParticipant({
      transport: new MemoryNetwork().transport(),
      maxPendingFragmentBytes: -5,
    });
    expect(created).toMatchObject({ ok: false, error: { kind: "bad-options" } });
  });
});
