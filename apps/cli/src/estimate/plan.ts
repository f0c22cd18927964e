import {
  cutText,
  type FootprintRequest,
  findHardware,
  parseDuration,
  parseTimeSpan,
  resolveLocation,
  resolvePue,
  type TimeSpan,
} from "@wattprint/core";
import { MAX_QUOTED_CHARS, parseNumberFlag, quoted, stripUnit } from "../args.ts";
import { UsageError } from "../usage-error.ts";
import type { EstimateFlags } from "./flags.ts";
import { parseHardwareCount, tryParseHardwareCount } from "./hardware-count.ts";

/** One estimate of a comparison: the location and hardware it stands for, and its request. */
export interface Variant {
  /** The location as typed, when the command compares locations or names one. */
  readonly location?: string;
  /** The hardware as typed ("8x H100 + Xeon"), when the command compares hardware. */
  readonly hardware: string;
  readonly request: FootprintRequest;
}

export type OutputFormat = "table" | "json" | "csv";

export interface EstimatePlan {
  readonly variants: readonly Variant[];
  /** What the variants differ in; a plain estimate differs in nothing. */
  readonly comparing: { readonly location: boolean; readonly hardware: boolean };
  readonly format: OutputFormat;
  readonly live: boolean;
  /** The span the duration came from, to print with the work. */
  readonly span?: TimeSpan;
  /** The numbers as typed, to name them if only their product overflows. */
  readonly numbersGiven: readonly string[];
}

/** Rows a comparison may have: each is a full estimate, and a table longer than this is unread. */
export const MAX_VARIANTS = 64;

const UTILISATION = { min: 0, max: 1 };
const PERCENT = { min: 0, max: 100, unit: "%" };

/** Utilisation as a fraction ("0.8") or a percentage ("80%"). */
function parseUtilisation(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (!text.endsWith("%")) return parseNumberFlag("estimate", "utilisation", text, UTILISATION);
  const percent = parseNumberFlag("estimate", "utilisation", text.slice(0, -1), PERCENT);
  return percent === undefined ? undefined : percent / 100;
}

function parseWatts(raw: string): number {
  const text = stripUnit(raw, "W");
  // "1.5kW" was refused as got "1.5k": the message quoted what was left once W was cut.
  if (/\d\s*[kmgtµu]$/i.test(text)) {
    throw new UsageError(
      `estimate: --watts expects a number of watts >= 0 (only W: "1500" or "1500W", not kW or mW), got ${quoted(raw.trim())}`,
    );
  }
  return parseNumberFlag("estimate", "watts", text, { min: 0 }) ?? 0;
}

/**
 * A flag value that lists alternatives, "FR,PL,DE". A value that is itself a known name is
 * kept whole, so a name with a comma in it ("Bonaire, Sint Eustatius and Saba") still works.
 */
function alternatives(flag: string, raw: string, known: (text: string) => boolean): string[] {
  if (!raw.includes(",") || known(raw)) return [raw.trim()];
  const parts = raw.split(",").map((part) => part.trim());
  if (parts.some((part) => part === "")) {
    throw new UsageError(
      `estimate: --${flag} ${quoted(raw)} has an empty item; separate names with one comma`,
    );
  }
  return parts;
}

/** A whole name, not a token match: "H100 SXM,A100" must not count as one device. */
function isHardwareName(text: string): boolean {
  const match = findHardware(text);
  return (
    match.ok && (match.value.confidence === "exact" || match.value.confidence === "normalised")
  );
}

/**
 * Each item once: a list that names one twice is a typo, not a wish to see it twice. `keyOf`
 * says what an item names (a location's zone: "France" and "FR" are one), the text itself
 * by default.
 */
