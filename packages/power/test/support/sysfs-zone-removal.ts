/**
 * Run by `sysfs-removal.test.ts` inside a private network and mount namespace with sysfs
 * mounted afresh, where it may add and delete a bridge: a RAPL zone whose `energy_uj` is a
 * link to the bridge's `mtu` attribute, a real sysfs file the kernel removes when the bridge
 * goes. Prints one JSON line: what each sample said and how often the reader stat'ed a zone.
 */
import { execFileSync } from "node:child_process";
import { rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { nodeSysfsIo, RaplSource, type SysfsIo } from "../../src/index.ts";
import { tempDir, writePowercap } from "../helpers/trees.ts";

const BRIDGE = "wptest0";
const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "inherit" });

ip("link", "add", BRIDGE, "type", "bridge");
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
ip("link", "add", BRIDGE, "type", "bridge");
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
