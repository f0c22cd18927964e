import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { monotonicMs } from "../clock.ts";
import { measuredDevice, type PowerDevice } from "../device.ts";
import { type ReaderSkip, type ReadingProblem, readerSkip, readingProblem } from "../failures.ts";
import {
  countSample,
  type Detection,
  emptySourceCounters,
  failedReading,
  type PowerSource,
  reading,
  type SourceCounters,
  type SourceSample,
} from "../source.ts";
import {
  type PowermetricsSample,
  PowermetricsSplitter,
  parseSample,
} from "./powermetrics-parse.ts";

export const DEFAULT_POWERMETRICS_INTERVAL_MS = 1000;
/** How long detect waits for the first sample beyond one interval. */
const FIRST_SAMPLE_GRACE_MS = 5000;
/** How long a child has to exit after SIGTERM before it is killed. */
export const KILL_AFTER_MS = 2000;
/** Last lines of stderr kept to explain an exit. */
const STDERR_BYTES = 4096;

export const POWERMETRICS_SUDOERS_FIX =
  'powermetrics needs root. Run as root, or allow this user to run it without a password: echo "$USER ALL=(root) NOPASSWD: /usr/bin/powermetrics" | sudo tee /etc/sudoers.d/wattprint-powermetrics';

export interface PowermetricsOptions {
  /** Milliseconds between powermetrics samples. */
  readonly intervalMs?: number;
  /** The whole command line, replacing `[sudo -n] powermetrics --samplers cpu_power,gpu_power -i N -f plist`. */
  readonly command?: readonly string[];
  readonly platform?: NodeJS.Platform;
}

type Channel = "cpu" | "gpu" | "ane";

/**
 * Apple Silicon (and Intel Macs) through `powermetrics`, which needs root: it runs as a child
 * process (through `sudo -n` when this process is not root) writing a plist sample per interval.
 * Each sample's per-interval energy is added into a counter per channel, so `sample()` answers
 * at once with the energy up to powermetrics' latest sample, timestamped when that sample
 * arrived. The ANE is counted with the GPU component, as carbontracker counts it.
 */
export class PowermetricsSource implements PowerSource {
  readonly reader = "powermetrics";
  private child: ChildProcessByStdio<null, Readable, Readable> | null = null;
  private readonly splitter = new PowermetricsSplitter();
  private channels: Channel[] = [];
  private devices: PowerDevice[] = [];
  private readonly energyJ: Record<Channel, number> = { cpu: 0, gpu: 0, ane: 0 };
  private readonly watts: Record<Channel, number> = {
    cpu: Number.NaN,
    gpu: Number.NaN,
    ane: Number.NaN,
  };
  private lastAtMs = Number.NaN;
  private samplesSeen = 0;
  private malformed = 0;
  private lastMalformed: string | null = null;
  private exitProblem: ReadingProblem | null = null;
  private stderrTail = "";
  private firstSample: (() => void) | null = null;
  private readonly counters = emptySourceCounters();

  constructor(private readonly options: PowermetricsOptions = {}) {}

  private commandLine(): readonly string[] {
    if (this.options.command !== undefined) return this.options.command;
    const interval = String(this.options.intervalMs ?? DEFAULT_POWERMETRICS_INTERVAL_MS);
    const base = [
      "powermetrics",
      "--samplers",
      "cpu_power,gpu_power",
      "-i",
      interval,
      "-f",
      "plist",
    ];
    return process.getuid?.() === 0 ? base : ["sudo", "-n", ...base];
  }

