import { type PlistValue, parsePlist } from "./plist.ts";

/**
 * One powermetrics sample. Energies are over the sample's interval (powermetrics reports
 * per-interval figures, not counters); NaN where the sample does not carry the figure.
 */
export interface PowermetricsSample {
  readonly elapsedS: number;
  readonly cpuJ: number;
  readonly gpuJ: number;
  readonly aneJ: number;
  readonly cpuWatts: number;
  readonly gpuWatts: number;
  readonly aneWatts: number;
}

export type ParseOutcome =
  | { readonly ok: true; readonly sample: PowermetricsSample }
  | { readonly ok: false; readonly why: string };

const NAN = Number.NaN;

/**
 * A plist sample (`powermetrics -f plist`). Apple Silicon writes `processor.{cpu,gpu,ane}_energy`
 * (millijoules over the interval) and `…_power` (milliwatts); Intel Macs write
 * `processor.package_joules`/`package_watts`, counted as the CPU. `elapsed_ns` is the interval.
 */
export function parsePlistSample(text: string): ParseOutcome {
  const parsed = parsePlist(text);
  if (!parsed.ok) return { ok: false, why: parsed.why };
  const root = asDict(parsed.value);
  const processor = root === undefined ? undefined : asDict(root.processor);
  if (root === undefined || processor === undefined)
    return { ok: false, why: "no processor dictionary (was --samplers cpu_power given?)" };
  const elapsedNs = num(root.elapsed_ns);
  const elapsedS = elapsedNs / 1e9;
  const energy = (key: string, powerKey: string): number => {
    const mj = num(processor[key]);
    if (!Number.isNaN(mj)) return mj / 1000;
    const mw = num(processor[powerKey]);
    return Number.isNaN(mw) || Number.isNaN(elapsedS) ? NAN : (mw / 1000) * elapsedS;
  };
  const intelJ = num(processor.package_joules);
  const intelW = num(processor.package_watts);
  const cpuJ = !Number.isNaN(intelJ)
    ? intelJ
    : !Number.isNaN(intelW) && !Number.isNaN(elapsedS)
      ? intelW * elapsedS
      : energy("cpu_energy", "cpu_power");
  const sample: PowermetricsSample = {
    elapsedS,
    cpuJ,
    gpuJ: energy("gpu_energy", "gpu_power"),
    aneJ: energy("ane_energy", "ane_power"),
    cpuWatts: !Number.isNaN(intelW) ? intelW : num(processor.cpu_power) / 1000,
    gpuWatts: num(processor.gpu_power) / 1000,
    aneWatts: num(processor.ane_power) / 1000,
  };
  if (Number.isNaN(sample.cpuJ) && Number.isNaN(sample.cpuWatts))
    return { ok: false, why: "the processor dictionary has no CPU energy or power" };
  return checked(sample);
}

/**
 * Refuses a sample whose figures no interval can hold: negative, or above what a Mac can draw
 * (`MAX_SAMPLE_WATTS` over the interval, or over an hour when the interval is unknown). One
 * such figure added into a channel's counter would otherwise hide every later interval's
 * energy below its precision (1e300 + 1 is 1e300).
 */
function checked(sample: PowermetricsSample): ParseOutcome {
  const seconds =
    Number.isFinite(sample.elapsedS) && sample.elapsedS > 0
      ? Math.min(sample.elapsedS, MAX_SAMPLE_S)
      : MAX_SAMPLE_S;
  const maxJ = MAX_SAMPLE_WATTS * seconds;
  const figures: readonly [string, number, number][] = [
    ["CPU energy", sample.cpuJ, maxJ],
    ["GPU energy", sample.gpuJ, maxJ],
    ["ANE energy", sample.aneJ, maxJ],
    ["CPU power", sample.cpuWatts, MAX_SAMPLE_WATTS],
    ["GPU power", sample.gpuWatts, MAX_SAMPLE_WATTS],
    ["ANE power", sample.aneWatts, MAX_SAMPLE_WATTS],
  ];
  for (const [what, value, max] of figures) {
    if (Number.isNaN(value)) continue;
    if (!(value >= 0 && value <= max))
      return { ok: false, why: `${what} ${value} is outside 0 to ${max}` };
  }
  return { ok: true, sample };
}

