import { err, failure, ok, type Result } from "@wattprint/result";
import { parseNumberToken } from "../format/numbers.ts";
import { OUTPUT_PREFIX } from "../format/records.ts";
import { parseClock } from "../format/time.ts";
import {
  clockAt,
  equalsAscii,
  isAsciiSpace,
  plainDecimalAt,
  skipSpaces,
  stampedMessageAt,
  startsWithAscii,
  startsWithAsciiIgnoringCase,
  startsWithDate,
  trimSpacesEnd,
} from "./byte-lines.ts";
import { type ByteLineSink, emitByteLines } from "./line-reader.ts";
import { messageOf } from "./messages.ts";
import { excerpt } from "./power-values.ts";
import type { FileProblem } from "./problems.ts";
import { type ConsumptionRecord, consumptionRecordSchema } from "./schemas.ts";

/** An output log, read: its actual and predicted consumption, each null when absent. */
export interface OutputLog {
  readonly actual: ConsumptionRecord | null;
  readonly pred: ConsumptionRecord | null;
  /** The last line had no line break and was outside any record: left out (see `lastLineWithoutBreak`). */
  readonly droppedLastLine?: true;
  /**
   * Lines read past because they repeat what was already read: a record's `Time:`,
   * `Energy:` or `CO2eq:` written twice (the first is kept), a second record of a kind (the
   * first is kept) or an equivalent's unit written twice (the last is kept). Each is what
   * carbontracker's parser keeps; the count says the log was not as carbontracker writes it.
   */
  readonly repeatsIgnored?: number;
}

// `-?`: carbontracker's stop() before the first epoch writes `for -1 epoch(s)` (its
// epoch_counter -= 1 is unguarded); the count is kept as written.
const DESCRIPTION = /^(predicted|actual) consumption(?: for (-?\d+) epochs?(?:\(s\))?)?:$/i;
/** How a description starts: a line that does and fails DESCRIPTION is a damaged one. */
const DESCRIPTION_START = /^(?:predicted|actual) consumption/i;
const DESCRIPTION_STARTS = ["actual consumption", "predicted consumption"];
const TIME = /^Time:\s*(\S+)$/;
const ENERGY = /^Energy:\s*(\S+)\s+kWh$/;
const CO2EQ = /^CO2eq:\s*(\S+)\s+g$/;
const EQUIVALENT = /^(\S+)\s+(.+)$/;
const EQUIVALENTS_HEADING = "This is equivalent to:";
const PROTO = "__proto__";
/** carbontracker has one; a list beyond this is not equivalents. */
const MAX_EQUIVALENTS = 64;
/**
 * The longest unit of an equivalent, in characters (carbontracker's is `km travelled by car`,
 * 19). Units are keys of the record and of a folder's totals, and printed in its sentence:
 * unbounded, a folder of 1 MiB units held gigabytes and made a sentence past the longest
 * string V8 can build.
 */
export const MAX_EQUIVALENT_UNIT_CHARS = 200;

/**
 * ` 0.25 kWh` (ASCII spaces, a plain decimal, ASCII spaces, the unit, the end) as the
 * number; -1 for anything else, which the string parser reads (scientific notation, `nan`)
 * or reports.
 */
function valueWithUnit(buf: Buffer, start: number, end: number, unit: string): number {
  const unitStart = end - unit.length;
  if (unitStart <= start || !startsWithAscii(buf, unitStart, end, unit)) return -1;
  const numberEnd = trimSpacesEnd(buf, start, unitStart);
  // At least one space between the number and its unit.
  if (numberEnd === unitStart) return -1;
  return plainDecimalAt(buf, skipSpaces(buf, start, numberEnd), numberEnd);
}

/**
 * `{prefix} {value} {unit}` (a plain decimal between ASCII spaces) into the block's `field`;
 * false when the line is anything else, for the string parser to read or report.
 */
