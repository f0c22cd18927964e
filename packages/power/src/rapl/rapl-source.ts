import { type Component, measuredDevice, type PowerDevice } from "../device.ts";
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
import { errorCode, MAX_DIR_ENTRIES, nodeSysfsIo, type SysfsIo } from "../sysfs/io.ts";
import { RAPL_MISSING_FIX, raplPermissionFix } from "./permission.ts";
import {
  listZones,
  MAX_CONSTRAINT_FILES,
  MAX_ZONES,
  MIN_DECLARED_WATTS,
  type RaplZone,
  zoneLimits,
  zoneRoles,
} from "./zones.ts";

export const DEFAULT_POWERCAP_ROOT = "/sys/class/powercap";

/**
 * Samples between checks that each zone's file is still the one opened at detect time, for
 * zones off sysfs (a test tree); on sysfs the reads themselves tell (see `SysfsIo.isSysfs`).
 */
export const DEFAULT_REVALIDATE_EVERY = 30;

/**
 * Ceiling on what a zone can draw when it declares no limit: above any shipping CPU package
 * (500 W TDP parts, short bursts above), DRAM of a large host, and a platform zone. It only
 * decides when two samples are too far apart to rule out a second wrap.
 */
const CEILING_WATTS: Readonly<Record<Component, number>> = {
  cpu: 1000,
  dram: 500,
  psys: 2000,
  gpu: 2000,
  machine: 5000,
};

/** Headroom over a zone's declared limit: PL2 and sub-second bursts run above PL1. */
const DECLARED_HEADROOM = 2;

export interface RaplOptions {
  /** The powercap directory; tests point it at a temporary tree. */
  readonly root?: string;
  readonly io?: SysfsIo;
  readonly platform?: NodeJS.Platform;
  readonly revalidateEvery?: number;
}

interface OpenZone {
  readonly zone: RaplZone;
  readonly device: PowerDevice;
  readonly energy: SysfsAttribute;
  readonly maxEnergyRangeUj: number;
  /**
   * `dev:ino` of the energy file at detect time, checked every `revalidateEvery` samples;
   * null on sysfs, where a removed zone's reads answer ENODEV and no check is needed.
   */
  readonly identity: string | null;
  /** Set once the zone's file is gone: later samples do not read it. */
  vanished: ReadingProblem | null;
  /** Set during a revalidation sample when the identity no longer matches. */
  replaced: boolean;
}

/**
 * Linux RAPL through the powercap sysfs tree: every `intel-rapl` and `intel-rapl-mmio`
 * package, DRAM and psys zone, Intel and AMD, each a cumulative `energy_uj` counter.
 * Wrap-around is the meter's job (it knows the time between samples); this reader reports
 * the raw counter in joules and the wrap range.
 */
export class RaplSource implements PowerSource {
  readonly reader = "rapl";
  private readonly root: string;
  private readonly io: SysfsIo;
  private readonly platform: NodeJS.Platform;
  private readonly revalidateEvery: number;
  private zones: OpenZone[] = [];
  private readonly countdown = new Countdown();
  private samplesTaken = 0;
  private closed = false;
  private readonly counters = emptySourceCounters();
  private readonly rounds = new SourceRounds(
    (done) => this.read(done),
    this.counters,
    (frame) => {
      for (let i = 0; i < this.zones.length; i++) this.fill(frame, i, this.zones[i] as OpenZone);
    },
  );

  constructor(options: RaplOptions = {}) {
    this.root = options.root ?? DEFAULT_POWERCAP_ROOT;
    this.io = options.io ?? nodeSysfsIo;
    this.platform = options.platform ?? process.platform;
    this.revalidateEvery = Math.max(
      1,
      Math.floor(options.revalidateEvery ?? DEFAULT_REVALIDATE_EVERY),
    );
  }

