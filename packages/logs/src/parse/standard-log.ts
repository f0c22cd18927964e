import { err, failure, ok, type Result } from "@wattprint/result";
import { parseClock } from "../format/time.ts";
import { parseComponentsLine } from "./devices.ts";
import type { LineSink } from "./line-reader.ts";
import { messageOf } from "./messages.ts";
import { excerpt, MAX_VALUES_PER_LINE, parsePowerValues } from "./power-values.ts";
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
}

export interface StandardLogLimits {
  readonly maxEpochs: number;
  /** Components in one log (carbontracker has two). */
  readonly maxComponents: number;
}

const EPOCH = /^Epoch (\d+):\s*$/;
const DURATION = /^Duration: (\S+)\s*$/;
const POWER = /^Average power usage \(W\) for (.+?): (.*)$/;
const COMPONENTS = "The following components were found:";
const INTERRUPTED = /training was interrupted/i;

/**
 * Reads a standard log line by line (a `LineSink`), holding only what it returns. Epochs
 * are blocks: `Epoch n:`, `Duration:`, one power line per component; a `Duration:` or a
 * second power line for the same component without a header starts the next epoch. Only
 * the last epoch may be incomplete (the run stopped while writing it); it is dropped. A
 * component listed as found but with no power line at all gets null measurements.
 */
export class StandardLogParser implements LineSink {
  private devices: Map<string, string[]> | undefined;
  private readonly durations: (number | undefined)[] = [];
  private readonly powers = new Map<string, (number[] | undefined)[]>();
  private epoch = -1;
  private earlyStop = false;
  private problem: FileProblem | undefined;
  /** An array value spread over several lines (numpy wraps long arrays). */
  private pending: { component: string; text: string; line: number } | undefined;

  constructor(
    private readonly path: string,
    private readonly limits: StandardLogLimits,
  ) {}

  line(text: string, lineNumber: number): void {
    if (this.problem !== undefined) return;
    const message = messageOf(text);
    if (this.pending !== undefined) {
      if (message === undefined) {
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
    if (message === undefined) return;
    if (message.startsWith("Average power usage")) {
      const power = POWER.exec(message);
      if (power === null) {
        this.fail("malformed", lineNumber, `unreadable power line "${excerpt(message)}"`);
        return;
      }
      const component = (power[1] ?? "").trim().toLowerCase();
      const value = power[2] ?? "";
      if (value.trimStart().startsWith("[") && !value.trimEnd().endsWith("]")) {
        this.pending = { component, text: value.trim(), line: lineNumber };
        return;
      }
      this.addPower(component, value, lineNumber);
      return;
    }
    if (message.startsWith("Duration:")) {
      const match = DURATION.exec(message);
      const seconds = match === null ? undefined : parseClock(match[1] ?? "");
      if (seconds === undefined || seconds < 0) {
        this.fail("malformed", lineNumber, `unreadable duration "${excerpt(message)}"`);
        return;
      }
      if (this.epoch < 0 || this.durations[this.epoch] !== undefined) this.nextEpoch(lineNumber);
      if (this.problem === undefined) this.durations[this.epoch] = seconds;
      return;
    }
    if (message.startsWith("Epoch ") && EPOCH.test(message)) {
      this.nextEpoch(lineNumber);
      return;
    }
    if (this.devices === undefined && message.startsWith(COMPONENTS)) {
      this.devices = new Map(parseComponentsLine(message.slice(COMPONENTS.length)));
      if (this.devices.size > this.limits.maxComponents) {
        this.fail("malformed", lineNumber, `more than ${this.limits.maxComponents} components`);
      }
      return;
    }
    if (!this.earlyStop && INTERRUPTED.test(message)) this.earlyStop = true;
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
    });
  }

  private complete(epoch: number): boolean {
    if (this.durations[epoch] === undefined) return false;
    for (const values of this.powers.values()) if (values[epoch] === undefined) return false;
    return true;
  }

  private nextEpoch(lineNumber: number): void {
    if (this.epoch + 1 >= this.limits.maxEpochs) {
      this.fail("too-many-epochs", lineNumber, `more than ${this.limits.maxEpochs} epochs`);
      return;
    }
    this.epoch++;
  }

  private addPower(component: string, text: string, lineNumber: number): void {
    const values = parsePowerValues(text);
    if (!Array.isArray(values)) {
      this.fail("malformed", lineNumber, values.error);
      return;
    }
    let perEpoch = this.powers.get(component);
    if (perEpoch === undefined) {
      if (this.powers.size >= this.limits.maxComponents) {
        this.fail("malformed", lineNumber, `more than ${this.limits.maxComponents} components`);
        return;
      }
      perEpoch = [];
      this.powers.set(component, perEpoch);
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