  async detect(): Promise<Detection> {
    const platform = this.options.platform ?? process.platform;
    if (platform !== "darwin") {
      return skipOnly(
        readerSkip(
          "powermetrics",
          "unsupported-platform",
          `powermetrics exists on macOS; this is ${platform}`,
        ),
      );
    }
    const [program, ...args] = this.commandLine();
    if (program === undefined) {
      return skipOnly(
        readerSkip("powermetrics", "driver-error", "the powermetrics command line is empty"),
      );
    }
    const first = new Promise<void>((resolve) => {
      this.firstSample = resolve;
    });
    let exited: {
      code: number | null;
      signal: NodeJS.Signals | null;
      spawnError: string | null;
    } | null = null;
    const exit = new Promise<void>((resolve) => {
      let child: ChildProcessByStdio<null, Readable, Readable>;
      try {
        child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
      } catch (error) {
        // Arguments Node refuses before starting anything (a NUL byte): a skip, where the
        // throw rejected detect() and with it openPowerMeter.
        exited = { code: null, signal: null, spawnError: (error as Error).message };
        resolve();
        return;
      }
      this.child = child;
      child.stdout.setEncoding("latin1");
      child.stdout.on("data", (chunk: string) => this.onData(chunk));
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (chunk: string) => {
        this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_BYTES);
      });
      child.on("error", (error: NodeJS.ErrnoException) => {
        exited = { code: null, signal: null, spawnError: error.code ?? error.message };
        resolve();
      });
      child.on("close", (code, signal) => {
        exited ??= { code, signal, spawnError: null };
        this.onExit(code, signal);
        resolve();
      });
    });
    const waitMs =
      (this.options.intervalMs ?? DEFAULT_POWERMETRICS_INTERVAL_MS) + FIRST_SAMPLE_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), waitMs);
    });
    const outcome = await Promise.race([
      first.then(() => "sample" as const),
      exit.then(() => "exit" as const),
      timeout,
    ]);
    clearTimeout(timer);
    if (outcome !== "sample") {
      this.close();
      return skipOnly(this.explainFailure(outcome, exited, [program, ...args].join(" ")));
    }
    this.unrefChild();
    this.devices = this.channels.map((channel) => deviceFor(channel));
    return { devices: this.devices, skipped: [] };
  }

  private explainFailure(
    outcome: "exit" | "timeout",
    exited: {
      code: number | null;
      signal: NodeJS.Signals | null;
      spawnError: string | null;
    } | null,
    command: string,
  ): ReaderSkip {
    const stderr = this.stderrTail.trim();
    if (exited?.spawnError === "ENOENT") {
      return readerSkip(
        "powermetrics",
        "not-present",
        `${command}: command not found (powermetrics ships with macOS in /usr/bin)`,
      );
    }
    if (
      /password is required|must be (run|invoked) as (the )?(superuser|root)|not in the sudoers|a terminal is required/i.test(
        stderr,
      )
    ) {
      return readerSkip(
        "powermetrics",
        "no-permission",
        `${command} was refused: ${firstLine(stderr)}. ${POWERMETRICS_SUDOERS_FIX}`,
        {
          fix: POWERMETRICS_SUDOERS_FIX,
        },
      );
    }
    if (outcome === "timeout") {
      return readerSkip(
        "powermetrics",
        "driver-error",
        `${command} wrote no usable sample in time${this.malformed > 0 ? ` (${this.malformed} malformed: ${this.lastMalformed})` : ""}`,
      );
    }
    return readerSkip(
      "powermetrics",
      "driver-error",
      `${command} exited (${exited?.signal ?? exited?.code ?? "?"}) before its first sample${stderr === "" ? "" : `: ${firstLine(stderr)}`}`,
    );
  }

  private onData(chunk: string): void {
    for (const piece of this.splitter.push(chunk)) this.takeSample(piece);
  }

  /** One sample's text, from the stream or from what was still buffered at exit. */
  private takeSample(piece: string): void {
    const parsed = parseSample(piece);
    if (!parsed.ok) {
      this.malformed++;
      this.lastMalformed = parsed.why;
      return;
    }
    const s = parsed.sample;
    if (this.samplesSeen === 0) {
      this.channels = ["cpu"];
      if (!Number.isNaN(s.gpuJ)) this.channels.push("gpu");
      if (!Number.isNaN(s.aneJ)) this.channels.push("ane");
    } else {
      // A channel the first sample had and this one lacks: its interval would be lost in
      // silence (it read as 0 J) while the others were counted.
      const missing = this.channels.find((channel) => Number.isNaN(joulesOf(s, channel)));
      if (missing !== undefined) {
        this.malformed++;
        this.lastMalformed = `no ${missing.toUpperCase()} figure, which the first sample had`;
        return;
      }
    }
    this.samplesSeen++;
    this.add("cpu", s.cpuJ, s.cpuWatts);
    this.add("gpu", s.gpuJ, s.gpuWatts);
    this.add("ane", s.aneJ, s.aneWatts);
    this.lastAtMs = monotonicMs();
    const first = this.firstSample;
    this.firstSample = null;
    first?.();
  }

  private add(channel: Channel, joules: number, watts: number): void {
    if (!Number.isNaN(joules) && joules >= 0) this.energyJ[channel] += joules;
    this.watts[channel] = watts;
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    for (const piece of this.splitter.flush()) this.takeSample(piece);
    if (this.child === null) return;
    this.child = null;
    this.exitProblem = readingProblem(
      "vanished",
      "powermetrics",
      `powermetrics exited (${signal ?? code}) ${this.stderrTail.trim() === "" ? "" : `saying "${firstLine(this.stderrTail.trim())}"`}; the energy up to its last sample is kept`,
    );
  }

  private unrefChild(): void {
    const child = this.child;
    if (child === null) return;
    // The reader must not keep a process alive that forgot to close its meter.
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
  }

  async sample(): Promise<SourceSample> {
    const malformed = this.lastMalformed;
    this.lastMalformed = null;
    const readings = this.channels.map((channel, i) => {
      const id = (this.devices[i] as PowerDevice).id;
      if (this.exitProblem !== null) return failedReading({ ...this.exitProblem, device: id });
      if (malformed !== null) {
        return failedReading(
          readingProblem(
            "malformed",
            id,
            `powermetrics wrote a sample this reader cannot use (${malformed}); its interval is lost`,
          ),
        );
      }
      return reading(this.energyJ[channel], this.watts[channel], Number.NaN, null);
    });
    countSample(this.counters, readings);
    return { atMs: this.lastAtMs, readings };
  }

  close(): void {
    const child = this.child;
    this.child = null;
    if (child === null) return;
    // Unreferenced first: a child that ignores SIGTERM (a hung powermetrics, a wrong command)
    // must not keep this process alive, as it did when detect gave up on it.
    this.child = child;
    this.unrefChild();
    this.child = null;
    child.kill("SIGTERM");
    const kill = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }, KILL_AFTER_MS);
    kill.unref();
    child.once("exit", () => clearTimeout(kill));
  }

  introspect(): SourceCounters & {
    readonly malformedSamples: number;
    readonly oversizedSamples: number;
  } {
    return {
      ...structuredClone(this.counters),
      malformedSamples: this.malformed,
      oversizedSamples: this.splitter.oversized,
    };
  }
}

function deviceFor(channel: Channel): PowerDevice {
  const names: Record<Channel, string> = {
    cpu: "Apple CPU",
    gpu: "Apple GPU",
    ane: "Apple Neural Engine",
  };
  return measuredDevice({
    id: `powermetrics:${channel}`,
    name: names[channel],
    kind: channel === "cpu" ? "cpu" : "gpu",
    reader: "powermetrics",
    counter: { rangeJ: Number.POSITIVE_INFINITY },
    maxWatts: 500,
    notes: [
      "per-interval energy from powermetrics (run as root), added up by this reader",
      ...(channel === "ane"
        ? ["the Neural Engine is counted with the gpu component, as carbontracker counts it"]
        : []),
    ],
  });
}

function skipOnly(skip: ReaderSkip): Detection {
  return { devices: [], skipped: [skip] };
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

/** A parsed sample's joules for one channel. */
function joulesOf(s: PowermetricsSample, channel: Channel): number {
  return channel === "cpu" ? s.cpuJ : channel === "gpu" ? s.gpuJ : s.aneJ;
}
