import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  gramsCO2eq,
  gramsPerKWh,
  kilowattHours,
  milliwatts,
  seconds,
  watts,
} from "@wattprint/core";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllLogs } from "../api.ts";
import { startLogs } from "./log-writer.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "wattprint-writer-"));
  dirs.push(dir);
  return dir;
}

const GPU_CPU = [
  { name: "gpu", devices: ["NVIDIA A100", "NVIDIA A100"] },
  { name: "cpu", devices: ["cpu:0", "dram:0"] },
];
const clock = () => new Date("2026-03-01T23:30:05Z");

function open(dir: string, extra = {}) {
  const started = startLogs({
    logDir: dir,
    components: GPU_CPU,
    now: clock,
    pid: 42,
    loggerId: 7,
    ...extra,
  });
  if (!started.ok) throw new Error(started.error.message);
  return started.value;
}

describe("startLogs", () => {
  it("names the files with the pid, the logger id and a true UTC time", () => {
    const dir = newDir();
    const w = open(dir, { prefix: "bert" });
    expect(readdirSync(dir).sort()).toEqual([
      "bert_42.7_2026-03-01T233005Z_carbontracker.log",
      "bert_42.7_2026-03-01T233005Z_carbontracker_output.log",
    ]);
    expect(readFileSync(w.files.standard, "utf8")).toBe(
      "2026-03-01 23:30:05 - carbontracker version 2.4.3 (its log format, written by wattprint)\n" +
        "2026-03-01 23:30:05 - Only predicted and actual consumptions are multiplied by a PUE coefficient of 1.58 (Daniel Bizo, 2023, Uptime Institute Global Data Center Survey).\n" +
        "2026-03-01 23:30:05 - The following components were found: GPU with device(s) NVIDIA A100, NVIDIA A100. CPU with device(s) cpu:0, dram:0.\n" +
        "2026-03-01 23:30:05 - Monitoring thread started.\n",
    );
    w.close();
  });

  it("refuses options that would write an unreadable log, naming the field", () => {
    const dir = newDir();
    const cases: [object, string][] = [
      [{ components: [{ name: "GPU 1", devices: ["x"] }] }, "components.0.name"],
      [{ components: [{ name: "gpu", devices: ["A, B"] }] }, "components.0.devices.0"],
      // Read back, `Acme X with device(s) Y` would be a component `x` with a device `Y`.
      [
        { components: [{ name: "cpu", devices: ["Acme X with device(s) Y"] }] },
        "components.0.devices.0",
      ],
      [{ components: GPU_CPU, prefix: "a/b" }, "prefix"],
      [{ components: GPU_CPU, loggerId: 0 }, "loggerId"],
      [{ components: GPU_CPU, decimalPrecision: 101 }, "decimalPrecision"],
    ];
    for (const [options, field] of cases) {
      const started = startLogs({ logDir: dir, ...(options as { components: typeof GPU_CPU }) });
      expect(started.ok ? null : started.error).toMatchObject({ kind: "invalid-options", field });
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("never appends to an existing log, and reports a folder that does not exist", () => {
    const dir = newDir();
    const first = open(dir);
    const second = startLogs({
      logDir: dir,
      components: GPU_CPU,
      now: clock,
      pid: 42,
      loggerId: 7,
    });
    expect(second.ok ? null : second.error).toMatchObject({
      kind: "exists",
      path: first.files.standard,
    });
    expect(readFileSync(first.files.standard, "utf8").split("\n")).toHaveLength(5);
    first.close();
    const missing = startLogs({ logDir: join(dir, "nope"), components: GPU_CPU });
    expect(missing.ok ? null : missing.error).toMatchObject({ kind: "write-failed" });
  });
});

describe("an injected clock", () => {
  it("is refused at start when it throws or gives no writable time, and nothing is created", () => {
    const dir = newDir();
    const clocks: [() => Date, RegExp][] = [
      [
        () => {
          throw new Error("clock unplugged");
        },
        /now\(\) threw \(clock unplugged\)/,
      ],
      [() => new Date(Number.NaN), /invalid Date \(its time is NaN\)/],
      [() => 1_700_000_000_000 as unknown as Date, /now\(\) returned number, not a Date/],
      [() => new Date("+020000-01-01T00:00:00Z"), /outside the years 1000 to 9999/],
    ];
    for (const [now, message] of clocks) {
      const started = startLogs({ logDir: dir, components: GPU_CPU, now, pid: 42, loggerId: 7 });
      expect(started.ok ? null : started.error).toMatchObject({
        kind: "invalid-options",
        field: "now",
        message: expect.stringMatching(message),
      });
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("that fails later refuses that record, counted, and never writes NaN", async () => {
    const dir = newDir();
    let broken: "no" | "nan" | "throws" = "no";
    const w = open(dir, {
      now: () => {
        if (broken === "throws") throw new Error("clock unplugged");
        return broken === "nan" ? new Date(Number.NaN) : clock();
      },
    });
    const epoch = { duration: seconds(1), power: { gpu: watts(1), cpu: watts(1) } };
    const before = readFileSync(w.files.standard, "utf8");
    broken = "nan";
    const refused = w.epochEnd(epoch);
    expect(refused.ok ? null : refused.error).toMatchObject({
      kind: "invalid-clock",
      field: "now",
      message: expect.stringMatching(/^epoch: not written to .*: now\(\) returned an invalid Date/),
    });
    broken = "throws";
    const intensity = w.intensityFetched({
      intensity: gramsPerKWh(100),
      address: "Denmark",
    });
    expect(intensity.ok ? null : intensity.error).toMatchObject({
      kind: "invalid-clock",
      cause: "clock unplugged",
    });
    expect(w.clockFailures).toBe(2);
    expect(w.epochCount).toBe(0);
    expect(readFileSync(w.files.standard, "utf8")).toBe(before);

    broken = "no";
    expect(w.epochEnd(epoch).ok).toBe(true);
    expect(w.epochCount).toBe(1);
    expect(
      w.actual({
        duration: seconds(1),
        energy: kilowattHours(0.5),
        carbon: gramsCO2eq(70),
        averageIntensity: gramsPerKWh(140),
      }).ok,
    ).toBe(true);
    broken = "nan";
    const ended = w.end();
    expect(ended.ok ? null : ended.error).toMatchObject({ kind: "invalid-clock", field: "now" });
    expect(w.clockFailures).toBe(3);
    // Closed all the same: nothing more is written.
    broken = "no";
    expect(w.epochEnd(epoch)).toMatchObject({ ok: false, error: { kind: "closed" } });

    const standard = readFileSync(w.files.standard, "utf8");
    const output = readFileSync(w.files.output, "utf8");
    expect(standard + output).not.toMatch(/NaN/);
    expect(standard).toContain("2026-03-01 23:30:05 - Epoch 1:\n");
    expect(standard).not.toContain("Epoch 2:");
    const parsed = await parseAllLogs(dir);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.skipped).toEqual([]);
    expect(parsed.value.logs[0]).toMatchObject({ actual: { epochs: 1, "energy (kWh)": 0.5 } });
  });
});

describe("LogWriter events", () => {
  it("sums the devices of a component and writes None for an epoch without a sample", () => {
    const dir = newDir();
    const w = open(dir);
    expect(
      w.epochEnd({
        duration: seconds(61.996),
        power: { gpu: [watts(250), watts(249.5)], cpu: [watts(30), milliwatts(500)] },
      }).ok,
    ).toBe(true);
    expect(
      w.epochEnd({ duration: seconds(0.004), power: { gpu: null, cpu: watts(1.2e-5) } }).ok,
    ).toBe(true);
    const lines = readFileSync(w.files.standard, "utf8").split("\n").slice(4);
    expect(lines).toEqual([
      "2026-03-01 23:30:05 - Epoch 1:",
      "2026-03-01 23:30:05 - Duration: 0:01:02.00",
      "2026-03-01 23:30:05 - Average power usage (W) for gpu: 499.5",
      "2026-03-01 23:30:05 - Average power usage (W) for cpu: 30.5",
      "2026-03-01 23:30:05 - Epoch 2:",
      "2026-03-01 23:30:05 - Duration: 0:00:00.00",
      "2026-03-01 23:30:05 - Average power usage (W) for gpu: None",
      "2026-03-01 23:30:05 - Average power usage (W) for cpu: 0.000012",
      "",
    ]);
    w.close();
  });

  it("refuses a bad record without touching the files", () => {
    const dir = newDir();
    const w = open(dir);
    const before = statSync(w.files.standard).size;
    const nan = w.prediction({
      epochs: 3,
      duration: seconds(1),
      energy: kilowattHours(Number.NaN),
      carbon: gramsCO2eq(1),
    });
    expect(nan.ok ? null : nan.error).toMatchObject({
      kind: "invalid-record",
      field: "energy.value",
    });
    const missing = w.epochEnd({ duration: seconds(1), power: { gpu: watts(1) } });
    expect(missing.ok ? null : missing.error).toMatchObject({
      kind: "invalid-record",
      field: "power.cpu",
    });
    const unknown = w.epochEnd({
      duration: seconds(1),
      power: { gpu: watts(1), cpu: watts(1), tpu: watts(1) },
    });
    expect(unknown.ok ? null : unknown.error).toMatchObject({
      kind: "invalid-record",
      field: "power.tpu",
    });
    const negative = w.epochEnd({ duration: seconds(-1), power: { gpu: watts(1), cpu: watts(1) } });
    expect(negative.ok ? null : negative.error).toMatchObject({
      kind: "invalid-record",
      field: "duration.value",
    });
    expect(statSync(w.files.standard).size).toBe(before);
    expect(w.epochCount).toBe(0);
    w.close();
  });

  it("labels an early stop's actual consumption with the epochs written (carbontracker: one short)", async () => {
    const dir = newDir();
    const w = open(dir);
    for (let i = 0; i < 3; i++)
      w.epochEnd({ duration: seconds(1), power: { gpu: watts(1), cpu: watts(1) } });
    w.earlyStop({ plannedEpochs: 10 });
    w.actual({
      duration: seconds(3),
      energy: kilowattHours(0.5),
      carbon: gramsCO2eq(70),
      averageIntensity: gramsPerKWh(140),
    });
    expect(w.end().ok).toBe(true);
    expect(readFileSync(w.files.output, "utf8")).toContain(
      "\nActual consumption for 3 epoch(s):\n",
    );
    const parsed = await parseAllLogs(dir);
    expect(parsed.ok && parsed.value.logs[0]).toMatchObject({
      early_stop: true,
      actual: { epochs: 3, "energy (kWh)": 0.5 },
    });
  });

  it("is closed after end()", () => {
    const dir = newDir();
    const w = open(dir);
    expect(w.end().ok).toBe(true);
    const after = w.epochEnd({ duration: seconds(1), power: { gpu: watts(1), cpu: watts(1) } });
    expect(after.ok ? null : after.error).toMatchObject({ kind: "closed" });
    expect(readFileSync(w.files.output, "utf8")).toMatch(
      / - CarbonTracker: Finished monitoring\.\n$/,
    );
  });
});

describe("figures that pass the reader's limits once converted or summed", () => {
  it("are refused naming the field, and nothing is written (it wrote inf, NaN and 1e21)", () => {
    const dir = newDir();
    const w = open(dir);
    const sizes = () => [statSync(w.files.standard).size, statSync(w.files.output).size];
    const before = sizes();
    const refusals = [
      w.epochEnd({
        duration: seconds(1),
        power: { gpu: [watts(1e308), watts(1e308)], cpu: watts(1) },
      }),
      w.epochEnd({ duration: seconds(1), power: { gpu: { value: 1e307, unit: "kW" }, cpu: null } }),
      w.epochEnd({ duration: seconds(1), power: { gpu: watts(1e21), cpu: null } }),
      w.epochEnd({ duration: { value: 1e13, unit: "h" }, power: { gpu: watts(1), cpu: null } }),
      w.prediction({
        epochs: 1,
        duration: seconds(1),
        energy: { value: 1e307, unit: "MWh" },
        carbon: gramsCO2eq(1),
      }),
      w.actual({
        duration: seconds(1),
        energy: kilowattHours(1),
        carbon: { value: 1e307, unit: "tCO2eq" },
        averageIntensity: gramsPerKWh(1),
      }),
      w.actual({
        duration: seconds(1),
        energy: kilowattHours(1),
        carbon: gramsCO2eq(1),
        averageIntensity: gramsPerKWh(1e21),
      }),
    ];
    expect(
      refusals.map((r) =>
        r.ok ? "ok" : `${r.error.kind} ${"field" in r.error ? r.error.field : ""}`,
      ),
    ).toEqual([
      "invalid-record power.gpu",
      "invalid-record power.gpu",
      "invalid-record power.gpu",
      "invalid-record duration",
      "invalid-record energy",
      "invalid-record carbon",
      "invalid-record averageIntensity.value",
    ]);
    expect(refusals[0]?.ok ? "" : refusals[0]?.error.message).toMatch(
      /^epoch: power\.gpu is Infinity W as written, outside 0 to 100000000000000000000 W/,
    );
    expect(sizes()).toEqual(before);
    expect(w.epochCount).toBe(0);
    w.close();
  });

  it("are written up to the limits, and read back", async () => {
    const dir = newDir();
    const w = open(dir);
    const written = w.epochEnd({
      duration: { value: 999_999_999_999, unit: "h" },
      power: { gpu: [watts(5e19), watts(5e19)], cpu: watts(0) },
    });
    expect(written.ok).toBe(true);
    const actual = w.actual({
      duration: { value: 999_999_999_999, unit: "h" },
      energy: kilowattHours(1e20),
      carbon: gramsCO2eq(1e20),
      averageIntensity: gramsPerKWh(1e20),
    });
    expect(actual.ok).toBe(true);
    expect(w.end().ok).toBe(true);
    const parsed = await parseAllLogs(dir);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.skipped).toEqual([]);
    expect(parsed.value.logs[0]?.components.gpu?.["avg_power_usages (W)"]).toEqual([[1e20]]);
    expect(parsed.value.logs[0]?.actual).toMatchObject({ "energy (kWh)": 1e20, "co2eq (g)": 1e20 });
  });
});

/**
 * What `support` (a script in ../../test) prints about `dir`, run under a file size limit of
 * `kib` KiB (SIGXFSZ ignored): the write that passes it fails with EFBIG.
 */
async function underFileSizeLimit(kib: number, support: string, dir: string): Promise<unknown> {
  const child = spawn(
    "bash",
    [
      "-c",
      `trap '' XFSZ; ulimit -f ${kib}; exec "$0" --import tsx --conditions=@wattprint/source "$1" "$2"`,
      process.execPath,
      fileURLToPath(new URL(`../../test/${support}`, import.meta.url)),
      dir,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  await new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return JSON.parse(out);
}

describe("end() after a failed write", () => {
  it("returns the failure and closes both files (it left them open)", async () => {
    expect(await underFileSizeLimit(4, "full-disk-writer.test-support.ts", newDir())).toEqual({
      failed: "write-failed",
      before: 2,
      ended: "write-failed",
      after: 0,
    });
  });
});

describe("a start whose opening lines cannot be written", () => {
  it("fails and leaves no empty pair of logs behind (later reports skipped them as empty)", async () => {
    expect(await underFileSizeLimit(0, "full-disk-start.test-support.ts", newDir())).toEqual({
      started: "write-failed",
      files: [],
    });
  });
});

describe("a crash loses at most the record being written", () => {
  it("every epoch the killed tracker reported is in its log, and the log parses", async () => {
    const dir = newDir();
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@wattprint/source",
        fileURLToPath(new URL("../../test/crash-writer.test-support.ts", import.meta.url)),
        dir,
      ],
      // Far from UTC: the file name must still carry the UTC time.
      { env: { ...process.env, TZ: "Pacific/Kiritimati" }, stdio: ["ignore", "pipe", "inherit"] },
    );
    let reported = 0;
    let stem = "";
    const startedAt = Date.now();
    await new Promise<void>((resolve) => {
      let buffered = "";
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        for (const line of buffered.split("\n").slice(0, -1)) {
          if (line.startsWith("started ")) stem = line.slice(8);
          if (line.startsWith("epoch ")) reported = Number(line.slice(6));
        }
        buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
        if (reported >= 25 && child.exitCode === null && !child.killed) child.kill("SIGKILL");
      });
      child.on("exit", () => resolve());
    });
    expect(child.signalCode).toBe("SIGKILL");
    // The file name's time is UTC (within the seconds the test took), whatever TZ said.
    const stamp = /_(\d{4})-(\d\d)-(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(stem);
    const named = Date.UTC(
      Number(stamp?.[1]),
      Number(stamp?.[2]) - 1,
      Number(stamp?.[3]),
      Number(stamp?.[4]),
      Number(stamp?.[5]),
      Number(stamp?.[6]),
    );
    expect(Math.abs(named - startedAt)).toBeLessThan(60_000);
    const standard = readFileSync(join(dir, `${stem}_carbontracker.log`), "utf8");
    expect(standard.endsWith("\n")).toBe(true);
    const parsed = await parseAllLogs(dir);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.skipped).toEqual([]);
    const gpu = parsed.value.logs[0]?.components.gpu?.["avg_power_usages (W)"] ?? [];
    expect(gpu.length).toBeGreaterThanOrEqual(reported);
    expect(gpu.slice(0, reported)).toEqual(Array.from({ length: reported }, (_, i) => [201 + i]));
  });
});