function once(
  flag: string,
  items: readonly string[],
  keyOf: (item: string) => string = (item) => item.toLowerCase(),
): string[] {
  const seen = new Map<string, string>();
  for (const item of items) {
    const key = keyOf(item);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const same = earlier.toLowerCase() === item.toLowerCase();
      throw new UsageError(
        same
          ? `estimate: --${flag} lists ${quoted(item)} twice`
          : `estimate: --${flag} lists ${quoted(earlier)} and ${quoted(item)}, the same place (${key}); give it once`,
      );
    }
    seen.set(key, item);
  }
  return [...items];
}

/** The zone a location resolves to, or its text when it resolves to none (refused later). */
function zoneOf(location: string): string {
  const resolved = resolveLocation(location);
  return resolved.ok ? resolved.value.zone : location.toLowerCase();
}

/**
 * How many combinations `product` and the bases and places would make, exactly: a BigInt, as
 * a hundred lists of six overflow a double, and the refusal names the number.
 */
function combinationCount(lengths: readonly number[]): bigint {
  return lengths.reduce((total, length) => total * BigInt(length), 1n);
}

/** Every combination of one item from each list. */
function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>(
    (combos, list) => combos.flatMap((combo) => list.map((item) => [...combo, item])),
    [[]],
  );
}

/** --duration, --latency, or --from with --to: exactly one way to say how long. */
function readWork(values: EstimateFlags): {
  work: Pick<FootprintRequest, "duration" | "latency">;
  span?: TimeSpan;
} {
  const spanGiven = values.from !== undefined || values.to !== undefined;
  const ways = [values.duration, values.latency].filter((v) => v !== undefined).length;
  if (ways + (spanGiven ? 1 : 0) !== 1) {
    throw new UsageError(
      "estimate: give exactly one of --duration, --latency, or --from with --to",
    );
  }
  if (spanGiven) {
    if (values.from === undefined || values.to === undefined) {
      throw new UsageError("estimate: --from and --to go together; give both");
    }
    const span = parseTimeSpan(values.from, values.to);
    if (!span.ok) {
      const error = span.error;
      const flag = error.kind === "unparsable-date" ? `--${error.field}: ` : "";
      throw new UsageError(
        `estimate: ${flag}${error.message.replace("swap from and to", "swap --from and --to")}`,
      );
    }
    return { work: { duration: `${span.value.duration.value}s` }, span: span.value };
  }
  // Read here as well as in core, so that a mistake names its flag.
  for (const flag of ["duration", "latency"] as const) {
    const text = values[flag];
    const parsed = text === undefined ? undefined : parseDuration(text);
    if (parsed && !parsed.ok) throw new UsageError(`estimate: --${flag}: ${parsed.error.message}`);
  }
  return {
    work: {
      ...(values.duration !== undefined ? { duration: values.duration } : {}),
      ...(values.latency !== undefined ? { latency: values.latency } : {}),
    },
  };
}

function readFormat(values: EstimateFlags): OutputFormat {
  if (values.json && values.csv) throw new UsageError("estimate: give --json or --csv, not both");
  return values.json ? "json" : values.csv ? "csv" : "table";
}

/** A machine preset or cloud instance that an estimate is built on; commas list alternatives. */
interface Base {
  readonly kind: "machine" | "instance";
  readonly name: string;
}

function readBases(values: EstimateFlags): Base[] {
  if (values.machine !== undefined && values.instance !== undefined) {
    throw new UsageError("estimate: give --machine or --instance, not both");
  }
  const kind = values.machine !== undefined ? "machine" : "instance";
  const raw = values.machine ?? values.instance;
  if (raw === undefined) return [];
  return once(
    kind,
    alternatives(kind, raw, () => false),
  ).map((name) => ({ kind, name }));
}

/**
 * --utilisation and --memory describe the parts named with --hardware and --watts. A machine
 * preset or cloud instance is a fixed bill of parts at rated power, memory included, and the
 * request has no load for it: --utilisation was silently dropped for it (a DGX at 0% drew its
 * full 10.2 kW), and --memory added a second memory row to the one it has.
 */
