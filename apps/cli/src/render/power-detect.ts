import {
  ADDITIVE_COMPONENTS,
  type GpuProcesses,
  type MeterReading,
  type PowerDevice,
  type ReaderSkip,
} from "@wattprint/power";
import { renderTable } from "./table.ts";
import { terminalSafe } from "./terminal-text.ts";

/**
 * The `hardware detect` report: devices, their notes, and why each reader was skipped. Names,
 * ids and messages come from the machine (sysfs files, NVML, `powermetrics`, a fake tree a
 * user points `--root` at), so each is printed through `terminalSafe`: one line, controls
 * escaped.
 */
export function renderDetect(
  devices: readonly PowerDevice[],
  skipped: readonly ReaderSkip[],
  processes: readonly GpuProcesses[],
): string {
  const lines: string[] = [];
  lines.push(
    renderTable(
      ["device", "component", "reader", "basis", "confidence", "name"],
      devices.map((d) => [
        terminalSafe(d.id),
        d.kind,
        d.reader,
        d.basis,
        d.confidence,
        terminalSafe(d.name),
      ]),
    ),
  );
  const measured = devices.filter((d) => d.basis === "measured").length;
  lines.push(
    "",
    measured === devices.length
      ? `${devices.length} device(s), all measured by the hardware.`
      : measured === 0
        ? `${devices.length} device(s), none measured: every figure is modelled from rated power and OS load (see the notes).`
        : `${devices.length} device(s), ${measured} measured, ${devices.length - measured} modelled or simulated.`,
  );
  lines.push("", "notes:");
  for (const d of devices) {
    const id = terminalSafe(d.id);
    for (const note of d.notes) lines.push(`  ${id}: ${terminalSafe(note)}`);
    for (const p of d.provenance) {
      lines.push(
        `  ${id}: source: ${p.source.title}${p.source.url === "" ? "" : ` <${p.source.url}>`} (${terminalSafe(p.method)})`,
      );
    }
  }
  const busy = processes.filter((p) => p.processes.length > 0 || p.truncated);
  if (busy.length > 0) {
    lines.push("", "GPU processes:");
    for (const p of busy) {
      const list = p.truncated
        ? "more than can be listed"
        : p.processes
            .map(
              (q) =>
                `pid ${q.pid}${q.usedMemoryBytes === null ? "" : ` (${(q.usedMemoryBytes / 2 ** 20).toFixed(0)} MiB)`}`,
            )
            .join(", ");
      lines.push(`  ${terminalSafe(p.device)}: ${list}`);
    }
  }
  if (skipped.length > 0) {
    lines.push("", "skipped:");
    for (const s of skipped)
      lines.push(
        `  ${s.reader} (${s.kind})${s.device === undefined ? "" : ` ${terminalSafe(s.device)}`}: ${terminalSafe(s.message)}`,
      );
  }
  return `${lines.join("\n")}\n`;
}

function watts(value: number): string {
  return Number.isNaN(value) ? "-" : `${value.toFixed(1)} W`;
}

/** One `--watch` line: the power per component and per device now. */
export function renderWatchLine(reading: MeterReading): string {
  const components = reading.components.map((c) => `${c.component} ${watts(c.watts)}`).join("  ");
  const devices = reading.devices
    .map(
      (d) =>
        `${terminalSafe(d.device.id)} ${d.problem === null ? watts(d.watts) : `(${d.problem.kind})`}`,
    )
    .join(", ");
  return `${reading.elapsedS.toFixed(1).padStart(7)} s  ${components}  total ${watts(reading.totalWatts)}  [${devices}]\n`;
}

/** What `--watch` prints when it stops: the energy of each component over the watch. */
export function renderWatchSummary(first: MeterReading, last: MeterReading): string {
  const seconds = (last.atMs - first.atMs) / 1000;
  const before = new Map(first.components.map((c) => [c.component, c.energyJ]));
  const rows = last.components.map((c) => {
    const joules = c.energyJ - (before.get(c.component) ?? 0);
    const notCounted = uncountedDuring(first, last, c.component, seconds);
    return [
      c.component,
      `${joules.toFixed(1)} J`,
      seconds > 0 ? `${(joules / seconds).toFixed(1)} W` : "-",
      c.basis +
        (c.lowerBound ? " (lower bound)" : "") +
        (notCounted > 0 ? ` (${notCounted.toFixed(1)} s of it not counted: no good reading)` : ""),
    ];
  });
  const total = last.totalEnergyJ - first.totalEnergyJ;
  rows.push([
    "total",
    `${total.toFixed(1)} J`,
    seconds > 0 ? `${(total / seconds).toFixed(1)} W` : "-",
    totalBasis(last),
  ]);
  return `\nover ${seconds.toFixed(1)} s:\n${renderTable(["component", "energy", "mean power", "basis"], rows)}\n`;
}

/**
 * The most seconds of the watch a device of `component` could not count: time the meter
 * says was not counted, and the gap since a device's last good reading when readings failed
 * to the end (a device that never read well counted nothing, which is not 0 W).
 */
function uncountedDuring(
  first: MeterReading,
  last: MeterReading,
  component: string,
  seconds: number,
): number {
  let most = 0;
  last.devices.forEach((d, i) => {
    if (d.device.kind !== component) return;
    const earlier = first.devices[i]?.uncountedS ?? 0;
    most = Math.max(most, Math.min(seconds, d.uncountedS - earlier + d.pendingS));
  });
  return most;
}

/**
 * What the total adds up, among the components this machine has (the meter's additive ones:
 * cpu, dram, gpu); psys and machine are said to be left out where present, since they
 * overlap the others.
 */
function totalBasis(reading: MeterReading): string {
  const summed: string[] = [];
  const overlapping: string[] = [];
  for (const { component } of reading.components) {
    (ADDITIVE_COMPONENTS.includes(component) ? summed : overlapping).push(component);
  }
  const sum = summed.length === 0 ? "nothing measured" : summed.join(" + ");
  return overlapping.length === 0
    ? sum
    : `${sum} (${overlapping.join(" and ")} ${overlapping.length === 1 ? "overlaps" : "overlap"} them: not added)`;
}

/** JSON can hold neither Infinity nor NaN: a counter that never wraps has `rangeJ: null`, an unknown power `null`. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

export function watchJson(reading: MeterReading): object {
  return {
    elapsedS: reading.elapsedS,
    totalWatts: reading.totalWatts,
    totalEnergyJ: reading.totalEnergyJ,
    components: reading.components,
    devices: reading.devices.map((d) => ({
      id: d.device.id,
      kind: d.device.kind,
      basis: d.device.basis,
      watts: d.watts,
      energyJ: d.energyJ,
      utilisation: d.utilisation,
      lowerBound: d.lowerBound,
      uncountedS: d.uncountedS,
      pendingS: d.pendingS,
      problem: d.problem,
    })),
  };
}
