import { err, failure, ok, type Result } from "@wattprint/result";
import { parseClock } from "../format/time.ts";
import {
  asciiUpToColonSpace,
  clockAt,
  containsAsciiIgnoringCase,
  epochHeaderNumber,
  plainDecimalAt,
  stampedMessageAt,
  startsWithAscii,
} from "./byte-lines.ts";
import { parseComponentsLine } from "./devices.ts";
import { type ByteLineSink, emitByteLines } from "./line-reader.ts";
import { INTERRUPTED, INTERRUPTED_TEXT, messageStart } from "./messages.ts";
import { excerpt, isPowerW, MAX_VALUES_PER_LINE, parsePowerValues } from "./power-values.ts";
import type { FileProblem } from "./problems.ts";

/** A standard log, read: the components and their devices, the epochs, the early stop. */
export interface StandardLog {
  /** From the components line, in its order, then components seen only in power lines. */
  readonly devices: ReadonlyMap<string, readonly string[]>;
  readonly epochDurationsS: readonly number[];
  /** Per component that has power lines: one array of values per epoch. */
  readonly powerW: ReadonlyMap<string, readonly (readonly number[])[]>;
  readonly earlyStop: boolean;
  /** The last epoch lacked its duration or a power line (the run stopped inside it) and was left out. */
  readonly droppedIncompleteEpoch: boolean;
  /**
   * `Epoch n:` headers whose `n` is not the previous header's plus one (the first: 1): a
   * block written twice, epochs renumbered or skipped. The figures are read as carbontracker
   * reads them, one epoch per block whatever its number; this says they may not be what the
   * run measured.
   */
  readonly epochHeadersOutOfSequence: number;
}

/**
 * What one power line costs beyond its values, counted as values: V8 holds each epoch's
 * values in an array of their own (a 32-byte array object, a 16-byte store header, a slot in
 * the epoch list), and the pair holds a second such array for its energy. Measured: a log of
 * 4,000,000 one-value lines held 136 bytes a value, 16 of them the numbers themselves.
 */
export const LINE_OVERHEAD_VALUES = 8;

/**
 * The default `maxPowerValues`, in values plus `LINE_OVERHEAD_VALUES` per line: what the
 * default `maxEpochs` (1,000,000) gives a log of carbontracker's one value per component, GPU
 * and CPU (18,000,000), so no log the other limits accept for its epochs is refused for its
 * values. At 16 bytes a counted value (the power and its energy, 8 bytes each), a log holds
 * about 290 MiB at most. Before lines were counted, a 256 MiB log of four one-value
 * components held 519 MiB.
 */
export const DEFAULT_MAX_POWER_VALUES = 18 * 1024 * 1024;

export interface StandardLogLimits {
  readonly maxEpochs: number;
  /** Components in one log (carbontracker has two). */
  readonly maxComponents: number;
  /**
   * Power values held for one log, every component and epoch together. Each value read costs
   * about 16 bytes held (the number, and its energy in the parsed pair) against 2 bytes of
   * file (`0 ` in an array), so the file-size cap alone let one 256 MiB log take 2 GiB.
   */
  readonly maxPowerValues: number;
}

// Sticky: tested at the message's start without slicing the line.
const EPOCH = /Epoch (\d+):\s*$/y;
const DURATION_PREFIX = "Duration: ";
const POWER_PREFIX = "Average power usage (W) for ";
const COMPONENTS = "The following components were found:";
/** Spellings of component names remembered; past this, each line is normalised. */
const MAX_RAW_NAMES = 256;
/** Names the byte path compares a power line's name with before decoding it. */
const MAX_COMPARED_NAMES = 8;

/**
 * Components lines parsed lately and what they said: the logs of one folder share a few
 * (one machine's GPU + CPU, another's CPU alone). Bounded; the oldest is forgotten first.
 */
const recentComponents = new Map<string, [string, string[]][]>();
const MAX_RECENT_COMPONENTS = 8;

/** `parseComponentsLine`, remembered for recent texts; fresh arrays for every log. */
function componentsOf(text: string): [string, string[]][] {
  let components = recentComponents.get(text);
  if (components === undefined) {
    components = parseComponentsLine(text);
    if (recentComponents.size >= MAX_RECENT_COMPONENTS) {
      const oldest = recentComponents.keys().next().value;
      if (oldest !== undefined) recentComponents.delete(oldest);
    }
    recentComponents.set(text, components);
  }
  return components.map(([name, devices]) => [name, [...devices]]);
}

