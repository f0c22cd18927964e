import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gramsCO2eq, gramsPerKWh, kilowattHours, seconds, watts } from "@wattprint/core";
import { describe, expect, it } from "vitest";
import { WRITTEN_BY } from "../src/format/records.ts";
import { type LogWriter, startLogs } from "../src/index.ts";
import { fixture, replayClock, useTempDirs } from "./helpers.test-support.ts";

/**
 * The writer reproduces the logs carbontracker 2.4.3 wrote, byte for byte: same file names
 * (the fixtures' local clock was UTC), same lines, TABs, trailing spaces and decimals. The
 * runs are replayed with the fixtures' own figures and timestamps. One line differs, on
 * purpose: the version line says wattprint wrote the log.
 */
const newDir = useTempDirs();
const DK = gramsPerKWh(143.3);
const ADDRESS = "Copenhagen, Capital Region, DK";
const GPU_CPU = [
  { name: "gpu", devices: ["NVIDIA Sim"] },
  { name: "cpu", devices: ["Intel Xeon Test"] },
];

function open(
  dir: string,
  stem: { prefix?: string; pid: number; loggerId: number },
  components: typeof GPU_CPU,
  clock: () => Date,
): LogWriter {
  const started = startLogs({ logDir: dir, ...stem, components, now: clock });
  if (!started.ok) throw new Error(started.error.message);
  return started.value;
}

function ok(result: { ok: boolean; error?: { message: string } }): void {
  if (!result.ok) throw new Error(result.error?.message);
}

function expectSameFiles(written: LogWriter, fixtureDir: string): void {
  for (const path of [written.files.standard, written.files.output]) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    const theirs = readFileSync(join(fixture(fixtureDir), name), "utf8");
    expect(readFileSync(path, "utf8"), name).toBe(
      theirs.replace(
        / - carbontracker version 2\.4\.3\n/,
        ` - carbontracker version 2.4.3 (${WRITTEN_BY})\n`,
      ),
    );
  }
}

const epoch = (gpuW: number | null, cpuW: number) => ({
  duration: seconds(0.3),
  power: gpuW === null ? { cpu: watts(cpuW) } : { gpu: watts(gpuW), cpu: watts(cpuW) },
});

describe("the writer's logs are carbontracker 2.4.3's, byte for byte", () => {
  it("v243-pred2-stop3-e5: prediction after epoch 2, stopped after 3", () => {
    const dir = newDir();
    const at = (s: number) => `2026-11-28T22:53:${s}Z`;
    const w = open(dir, { pid: 1795, loggerId: 279208 }, GPU_CPU, replayClock(at(23), at(24)));
    ok(w.epochEnd(epoch(240, 50)));
    ok(w.epochEnd(epoch(240, 50)));
    ok(
      w.prediction({
        epochs: 5,
        duration: seconds(2),
        energy: kilowattHours(0.000191030735),
        carbon: gramsCO2eq(0.027374784555),
      }),
    );
    ok(w.epochEnd(epoch(240, 50)));
    ok(w.earlyStop({ plannedEpochs: 5 }));
    ok(
      w.actual({
        // carbontracker's label after stop(): one short of the 3 epochs written.
        epochs: 2,
        duration: seconds(1),
        energy: kilowattHours(0.000114616893),
        carbon: gramsCO2eq(0.016424648959),
        averageIntensity: DK,
        fetched: [DK],
        address: ADDRESS,
      }),
    );
    ok(w.end());
    expectSameFiles(w, "v243-pred2-stop3-e5");
  });

  it("v243-cpu-only: one component, a device name with a dot", () => {
    const dir = newDir();
    const at = (s: number) => `2026-11-28T22:53:${s}Z`;
    const w = open(
      dir,
      { pid: 1823, loggerId: 993592 },
      [{ name: "cpu", devices: ["Intel(R) Xeon(R) CPU @ 2.20GHz"] }],
      replayClock(at(26), at(26), at(26), at(27)),
    );
    ok(w.epochEnd(epoch(null, 30)));
    ok(
      w.prediction({
        epochs: 2,
        duration: seconds(1),
        energy: kilowattHours(0.000007905593),
        carbon: gramsCO2eq(0.001132874763),
      }),
    );
    ok(w.epochEnd(epoch(null, 30)));
    ok(
      w.actual({
        duration: seconds(1),
        energy: kilowattHours(0.000007905015),
        carbon: gramsCO2eq(0.001132791991),
        averageIntensity: DK,
        fetched: [DK],
        address: ADDRESS,
      }),
    );
    ok(w.end());
    expectSameFiles(w, "v243-cpu-only");
  });

  it("v243-multi-run: two runs into one folder, one with a prefix", () => {
    const dir = newDir();
    const at = (s: number) => `2026-11-28T22:53:${s}Z`;
    const first = open(dir, { pid: 1908, loggerId: 41821 }, GPU_CPU, replayClock(at(34)));
    ok(first.epochEnd(epoch(240, 50)));
    ok(
      first.prediction({
        epochs: 2,
        duration: seconds(1),
        energy: kilowattHours(0.000076423947),
        carbon: gramsCO2eq(0.010951583649),
      }),
    );
    ok(first.epochEnd(epoch(240, 50)));
    ok(
      first.actual({
        duration: seconds(1),
        energy: kilowattHours(0.000076420791),
        carbon: gramsCO2eq(0.010951131404),
        averageIntensity: DK,
        fetched: [DK],
        address: ADDRESS,
      }),
    );
    ok(first.end());
    expectSameFiles(first, "v243-multi-run");

    const second = open(
      dir,
      { prefix: "second", pid: 1921, loggerId: 680835 },
      [{ name: "cpu", devices: ["Intel Xeon Test"] }],
      replayClock(at(36), at(36), at(36), at(36), at(37)),
    );
    ok(second.epochEnd(epoch(null, 50)));
    ok(
      second.prediction({
        epochs: 3,
        duration: seconds(1),
        energy: kilowattHours(0.000019761015),
        carbon: gramsCO2eq(0.002831761803),
      }),
    );
    ok(second.epochEnd(epoch(null, 50)));
    ok(second.epochEnd(epoch(null, 50)));
    ok(
      second.actual({
        duration: seconds(1),
        energy: kilowattHours(0.000019760837),
        carbon: gramsCO2eq(0.002831736312),
        averageIntensity: DK,
        fetched: [DK],
        address: ADDRESS,
      }),
    );
    ok(second.end());
    expectSameFiles(second, "v243-multi-run");
  });
});