function refuseMachineLevel(values: EstimateFlags, bases: readonly Base[]): void {
  const base = bases[0];
  if (base === undefined) return;
  const named =
    base.kind === "machine" ? "machine preset (--machine)" : "cloud instance (--instance)";
  if (values.utilisation !== undefined) {
    throw new UsageError(
      `estimate: --utilisation applies to --hardware and --watts only: a ${named} is counted at rated power (no load can be set for a whole machine), so it would be ignored; leave it out, or name the parts with --hardware`,
    );
  }
  if (values.memory !== undefined) {
    throw new UsageError(
      `estimate: --memory applies to --hardware and --watts only: a ${named} already counts its own memory, so it would be counted twice; leave it out`,
    );
  }
}

/**
 * `--count` is the number of inferences with --latency, as before; with a machine or instance
 * and a duration it is the number of machines (`--machine dgx-h100 --count 4`). `--machines`
 * says the latter in any case.
 */
function readCounts(
  values: EstimateFlags,
  hasBase: boolean,
): { count: number | undefined; machineCount: number } {
  // Zero inferences or machines is no estimate: it answered 0 kWh as if something were measured.
  const count = parseNumberFlag("estimate", "count", values.count, { min: 1, integer: true });
  const machines = parseNumberFlag("estimate", "machines", values.machines, {
    min: 1,
    integer: true,
  });
  if (machines !== undefined && !hasBase) {
    throw new UsageError("estimate: --machines counts a --machine or --instance; name one");
  }
  if (values.latency !== undefined) return { count, machineCount: machines ?? 1 };
  if (count === undefined) return { count: undefined, machineCount: machines ?? 1 };
  if (!hasBase)
    throw new UsageError("estimate: --count goes with --latency, --machine or --instance");
  if (machines !== undefined) {
    throw new UsageError("estimate: --count and --machines both count machines; give one");
  }
  return { count: undefined, machineCount: count };
}

/** Where: locations (--location) or cloud regions (--region), each possibly a list. */
function readPlaces(values: EstimateFlags): {
  field: "location" | "region";
  list: readonly (string | undefined)[];
} {
  if (values.location !== undefined && values.region !== undefined) {
    throw new UsageError(
      "estimate: give --location or --region, not both: a cloud region decides the grid zone",
    );
  }
  if (values.region !== undefined) {
    return {
      field: "region",
      list: once(
        "region",
        values.region.flatMap((raw) => alternatives("region", raw, () => false)),
      ),
    };
  }
  const locations = once(
    "location",
    (values.location ?? []).flatMap((raw) =>
      alternatives("location", raw, (text) => resolveLocation(text).ok),
    ),
    zoneOf,
  );
  return { field: "location", list: locations.length > 0 ? locations : [undefined] };
}

