import { availableParallelism, cpus, totalmem } from "node:os";
import { listDirBounded, openRegularHandle, readSmallText } from "../sysfs/io.ts";
import type { CpuFacts } from "./cpu-model.ts";
import { smbiosMemoryModules } from "./smbios.ts";

/** What the model needs to know about the machine, gathered once at detect time. */
export interface MachineFacts {
  readonly cpu: CpuFacts;
  readonly memoryBytes: number;
  /** Installed memory modules from the SMBIOS table, or undefined when it cannot be read. */
  readonly dimms: number | undefined;
  /** Where each fact came from, for the notes: [0] the CPU brand, [1] the memory modules. */
  readonly origin: readonly string[];
}

export interface FactsOptions {
  /** Where sysfs is; tests point it at a temporary tree. Linux only. */
  readonly sysRoot?: string;
  readonly platform?: NodeJS.Platform;
}

/** systeminformation spawns `lscpu`/`dmidecode`; a machine that hangs there must not hang us. */
const FACTS_TIMEOUT_MS = 10_000;
/** CPU directories read for the socket count; a bigger machine is counted on its first ones. */
export const MAX_CPU_DIRS = 8192;
/**
 * Names read from the CPU directory: the `cpuN` directories plus the two dozen other entries
 * the kernel keeps beside them (`cpufreq`, `cpuidle`, `online`, `vulnerabilities`, ...), with
 * room to spare. A root pointed at a larger directory is listed this far, not whole.
 */
const MAX_CPU_LISTING = MAX_CPU_DIRS + 256;
/** SMBIOS 3 tables are a few KiB to a few tens of KiB; more than this is not a DMI table. */
const MAX_DMI_BYTES = 1 << 20;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

/**
 * The CPU brand comes from the kernel's model name (`os.cpus()`, i.e. /proc/cpuinfo), which
 * is what the hardware table's aliases are written against. On Linux the socket count, the
 * memory size and the module count are read in-process from sysfs (what `lscpu` and
 * `dmidecode` read), because spawning them through systeminformation took over a second of
 * wall time at every `wattprint track` (issue 13). Elsewhere systeminformation supplies them.
 */
export async function gatherFacts(options: FactsOptions = {}): Promise<MachineFacts> {
  const platform = options.platform ?? process.platform;
  const osModel = cpus()[0]?.model?.trim() ?? "";
  const gathered =
    platform === "linux" ? await linuxFacts(options.sysRoot ?? "/sys") : await otherFacts();
  const brand = osModel !== "" ? osModel : gathered.brand;
  return {
    cpu: { brand, logicalCpus: availableParallelism(), sockets: gathered.sockets },
    memoryBytes: gathered.memoryBytes,
    dimms: gathered.dimms,
    origin: [
      osModel !== "" ? "CPU model name from the kernel (/proc/cpuinfo)" : gathered.brandOrigin,
      gathered.dimmsOrigin,
    ],
  };
}

interface Gathered {
  readonly brand: string;
  readonly brandOrigin: string;
  readonly sockets: number;
  readonly memoryBytes: number;
  readonly dimms: number | undefined;
  readonly dimmsOrigin: string;
}

async function linuxFacts(sysRoot: string): Promise<Gathered> {
  const [sockets, dimms] = await Promise.all([
    socketCount(`${sysRoot}/devices/system/cpu`),
    dimmCount(`${sysRoot}/firmware/dmi/tables/DMI`),
  ]);
  return {
    brand: "",
    brandOrigin: "no CPU model name from the kernel (/proc/cpuinfo)",
    sockets,
    memoryBytes: totalmem(),
    ...dimms,
  };
}

/** Distinct `physical_package_id`s of the CPUs the kernel lists (what lscpu's Socket(s) counts); 1 when none reads. */
async function socketCount(cpuDir: string): Promise<number> {
  let names: readonly string[];
  try {
    names = (await listDirBounded(cpuDir, MAX_CPU_LISTING)).names;
  } catch {
    return 1;
  }
  const dirs = names.filter((name) => /^cpu\d+$/.test(name)).slice(0, MAX_CPU_DIRS);
  const ids = await Promise.all(
    dirs.map((dir) =>
      // Bounded and non-blocking, as every sysfs read here: the root may be a test's tree.
      readSmallText(`${cpuDir}/${dir}/topology/physical_package_id`).then(
        (text) => Number.parseInt(text, 10),
        () => Number.NaN, // an offline CPU has no topology directory
      ),
    ),
  );
  // Some ARM firmware reports -1 for every CPU: no socket is known, so one is assumed.
  const packages = new Set(ids.filter((id) => Number.isInteger(id) && id >= 0));
  return Math.max(1, packages.size);
}

