import { describe, expect, it } from "vitest";
import { createJsonLogger, createMemoryLogger } from "./log.ts";

describe("createJsonLogger", () => {
  it("writes one JSON line per record at or above its level, and says which levels it writes", () => {
    const lines: string[] = [];
    const levels: string[] = [];
    const logger = createJsonLogger({
      level: "warn",
      write: (line, level) => {
        lines.push(line);
        levels.push(level);
      },
      now: () => new Date("2026-11-29T00:00:00Z"),
      base: { node: "N" },
    });
    logger.log("info", "dropped");
    logger.log("error", "kept", { task: "1/2", big: 10n });
    expect(lines).toEqual([
      '{"time":"2026-11-29T00:00:00.000Z","level":"error","message":"kept","node":"N","task":"1/2","big":"10"}\n',
    ]);
    expect(levels).toEqual(["error"]);
    expect((["debug", "info", "warn", "error"] as const).map((l) => logger.enabled(l))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it("the memory logger keeps everything", () => {
    const logger = createMemoryLogger();
    logger.log("debug", "d", { a: 1 });
    expect(logger.enabled("debug")).toBe(true);
    expect(logger.records).toEqual([{ level: "debug", message: "d", fields: { a: 1 } }]);
  });
});