/** Turns the parsed flags into the estimates to run. Throws UsageError for a bad command line. */
export function planEstimate(values: EstimateFlags): EstimatePlan {
  const utilisation = parseUtilisation(values.utilisation);
  const withLoad = utilisation === undefined ? {} : { utilisation };
  // Each --hardware is one part of the machine; commas in one list alternatives for that part.
  const slots = (values.hardware ?? []).map((raw) =>
    once(
      "hardware",
      alternatives("hardware", raw, (text) => {
        // Only asks whether the whole value is one name; a bad count is refused per item below.
        const item = tryParseHardwareCount(text);
        return item !== undefined && isHardwareName(item.name);
      }),
    ).map(parseHardwareCount),
  );
  const watts = (values.watts ?? []).map((raw) => ({ raw, watts: parseWatts(raw) }));
  const bases = readBases(values);
  refuseMachineLevel(values, bases);
  if (slots.length === 0 && watts.length === 0 && bases.length === 0) {
    throw new UsageError(
      "estimate: give --hardware NAME, --watts W, --machine PRESET or --instance TYPE",
    );
  }
  const { work, span } = readWork(values);
  const pue = values.pue === undefined ? undefined : resolvePue(values.pue);
  if (pue && !pue.ok) throw new UsageError(`estimate: --pue: ${pue.error.message}`);
  const { count, machineCount } = readCounts(values, bases.length > 0);
  const memoryGB = parseNumberFlag(
    "estimate",
    "memory",
    values.memory === undefined ? undefined : stripUnit(values.memory, "GB"),
    // The core takes a memory size above 0 (0 GB is no memory: leave the flag out).
    { above: 0, unit: "GB" },
  );
  const intensity = parseNumberFlag("estimate", "intensity", values.intensity, { min: 0 });
  const year = parseNumberFlag("estimate", "year", values.year, { integer: true, min: 0 });
  if (values.live && intensity !== undefined) {
    throw new UsageError("estimate: --live and --intensity contradict each other; give one");
  }
  const places = readPlaces(values);
  // Counted before any is built: ten --hardware lists of six names are 6^10 combinations,
  // which ran the heap out of memory before the limit below was ever checked.
  const comboCount = combinationCount([
    Math.max(bases.length, 1),
    ...slots.map((slot) => slot.length),
    places.list.length,
  ]);
  if (comboCount > BigInt(MAX_VARIANTS)) {
    throw new UsageError(
      `estimate: that compares ${comboCount} combinations; at most ${MAX_VARIANTS} at once`,
    );
  }
  const machines = product(slots);
  const combos = (bases.length > 0 ? bases : [undefined]).flatMap((base) =>
    machines.flatMap((parts) => places.list.map((place) => ({ base, parts, place }))),
  );
  const variants = combos.map(({ base, parts, place }): Variant => {
    const hardware = [
      ...parts.map(({ name, count }) => ({ name, count, ...withLoad })),
      ...watts.map((item) => ({ watts: item.watts, ...withLoad })),
    ];
    const baseLabel =
      base === undefined ? [] : [machineCount > 1 ? `${machineCount}x ${base.name}` : base.name];
    return {
      ...(place === undefined ? {} : { location: place }),
      hardware: [
        ...baseLabel,
        ...parts.map((p) => p.raw),
        ...watts.map((w) => `${w.watts} W`),
      ].join(" + "),
      request: {
        hardware,
        ...(base === undefined ? {} : { [base.kind]: base.name }),
        ...(base !== undefined && machineCount > 1 ? { machines: machineCount } : {}),
        ...(values.cloud !== undefined ? { cloud: values.cloud } : {}),
        ...work,
        ...(count !== undefined ? { count } : {}),
        ...(memoryGB !== undefined ? { memoryGB } : {}),
        ...(place === undefined ? {} : { [places.field]: place }),
        ...(intensity !== undefined ? { intensityGPerKWh: intensity } : {}),
        ...(year !== undefined ? { year } : {}),
        ...(values.pue !== undefined ? { pue: values.pue } : {}),
      },
    };
  });
  const numbersGiven = [
    ...slots
      .flat()
      .filter((item) => item.count > 1)
      .map((item) => `--hardware ${quoted(item.raw)}`),
    ...watts.map((item) => `--watts ${item.raw}`),
    ...(
      ["duration", "latency", "count", "machines", "memory", "intensity", "pue"] as const
    ).flatMap((flag) => (values[flag] === undefined ? [] : [`--${flag} ${values[flag]}`])),
    ...(span === undefined ? [] : [`--from ${values.from} --to ${values.to}`]),
    // A value that parsed may still be long ("1" and 100,000 blanks): each is quoted in part.
  ].map((given) => cutText(given, MAX_QUOTED_CHARS));
  return {
    variants,
    comparing: {
      location: places.list.length > 1,
      hardware: bases.length > 1 || slots.some((slot) => slot.length > 1),
    },
    format: readFormat(values),
    live: values.live === true,
    ...(span === undefined ? {} : { span }),
    numbersGiven,
  };
}
