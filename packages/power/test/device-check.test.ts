import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFakeNvml } from "./fake-nvml/build.ts";
import { tempDir } from "./helpers/trees.ts";

const run = promisify(execFile);
const PACK = fileURLToPath(new URL("../device-check/pack.ts", import.meta.url));

interface CheckReport {
  readonly devices: readonly { id: string; reader: string; counter: boolean }[];
  readonly load: unknown;
  readonly oneHertz: { samples: number; medianAboveEmptyUs: number };
  readonly checks: readonly { name: string; ok: boolean; detail: string }[];
}

let dir: { path: string; dispose(): Promise<void> };
let library: string;

beforeAll(async () => {
  library = await buildFakeNvml();
  dir = await tempDir("device-check");
  await run(process.execPath, ["--import", "tsx", PACK, join(dir.path, "packed")], {
    timeout: 60_000,
  });
}, 120_000);
afterAll(async () => {
  await dir.dispose();
});

// What a session lent a GPU machine runs there (README, "On a machine with an NVIDIA GPU"),
// here against the fake library: the packed folder must run on its own, koffi and all.
describe("the packed NVML check", () => {
  it("holds the bundle, koffi and its Linux binary, and a run script", () => {
    const packed = join(dir.path, "packed");
    for (const file of [
      "nvml-check.mjs",
      "run.sh",
      "node_modules/koffi/package.json",
      "node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node",
    ]) {
      expect(existsSync(join(packed, file)), file).toBe(true);
    }
  });

  it("meters two GPUs, times the 1 Hz cost and closes NVML", async () => {
    const script = join(dir.path, "script.txt");
    const log = join(dir.path, "calls.txt");
    const rising = Array.from({ length: 60 }, (_, i) => 5_000_000 + i * 120_000).join(" ");
    await writeFile(
      script,
      [
        `log ${log}`,
        "device GPU-aaaa1111-2222-3333-4444-555566667777 NVIDIA H200",
        `energy ${rising}`,
        "limit 700000",
        "device GPU-bbbb1111-2222-3333-4444-555566667777 Tesla T4",
        "power 70000",
        "limit 70000",
        "",
      ].join("\n"),
    );
    const env = {
      ...process.env,
      WATTPRINT_NVML_LIBRARY: library,
      FAKE_NVML_SCRIPT: script,
      NVML_CHECK_IDLE_S: "1",
      NVML_CHECK_LOAD_S: "0",
      NVML_CHECK_HZ_S: "3",
      OUT: dir.path,
    };
    // Exit 1 when a check fails: the 1 Hz cost may, on a loaded machine; the rest may not.
    // Through run.sh, as on the GPU machine; without a packed Node it takes the one on PATH.
    const result = await run("bash", [join(dir.path, "packed", "run.sh")], {
      env: { ...env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` },
      timeout: 60_000,
    }).catch((error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? "" }));
    const report = JSON.parse(result.stdout) as CheckReport;
    const passed = (name: string) => report.checks.find((c) => c.name === name)?.ok;
    expect(report.devices.map((d) => [d.reader, d.counter])).toEqual([
      ["nvml", true],
      ["nvml", false],
    ]);
    expect(passed("open")).toBe(true);
    expect(passed("idle energy")).toBe(true);
    expect(passed("closed")).toBe(true);
    expect(report.load).toBe("skipped (NVML_CHECK_LOAD_S=0)");
    expect(report.oneHertz.samples).toBe(3);
    expect(Number.isFinite(report.oneHertz.medianAboveEmptyUs)).toBe(true);
    expect(report.checks.map((c) => c.name)).toContain("1 Hz cost at most 0.02 % of one core");
    // nvmlShutdown ran once, after the one init, and the same document was written under $OUT.
    expect((await readFile(log, "utf8")).trim().split("\n")).toEqual(["init 0", "shutdown"]);
    expect(existsSync(join(dir.path, "nvml-check.json"))).toBe(true);
  }, 60_000);
});