function fieldWithUnit(
  block: Block,
  field: "energy" | "co2",
  buf: Buffer,
  from: number,
  to: number,
  prefix: string,
  unit: string,
): boolean {
  if (!startsWithAscii(buf, from, to, prefix)) return false;
  const value = valueWithUnit(buf, from + prefix.length, to, unit);
  if (value < 0) return false;
  keepFirst(block, field, value);
  return true;
}

/**
 * A record's field as carbontracker's regular expressions read it: the first written. A
 * field written again is counted in the block's `repeats`.
 */
function keepFirst<F extends "time" | "energy" | "co2">(
  block: Block,
  field: F,
  value: Block[F],
): void {
  if (block[field] === undefined) block[field] = value;
  else block.repeats++;
}

/** What a record's description says: its kind and the epoch count written, if any. */
interface Description {
  readonly kind: "actual" | "pred";
  readonly epochs: number | undefined;
}

/**
 * DESCRIPTION matched against the trimmed bytes `from` to `to`, or undefined. Every part of
 * the pattern is ASCII and it spans the whole text, so on a text whose ends are ASCII the
 * bytes match exactly when the decoded string does.
 */
function descriptionAt(buf: Buffer, from: number, to: number): Description | undefined {
  let kind: Description["kind"];
  let k: number;
  if (startsWithAsciiIgnoringCase(buf, from, to, "actual consumption")) {
    kind = "actual";
    k = from + 18;
  } else if (startsWithAsciiIgnoringCase(buf, from, to, "predicted consumption")) {
    kind = "pred";
    k = from + 21;
  } else {
    return undefined;
  }
  let epochs: number | undefined;
  if (startsWithAsciiIgnoringCase(buf, k, to, " for ")) {
    k += 5;
    // A `-` as DESCRIPTION's `-?` (see there).
    const negative = buf[k] === 45;
    if (negative) k++;
    const digits = k;
    while (k < to && (buf[k] as number) >= 48 && (buf[k] as number) <= 57) k++;
    if (k === digits || !startsWithAsciiIgnoringCase(buf, k, to, " epoch")) return undefined;
    epochs = plainDecimalAt(buf, digits, k);
    if (negative) epochs = -epochs;
    k += 6;
    // `epochs?` then `(?:\(s\))?`: taking each when it is there never loses a match.
    if (k < to && ((buf[k] as number) | 0x20) === 115) k++;
    if (startsWithAsciiIgnoringCase(buf, k, to, "(s)")) k += 3;
  }
  return k === to - 1 && buf[k] === 58 ? { kind, epochs } : undefined;
}

/**
 * Whether the trimmed bytes `from` to `to` start as a description does (DESCRIPTION_START,
 * ASCII in any case): one that then fails DESCRIPTION is for the string parser to report.
 */
function startsAsDescription(buf: Buffer, from: number, to: number): boolean {
  for (const start of DESCRIPTION_STARTS) {
    if (startsWithAsciiIgnoringCase(buf, from, to, start)) return true;
  }
  return false;
}

/** Whether a record's equivalents can take this unit: one it has, or one more below the cap. */
function hasRoomFor(equivalents: Record<string, number>, unit: string): boolean {
  return Object.hasOwn(equivalents, unit) || Object.keys(equivalents).length < MAX_EQUIVALENTS;
}

/**
 * An equivalent (`0.26 km travelled by car`) from the trimmed bytes `from` to `to`, as
 * EQUIVALENT and `parseNumberToken` read it: a finite plain decimal, ASCII spaces, an ASCII
 * unit. True when read or when the line is empty (skipped); false for anything else (one
 * token, a Unicode space, another number shape, a unit too long), which the string parser
 * reads or reports.
 */
