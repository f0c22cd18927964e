import type { Component } from "../device.ts";
import { MAX_DIR_ENTRIES, readOptional, type SysfsIo } from "../sysfs/io.ts";
import { parseUnsignedText } from "../sysfs/parse.ts";

/** Zone directories: `intel-rapl:0`, `intel-rapl:0:1`, `intel-rapl-mmio:0`. */
const ZONE_DIR = /^(intel-rapl|intel-rapl-mmio):(\d+(?::\d+)*)$/;

/** More zones than any machine has (8 sockets × 5 domains × 2 interfaces); the rest are counted and ignored. */
export const MAX_ZONES = 128;

/** Constraint files read per zone: RAPL has three constraints, two files each. */
export const MAX_CONSTRAINT_FILES = 16;

export type ControlType = "intel-rapl" | "intel-rapl-mmio";

export interface RaplZone {
  /** Directory name, e.g. `intel-rapl:0:1`. */
  readonly dir: string;
  readonly path: string;
  readonly controlType: ControlType;
  /** Directory name of the enclosing zone, or null for a top-level zone. */
  readonly parent: string | null;
  /** The zone's `name` file: `package-0`, `dram`, `core`, `uncore`, `psys`. */
  readonly name: string;
}

/** What a zone is for: counted towards a component, or left out and why. */
export type ZoneRole =
  | { readonly counted: true; readonly component: Component; readonly label: string }
  | { readonly counted: false; readonly why: string };

export interface ZoneListing {
  readonly zones: readonly RaplZone[];
  /** Zone directories beyond `MAX_ZONES`. */
  readonly ignored: number;
  /** The root held more than `MAX_DIR_ENTRIES` entries: the rest were not looked at. */
  readonly cut: boolean;
  /** Zones whose `name` could not be read: directory name and errno code. */
  readonly unnamed: readonly { readonly dir: string; readonly code: string }[];
}

export async function listZones(io: SysfsIo, root: string): Promise<ZoneListing> {
  const listing = await io.listDir(root, MAX_DIR_ENTRIES);
  const entries = listing.names.filter((entry) => ZONE_DIR.test(entry)).sort(byZoneId);
  const kept = entries.slice(0, MAX_ZONES);
  const zones: RaplZone[] = [];
  const unnamed: { dir: string; code: string }[] = [];
  for (const dir of kept) {
    const path = `${root}/${dir}`;
    const name = await readOptional(io, `${path}/name`);
    if ("code" in name) {
      unnamed.push({ dir, code: name.code });
      continue;
    }
    const match = ZONE_DIR.exec(dir);
    const controlType = (match?.[1] ?? "intel-rapl") as ControlType;
    const lastColon = dir.lastIndexOf(":");
    const parent = dir.indexOf(":") === lastColon ? null : dir.slice(0, lastColon);
    zones.push({ dir, path, controlType, parent, name: name.text.trim() });
  }
  return { zones, ignored: entries.length - kept.length, cut: listing.cut, unnamed };
}

/** Orders `intel-rapl:10` after `intel-rapl:9`, and each zone before its sub-zones. */
function byZoneId(a: string, b: string): number {
  const pa = a.split(":");
  const pb = b.split(":");
  if (pa[0] !== pb[0]) return (pa[0] ?? "") < (pb[0] ?? "") ? -1 : 1;
  for (let i = 1; i < Math.max(pa.length, pb.length); i++) {
    const x = Number(pa[i] ?? -1);
    const y = Number(pb[i] ?? -1);
    if (x !== y) return x - y;
  }
  return 0;
}

/**
 * Decides which zones to count so that no joule is counted twice:
 * - a package zone already contains its `core` and `uncore` sub-zones: those are left out;
 * - a `dram` sub-zone is not part of its package (RAPL measures DRAM as its own domain): counted as dram;
 * - `psys` covers the whole platform (package, DRAM and more): its own component, never added to a total;
 * - `intel-rapl-mmio` exposes the same package as `intel-rapl` through another interface: counted only
 *   when the MSR interface has no zone of that name.
 */
export function zoneRoles(zones: readonly RaplZone[]): Map<string, ZoneRole> {
  const roles = new Map<string, ZoneRole>();
  const byDir = new Map(zones.map((zone) => [zone.dir, zone]));
  const msrTopNames = new Set(
    zones.filter((z) => z.controlType === "intel-rapl" && z.parent === null).map((z) => z.name),
  );
  for (const zone of zones) {
    const top = zone.parent === null ? zone : topOf(zone, byDir);
    if (top.controlType === "intel-rapl-mmio" && msrTopNames.has(top.name)) {
      const twin = zones.find(
        (z) => z.controlType === "intel-rapl" && z.parent === null && z.name === top.name,
      );
      roles.set(zone.dir, {
        counted: false,
        why: `same domain as ${twin?.dir ?? "intel-rapl"} (${top.name}) through the MMIO interface`,
      });
      continue;
    }
    roles.set(zone.dir, roleOf(zone, top));
  }
  return roles;
}