async function dimmCount(path: string): Promise<Pick<Gathered, "dimms" | "dimmsOrigin">> {
  let table: Uint8Array;
  try {
    // Non-blocking, regular files only: a FIFO at the path would hold the open until a writer came.
    const { handle: file, stats } = await openRegularHandle(path);
    try {
      // sysfs gives the table's true size; 0 (unknown) reads up to the limit.
      const size = Math.min(stats.size || MAX_DMI_BYTES, MAX_DMI_BYTES);
      const buffer = Buffer.alloc(size);
      // A sysfs binary attribute answers at most one page per read: one read cut every table
      // over 4 KiB, and the DIMMs past the cut went uncounted. Bounded by the buffer: each
      // pass reads at least one byte or ends the loop.
      let length = 0;
      while (length < size) {
        const { bytesRead } = await file.read(buffer, length, size - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (stats.size > MAX_DMI_BYTES) {
        return {
          dimms: undefined,
          dimmsOrigin: `no DIMM list (${path} is ${stats.size} bytes, more than the ${MAX_DMI_BYTES} an SMBIOS table can be; it is not read as one)`,
        };
      }
      if (stats.size > 0 && length < stats.size) {
        return {
          dimms: undefined,
          dimmsOrigin: `no DIMM list (${path} ended after ${length} of its ${stats.size} bytes; a part of the table would undercount the modules)`,
        };
      }
      table = buffer.subarray(0, length);
    } finally {
      await file.close();
    }
  } catch (error) {
    return { dimms: undefined, dimmsOrigin: unreadableTable(path, error) };
  }
  const { modules, stoppedEarly } = smbiosMemoryModules(table);
  if (stoppedEarly !== undefined) {
    // The modules past the point where the walk stopped are unknown: a count would undercount
    // them and still read as measured (high confidence); none is given instead.
    return {
      dimms: undefined,
      dimmsOrigin: `no DIMM list (the SMBIOS table stopped early: ${stoppedEarly}, after ${modules} module(s); a part of the table would undercount the modules)`,
    };
  }
  return modules > 0
    ? { dimms: modules, dimmsOrigin: `${modules} DIMM(s) from the SMBIOS table` }
    : {
        dimms: undefined,
        dimmsOrigin: "no DIMM list (the SMBIOS table lists no installed memory module)",
      };
}

/** Why there is no module count when the SMBIOS table does not read (exported for its test). */
export function unreadableTable(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === "EACCES" || code === "EPERM"
      ? `${path} is readable by root only`
      : code === "ENOENT"
        ? `no ${path}: this machine or VM exposes no SMBIOS table`
        : `${path} could not be read: ${code ?? String(error)}`;
  return `no DIMM list (${why})`;
}

/**
 * macOS, Windows and the BSDs: systeminformation (system_profiler, wmic, sysctl). Imported
 * here, not at the top: it costs about 100 ms of CPU to load (issue 13). It reports one
 * module the size of all memory when it cannot list them; such an entry (no type, bank or
 * form factor) is not counted as a DIMM.
 */
async function otherFacts(): Promise<Gathered> {
  const si = await import("systeminformation");
  const [cpuInfo, memInfo, layout] = await Promise.all([
    withTimeout(si.cpu(), FACTS_TIMEOUT_MS),
    withTimeout(si.mem(), FACTS_TIMEOUT_MS),
    withTimeout(si.memLayout(), FACTS_TIMEOUT_MS),
  ]);
  const modules = (layout ?? []).filter(
    (m) => m.size > 0 && (m.type !== "" || m.bank !== "" || m.formFactor !== ""),
  );
  const dimms = modules.length > 0 ? modules.length : undefined;
  return {
    brand: cpuInfo === undefined ? "" : `${cpuInfo.manufacturer} ${cpuInfo.brand}`.trim(),
    brandOrigin: "CPU brand from systeminformation",
    sockets: cpuInfo !== undefined && cpuInfo.processors > 0 ? cpuInfo.processors : 1,
    memoryBytes: memInfo !== undefined && memInfo.total > 0 ? memInfo.total : totalmem(),
    dimms,
    dimmsOrigin:
      dimms === undefined
        ? "no DIMM list (the OS did not list the memory modules)"
        : `${dimms} DIMM(s) from systeminformation`,
  };
}
