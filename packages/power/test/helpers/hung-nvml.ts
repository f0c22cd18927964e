import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, vi } from "vitest";
import {
  hungCallStats,
  type NvmlSource,
  openPowerMeter,
  type PowerMeter,
} from "../../src/index.ts";

/**
 * A copy of the fake library (`built`) in `folder`, with its own script and log, the script
 * made the one FAKE_NVML_SCRIPT names: a library a call hung in is never called again by this
 * process, and a copy is a separate library (its own globals), so the other NVML tests'
 * library stays usable.
 */
export async function scriptedCopy(
  built: string,
  folder: string,
  lines: readonly string[],
): Promise<{ path: string; log: string }> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, "libnvidia-ml.so.1");
  await copyFile(built, path);
  const log = join(folder, "log.txt");
  const script = join(folder, "script.txt");
  await writeFile(script, `log ${log}\n${lines.join("\n")}\n`);
  process.env.FAKE_NVML_SCRIPT = script;
  return { path, log };
}

/** The lines the fake library logged (init, shutdown, a hang's beginning and end). */
export async function logLines(log: string): Promise<string[]> {
  return (await readFile(log, "utf8").catch(() => "")).split("\n").filter((l) => l !== "");
}

/**
 * Waits until the fake library has logged `line` (a hang's beginning): the caller's code runs
 * while a call is inside the library, so the event loop was free during it.
 */
export async function untilLogged(log: string, line: string): Promise<void> {
  await vi.waitFor(async () => expect(await logLines(log)).toContain(line), {
    timeout: 5_000,
    interval: 20,
  });
}

/** A meter over `source` alone whose read rounds give up after 300 ms. */
export async function meterGivingUpAt300Ms(source: NvmlSource): Promise<PowerMeter> {
  const opened = await openPowerMeter({
    inject: { sources: [source] },
    fallback: "none",
    readDeadlineMs: 300,
  });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

/**
 * Waits until every call the package gave up on has returned (the fake's hangs last 1.5 s), so
 * that the next test starts with none out.
 */
export async function hungCallsReturned(): Promise<void> {
  await vi.waitFor(() => expect(hungCallStats().outstanding).toBe(0), {
    timeout: 10_000,
    interval: 50,
  });
}
