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

/**
 * One run's two log files whose standard log holds `epochs` epochs of one GPU component with
 * `devices` devices each: an answer of `epochs × (1 + 2 × devices)` figures (a duration, and a
 * power and an energy per device, per epoch).
 */
export function runLogsWithFigures(
  stem: string,
  devices: number,
  epochs: number,
): { name: string; content: string }[] {
  const [standard, output] = writtenRunLogs(1, 2);
  if (standard === undefined || output === undefined) throw new Error("no logs written");
  const at = "2026-05-04 10:00:00 - ";
  const powers = `[${Array.from({ length: devices }, () => "300.0").join(" ")}]`;
  const epochLines = Array.from(
    { length: epochs },
    (_, i) =>
      `${at}Epoch ${i + 1}:\n${at}Duration: 0:10:00.00\n${at}Average power usage (W) for gpu: ${powers}\n`,
  ).join("");
  const content = standard.content.replace(
    /^.* - Epoch 1:\n.*\n.*Average power usage.*\n/m,
    () => epochLines,
  );
  if (content === standard.content) throw new Error("the written standard log changed shape");
  return [
    { name: `${stem}_carbontracker.log`, content },
    { name: `${stem}_carbontracker_output.log`, content: output.content },
  ];
}