function equivalentFromBytes(
  equivalents: Record<string, number>,
  buf: Buffer,
  from: number,
  to: number,
): boolean {
  if (from === to) return true;
  let k = from;
  while (k < to && !isAsciiSpace(buf[k] as number)) {
    if ((buf[k] as number) > 127) return false;
    k++;
  }
  if (k === to) return false;
  const value = plainDecimalAt(buf, from, k);
  // Infinity (400 digits) is skipped by the string parser, which notes it was there.
  if (value < 0 || !Number.isFinite(value)) return false;
  const unit = skipSpaces(buf, k, to);
  if (to - unit > MAX_EQUIVALENT_UNIT_CHARS) return false;
  for (let u = unit; u < to; u++) {
    // `.` stops at a CR; a byte past ASCII may be a Unicode space or line separator.
    const c = buf[u] as number;
    if (c === 13 || c > 127) return false;
  }
  const unitText = buf.toString("latin1", unit, to);
  // Not a key a plain object can hold, or one too many: the string parser reports it.
  if (unitText === PROTO || !hasRoomFor(equivalents, unitText)) return false;
  // A repeated unit: the string parser counts it.
  if (Object.hasOwn(equivalents, unitText)) return false;
  equivalents[unitText] = value;
  return true;
}

/** Every field a record needs is read (and an equivalent under its heading, if it has one). */
function isComplete(block: Block): boolean {
  return (
    block.time !== undefined &&
    block.energy !== undefined &&
    block.co2 !== undefined &&
    (block.equivalents === null ||
      block.skippedEquivalent === true ||
      Object.keys(block.equivalents).length > 0)
  );
}

interface Block {
  readonly kind: "actual" | "pred";
  readonly epochs: number;
  readonly line: number;
  /** Fields and equivalents written again (see `OutputLog.repeatsIgnored`). */
  repeats: number;
  time?: number;
  energy?: number;
  co2?: number | null;
  equivalents: Record<string, number> | null;
  /**
   * An equivalent line whose value was `nan` or infinite was skipped (carbontracker writes
   * `nan km` when the CO2 is unknown): the block had a line, so it is not empty.
   */
  skippedEquivalent?: true;
}

/**
 * Reads an output log line by line. A consumption record is the stamped line ending in
 * `CarbonTracker: `, a description (`Actual consumption for 3 epoch(s):`, `Actual
 * consumption:`, `Predicted consumption for 5 epoch(s):`), then the TAB-indented fields, up
 * to the next stamped line. It is read whether or not equivalents follow (carbontracker's
 * own parser loses records without them), and the epoch count is the one written.
 */
export class OutputLogParser implements ByteLineSink {
  private actual: ConsumptionRecord | null = null;
  private pred: ConsumptionRecord | null = null;
  private block: Block | undefined;
  /** The line of a bare `CarbonTracker: ` whose description is on the next line. */
  private awaitingDescription: number | undefined;
  private problem: FileProblem | undefined;
  private droppedLastLine = false;
  private repeatsIgnored = 0;

  constructor(private readonly path: string) {}

  /**
   * The file's last line, without a line break: Python reads it, and so does this unless it
   * may have been cut inside a record. A stamped line is read (a record it opens is then
   * `truncated` by `finish` for lack of its fields; a description cut short is `truncated`
   * here). Any other line is a record's field when a record is open and still lacks one, or
   * is indented as fields are (`\tCO2eq:\t0.14` may be `0.1432...` cut): `truncated`, the
   * value unknown. Otherwise it follows a complete record or none (a stamp cut short, the
   * end of a traceback) and holds nothing read: it is left out, and counted by the caller.
   */
  lastLineWithoutBreak(text: string, lineNumber: number): void {
    if (this.problem !== undefined) return;
    const cut = (): void =>
      this.fail(
        "truncated",
        lineNumber,
        "the last line has no line break: the run stopped while writing it",
      );
    const line = text.endsWith("\r") ? text.slice(0, -1) : text;
    const message = messageOf(line);
    if (message !== undefined) {
      const body = (
        message.startsWith(OUTPUT_PREFIX) ? message.slice(OUTPUT_PREFIX.length) : message
      ).trim();
      if (DESCRIPTION_START.test(body) && !DESCRIPTION.test(body)) cut();
      else this.line(line, lineNumber);
      return;
    }
    const block = this.block;
    if (
      this.awaitingDescription !== undefined ||
      (block !== undefined && (!isComplete(block) || /^\s/.test(line)))
    ) {
      cut();
      return;
    }
    this.droppedLastLine = true;
  }

