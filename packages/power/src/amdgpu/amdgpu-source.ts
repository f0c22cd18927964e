import { basename } from "node:path";
import { measuredDevice, type PowerDevice } from "../device.ts";
import {
  type ReaderSkip,
  type ReadingProblem,
  readerSkip,
  readingProblem,
  rootListingCut,
} from "../failures.ts";
import type { FrameCallback, ReadingFrame } from "../frame.ts";
import { SourceRounds } from "../rounds.ts";
import {
  type Detection,
  emptySourceCounters,
  type PowerSource,
  type SourceCounters,
  type SourceSample,
} from "../source.ts";
import { Countdown, SysfsAttribute } from "../sysfs/attribute.ts";
import {
  type DirListing,
  errorCode,
  MAX_DIR_ENTRIES,
  nodeSysfsIo,
  readOptional,
  type SysfsIo,
} from "../sysfs/io.ts";
import { parseUnsignedText } from "../sysfs/parse.ts";

export const DEFAULT_HWMON_ROOT = "/sys/class/hwmon";
/** More hwmon chips than a machine has; the rest are counted and ignored. */
export const MAX_HWMON = 64;
/** Above any AMD board's power cap × the headroom below, when the card does not declare one. */
const DEFAULT_MAX_WATTS = 1500;
const CAP_HEADROOM = 2;

export interface AmdgpuOptions {
  readonly root?: string;
  readonly io?: SysfsIo;
  readonly platform?: NodeJS.Platform;
}

type Quantity = "energy" | "power";

interface Card {
  readonly device: PowerDevice;
  readonly file: SysfsAttribute;
  readonly quantity: Quantity;
  vanished: ReadingProblem | null;
}

/**
 * AMD GPUs through the amdgpu driver's hwmon files: an `energyN_input` counter (microjoules)
 * where the card has one, else `power1_average`, else `power1_input` (microwatts). Needs no
 * permission beyond the default (the files are world-readable) and no ROCm.
 */
export class AmdgpuSource implements PowerSource {
  readonly reader = "amdgpu";
  private readonly root: string;
  private readonly io: SysfsIo;
  private cards: Card[] = [];
  private readonly countdown = new Countdown();
  private closed = false;
  private readonly counters = emptySourceCounters();
  private readonly rounds = new SourceRounds(
    (done) => this.read(done),
    this.counters,
    (frame) => {
      for (let i = 0; i < this.cards.length; i++) this.fill(frame, i, this.cards[i] as Card);
    },
  );

  constructor(private readonly options: AmdgpuOptions = {}) {
    this.root = options.root ?? DEFAULT_HWMON_ROOT;
    this.io = options.io ?? nodeSysfsIo;
  }

  async detect(): Promise<Detection> {
    const platform = this.options.platform ?? process.platform;
    if (platform !== "linux") {
      return {
        devices: [],
        skipped: [
          readerSkip(
            "amdgpu",
            "unsupported-platform",
            `amdgpu hwmon is Linux sysfs; this is ${platform}`,
          ),
        ],
      };
    }
    let listing: DirListing;
    try {
      listing = await this.io.listDir(this.root, MAX_DIR_ENTRIES);
    } catch (error) {
      return {
        devices: [],
        skipped: [
          readerSkip(
            "amdgpu",
            "not-present",
            `no hwmon directory at ${this.root} (${errorCode(error)})`,
          ),
        ],
      };
    }
    const entries = listing.names.filter((e) => /^hwmon\d+$/.test(e));
    entries.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
    const skipped: ReaderSkip[] = [];
    if (listing.cut) {
      skipped.push(rootListingCut("amdgpu", this.root, MAX_DIR_ENTRIES, "AMD GPUs", "hwmon root"));
    }
    if (entries.length > MAX_HWMON) {
      skipped.push(
        readerSkip(
          "amdgpu",
          "malformed",
          `${entries.length - MAX_HWMON} hwmon chips beyond the first ${MAX_HWMON} were ignored`,
        ),
      );
    }
    for (const entry of entries.slice(0, MAX_HWMON)) {
      const dir = `${this.root}/${entry}`;
      const name = await readOptional(this.io, `${dir}/name`);
      if ("code" in name || name.text.trim() !== "amdgpu") continue;
      const outcome = await this.openCard(dir);
      if ("kind" in outcome) skipped.push(outcome);
      else this.cards.push(outcome);
    }
    if (this.cards.length === 0 && skipped.length === 0) {
      skipped.push(
        readerSkip(
          "amdgpu",
          "not-present",
          `no amdgpu hwmon chip under ${this.root} (no AMD GPU, or the amdgpu driver is not loaded)`,
        ),
      );
    }
    this.rounds.resize(this.cards.map((c) => c.device.id));
    return { devices: this.cards.map((c) => c.device), skipped };
  }

