import { readFile } from "node:fs/promises";

/**
 * A process's resident memory in bytes, from Linux's `/proc/<pid>/status` (`VmRSS`, in kB:
 * the unit is written there, unlike `statm`'s pages of a size Node does not tell), or
 * undefined where there is no such file (another system, or the process is gone).
 */
export async function processRssBytes(pid: number): Promise<number | undefined> {
  let status: string;
  try {
    status = await readFile(`/proc/${pid}/status`, "latin1");
  } catch {
    return undefined;
  }
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}