  line(text: string, lineNumber: number): void {
    if (this.problem !== undefined) return;
    const message = messageOf(text);
    if (message !== undefined) {
      this.closeBlock(false);
      this.awaitingDescription = undefined;
      const body = (
        message.startsWith(OUTPUT_PREFIX) ? message.slice(OUTPUT_PREFIX.length) : message
      ).trim();
      if (body === "" || body === "CarbonTracker:") this.awaitingDescription = lineNumber;
      else this.openBlock(body, lineNumber);
      return;
    }
    if (this.awaitingDescription !== undefined) {
      this.awaitingDescription = undefined;
      this.openBlock(text.trim(), lineNumber);
      return;
    }
    if (this.block !== undefined) this.blockLine(this.block, text.trim(), lineNumber);
  }

  /**
   * The lines from `start` to `end` of `buf` (`end` is the last line's `\n`), the same as
   * `line` on each, without a string per line for the lines most of a log is made of (the
   * stamped records, `Time:`, `Energy:`, `CO2eq:`, the equivalents heading): those are read
   * from their bytes. Any other line (a description, an equivalent, anything unusual) is
   * decoded and handed to `line`. Returns the last line number used.
   */
  lines(buf: Buffer, start: number, end: number, lineNumber: number): number {
    return emitByteLines(buf, start, end, this, lineNumber);
  }

  get stopped(): boolean {
    return this.problem !== undefined;
  }

  /** One line read from its bytes when it is a common one; false: read it as a string. */
  lineFromBytes(buf: Buffer, start: number, end: number, lineNumber: number): boolean {
    if (startsWithDate(buf, start, end)) {
      // A record's first line: closes the block, may open the next.
      let at = stampedMessageAt(buf, start, end);
      if (at < 0) return false;
      if (startsWithAscii(buf, at, end, OUTPUT_PREFIX)) at += OUTPUT_PREFIX.length;
      const from = skipSpaces(buf, at, end);
      const to = trimSpacesEnd(buf, from, end);
      // `trim()` also removes Unicode spaces: a body that starts or ends outside ASCII is
      // left to the string parser, and so is anything that may be a description.
      if (from < to && ((buf[from] as number) > 127 || (buf[to - 1] as number) > 127)) {
        return false;
      }
      const description = descriptionAt(buf, from, to);
      // A damaged description: the string parser reports it (before any state changes here).
      if (description === undefined && startsAsDescription(buf, from, to)) return false;
      this.closeBlock(false);
      this.awaitingDescription =
        from === to || equalsAscii(buf, from, to, "CarbonTracker:") ? lineNumber : undefined;
      if (description !== undefined) this.startBlock(description, lineNumber);
      return true;
    }
    const from = skipSpaces(buf, start, end);
    const to = trimSpacesEnd(buf, from, end);
    if (from < to && ((buf[from] as number) > 127 || (buf[to - 1] as number) > 127)) return false;
    if (this.awaitingDescription !== undefined) {
      // The description after a bare stamp.
      const description = descriptionAt(buf, from, to);
      if (description === undefined && startsAsDescription(buf, from, to)) return false;
      this.awaitingDescription = undefined;
      if (description !== undefined) this.startBlock(description, lineNumber);
      return true;
    }
    const block = this.block;
    if (block === undefined) return true;
    if (block.equivalents !== null) return equivalentFromBytes(block.equivalents, buf, from, to);
    switch (buf[from]) {
      case 84: // T
        if (startsWithAscii(buf, from, to, "Time:")) {
          // A clock read from the bytes is one token after spaces, as TIME asks.
          const seconds = clockAt(buf, from + 5, to);
          if (seconds === undefined) return false;
          keepFirst(block, "time", seconds);
          return true;
        }
        if (equalsAscii(buf, from, to, EQUIVALENTS_HEADING)) {
          block.equivalents = {};
          return true;
        }
        break;
      case 69: // E
        return fieldWithUnit(block, "energy", buf, from, to, "Energy:", "kWh");
      case 67: // C
        return fieldWithUnit(block, "co2", buf, from, to, "CO2eq:", "g");
    }
    // Not a field: the string parser decides (it skips what it does not know).
    return false;
  }