  private async openCard(dir: string): Promise<Card | ReaderSkip> {
    const pci = await this.io.realPath(`${dir}/device`).then(basename, () => basename(dir));
    const id = `amdgpu:${pci}`;
    const product = await readOptional(this.io, `${dir}/device/product_name`);
    const name =
      "text" in product && product.text.trim() !== "" ? product.text.trim() : `AMD GPU ${pci}`;
    // The driver shows the northbridge voltage (in1, "vddnb") on APUs alone ("only APUs have
    // vddnb", amdgpu_pm.c). power1_label is no sign: older kernels label every chip's
    // power1 "slowPPT" (a discrete card was skipped as an APU), and later ones label every
    // chip but Van Gogh "PPT" (an APU's whole-chip power was counted again beside RAPL's).
    const vddnb = await readOptional(this.io, `${dir}/in1_label`);
    if ("text" in vddnb && vddnb.text.trim().toLowerCase() === "vddnb") {
      return readerSkip(
        "amdgpu",
        "not-supported",
        `${name} (${dir}) is an APU (its driver reports the vddnb rail): its power is the whole chip's, which RAPL's package zone already counts; not counted twice`,
        { device: id },
      );
    }
    const listing = await this.io
      .listDir(dir, MAX_DIR_ENTRIES)
      .catch((): DirListing => ({ names: [], cut: false }));
    const files = listing.names;
    const cutNote = listing.cut
      ? `${dir} holds more than ${MAX_DIR_ENTRIES} entries; files past the first ${MAX_DIR_ENTRIES} were not looked at`
      : null;
    const energy = files.filter((f) => /^energy\d+_input$/.test(f)).sort()[0];
    const choice: { file: string; quantity: Quantity } | undefined =
      energy !== undefined
        ? { file: energy, quantity: "energy" }
        : files.includes("power1_average")
          ? { file: "power1_average", quantity: "power" }
          : files.includes("power1_input")
            ? { file: "power1_input", quantity: "power" }
            : undefined;
    if (choice === undefined) {
      return readerSkip(
        "amdgpu",
        "not-supported",
        `${name} (${dir}) has no energy*_input, power1_average or power1_input file${cutNote === null ? "" : ` (${cutNote})`}`,
        { device: id },
      );
    }
    const path = `${dir}/${choice.file}`;
    let fd: number;
    try {
      fd = await this.io.open(path);
    } catch (error) {
      const code = errorCode(error);
      return readerSkip(
        "amdgpu",
        code === "EACCES" || code === "EPERM" ? "no-permission" : "not-supported",
        `${name}: cannot open ${path} (${code})`,
        code === "EACCES" || code === "EPERM"
          ? { device: id, fix: `sudo chmod o+r ${path}` }
          : { device: id },
      );
    }
    const cap = await readOptional(this.io, `${dir}/power1_cap`);
    const capWatts = "text" in cap ? parseUnsignedText(cap.text) / 1e6 : Number.NaN;
    const maxWatts =
      Number.isFinite(capWatts) && capWatts > 0 ? capWatts * CAP_HEADROOM : DEFAULT_MAX_WATTS;
    return {
      device: measuredDevice({
        id,
        name,
        kind: "gpu",
        reader: "amdgpu",
        counter: choice.quantity === "energy" ? { rangeJ: Number.POSITIVE_INFINITY } : null,
        maxWatts,
        notes: [
          choice.quantity === "energy"
            ? `energy counter ${path} (µJ)`
            : `power ${path} (µW), integrated by the meter${choice.file === "power1_input" ? "; an instantaneous reading, so sample often" : "; averaged by the card's firmware"}`,
          Number.isFinite(capWatts) && capWatts > 0 ? `power cap ${capWatts} W` : "no power1_cap",
          ...(cutNote === null ? [] : [cutNote]),
        ],
      }),
      file: new SysfsAttribute(path, fd, this.io),
      quantity: choice.quantity,
      vanished: null,
    };
  }

  sample(): Promise<SourceSample> {
    return this.rounds.sample();
  }

  /**
   * Reads every card on the read thread, never on the calling thread: an amdgpu hwmon read
   * asks the GPU's SMU firmware and waits for its answer (and on older kernels wakes a
   * runtime-suspended GPU first), which can take milliseconds.
   */
  read(done: FrameCallback): void {
    if (!this.rounds.begin(done)) return;
    let live = 0;
    const cards = this.cards;
    // Indexed loops on the sampling path (see RaplSource.read).
    if (!this.closed)
      for (let c = 0; c < cards.length; c++) if (cards[c]?.vanished === null) live++;
    if (live === 0) {
      this.rounds.finish();
      return;
    }
    this.countdown.start(live, this.rounds.finish);
    for (let c = 0; c < cards.length; c++) {
      const card = cards[c] as Card;
      if (card.vanished === null) card.file.read(this.countdown.arrive);
    }
  }

  private fill(frame: ReadingFrame, i: number, card: Card): void {
    const { id, name } = card.device;
    if (frame.failGone(i, this.closed ? "amdgpu" : null, id, card.vanished)) return;
    const code = card.file.lastErrorCode;
    if (code === "ENODEV" || code === "ENOENT" || code === "ENXIO") {
      card.vanished = readingProblem(
        "vanished",
        id,
        `amdgpu ${name}: ${card.file.path} is gone (${code}): the GPU was removed or its driver unloaded`,
      );
      frame.fail(i, card.vanished);
      return;
    }
    if (code !== null) {
      frame.fail(
        i,
        readingProblem(
          "unreadable",
          id,
          `amdgpu ${name}: reading ${card.file.path} failed (${code})`,
        ),
      );
      return;
    }
    const value = card.file.integer();
    if (!Number.isFinite(value)) {
      frame.fail(
        i,
        readingProblem(
          Number.isNaN(value) ? "malformed" : "out-of-range",
          id,
          `amdgpu ${name}: ${card.file.path} holds "${card.file.text()}", not a whole number of ${card.quantity === "energy" ? "microjoules" : "microwatts"}; this sample of the card is skipped`,
        ),
      );
      return;
    }
    if (card.quantity === "energy") frame.set(i, value / 1e6, Number.NaN, Number.NaN);
    else frame.set(i, Number.NaN, value / 1e6, Number.NaN);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const card of this.cards) card.file.close();
  }

  introspect(): SourceCounters {
    return structuredClone(this.counters);
  }
}
