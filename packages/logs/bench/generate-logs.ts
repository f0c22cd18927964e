import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gramsCO2eq, gramsPerKWh, kilowattHours, seconds, watts } from "@wattprint/core";
import { fixedDecimal, formatEpochDuration, formatHms, startLogs } from "@wattprint/logs";

/**
 * Writes a folder of carbontracker log pairs like a lab's: half written by this package's
 * writer (carbontracker 2.4.3's format), half in carbontracker 2.3.1's wording (its
 * intensity lines, every run "interrupted"), each with its error log, 4 to 30 epochs, one or
 * two components. Returns the totals a correct aggregate must find.
 */
export interface GeneratedFolder {
  readonly pairs: number;
  readonly energyKWh: number;
  readonly co2eqG: number;
}

/** A small deterministic generator (mulberry32): the same folder for the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PUE = 1.58;
const DK = 143.3;

export function generateLogFolder(dir: string, pairs: number, seed = 1): GeneratedFolder {
  const rand = random(seed);
  let energyKWh = 0;
  let co2eqG = 0;
  for (let i = 0; i < pairs; i++) {
    const epochs = 4 + Math.floor(rand() * 27);
    const gpu = rand() < 0.8;
    const gpuW = 150 + rand() * 250;
    const cpuW = 20 + rand() * 80;
    const durationS = 30 + rand() * 600;
    const epochKWh = (((gpu ? gpuW : 0) + cpuW) * durationS * PUE) / 3.6e6;
    const actualKWh = Number(fixedDecimal(epochKWh * epochs, 12));
    const actualG = Number(fixedDecimal(epochKWh * epochs * DK, 12));
    energyKWh += actualKWh;
    co2eqG += actualG;
    const figures = { epochs, gpu, gpuW, cpuW, durationS, epochKWh, actualKWh, actualG };
    if (i % 2 === 0) writeWithWriter(dir, i, figures);
    else writeV231(dir, i, figures);
  }
  return { pairs, energyKWh, co2eqG };
}

interface Figures {
  readonly epochs: number;
  readonly gpu: boolean;
  readonly gpuW: number;
  readonly cpuW: number;
  readonly durationS: number;
  readonly epochKWh: number;
  readonly actualKWh: number;
  readonly actualG: number;
}

const START = Date.UTC(2026, 0, 1);

function writeWithWriter(dir: string, i: number, f: Figures): void {
  const started = startLogs({
    logDir: dir,
    pid: 10_000 + i,
    loggerId: 1 + (i % 999_999),
    components: [
      ...(f.gpu ? [{ name: "gpu", devices: ["NVIDIA A100-SXM4-40GB"] }] : []),
      { name: "cpu", devices: ["cpu:0", "dram:0"] },
    ],
    now: () => new Date(START + i * 1000),
  });
  if (!started.ok) throw new Error(started.error.message);
  const w = started.value;
  for (let e = 1; e <= f.epochs; e++) {
    w.epochEnd({
      duration: seconds(f.durationS),
      power: f.gpu ? { gpu: watts(f.gpuW), cpu: watts(f.cpuW) } : { cpu: watts(f.cpuW) },
    });
    if (e === 1) {
      w.prediction({
        epochs: f.epochs,
        duration: seconds(f.durationS * f.epochs),
        energy: kilowattHours(f.epochKWh * f.epochs),
        carbon: gramsCO2eq(f.epochKWh * f.epochs * DK),
      });
    }
  }
  w.actual({
    duration: seconds(f.durationS * f.epochs),
    energy: kilowattHours(f.actualKWh),
    carbon: gramsCO2eq(f.actualG),
    averageIntensity: gramsPerKWh(DK),
    fetched: [gramsPerKWh(DK)],
    address: "Copenhagen, Capital Region, DK",
  });
  w.end();
  writeFileSync(
    join(dir, `${w.files.stem}_carbontracker_err.log`),
    "2026-01-01 00:00:00,617 - MainThread - WARNING - No API keys provided. Skipping intensity provider initialization.\n",
  );
}

/** carbontracker 2.3.1's wording, as its logs read (see the v231 fixtures). */
function writeV231(dir: string, i: number, f: Figures): void {
  const ts = new Date(START + i * 1000).toISOString().slice(0, 19).replace("T", " ");
  const stem = `${20_000 + i}.${1 + (i % 999_999)}_${new Date(START + i * 1000).toISOString().slice(0, 19).replace(/:/g, "")}Z`;
  const at = `Copenhagen, Capital Region, DK`;
  const line = (m: string) => `${ts} - ${m}\n`;
  const found = `The following components were found: ${f.gpu ? "GPU with device(s) NVIDIA A100-SXM4-40GB. " : ""}CPU with device(s) cpu:0, dram:0.`;
  let std =
    line("carbontracker version 2.3.1") +
    line(
      "Only predicted and actual consumptions are multiplied by a PUE coefficient of 1.58 (Daniel Bizo, 2023, Uptime Institute Global Data Center Survey).",
    ) +
    line(found) +
    line("Monitoring thread started.");
  for (let e = 1; e <= f.epochs; e++) {
    std += line(`Epoch ${e}:`) + line(`Duration: ${formatEpochDuration(f.durationS)}`);
    if (f.gpu) std += line(`Average power usage (W) for gpu: ${f.gpuW}`);
    std += line(`Average power usage (W) for cpu: ${f.cpuW}`);
  }
  std +=
    line("Training was interrupted before all -1 epochs were monitored.") +
    line(
      `Carbon intensities (gCO2/kWh) fetched every 900 s at detected location ${at}: [151.6503]`,
    ) +
    line(
      `Average carbon intensity during training was ${DK.toFixed(2)} gCO2/kWh at detected location: ${at}.`,
    ) +
    line("Monitoring thread ended.");
  const block = (what: string, epochs: number, kWh: number, g: number) =>
    `${ts} - CarbonTracker: \n${what} consumption for ${epochs} epoch(s):\n\tTime:\t${formatHms(f.durationS * f.epochs)}\n` +
    `\tEnergy:\t${fixedDecimal(kWh, 12)} kWh\n\tCO2eq:\t${fixedDecimal(g, 12)} g\n` +
    `\tThis is equivalent to:\n\t${fixedDecimal(g / 107.5, 12)} km travelled by car\n`;
  const output =
    line(`CarbonTracker: ${found}`) +
    block("Predicted", f.epochs, f.epochKWh * f.epochs, f.epochKWh * f.epochs * DK) +
    line(
      `CarbonTracker: Average carbon intensity during training was ${DK.toFixed(2)} gCO2/kWh at detected location: ${at}.`,
    ) +
    block("Actual", f.epochs - 1, f.actualKWh, f.actualG) +
    line("CarbonTracker: Finished monitoring.");
  writeFileSync(join(dir, `${stem}_carbontracker.log`), std);
  writeFileSync(join(dir, `${stem}_carbontracker_output.log`), output);
  writeFileSync(
    join(dir, `${stem}_carbontracker_err.log`),
    `${ts},412 - CarbonIntensityThread - WARNING - ElectricityMaps API key not set. Will default to average carbon intensity.\n`,
  );
}
