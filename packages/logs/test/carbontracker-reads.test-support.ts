/**
 * What carbontracker 2.4.3's own parser (`carbontracker/parser.py`) reads from a log: its
 * regular expressions ported to JavaScript (`(?i)` -> the `i` flag, `\Z` -> `$` without `m`,
 * `re.match` -> a leading `^`), with the conversions around them. Tests use it twice: to check
 * that carbontracker reads back what our writer wrote, and to show, on a log that exposes one
 * of its defects, what carbontracker itself would have said.
 */

const ACTUAL_RE =
  /Actual consumption(?:\s*for\s+\d+\s+epochs)?[\s\S]*?Time:\s*(.*)\n\s*Energy:\s*(.*)\s+kWh[\s\S]*?CO2eq:\s*(.*)\s+g(?:\s*This is equivalent to:\s*([\s\S]*?))?(?=\d{4}-\d{2}-\d{2}|$)/i;
const PRED_RE =
  /Predicted consumption for (\d*) epoch\(s\):[\s\S]*?Time:\s*(.*)\n\s*Energy:\s*(.*)\s+kWh[\s\S]*?CO2eq:\s*(.*)\s+g(?:\s*This is equivalent to:\s*([\s\S]*?))?(?=\d{4}-\d{2}-\d{2}|$)/i;
const TIME_RE = /(\d+):(\d{2}):(\d\d?(?:.\d{2})?)/;
const OUTPUT_NAME_RE = /^.*carbontracker_output.log/;
const STD_NAME_RE = /^.*carbontracker.log/;
const COMP_RE = /The following components were found:(.*)\n/;
const DEVICE_RE = / (.*?) with device\(s\) (.*?)\./g;
const DURATION_RE = /Duration: (\d+):(\d{2}):(\d\d?(?:.\d{2})?)/g;
const POWER_RE = /Average power usage \(W\) for (.+): (\[?[0-9.]+\]?|None)/g;

export interface CarbontrackerConsumption {
  epochs: number;
  "duration (s)": number | null;
  "energy (kWh)": number;
  "co2eq (g)": number;
  equivalents: Record<string, number> | null;
}

function time(text: string): number | null {
  const m = TIME_RE.exec(text);
  return m === null ? null : Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

function equivalents(text: string | undefined): Record<string, number> | null {
  if (text === undefined) return null;
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    const space = trimmed.indexOf(" ");
    if (space < 0) continue;
    const value = Number(trimmed.slice(0, space));
    if (!Number.isNaN(value)) out[trimmed.slice(space + 1).trim()] = value;
  }
  return out;
}

/** `get_consumption`: `[actual, pred]`. The actual's optional count is not captured: epochs = 1. */
export function carbontrackerGetConsumption(
  output: string,
): [CarbontrackerConsumption | null, CarbontrackerConsumption | null] {
  const a = ACTUAL_RE.exec(output);
  const p = PRED_RE.exec(output);
  const actual =
    a === null
      ? null
      : {
          epochs: 1,
          "duration (s)": time(a[1] ?? ""),
          "energy (kWh)": Number(a[2]),
          "co2eq (g)": Number(a[3]),
          equivalents: equivalents(a[4]),
        };
  const pred =
    p === null
      ? null
      : {
          epochs: Number(p[1]),
          "duration (s)": time(p[2] ?? ""),
          "energy (kWh)": Number(p[3]),
          "co2eq (g)": Number(p[4]),
          equivalents: equivalents(p[5]),
        };
  return [actual, pred];
}

/** `get_devices`: split on `,` without trimming, each list cut at its first `.`. */
export function carbontrackerGetDevices(std: string): Record<string, string[]> {
  const m = COMP_RE.exec(std);
  if (m === null) return {};
  const devices: Record<string, string[]> = {};
  for (const d of (m[1] ?? "").matchAll(DEVICE_RE)) {
    devices[(d[1] ?? "").toLowerCase()] = (d[2] ?? "").split(",");
  }
  return devices;
}

export function carbontrackerGetEpochDurations(std: string): number[] {
  return [...std.matchAll(DURATION_RE)].map(
    (m) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]),
  );
}

/** `get_avg_power_usages`: the first run of `[0-9.]` of each line; `None` -> `[0.0]`. */
export function carbontrackerGetAvgPowerUsages(std: string): Record<string, number[][]> {
  const out: Record<string, number[][]> = {};
  for (const m of std.matchAll(POWER_RE)) {
    const component = m[1] ?? "";
    const value = m[2] ?? "";
    const values =
      value === "None"
        ? [0]
        : value
            .replace(/^\[/, "")
            .replace(/\]$/, "")
            .split(" ")
            .filter((t) => t !== "")
            .map(Number);
    const list = out[component] ?? [];
    list.push(values);
    out[component] = list;
  }
  return out;
}

/**
 * `parse_logs` for one component: `KeyError` when the component is listed as found but has
 * no power line while another component has some.
 */
export function carbontrackerParseLogsRaises(std: string): string | undefined {
  const powers = carbontrackerGetAvgPowerUsages(std);
  if (Object.keys(powers).length === 0) return undefined;
  for (const component of Object.keys(carbontrackerGetDevices(std))) {
    if (!(component in powers)) return `KeyError: '${component}'`;
  }
  return undefined;
}

/** `get_all_logs`: which names its (unanchored, unescaped) patterns take for logs. */
export function carbontrackerTakesAsLog(name: string): "output" | "standard" | undefined {
  if (OUTPUT_NAME_RE.test(name)) return "output";
  if (STD_NAME_RE.test(name)) return "standard";
  return undefined;
}

/** `aggregate_consumption`'s choice for one pair, given what its regexes read. */
export function carbontrackerChooses(
  actual: CarbontrackerConsumption | null,
  pred: CarbontrackerConsumption | null,
  earlyStop: boolean,
): CarbontrackerConsumption | null {
  if (actual === null) return pred;
  if (pred === null) return actual;
  return earlyStop || actual.epochs === pred.epochs ? actual : pred;
}

/** `get_early_stop`. */
export function carbontrackerGetEarlyStop(std: string): boolean {
  return /Training was interrupted/i.test(std);
}

/** `get_all_logs` then `zip`: the pairs carbontracker forms from a folder's file names. */
export function carbontrackerPairs(
  names: readonly string[],
): [output: string, standard: string][] | "MismatchedLogFilesError" {
  const outputs = names.filter((n) => carbontrackerTakesAsLog(n) === "output").sort();
  const standards = names.filter((n) => carbontrackerTakesAsLog(n) === "standard").sort();
  if (outputs.length !== standards.length) return "MismatchedLogFilesError";
  return outputs.map((o, i) => [o, standards[i] ?? ""]);
}
