import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryLogger } from "../log.ts";
import { MATCH_LINES_PER_INTERVAL, PEER_LINES_PER_INTERVAL, startDropLog } from "./drop-log.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("drop log", () => {
  it("writes one line per interval with what moved, by reason, and nothing when nothing did", () => {
    vi.useFakeTimers();
    const counts = { "not-rtps": 0, "sends-withheld-unverified": 0 };
    const logger = createMemoryLogger();
    const log = startDropLog(() => ({ ...counts }), logger, 1000);
    counts["sends-withheld-unverified"] = 2;
    vi.advanceTimersByTime(1000);
    counts["not-rtps"] = 5_000;
    counts["sends-withheld-unverified"] = 3;
    vi.advanceTimersByTime(500);
    counts["not-rtps"] = 10_000;
    vi.advanceTimersByTime(500);
    vi.advanceTimersByTime(3000);
    log.stop();
    expect(logger.records.map((r) => [r.level, r.fields.dropped, r.fields.total])).toEqual([
      // Only sends withheld (routine when a real peer joins): info, not warn.
      ["info", { "sends-withheld-unverified": 2 }, 2],
      ["warn", { "not-rtps": 10_000, "sends-withheld-unverified": 1 }, 10_001],
    ]);
  });

  it("admits a bounded number of per-peer lines per interval and counts the rest", () => {
    vi.useFakeTimers();
    const logger = createMemoryLogger();
    const log = startDropLog(() => ({}), logger, 1000);
    const admitted = Array.from({ length: PEER_LINES_PER_INTERVAL + 7 }, () => log.admitPeerLine());
    expect(admitted.filter(Boolean)).toHaveLength(PEER_LINES_PER_INTERVAL);
    vi.advanceTimersByTime(1000);
    expect(log.admitPeerLine()).toBe(true);
    log.stop();
    expect(logger.records).toEqual([
      {
        level: "warn",
        message: "dropped peer traffic",
        fields: { intervalS: 1, total: 0, dropped: {}, peerLinesLeftOut: 7 },
      },
    ]);
  });

  it("holds match lines to a budget of their own, beside the peer lines", () => {
    vi.useFakeTimers();
    const logger = createMemoryLogger();
    const log = startDropLog(() => ({}), logger, 1000);
    const matches = Array.from({ length: MATCH_LINES_PER_INTERVAL + 3 }, () =>
      log.admitMatchLine(),
    );
    expect(matches.filter(Boolean)).toHaveLength(MATCH_LINES_PER_INTERVAL);
    // A start's many match lines leave discovery lines their own budget.
    expect(log.admitPeerLine()).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(log.admitMatchLine()).toBe(true);
    log.stop();
    expect(logger.records).toEqual([
      {
        level: "warn",
        message: "dropped peer traffic",
        fields: { intervalS: 1, total: 0, dropped: {}, matchLinesLeftOut: 3 },
      },
    ]);
  });
});
