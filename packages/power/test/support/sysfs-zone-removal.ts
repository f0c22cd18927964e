/**
 * Run by `sysfs-removal.test.ts` inside a private network and mount namespace with sysfs
 * mounted afresh, where it may add and delete a network device: a RAPL zone whose `energy_uj`
 * is a link to the device's `mtu` attribute, a real sysfs file the kernel removes when the
 * device goes. Prints one JSON line: what each sample said and how often the reader stat'ed a zone.
 */
import { execFileSync } from "node:child_process";
import { rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { nodeSysfsIo, RaplSource, type SysfsIo } from "../../src/index.ts";
import { tempDir, writePowercap } from "../helpers/trees.ts";

const BRIDGE = "wptest0";
const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" });
/** A bridge, or a tun device where the kernel has no bridges: either has an `mtu` attribute. */
const addDevice = (): void => {
  try {
    ip("link", "add", BRIDGE, "type", "bridge");
  } catch {
    ip("tuntap", "add", BRIDGE, "mode", "tun");
  }
};

addDevice();
const dir = await tempDir("sysfs-removal");
const root = join(dir.path, "powercap");
await writePowercap(root, [
  { dir: "intel-rapl:0", name: "package-0", maxEnergyRangeUj: 262_143_328_850 },
]);
const energyPath = join(root, "intel-rapl:0", "energy_uj");
await rm(energyPath, { force: true });
await symlink(`/sys/class/net/${BRIDGE}/mtu`, energyPath);

let stats = 0;
const io: SysfsIo = {
  ...nodeSysfsIo,
  identity: (path) => {
    stats++;
    return nodeSysfsIo.identity(path);
  },
  identityNow: (path) => {
    stats++;
    return nodeSysfsIo.identityNow?.(path) ?? null;
  },
};
const source = new RaplSource({ root, io, revalidateEvery: 1 });
const detection = await source.detect();
const onSysfs = nodeSysfsIo.isSysfs?.(energyPath) ?? false;
const sample = async () => {
  const reading = (await source.sample()).readings[0];
  return {
    energyJ: reading?.energyJ ?? null,
    problem: reading?.problem?.kind ?? null,
    message: reading?.problem?.message ?? null,
  };
};
const before = await sample();
ip("link", "del", BRIDGE);
const removed = await sample();
addDevice();
const recreated = await sample();
source.close();
ip("link", "del", BRIDGE);
await dir.dispose();
process.stdout.write(
  `${JSON.stringify({
    devices: detection.devices.length,
    isSysfs: onSysfs,
    before,
    removed,
    recreated,
    stats,
  })}\n`,
);
