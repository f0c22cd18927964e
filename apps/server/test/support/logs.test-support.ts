import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gramsCO2eq, gramsPerKWh, kilowattHours, seconds, watts } from "@wattprint/core";
import { startLogs } from "@wattprint/logs";

/** The two log files of one run, as @wattprint/logs writes them: names and contents. */
export function writtenRunLogs(
  energyKWh: number,
  co2G: number,
): { name: string; content: string }[] {
  const logDir = mkdtempSync(join(tmpdir(), "wattprint-server-logs-"));
  try {
    const started = startLogs({
      logDir,
      pid: 4242,
      loggerId: 1,
      components: [{ name: "gpu", devices: ["NVIDIA A100-SXM4-40GB"] }],
      now: () => new Date("2026-05-04T10:00:00Z"),
    });
    if (!started.ok) throw new Error(started.error.message);
    const log = started.value;
    log.epochEnd({ duration: seconds(600), power: { gpu: watts(300) } });
    log.actual({
      duration: seconds(600),
      energy: kilowattHours(energyKWh),
      carbon: gramsCO2eq(co2G),
      averageIntensity: gramsPerKWh(co2G / energyKWh),
    });
    log.end();
    return readdirSync(logDir)
      .sort()
      .map((name) => ({ name, content: readFileSync(join(logDir, name), "utf8") }));
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}
