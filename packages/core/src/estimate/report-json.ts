import type { EstimateReport } from "./report.ts";

/**
 * `JSON.stringify(report)` for an estimate report, byte for byte, in a quarter of the time
 * in a warm loop (`pnpm --filter @wattprint/core bench`), under half once the string is
 * flattened and measured, as an HTTP response is. Two thirds of a report's 3 to 4 kB are the
 * citations of the embedded tables' sources and the fixed texts of the equivalents, the
 * same on every report: their JSON is kept, by source or equivalent id, and reused while
 * the object in hand still says the same thing (checked field by field, so a changed or
 * hand-built report is never given stale text). Everything else is written as it comes.
 *
 * The HTTP API serves reports through this; its tests hold it equal to `JSON.stringify` for
 * reports that reach every optional member, and `MEMBERS` below fails to compile when the
 * schema gains a member this writer does not know.
 */
export function estimateReportJson(report: EstimateReport): string {
  const intensity = report.intensity;
  let json = `{"schema":${known(report.schema)},"energy":${quantity(report.energy)},"itEnergy":${quantity(report.itEnergy)},"carbon":${quantity(report.carbon)},"intensity":{"value":${number(intensity.value)},"unit":${known(intensity.unit)},"zone":${known(intensity.zone)}`;
  if (intensity.zoneName !== undefined) json += `,"zoneName":${known(intensity.zoneName)}`;
  if (intensity.level !== undefined) json += `,"level":${known(intensity.level)}`;
  if (intensity.year !== undefined) json += `,"year":${number(intensity.year)}`;
  json += `,"source":${source(intensity.source)}},"pue":{"value":${number(report.pue.value)},"source":${source(report.pue.source)}},"work":${work(report.work)},"breakdown":[`;
  for (let i = 0; i < report.breakdown.length; i++) {
    const row = report.breakdown[i] as Row;
    if (i > 0) json += ",";
    json += `{"name":${quote(row.name)},"kind":${known(row.kind)},"count":${number(row.count)},"power":${quantity(row.power)},"energy":${quantity(row.energy)},"carbon":${quantity(row.carbon)},"source":${source(row.source)}}`;
  }
  json += `],"equivalents":[`;
  for (let i = 0; i < report.equivalents.length; i++) {
    if (i > 0) json += ",";
    json += equivalent(report.equivalents[i] as Equivalent);
  }
  json += `],"formula":${known(report.formula)}`;
  const leftOut = report.leftOut;
  if (leftOut !== undefined) {
    json += `,"leftOut":{"parts":[`;
    for (let i = 0; i < leftOut.parts.length; i++) {
      json += `${i > 0 ? "," : ""}${known(leftOut.parts[i] as string)}`;
    }
    json += `],"message":${known(leftOut.message)}}`;
  }
  return `${json}}`;
}

type Source = EstimateReport["pue"]["source"];
type Row = EstimateReport["breakdown"][number];
type Equivalent = EstimateReport["equivalents"][number];
type Work = EstimateReport["work"];

/**
 * The members each object has, in the order the schema (and so `JSON.stringify`) writes them.
 * A member added to the schema and not here makes `Exhaustive` fail to compile.
 */
type Exhaustive<T, Written extends keyof T> = [Exclude<keyof T, Written>] extends [never]
  ? true
  : never;
const MEMBERS: [
  Exhaustive<
    EstimateReport,
    | "schema"
    | "energy"
    | "itEnergy"
    | "carbon"
    | "intensity"
    | "pue"
    | "work"
    | "breakdown"
    | "equivalents"
    | "formula"
    | "leftOut"
  >,
  Exhaustive<
    EstimateReport["intensity"],
    "value" | "unit" | "zone" | "zoneName" | "level" | "year" | "source"
  >,
  Exhaustive<EstimateReport["pue"], "value" | "source">,
  Exhaustive<Source, "id" | "title" | "url" | "year" | "licence" | "method" | "note">,
  Exhaustive<Row, "name" | "kind" | "count" | "power" | "energy" | "carbon" | "source">,
  Exhaustive<Equivalent, "id" | "value" | "unit" | "description" | "basis" | "source">,
  Exhaustive<Equivalent["source"], "id" | "title" | "url" | "year">,
  Exhaustive<Extract<Work, { kind: "duration" }>, "kind" | "duration">,
  Exhaustive<Extract<Work, { kind: "inferences" }>, "kind" | "latency" | "count">,
  Exhaustive<NonNullable<EstimateReport["leftOut"]>, "parts" | "message">,
  Exhaustive<EstimateReport["energy"], "value" | "unit">,
] = [true, true, true, true, true, true, true, true, true, true, true];
void MEMBERS;

