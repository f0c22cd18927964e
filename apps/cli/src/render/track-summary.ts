import { formatNumber } from "@wattprint/core";
import { formatHms } from "@wattprint/logs";
import type { CarbonTracker, TrackerResult } from "@wattprint/tracker";
import type { ChildOutcome } from "../process/run-child.ts";
import { formatCo2G, formatEnergyKWh, formatPowerW } from "./track-status.ts";

/** How the command ended, in words: `exited 3`, `killed by SIGTERM (exit 143)`. */
export function outcomeWords(outcome: ChildOutcome): string {
  switch (outcome.kind) {
    case "exited":
      return `exited ${outcome.exitCode}`;
    case "signalled":
      return `killed by ${outcome.signal} (exit ${outcome.exitCode})`;
    case "spawn-failed":
      return `could not start (exit ${outcome.exitCode})`;
  }
}

/**
 * What `wattprint track` adds under carbontracker's block: how the command ended, what each
 * component drew and whether it was measured, modelled or simulated (with a model's
 * confidence), the total with its intensity's provenance, and where the logs are. The
 * tracker has already echoed its warnings.
 */
export function trackSummary(
  result: TrackerResult,
  outcome: ChildOutcome,
  commandS: number,
): string {
  const lines = [
    // formatHms rounds as the consumption block's `Time:` above does (half to even, Python's
    // round); the live clock's floor gave `0:00:01` under a block saying `0:00:02`.
    `wattprint track: the command ${outcomeWords(outcome)} after ${formatHms(commandS)} (${formatNumber(commandS, 3)} s)`,
  ];
  for (const component of result.components) {
    const power = component.meanPowerW === null ? "no sample" : formatPowerW(component.meanPowerW);
    const devices = component.devices
      .map((d) => (d.basis === "modelled" ? `${d.id}, ${d.confidence} confidence` : d.id))
      .join("; ");
    lines.push(
      `  ${component.component.padEnd(4)} ${power.padStart(9)}  ${formatEnergyKWh(component.energyKWh).padStart(10)}  ${component.basis} (${devices})`,
    );
  }
  const intensity = result.intensity;
  lines.push(
    `  total ${formatEnergyKWh(result.energy.totalKWh)} (PUE ${result.pue.value}${result.pue.applied ? "" : ", not applied"}; ${result.pue.source.title}), ${formatCo2G(result.co2G)} at ${formatNumber(intensity.gPerKWh, 3)} gCO2eq/kWh (${[intensity.zoneName, intensity.level, intensity.year].filter((part) => part !== undefined).join(", ")}; ${intensity.source.title})`,
  );
  if (result.logs !== null) lines.push(`  logs: ${result.logs.output}, ${result.logs.standard}`);
  return `${lines.join("\n")}\n`;
}

/** Where `--report-to` stored the run, or why it did not (the warning said it already). */
export function reportLine(report: NonNullable<CarbonTracker["report"]>): string {
  return report.ok
    ? `wattprint track: stored on the server as ${report.value.location}${report.value.created ? "" : " (it had this run already)"}\n`
    : `wattprint track: not stored on the server: ${report.error.message}\n`;
}