/**
 * Reads a standard log line by line (a `LineSink`), holding only what it returns. Epochs
 * are blocks: `Epoch n:`, `Duration:`, one power line per component; a `Duration:` or a
 * second power line for the same component without a header starts the next epoch. Only
 * the last epoch may be incomplete (the run stopped while writing it); it is dropped. A
 * component listed as found but with no power line at all gets null measurements.
 */
export class StandardLogParser implements ByteLineSink {
  private devices: Map<string, string[]> | undefined;
  private readonly durations: (number | undefined)[] = [];
  private readonly powers = new Map<string, (number[] | undefined)[]>();
  /** The same arrays by the name as written, so a line needs no trim or lower-casing. */
  private readonly byRawName = new Map<string, (number[] | undefined)[]>();
  private epoch = -1;
  /** See `rawName`: the names as written so far (most logs have one or two). */
  private readonly rawNames: string[] = [];
  private earlyStop = false;
  /** The number of the last `Epoch n:` header read (0 before the first). */
  private lastEpochHeader = 0;
  private epochHeadersOutOfSequence = 0;
  /** Power values held so far, against `limits.maxPowerValues`. */
  private valuesHeld = 0;
  private problem: FileProblem | undefined;
  /** An array value spread over several lines (numpy wraps long arrays). */
  private pending: { component: string; text: string; line: number } | undefined;

  constructor(
    private readonly path: string,
    private readonly limits: StandardLogLimits,
  ) {}

  line(text: string, lineNumber: number): void {
    if (this.problem !== undefined) return;
    const start = messageStart(text);
    if (this.pending !== undefined) {
      if (start < 0) {
        this.pending.text += ` ${text.trim()}`;
        if (this.pending.text.length > MAX_VALUES_PER_LINE * 32) {
          this.fail("malformed", this.pending.line, "a power array runs on without a closing ]");
        } else if (this.pending.text.endsWith("]")) {
          this.completePending();
        }
        return;
      }
      this.completePending();
      if (this.problem !== undefined) return;
    }
    if (start < 0) {
      // carbontracker finds the early stop anywhere in the file, stamped or not (`re.search`).
      if (!this.earlyStop && INTERRUPTED.test(text)) this.earlyStop = true;
      return;
    }
    // Dispatch on the message's first letter: one character test for most lines.
    switch (text.charCodeAt(start)) {
      case 65: // A
        if (text.startsWith(POWER_PREFIX, start)) {
          this.powerLine(text, start + POWER_PREFIX.length, lineNumber);
          return;
        }
        break;
      case 68: // D
        if (text.startsWith(DURATION_PREFIX, start)) {
          const seconds = parseClock(text.slice(start + DURATION_PREFIX.length).trim());
          if (seconds === undefined || seconds < 0) {
            this.fail(
              "malformed",
              lineNumber,
              `unreadable duration "${excerpt(text.slice(start))}"`,
            );
            return;
          }
          this.addDuration(seconds, lineNumber);
          return;
        }
        break;
      case 69: {
        // E
        EPOCH.lastIndex = start;
        const header = EPOCH.exec(text);
        if (header !== null) {
          this.epochHeader(Number(header[1]), lineNumber);
          return;
        }
        break;
      }
      case 84: // T
        if (this.devices === undefined && text.startsWith(COMPONENTS, start)) {
          this.devices = new Map(componentsOf(text.slice(start + COMPONENTS.length)));
          if (this.devices.size > this.limits.maxComponents) {
            this.fail("malformed", lineNumber, `more than ${this.limits.maxComponents} components`);
          }
          return;
        }
        break;
    }
    if (!this.earlyStop && INTERRUPTED.test(text)) this.earlyStop = true;
  }

  /**
   * The lines from `start` to `end` of `buf` (`end` is the last line's `\n`), the same as
   * `line` on each, without a string per line for the lines that make up most of a log
   * (`Epoch n:`, `Duration:`, a plain power value): those are read from their bytes. Any
   * other line, and every line while something is unusual (an array running over lines, a
   * problem), is decoded and handed to `line`. Returns the last line number used.
   */
  lines(buf: Buffer, start: number, end: number, lineNumber: number): number {
    return emitByteLines(buf, start, end, this, lineNumber);
  }