function topOf(zone: RaplZone, byDir: ReadonlyMap<string, RaplZone>): RaplZone {
  let current = zone;
  for (let depth = 0; current.parent !== null && depth < 8; depth++) {
    const parent = byDir.get(current.parent);
    if (parent === undefined) break;
    current = parent;
  }
  return current;
}

function roleOf(zone: RaplZone, top: RaplZone): ZoneRole {
  const name = zone.name.toLowerCase();
  if (zone.parent === null) {
    if (name.startsWith("package")) return { counted: true, component: "cpu", label: zone.name };
    if (name === "psys") return { counted: true, component: "psys", label: "psys" };
    if (name === "dram") return { counted: true, component: "dram", label: "dram" };
    return { counted: false, why: `unknown top-level zone name "${zone.name}"` };
  }
  if (name === "dram") return { counted: true, component: "dram", label: `dram (${top.name})` };
  if (name === "core" || name === "uncore") {
    return { counted: false, why: `inside ${top.name}, which is counted` };
  }
  return { counted: false, why: `unknown sub-zone name "${zone.name}" of ${top.name}` };
}

/**
 * Declared limits below this are ignored: no RAPL zone runs on under a watt, and a limit
 * of 2 µW (a firmware's placeholder, or a value written by hand) made every interval of the
 * zone "implausible", so it was never counted.
 */
export const MIN_DECLARED_WATTS = 1;

export interface ZoneLimits {
  /** `max_energy_range_uj`: the counter wraps to 0 after this value. */
  readonly maxEnergyRangeUj: number;
  /** The largest power limit or maximum the zone declares, in watts; NaN if none. */
  readonly declaredMaxWatts: number;
  /** Constraint files beyond `MAX_CONSTRAINT_FILES`, not read. */
  readonly ignoredConstraints: number;
  /** The zone's directory held more than `MAX_DIR_ENTRIES` entries: the rest were not looked at. */
  readonly listingCut: boolean;
  /** Declared limits under `MIN_DECLARED_WATTS`, ignored. */
  readonly belowFloor: number;
}

export type LimitsOutcome =
  | { readonly ok: true; readonly limits: ZoneLimits }
  | { readonly ok: false; readonly text: string; readonly code: string | null };

/** Reads the wrap range and the declared power limits (`constraint_*_{max_power,power_limit}_uw`). */
export async function zoneLimits(io: SysfsIo, zone: RaplZone): Promise<LimitsOutcome> {
  const range = await readOptional(io, `${zone.path}/max_energy_range_uj`);
  if ("code" in range) return { ok: false, text: "", code: range.code };
  const maxEnergyRangeUj = parseUnsignedText(range.text);
  if (!Number.isFinite(maxEnergyRangeUj) || maxEnergyRangeUj === 0) {
    return { ok: false, text: range.text.trim(), code: null };
  }
  let declaredMaxWatts = Number.NaN;
  let entries: readonly string[] = [];
  let listingCut = false;
  try {
    const listing = await io.listDir(zone.path, MAX_DIR_ENTRIES);
    entries = listing.names;
    listingCut = listing.cut;
  } catch {
    // No listing: the zone simply declares no limits.
  }
  // RAPL declares at most three constraints (long term, short term, peak); a directory holding
  // thousands of files named like them must not cost a read each.
  const constraints = entries
    .filter((entry) => /^constraint_\d+_(max_power|power_limit)_uw$/.test(entry))
    .sort();
  const ignoredConstraints = Math.max(0, constraints.length - MAX_CONSTRAINT_FILES);
  let belowFloor = 0;
  for (const entry of constraints.slice(0, MAX_CONSTRAINT_FILES)) {
    const value = await readOptional(io, `${zone.path}/${entry}`);
    if ("code" in value) continue;
    const uw = parseUnsignedText(value.text);
    if (!Number.isFinite(uw) || uw === 0) continue;
    if (uw / 1e6 < MIN_DECLARED_WATTS) {
      belowFloor++;
      continue;
    }
    if (!(uw / 1e6 <= declaredMaxWatts)) declaredMaxWatts = uw / 1e6;
  }
  return {
    ok: true,
    limits: { maxEnergyRangeUj, declaredMaxWatts, ignoredConstraints, listingCut, belowFloor },
  };
}