  finish(): Result<OutputLog, FileProblem> {
    if (this.problem === undefined) this.closeBlock(true);
    if (this.problem === undefined && this.awaitingDescription !== undefined) {
      this.fail(
        "truncated",
        this.awaitingDescription,
        "the log ends after `CarbonTracker: `, before the record it opens",
      );
    }
    if (this.problem !== undefined) return err(this.problem);
    return ok({
      actual: this.actual,
      pred: this.pred,
      ...(this.droppedLastLine ? { droppedLastLine: true } : {}),
      ...(this.repeatsIgnored > 0 ? { repeatsIgnored: this.repeatsIgnored } : {}),
    });
  }

  private openBlock(text: string, lineNumber: number): void {
    const match = DESCRIPTION.exec(text);
    if (match === null) {
      // Any other record is no description; one that starts as a description and is not one
      // (`for 2e0 epoch(s)`, `for --2 epoch(s)`) would lose its record unsaid.
      if (DESCRIPTION_START.test(text)) {
        this.fail("malformed", lineNumber, `unreadable description "${excerpt(text)}"`);
      }
      return;
    }
    this.startBlock(
      {
        kind: (match[1] ?? "").toLowerCase() === "actual" ? "actual" : "pred",
        epochs: match[2] === undefined ? undefined : Number(match[2]),
      },
      lineNumber,
    );
  }

  private startBlock({ kind, epochs }: Description, lineNumber: number): void {
    if (epochs === undefined && kind === "pred") {
      this.fail("malformed", lineNumber, "a prediction without its epoch count");
      return;
    }
    // `Actual consumption:` (a tracker with epochs_before_pred=0) holds no count: one epoch,
    // as carbontracker's parser reads it; the standard log's epochs say how many ran.
    this.block = { kind, epochs: epochs ?? 1, line: lineNumber, repeats: 0, equivalents: null };
  }