/** Above any Mac's draw (a Mac Pro's supply is 1.4 kW): a figure beyond it is not a reading. */
export const MAX_SAMPLE_WATTS = 2000;
/** The longest interval believed; powermetrics' own `-i` is at most a minute here. */
const MAX_SAMPLE_S = 3600;

/**
 * A text sample (powermetrics' default output): `*** Sampled system activity (…) (1004.21ms elapsed) ***`
 * then `CPU Power: 348 mW`, `GPU Power: 12 mW`, `ANE Power: 0 mW` on Apple Silicon, or
 * `Intel energy model derived package power (CPUs+GT+SA): 1.55W` on Intel Macs.
 */
export function parseTextSample(text: string): ParseOutcome {
  const elapsedMs = Number(/\(([\d.]+)ms elapsed\)/.exec(text)?.[1] ?? NAN);
  const elapsedS = elapsedMs / 1000;
  let garbled: string | null = null;
  const mw = (label: string): number => {
    const m = new RegExp(`^${label} Power:\\s*([\\d.]+)\\s*mW\\b`, "m").exec(text);
    if (m === null) return NAN;
    const watts = Number(m[1]) / 1000;
    // A line that is there but not a number ("1.2.3 mW") is a garbled sample, not an absent
    // channel: read as absent, that channel's interval was lost without a word.
    if (Number.isNaN(watts)) garbled ??= `${label} Power is not a number (${m[1]})`;
    return watts;
  };
  const intel = /^Intel energy model derived package power \(CPUs\+GT\+SA\):\s*([\d.]+)\s*W/m.exec(
    text,
  );
  const cpuWatts = intel !== null ? Number(intel[1]) : mw("CPU");
  const gpuWatts = mw("GPU");
  const aneWatts = mw("ANE");
  if (garbled !== null) return { ok: false, why: garbled };
  if (Number.isNaN(cpuWatts)) return { ok: false, why: "no CPU Power line" };
  if (Number.isNaN(elapsedS)) return { ok: false, why: "no (… ms elapsed) in the sample header" };
  return checked({
    elapsedS,
    cpuJ: cpuWatts * elapsedS,
    gpuJ: gpuWatts * elapsedS,
    aneJ: aneWatts * elapsedS,
    cpuWatts,
    gpuWatts,
    aneWatts,
  });
}

/** One sample is far below this; a stream that grows past it without a separator is dropped. */
export const MAX_SAMPLE_BYTES = 1 << 20;

const TEXT_HEADER = "*** Sampled system activity";

/**
 * Cuts powermetrics' stdout into samples: plist samples end with a NUL byte, text samples start
 * with `*** Sampled system activity`. Bounded: a sample longer than `MAX_SAMPLE_BYTES` is
 * dropped and counted.
 */
export class PowermetricsSplitter {
  private buffer = "";
  oversized = 0;

  /** Complete samples in this chunk, oldest first. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    for (;;) {
      const nul = this.buffer.indexOf("\0");
      if (nul >= 0) {
        const piece = this.buffer.slice(0, nul);
        this.buffer = this.buffer.slice(nul + 1);
        if (piece.trim() !== "") out.push(piece);
        continue;
      }
      const first = this.buffer.indexOf(TEXT_HEADER);
      const next = first < 0 ? -1 : this.buffer.indexOf(TEXT_HEADER, first + TEXT_HEADER.length);
      if (next >= 0) {
        out.push(this.buffer.slice(first, next));
        this.buffer = this.buffer.slice(next);
        continue;
      }
      break;
    }
    if (this.buffer.length > MAX_SAMPLE_BYTES) {
      this.oversized++;
      this.buffer = "";
    }
    return out;
  }

  /** What is left when the stream ends (a last text sample has no header after it). */
  flush(): string[] {
    const rest = this.buffer;
    this.buffer = "";
    return rest.trim() === "" ? [] : [rest];
  }
}

/** Parses one cut sample in whichever format it is. */
export function parseSample(text: string): ParseOutcome {
  return text.includes("<plist") ? parsePlistSample(text) : parseTextSample(text);
}

function asDict(value: PlistValue | undefined): { [key: string]: PlistValue } | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

function num(value: PlistValue | undefined): number {
  return typeof value === "number" ? value : NAN;
}
