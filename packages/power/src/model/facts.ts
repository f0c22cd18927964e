import { availableParallelism, cpus, totalmem } from "node:os";
import type { CpuFacts } from "./cpu-model.ts";

/** What the model needs to know about the machine, gathered once at detect time. */
export interface MachineFacts {
  readonly cpu: CpuFacts;
  readonly memoryBytes: number;
  /** Installed memory modules from the SMBIOS table, or undefined when it cannot be read. */
  readonly dimms: number | undefined;
  /** Where each fact came from, for the notes. */
  readonly origin: readonly string[];
}

/** systeminformation spawns `lscpu`/`dmidecode`; a machine that hangs there must not hang us. */
const FACTS_TIMEOUT_MS = 10_000;

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
 * is what the hardware table's aliases are written against; systeminformation supplies the
 * socket count, the memory size and the DIMM list. systeminformation reports one module the
 * size of all memory when `dmidecode` is missing or not permitted; such an entry (no type,
 * bank or form factor) is not counted as a DIMM.
 */
export async function gatherFacts(): Promise<MachineFacts> {
  const origin: string[] = [];
  // Imported here, not at the top: systeminformation costs about 100 ms of CPU to load (issue
  // 13), and a process that never models the CPU (measured or simulated devices) never needs it.
  const si = await import("systeminformation");
  const [cpuInfo, memInfo, layout] = await Promise.all([
    withTimeout(si.cpu(), FACTS_TIMEOUT_MS),
    withTimeout(si.mem(), FACTS_TIMEOUT_MS),
    withTimeout(si.memLayout(), FACTS_TIMEOUT_MS),
  ]);
  const osModel = cpus()[0]?.model?.trim() ?? "";
  const siBrand = cpuInfo === undefined ? "" : `${cpuInfo.manufacturer} ${cpuInfo.brand}`.trim();
  const brand = osModel !== "" ? osModel : siBrand;
  origin.push(
    osModel !== ""
      ? "CPU model name from the kernel (/proc/cpuinfo)"
      : "CPU brand from systeminformation",
  );
  const sockets = cpuInfo !== undefined && cpuInfo.processors > 0 ? cpuInfo.processors : 1;
  const memoryBytes = memInfo !== undefined && memInfo.total > 0 ? memInfo.total : totalmem();
  const modules = (layout ?? []).filter(
    (m) => m.size > 0 && (m.type !== "" || m.bank !== "" || m.formFactor !== ""),
  );
  const dimms = modules.length > 0 ? modules.length : undefined;
  origin.push(
    dimms === undefined
      ? "no DIMM list (dmidecode missing or not permitted: it needs root)"
      : `${dimms} DIMM(s) from the SMBIOS table`,
  );
  return {
    cpu: { brand, logicalCpus: availableParallelism(), sockets },
    memoryBytes,
    dimms,
    origin,
  };
}