  async detect(): Promise<Detection> {
    if (this.platform !== "linux") {
      return skipAll(
        readerSkip(
          "rapl",
          "unsupported-platform",
          `RAPL is read through Linux powercap; this is ${this.platform}`,
        ),
      );
    }
    let listing: Awaited<ReturnType<typeof listZones>>;
    try {
      listing = await listZones(this.io, this.root);
    } catch (error) {
      const code = errorCode(error);
      return skipAll(
        code === "EACCES" || code === "EPERM"
          ? readerSkip(
              "rapl",
              "no-permission",
              `cannot list ${this.root} (${code}): run as a user who may read it`,
              {
                fix: `sudo chmod o+rx ${this.root}`,
              },
            )
          : readerSkip(
              "rapl",
              "not-present",
              `no powercap tree at ${this.root} (${code}). ${RAPL_MISSING_FIX}`,
              {
                fix: RAPL_MISSING_FIX,
              },
            ),
      );
    }
    const skipped: ReaderSkip[] = [];
    if (listing.ignored > 0) {
      skipped.push(
        readerSkip(
          "rapl",
          "malformed",
          `${listing.ignored} RAPL zones beyond the first ${MAX_ZONES} were ignored`,
        ),
      );
    }
    if (listing.cut) {
      skipped.push(
        rootListingCut("rapl", this.root, MAX_DIR_ENTRIES, "RAPL zones", "powercap root"),
      );
    }
    for (const { dir, code } of listing.unnamed) {
      skipped.push(
        readerSkip(
          "rapl",
          "malformed",
          `RAPL zone ${this.root}/${dir} has no readable name (${code}); skipped`,
          {
            device: `rapl:${dir}`,
          },
        ),
      );
    }
    if (listing.zones.length === 0) {
      if (skipped.length === 0) {
        skipped.push(
          readerSkip(
            "rapl",
            "not-present",
            `no RAPL zone under ${this.root}. ${RAPL_MISSING_FIX}`,
            {
              fix: RAPL_MISSING_FIX,
            },
          ),
        );
      }
      return { devices: [], skipped };
    }

    const roles = zoneRoles(listing.zones);
    const opened: OpenZone[] = [];
    /** Packages without a counter of their own: their core/uncore sub-zones stand in. */
    const hollow = new Set<string>();
    /** MMIO twins opened in place of an MSR package with no counter (see below). */
    const standIns = new Set<string>();
    for (const zone of listing.zones) {
      if (standIns.has(zone.dir)) continue;
      const role = roles.get(zone.dir);
      const inHollow = zone.parent !== null && hollow.has(zone.parent);
      if (role === undefined || (!role.counted && !inHollow)) continue;
      const counted = role.counted
        ? role
        : {
            component: "cpu" as const,
            label: `${zone.name} (${listing.zones.find((z) => z.dir === zone.parent)?.name ?? zone.parent})`,
          };
      const extra = inHollow
        ? [
            "stands in for its package, which has no energy counter: the package's other parts are not measured",
          ]
        : [];
      const outcome = await this.openZone(zone, counted.component, counted.label, roles, extra);
      if ("kind" in outcome) {
        const noCounter =
          outcome.kind === "not-supported" && zone.parent === null && counted.component === "cpu";
        // The same package through the MMIO interface, left out as its twin (`zoneRoles`):
        // with no MSR counter, it is the whole package's counter, better than core + uncore.
        const twin = noCounter
          ? listing.zones.find(
              (z) =>
                z.controlType === "intel-rapl-mmio" &&
                z.parent === null &&
                z.name === zone.name &&
                zone.controlType === "intel-rapl",
            )
          : undefined;
        const twinOutcome =
          twin === undefined
            ? undefined
            : await this.openZone(twin, "cpu", twin.name, roles, [
                `stands in for ${zone.dir} (${zone.name}), the same package through the MSR interface, which has no energy counter`,
              ]);
        if (twin !== undefined && twinOutcome !== undefined && !("kind" in twinOutcome)) {
          standIns.add(twin.dir);
          opened.push(twinOutcome);
          skipped.push({
            ...outcome,
            message: `${outcome.message}; its MMIO twin ${twin.dir} is counted instead`,
          });
        } else if (noCounter && listing.zones.some((z) => z.parent === zone.dir)) {
          hollow.add(zone.dir);
          skipped.push({
            ...outcome,
            message: `${outcome.message}; its core and uncore sub-zones are counted instead, which leaves out the rest of the package (an underestimate)`,
          });
        } else skipped.push(outcome);
      } else opened.push(outcome);
    }
    this.zones = opened;
    this.rounds.resize(opened.map((z) => z.device.id));
    return { devices: opened.map((z) => z.device), skipped };
  }

