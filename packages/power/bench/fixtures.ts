/**
 * The benchmark's machine: fake powercap, hwmon and /proc trees in a temporary folder and the
 * fake NVML library, shared by the per-sample benchmark (`power.ts`) and the 1 Hz child
 * processes (`one-hertz.ts`).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AmdgpuSource,
  ModelSource,
  NvmlSource,
  nodeSysfsIo,
  type PowerSource,
  RaplSource,
} from "../src/index.ts";
import { buildFakeNvml } from "../test/fake-nvml/build.ts";
import { tempDir, twoSocketServer, writeHwmon, writePowercap } from "../test/helpers/trees.ts";

export interface BenchMachine {
  readonly rapl: () => PowerSource;
  /**
   * The same tree read as RAPL reads sysfs: the file layer says the zones are on sysfs, so the
   * reader makes no `stat` checks (a removed zone answers ENODEV there; see `SysfsIo.isSysfs`).
   */
  readonly raplAsOnSysfs: () => PowerSource;
  readonly nvml: () => PowerSource;
  readonly amdgpu: () => PowerSource;
  readonly model: () => PowerSource;
  dispose(): Promise<void>;
}

export async function benchMachine(): Promise<BenchMachine> {
  const dir = await tempDir("bench");
  const powercap = join(dir.path, "powercap");
  const hwmon = join(dir.path, "hwmon");
  const proc = join(dir.path, "proc");
  await writePowercap(powercap, twoSocketServer());
  await writeHwmon(hwmon, [
    {
      hwmon: "hwmon0",
      name: "amdgpu",
      pci: "0000:03:00.0",
      files: { power1_average: 150_000_000, power1_cap: 300_000_000 },
    },
    { hwmon: "hwmon1", name: "amdgpu", pci: "0000:83:00.0", files: { energy1_input: 5_000_000 } },
  ]);
  await writePowercap(proc, []);
  await writeFile(
    join(proc, "stat"),
    "cpu  93449 10 36391 141482 355 5 754 7 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n",
  );
  const library = await buildFakeNvml();
  const script = join(dir.path, "nvml.txt");
  await writeFile(
    script,
    [
      "device GPU-aaaa1111-2222-3333-4444-555566667777 NVIDIA H100 80GB HBM3",
      "energy 1000000",
      "limit 700000",
      "device GPU-bbbb1111-2222-3333-4444-555566667777 NVIDIA H100 80GB HBM3",
      "energy 2000000",
      "limit 700000",
      "",
    ].join("\n"),
  );
  process.env.FAKE_NVML_SCRIPT = script;
  const facts = {
    cpu: { brand: "AMD EPYC 7763 64-Core Processor", logicalCpus: 128, sockets: 1 },
    memoryBytes: 256 * 1024 ** 3,
    dimms: 8,
    origin: ["bench"],
  };
  return {
    rapl: () => new RaplSource({ root: powercap }),
    raplAsOnSysfs: () =>
      new RaplSource({ root: powercap, io: { ...nodeSysfsIo, isSysfs: () => true } }),
    nvml: () => new NvmlSource({ library, cudaVisibleDevices: null }),
    amdgpu: () => new AmdgpuSource({ root: hwmon }),
    model: () =>
      new ModelSource({ cpu: true, dram: true, facts, procRoot: proc, platform: "linux" }),
    dispose: () => dir.dispose(),
  };
}