  get stopped(): boolean {
    return this.problem !== undefined;
  }

  /** One line read from its bytes when it is a common one; false: read it as a string. */
  lineFromBytes(buf: Buffer, start: number, end: number, lineNumber: number): boolean {
    if (this.pending !== undefined) return false;
    const at = stampedMessageAt(buf, start, end);
    if (at < 0) return false;
    switch (buf[at]) {
      case 65: // A
        if (startsWithAscii(buf, at, end, POWER_PREFIX)) {
          const nameStart = at + POWER_PREFIX.length;
          const colon = asciiUpToColonSpace(buf, nameStart, end);
          if (colon < 0) return false;
          const value = plainDecimalAt(buf, colon + 2, end);
          // -1 (not a plain decimal) or past the cap (`1` and 400 zeros is Infinity): the
          // string parser reads or reports it.
          if (!isPowerW(value)) return false;
          this.addValues(this.rawName(buf, nameStart, colon), [value], lineNumber);
          return true;
        }
        break;
      case 68: // D
        if (startsWithAscii(buf, at, end, DURATION_PREFIX)) {
          // Anything but a plain clock (and an unreadable one) is read by the string parser.
          const seconds = clockAt(buf, at + DURATION_PREFIX.length, end);
          if (seconds === undefined) return false;
          this.addDuration(seconds, lineNumber);
          return true;
        }
        break;
      case 69: {
        // E
        const n = epochHeaderNumber(buf, at, end);
        if (n >= 0) {
          this.epochHeader(n, lineNumber);
          return true;
        }
        // Not an ASCII header; `\s` also takes Unicode spaces (`Epoch 3:\u00a0`): the string decides.
        return false;
      }
      case 84: // T
        return false;
    }
    // Any other record matters only as the sign of an early stop, until one is seen: one
    // that says so goes to the string parser, which sets it.
    return this.earlyStop || !containsAsciiIgnoringCase(buf, start, end, INTERRUPTED_TEXT);
  }

  /** The component's name as written: a string made for an earlier line when the bytes match. */
  private rawName(buf: Buffer, start: number, end: number): string {
    const names = this.rawNames;
    for (let n = 0; n < names.length; n++) {
      const name = names[n] as string;
      if (name.length !== end - start) continue;
      let k = 0;
      while (k < name.length && buf[start + k] === name.charCodeAt(k)) k++;
      if (k === name.length) return name;
    }
    const name = buf.toString("latin1", start, end);
    // A handful are compared per line; past that a name is decoded each time.
    if (names.length < MAX_COMPARED_NAMES) names.push(name);
    return name;
  }

  private addDuration(seconds: number, lineNumber: number): void {
    if (this.epoch < 0 || this.durations[this.epoch] !== undefined) this.nextEpoch(lineNumber);
    if (this.problem === undefined) this.durations[this.epoch] = seconds;
  }

  /** `Average power usage (W) for {component}: {value}`, from just after `for `. */
  private powerLine(text: string, nameStart: number, lineNumber: number): void {
    const colon = text.indexOf(": ", nameStart);
    if (colon < 0) {
      this.fail(
        "malformed",
        lineNumber,
        `unreadable power line "${excerpt(text.slice(nameStart))}"`,
      );
      return;
    }
    const component = text.slice(nameStart, colon);
    const value = text.slice(colon + 2);
    if (value.charCodeAt(0) === 91 /* [ */ && !value.trimEnd().endsWith("]")) {
      this.pending = { component, text: value.trim(), line: lineNumber };
      return;
    }
    this.addPower(component, value, lineNumber);
  }