  private async openZone(
    zone: RaplZone,
    component: Component,
    label: string,
    roles: ReadonlyMap<string, { counted: boolean }>,
    extraNotes: readonly string[] = [],
  ): Promise<OpenZone | ReaderSkip> {
    const id = `rapl:${zone.dir}`;
    const energyPath = `${zone.path}/energy_uj`;
    const limits = await zoneLimits(this.io, zone);
    if (!limits.ok) {
      return readerSkip(
        "rapl",
        "malformed",
        limits.code === null
          ? `RAPL zone ${label} (${zone.path}): max_energy_range_uj is "${limits.text}", not a positive whole number of microjoules; the zone is skipped because its wrap-around cannot be handled. Report the kernel version (uname -r) if it persists.`
          : `RAPL zone ${label} (${zone.path}): max_energy_range_uj cannot be read (${limits.code}); the zone is skipped because its wrap-around cannot be handled.`,
        { device: id },
      );
    }
    let fd: number;
    try {
      fd = await this.io.open(energyPath);
    } catch (error) {
      const code = errorCode(error);
      if (code === "EACCES" || code === "EPERM") {
        const fix = raplPermissionFix(energyPath);
        return readerSkip(
          "rapl",
          "no-permission",
          `RAPL zone ${label}: cannot read ${energyPath} (${code}). ${fix}`,
          {
            device: id,
            fix,
          },
        );
      }
      return readerSkip(
        "rapl",
        "not-supported",
        `RAPL zone ${label}: ${energyPath} cannot be opened (${code})`,
        {
          device: id,
        },
      );
    }
    let identity: string | null = null;
    try {
      if (this.io.isSysfs?.(energyPath) !== true) identity = await this.io.identity(energyPath);
    } catch (error) {
      // Opened, then gone before its stat (a CPU offlined or the module unloaded mid-detect):
      // the descriptor is released here, and the zone is not taken for one without a counter
      // (whose sub-zones would stand in).
      this.io.close(fd);
      return readerSkip(
        "rapl",
        "malformed",
        `RAPL zone ${label}: ${energyPath} was opened but its stat failed (${errorCode(error)}); the zone went away while being detected and is skipped. Open a new meter to pick it up if it comes back.`,
        { device: id },
      );
    }
    const { maxEnergyRangeUj, declaredMaxWatts, ignoredConstraints, listingCut, belowFloor } =
      limits.limits;
    const ceiling = CEILING_WATTS[component];
    const maxWatts = Number.isNaN(declaredMaxWatts)
      ? ceiling
      : Math.min(ceiling, declaredMaxWatts * DECLARED_HEADROOM);
    const inside = [...roles.entries()]
      .filter(([dir, role]) => !role.counted && dir.startsWith(`${zone.dir}:`))
      .map(([dir]) => dir);
    const notes = [`counter ${energyPath}, wraps after ${maxEnergyRangeUj} µJ`, ...extraNotes];
    if (inside.length > 0) notes.push(`includes sub-zones ${inside.join(", ")}, not counted again`);
    if (belowFloor > 0) {
      notes.push(
        `${belowFloor} declared power limit(s) under ${MIN_DECLARED_WATTS} W ignored; the limit used is ${Number.isNaN(declaredMaxWatts) ? `the ${component} ceiling, ${ceiling} W` : `${declaredMaxWatts} W declared`}`,
      );
    }
    if (ignoredConstraints > 0) {
      notes.push(
        `${ignoredConstraints} constraint files beyond the first ${MAX_CONSTRAINT_FILES} were not read`,
      );
    }
    if (listingCut) {
      notes.push(
        `${zone.path} holds more than ${MAX_DIR_ENTRIES} entries; constraint files past the first ${MAX_DIR_ENTRIES} were not looked at`,
      );
    }
    if (component === "psys") {
      notes.push(
        "psys covers the whole platform (package, DRAM and more): reported alone, never added to a total",
      );
    }
    return {
      zone,
      device: measuredDevice({
        id,
        name: label,
        kind: component,
        reader: "rapl",
        counter: { rangeJ: (maxEnergyRangeUj + 1) / 1e6 },
        maxWatts,
        notes,
      }),
      energy: new SysfsAttribute(energyPath, fd, this.io),
      maxEnergyRangeUj,
      identity,
      vanished: null,
      replaced: false,
    };
  }

  sample(): Promise<SourceSample> {
    return this.rounds.sample();
  }

