import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temporary directory removed by `dispose()`. */
export async function tempDir(
  prefix: string,
): Promise<{ readonly path: string; dispose(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `wattprint-${prefix}-`));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}

export interface ZoneSpec {
  readonly dir: string;
  readonly name: string;
  readonly energyUj?: number | string;
  readonly maxEnergyRangeUj?: number | string;
  /** `constraint_0_max_power_uw`. */
  readonly maxPowerUw?: number;
}

/** Writes a powercap tree as the kernel lays it out under /sys/class/powercap (flat zone directories). */
export async function writePowercap(root: string, zones: readonly ZoneSpec[]): Promise<void> {
  await mkdir(join(root, "intel-rapl"), { recursive: true });
  await writeFile(join(root, "intel-rapl", "enabled"), "1\n");
  for (const zone of zones) {
    const dir = join(root, zone.dir);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "name"), `${zone.name}\n`);
    if (zone.energyUj !== undefined) await writeFile(join(dir, "energy_uj"), `${zone.energyUj}\n`);
    if (zone.maxEnergyRangeUj !== undefined) {
      await writeFile(join(dir, "max_energy_range_uj"), `${zone.maxEnergyRangeUj}\n`);
    }
    if (zone.maxPowerUw !== undefined) {
      await writeFile(join(dir, "constraint_0_max_power_uw"), `${zone.maxPowerUw}\n`);
      await writeFile(
        join(dir, "constraint_0_power_limit_uw"),
        `${Math.floor(zone.maxPowerUw / 2)}\n`,
      );
    }
  }
}

/** Rewrites a zone's counter in place (same inode, as sysfs keeps it). */
export function setEnergy(root: string, dir: string, uj: number | string): Promise<void> {
  return writeFile(join(root, dir, "energy_uj"), `${uj}\n`);
}

/** Intel's usual range: 2^32 × 61.035 µJ. */
export const INTEL_RANGE_UJ = 262_143_328_850;

/** A two-socket Intel server with DRAM zones, core/uncore sub-zones, psys and the MMIO twin of package-0. */
export function twoSocketServer(): ZoneSpec[] {
  const zone = (dir: string, name: string, energyUj: number, maxPowerUw?: number): ZoneSpec => ({
    dir,
    name,
    energyUj,
    maxEnergyRangeUj: INTEL_RANGE_UJ,
    ...(maxPowerUw === undefined ? {} : { maxPowerUw }),
  });
  return [
    zone("intel-rapl:0", "package-0", 1_000_000, 270_000_000),
    zone("intel-rapl:0:0", "core", 500_000),
    zone("intel-rapl:0:1", "uncore", 100_000),
    zone("intel-rapl:0:2", "dram", 200_000),
    zone("intel-rapl:1", "package-1", 2_000_000, 270_000_000),
    zone("intel-rapl:1:0", "dram", 300_000),
    zone("intel-rapl:2", "psys", 5_000_000),
    zone("intel-rapl-mmio:0", "package-0", 1_000_000),
  ];
}

export interface CardSpec {
  readonly hwmon: string;
  readonly name: string;
  readonly pci?: string;
  readonly product?: string;
  readonly files: Readonly<Record<string, string | number>>;
}

/** Writes /sys/class/hwmon-like chips; `device` links to a PCI-named directory as sysfs does. */
export async function writeHwmon(root: string, cards: readonly CardSpec[]): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const card of cards) {
    const dir = join(root, card.hwmon);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "name"), `${card.name}\n`);
    for (const [file, value] of Object.entries(card.files))
      await writeFile(join(dir, file), `${value}\n`);
    if (card.pci !== undefined) {
      const device = join(root, "..", "devices", card.pci);
      await mkdir(device, { recursive: true });
      if (card.product !== undefined)
        await writeFile(join(device, "product_name"), `${card.product}\n`);
      await symlink(device, join(dir, "device"));
    }
  }
}