  /** After the last line: the log, or why it cannot be used. */
  finish(): Result<StandardLog, FileProblem> {
    if (this.problem === undefined && this.pending !== undefined) {
      this.fail("truncated", this.pending.line, "the log ends inside a power array");
    }
    if (this.problem !== undefined) return err(this.problem);
    let epochs = this.epoch + 1;
    const last = epochs - 1;
    let droppedIncompleteEpoch = false;
    if (last >= 0 && !this.complete(last)) {
      epochs = last;
      droppedIncompleteEpoch = true;
    }
    const durations: number[] = new Array(epochs);
    for (let i = 0; i < epochs; i++) {
      const d = this.durations[i];
      if (d === undefined) return err(this.mismatch(`epoch ${i + 1} has no Duration line`));
      durations[i] = d;
    }
    const powerW = new Map<string, (readonly number[])[]>();
    for (const [component, values] of this.powers) {
      let seen = 0;
      for (let i = 0; i < epochs; i++) if (values[i] !== undefined) seen++;
      if (seen === 0) continue; // its only line was in the dropped epoch: as if it had none
      if (seen < epochs) {
        const hole = values.findIndex((v, i) => i < epochs && v === undefined);
        const missing = hole === -1 ? values.length : hole;
        return err(this.mismatch(`epoch ${missing + 1} has no power line for ${component}`));
      }
      powerW.set(component, values.slice(0, epochs) as number[][]);
    }
    const devices = new Map<string, readonly string[]>(this.devices ?? []);
    for (const component of this.powers.keys()) {
      if (!devices.has(component)) devices.set(component, []);
    }
    return ok({
      devices,
      epochDurationsS: durations,
      powerW,
      earlyStop: this.earlyStop,
      droppedIncompleteEpoch,
      epochHeadersOutOfSequence: this.epochHeadersOutOfSequence,
    });
  }

  private complete(epoch: number): boolean {
    if (this.durations[epoch] === undefined) return false;
    for (const values of this.powers.values()) if (values[epoch] === undefined) return false;
    return true;
  }

  /**
   * `Epoch n:` opens the next epoch whatever `n` says, as carbontracker counts its blocks;
   * a number out of sequence is only counted, for the caller to flag the log.
   */
  private epochHeader(n: number, lineNumber: number): void {
    if (n !== this.lastEpochHeader + 1) this.epochHeadersOutOfSequence++;
    this.lastEpochHeader = n;
    this.nextEpoch(lineNumber);
  }

  private nextEpoch(lineNumber: number): void {
    if (this.epoch + 1 >= this.limits.maxEpochs) {
      this.fail("too-many-epochs", lineNumber, `more than ${this.limits.maxEpochs} epochs`);
      return;
    }
    this.epoch++;
  }

  /** `raw` as written (`gpu`, ` GPU`); looked up as written first, normalised once. */
  private addPower(raw: string, text: string, lineNumber: number): void {
    const values = parsePowerValues(text);
    if (!Array.isArray(values)) {
      this.fail("malformed", lineNumber, values.error);
      return;
    }
    this.addValues(raw, values, lineNumber);
  }

  private addValues(raw: string, values: number[], lineNumber: number): void {
    let perEpoch = this.byRawName.get(raw);
    if (perEpoch === undefined) {
      const component = raw.trim().toLowerCase();
      perEpoch = this.powers.get(component);
      if (perEpoch === undefined) {
        if (this.powers.size >= this.limits.maxComponents) {
          this.fail("malformed", lineNumber, `more than ${this.limits.maxComponents} components`);
          return;
        }
        // The results are plain objects keyed by component: assigning `__proto__` would
        // replace the object's prototype instead of adding the component.
        if (component === "__proto__") {
          this.fail("malformed", lineNumber, `"${component}" is not a component name`);
          return;
        }
        perEpoch = [];
        this.powers.set(component, perEpoch);
      }
      if (this.byRawName.size < MAX_RAW_NAMES) this.byRawName.set(raw, perEpoch);
    }
    // Checked before the values are kept, so a log's memory stays bounded by the cap, not
    // by its size on disk.
    this.valuesHeld += values.length + LINE_OVERHEAD_VALUES;
    if (this.valuesHeld > this.limits.maxPowerValues) {
      this.fail(
        "too-many-values",
        lineNumber,
        `more than ${this.limits.maxPowerValues} power values in one log (each line counts ${LINE_OVERHEAD_VALUES} more, for the array that holds its values)`,
      );
      return;
    }
    if (this.epoch < 0 || perEpoch[this.epoch] !== undefined) this.nextEpoch(lineNumber);
    if (this.problem === undefined) perEpoch[this.epoch] = values;
  }

  private completePending(): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending !== undefined) this.addPower(pending.component, pending.text, pending.line);
  }

  private mismatch(what: string): FileProblem {
    return failure("mismatched-epochs", `${this.path}: ${what}`, { path: this.path });
  }

  private fail(kind: FileProblem["kind"], line: number, what: string): void {
    this.problem = failure(kind, `${this.path}:${line}: ${what}`, { path: this.path, line });
  }
}