  /**
   * Reads every live zone's `energy_uj` into the frame. On the real file layer the reads (and
   * every `revalidateEvery` samples the `stat`s) run here, on the calling thread (`readNow`,
   * `identityNow`: a RAPL counter read is a register read and a sysfs `stat` an in-memory
   * lookup, neither sleeps; see the README), so the round ends before `read` returns. An
   * injected file layer without them is read asynchronously.
   */
  read(done: FrameCallback): void {
    if (!this.rounds.begin(done)) return;
    const revalidate = ++this.samplesTaken % this.revalidateEvery === 0;
    const direct = this.io.readNow !== undefined;
    const checkNow = revalidate && this.io.identityNow !== undefined;
    let live = 0;
    /** Live zones with an identity to check (none on sysfs). */
    let checked = 0;
    const zones = this.zones;
    // Indexed loops on the sampling path: a for-of allocates an iterator per loop and a result
    // per step until the function is optimised, and at 1 Hz it may never be.
    if (!this.closed)
      for (let z = 0; z < zones.length; z++) {
        const zone = zones[z] as OpenZone;
        if (zone.vanished !== null) continue;
        live++;
        if (zone.identity !== null) checked++;
      }
    const later = (direct ? 0 : live) + (revalidate && !checkNow ? checked : 0);
    if (later === 0) {
      if (live > 0)
        for (let z = 0; z < zones.length; z++) {
          const zone = zones[z] as OpenZone;
          if (zone.vanished !== null) continue;
          zone.energy.readNow();
          if (checkNow) this.checkNow(zone);
        }
      this.rounds.finish();
      return;
    }
    this.countdown.start(later, this.rounds.finish);
    for (let z = 0; z < zones.length; z++) {
      const zone = zones[z] as OpenZone;
      if (this.closed || zone.vanished !== null) continue;
      if (direct) zone.energy.readNow();
      else zone.energy.read(this.countdown.arrive);
      if (checkNow) this.checkNow(zone);
      else if (revalidate) this.revalidate(zone);
    }
  }

  private checkNow(zone: OpenZone): void {
    if (zone.identity === null) return;
    zone.replaced = this.io.identityNow?.(zone.energy.path) !== zone.identity;
  }

  private revalidate(zone: OpenZone): void {
    if (zone.identity === null) return;
    this.io.identity(zone.energy.path).then(
      (identity) => {
        zone.replaced = identity !== zone.identity;
        this.countdown.arrive();
      },
      () => {
        zone.replaced = true;
        this.countdown.arrive();
      },
    );
  }

  private fill(frame: ReadingFrame, i: number, zone: OpenZone): void {
    if (frame.failGone(i, this.closed ? "RAPL" : null, zone.device.id, zone.vanished)) return;
    const code = zone.energy.lastErrorCode;
    if (zone.replaced || code === "ENODEV" || code === "ENOENT" || code === "ENXIO") {
      zone.vanished = readingProblem(
        "vanished",
        zone.device.id,
        `RAPL zone ${zone.device.name}: ${zone.energy.path} is gone${code === null ? "" : ` (${code})`}; the zone was removed (driver unloaded or CPU offlined). Its energy up to the last good sample is kept; open a new meter to pick up a re-created zone.`,
      );
      frame.fail(i, zone.vanished);
      return;
    }
    if (code !== null) {
      frame.fail(
        i,
        readingProblem(
          "unreadable",
          zone.device.id,
          `RAPL zone ${zone.device.name}: reading ${zone.energy.path} failed (${code})`,
          code === "EACCES" || code === "EPERM" ? raplPermissionFix(zone.energy.path) : undefined,
        ),
      );
      return;
    }
    const uj = zone.energy.integer();
    if (Number.isNaN(uj)) {
      frame.fail(
        i,
        readingProblem(
          "malformed",
          zone.device.id,
          `RAPL zone ${zone.device.name}: ${zone.energy.path} holds "${zone.energy.text()}", not a whole number of microjoules; this sample of the zone is skipped and the next good one covers the gap.`,
        ),
      );
      return;
    }
    if (uj > zone.maxEnergyRangeUj) {
      frame.fail(
        i,
        readingProblem(
          "out-of-range",
          zone.device.id,
          `RAPL zone ${zone.device.name}: ${zone.energy.path} reads ${zone.energy.text()} µJ, above its max_energy_range_uj ${zone.maxEnergyRangeUj}; this sample of the zone is skipped.`,
        ),
      );
      return;
    }
    frame.set(i, uj / 1e6, Number.NaN, Number.NaN);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const zone of this.zones) zone.energy.close();
  }

  introspect(): SourceCounters {
    return structuredClone(this.counters);
  }
}

function skipAll(skip: ReaderSkip): Detection {
  return { devices: [], skipped: [skip] };
}