/** What `JSON.stringify` writes for a number: non-finite ones are `null`. */
function number(value: number): string {
  return Number.isFinite(value) ? `${value}` : "null";
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/**
 * `quote` for text from a finite set, whatever the request: the schema's name, units, kinds,
 * zones and their names from the embedded tables, the formula and the left-out message.
 */
const knownTexts = new Map<string, string>();
function known(text: string): string {
  let json = knownTexts.get(text);
  if (json === undefined) {
    json = quote(text);
    remember(knownTexts, text, json);
  }
  return json;
}

function quantity(value: { readonly value: number; readonly unit: string }): string {
  return `{"value":${number(value.value)},"unit":${known(value.unit)}}`;
}

function work(value: Work): string {
  return value.kind === "duration"
    ? `{"kind":"duration","duration":${quantity(value.duration)}}`
    : `{"kind":"inferences","latency":${quantity(value.latency)},"count":${number(value.count)}}`;
}

/**
 * Each cache below holds at most this many entries. What they are keyed by comes from the
 * embedded tables and the code (a few hundred of each), never from a request; the bound is
 * for a caller that builds reports by hand with ids of its own. Past it, text is written
 * without the cache, and counted.
 */
const MAX_CACHED_ENTRIES = 2048;
let uncachedWrites = 0;

/**
 * A source's JSON by id: the citation (the same for every row the source backs) and, after
 * it, the method and note last written with it (rows backed by one source say different
 * things about how they used it).
 */
interface SourceEntry {
  readonly cited: Source;
  readonly head: string;
  method: string;
  note: string | undefined;
  tail: string;
}
const sources = new Map<string, SourceEntry>();

function sameCitation(a: Source, b: Source): boolean {
  return a.title === b.title && a.url === b.url && a.year === b.year && a.licence === b.licence;
}

function sourceTail(method: string, note: string | undefined): string {
  return flat(`,"method":${quote(method)}${note !== undefined ? `,"note":${quote(note)}` : ""}}`);
}

/**
 * The text as one piece. A string built from parts is a tree of them in V8, and a tree kept
 * in a cache was walked again by every report that reused it (the response's byte count
 * copies the report into one string): a third of the writing time. A string read back from
 * JSON is one piece, and this runs once per cache entry.
 */
function flat(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function source(value: Source): string {
  let entry = sources.get(value.id);
  if (entry === undefined || !sameCitation(entry.cited, value)) {
    entry = {
      cited: { ...value },
      head: flat(
        `{"id":${quote(value.id)},"title":${quote(value.title)},"url":${quote(value.url)}${value.year !== undefined ? `,"year":${number(value.year)}` : ""}${value.licence !== undefined ? `,"licence":${quote(value.licence)}` : ""}`,
      ),
      method: value.method,
      note: value.note,
      tail: sourceTail(value.method, value.note),
    };
    remember(sources, value.id, entry);
  } else if (entry.method !== value.method || entry.note !== value.note) {
    entry.method = value.method;
    entry.note = value.note;
    entry.tail = sourceTail(value.method, value.note);
  }
  return `${entry.head}${entry.tail}`;
}

/** An equivalent's JSON up to its value, and from its value to the end, by id. */
interface EquivalentEntry {
  readonly equivalent: Equivalent;
  readonly head: string;
  readonly tail: string;
}
const equivalents = new Map<string, EquivalentEntry>();

function sameEquivalent(a: Equivalent, b: Equivalent): boolean {
  return (
    a.unit === b.unit &&
    a.description === b.description &&
    a.basis === b.basis &&
    a.source.id === b.source.id &&
    a.source.title === b.source.title &&
    a.source.url === b.source.url &&
    a.source.year === b.source.year
  );
}

function equivalent(value: Equivalent): string {
  let entry = equivalents.get(value.id);
  if (entry === undefined || !sameEquivalent(entry.equivalent, value)) {
    const { source: cited } = value;
    entry = {
      equivalent: { ...value, source: { ...cited } },
      head: flat(`{"id":${quote(value.id)},"value":`),
      tail: flat(
        `,"unit":${quote(value.unit)},"description":${quote(value.description)},"basis":${quote(value.basis)},"source":{"id":${quote(cited.id)},"title":${quote(cited.title)},"url":${quote(cited.url)},"year":${number(cited.year)}}}`,
      ),
    };
    remember(equivalents, value.id, entry);
  }
  return `${entry.head}${number(value.value)}${entry.tail}`;
}

function remember<T>(cache: Map<string, T>, key: string, entry: T): void {
  if (cache.has(key) || cache.size < MAX_CACHED_ENTRIES) cache.set(key, entry);
  else uncachedWrites++;
}

/** How the caches stand: entries held, and writes that found them full. */
export function estimateReportJsonIntrospect(): {
  readonly sourceIds: number;
  readonly equivalentIds: number;
  readonly knownTexts: number;
  readonly maxEntries: number;
  readonly uncachedWrites: number;
} {
  return {
    sourceIds: sources.size,
    equivalentIds: equivalents.size,
    knownTexts: knownTexts.size,
    maxEntries: MAX_CACHED_ENTRIES,
    uncachedWrites,
  };
}