  private blockLine(block: Block, text: string, lineNumber: number): void {
    if (block.equivalents !== null) {
      // carbontracker writes no empty line here; one is skipped as it always was.
      if (text === "") return;
      const match = EQUIVALENT.exec(text);
      const value = match === null ? undefined : parseNumberToken(match[1] ?? "");
      if (match === null || value === undefined) {
        // Dropped unsaid, the run's car-km would leave the folder's total uncounted.
        this.fail("malformed", lineNumber, `unreadable equivalent "${excerpt(text)}"`);
        return;
      }
      // `nan km travelled by car` (no CO2 known) is skipped, as carbontracker does.
      if (!Number.isFinite(value)) {
        block.skippedEquivalent = true;
        return;
      }
      const unit = (match[2] ?? "").trim();
      if (unit.length > MAX_EQUIVALENT_UNIT_CHARS) {
        const message = `an equivalent's unit is longer than ${MAX_EQUIVALENT_UNIT_CHARS} characters`;
        this.fail("malformed", lineNumber, message);
        return;
      }
      if (unit === PROTO) {
        // Assigned to the record's object it would replace its prototype: the unit is lost.
        this.fail("malformed", lineNumber, `"${PROTO}" is not the unit of an equivalent`);
        return;
      }
      if (!hasRoomFor(block.equivalents, unit)) {
        // Reported rather than cut short: a record never loses an equivalent unsaid.
        const message = `more than ${MAX_EQUIVALENTS} equivalents in one record`;
        this.fail("malformed", lineNumber, message);
        return;
      }
      // carbontracker's dict keeps a repeated unit's last value; so does this, and counts it.
      if (Object.hasOwn(block.equivalents, unit)) block.repeats++;
      block.equivalents[unit] = value;
      return;
    }
    if (text.startsWith("Time:")) {
      const clock = TIME.exec(text);
      const seconds = clock === null ? undefined : parseClock(clock[1] ?? "");
      if (seconds === undefined) {
        this.fail("malformed", lineNumber, `unreadable time "${excerpt(text)}"`);
        return;
      }
      keepFirst(block, "time", seconds);
    } else if (text.startsWith("Energy:")) {
      const energy = ENERGY.exec(text);
      const kWh = energy === null ? undefined : parseNumberToken(energy[1] ?? "");
      if (kWh === undefined) {
        this.fail("malformed", lineNumber, `unreadable energy "${excerpt(text)}"`);
        return;
      }
      keepFirst(block, "energy", kWh);
    } else if (text.startsWith("CO2eq:")) {
      const co2 = CO2EQ.exec(text);
      const grams = co2 === null ? undefined : parseNumberToken(co2[1] ?? "");
      if (grams === undefined) {
        this.fail("malformed", lineNumber, `unreadable CO2eq "${excerpt(text)}"`);
        return;
      }
      keepFirst(block, "co2", Number.isNaN(grams) ? null : grams);
    } else if (text === EQUIVALENTS_HEADING) {
      block.equivalents = {};
    }
  }

  private closeBlock(atEnd: boolean): void {
    const block = this.block;
    if (block === undefined) return;
    this.block = undefined;
    const missing =
      block.time === undefined
        ? "Time"
        : block.energy === undefined
          ? "Energy"
          : block.co2 === undefined
            ? "CO2eq"
            : undefined;
    const what = block.kind === "actual" ? "the actual consumption" : "the predicted consumption";
    if (
      missing === undefined &&
      block.equivalents !== null &&
      block.skippedEquivalent === undefined &&
      Object.keys(block.equivalents).length === 0
    ) {
      // A heading with nothing under it: at the end of the file the run stopped writing
      // there; elsewhere its lines were lost. Read as "no equivalents" the run would drop
      // out of the folder's car-km total without a trace.
      this.fail(
        atEnd ? "truncated" : "malformed",
        block.line,
        `${what} stops after "${EQUIVALENTS_HEADING}", before its first equivalent`,
      );
      return;
    }
    if (missing !== undefined) {
      // At the end of the file: the run stopped while writing it. Elsewhere: damaged.
      this.fail(
        atEnd ? "truncated" : "malformed",
        block.line,
        `${what} stops before its ${missing} line`,
      );
      return;
    }
    const checked = consumptionRecordSchema.safeParse({
      epochs: block.epochs,
      "duration (s)": block.time,
      "energy (kWh)": block.energy,
      "co2eq (g)": block.co2,
      equivalents: block.equivalents,
    });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      this.fail(
        "malformed",
        block.line,
        `${what}: ${issue?.path.join(".")} ${issue?.message ?? "is invalid"}`,
      );
      return;
    }
    // carbontracker reads the first record of each kind; so does this, counting the others.
    this.repeatsIgnored += block.repeats;
    if (block.kind === "actual" ? this.actual !== null : this.pred !== null) this.repeatsIgnored++;
    else if (block.kind === "actual") this.actual = checked.data;
    else this.pred = checked.data;
  }

  private fail(kind: FileProblem["kind"], line: number, what: string): void {
    this.problem = failure(kind, `${this.path}:${line}: ${what}`, { path: this.path, line });
  }
}
