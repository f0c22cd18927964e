import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveGridIntensity } from "@wattprint/core";
import { writeTestOnnxModel } from "@wattprint/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeasureReport } from "../src/commands/measure.ts";
import { wattprint } from "./helpers/in-process.ts";
import { expectOneLineError } from "./helpers/outcome.ts";

let dir: string;
let model: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wattprint-cli-measure-"));
  model = await writeTestOnnxModel(dir, "tiny-mlp.onnx", "matmul-relu", 16);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("wattprint measure", () => {
  it("reports energy per inference from a window on a simulated CPU, as JSON", async () => {
    const run = await wattprint([
      "measure",
      model,
      "--seconds",
      "0.2",
      "--batch",
      "2",
      "--sim-cpu-watts",
      "100",
      "--location",
      "ES",
      "--json",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as MeasureReport;
    expect(report).toMatchObject({
      schema: "wattprint.measure/v1",
      model: { file: model, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      inputs: [{ name: "x", type: "float32", dims: [2, 16] }],
      batchSize: 2,
      devices: [{ id: "sim_cpu:0", component: "cpu", basis: "simulated" }],
    });
    expect(report.windowS).toBeGreaterThanOrEqual(0.2);
    // 100 W x the window, within 2 %: the meter's samples land a few ms from the window's ends
    // on a loaded machine.
    expect(Math.abs(report.energyJ / (100 * report.windowS) - 1)).toBeLessThan(0.02);
    expect(report.perInference.energyJ).toBe(report.energyJ / report.inferences);
    const spain = resolveGridIntensity({ location: "ES" });
    if (!spain.ok) throw new Error("ES");
    expect(report.perInference.co2G).toBe(
      (report.perInference.energyKWh ?? 0) * spain.value.intensity.value,
    );
    // An inference is a forward pass of a batch of 2: per item is half of it.
    expect(report.items).toBe(report.inferences * 2);
    expect(report.perItem.energyJ).toBeCloseTo(report.perInference.energyJ / 2, 12);
    expect(report.perItem.co2G).toBeCloseTo((report.perInference.co2G ?? 0) / 2, 12);
  });

  it("says an inference of a batch is a forward pass of that many items, with a figure per item", async () => {
    const run = await wattprint([
      "measure",
      model,
      "--seconds",
      "0.1",
      "--batch",
      "8",
      "--sim-cpu-watts",
      "65",
      "--location",
      "DE",
    ]);
    expect(run.code).toBe(0);
    const [, passes, items] =
      /^window .* (\d+) inferences, forward passes of a batch of 8 \((\d+) items; /m.exec(
        run.stdout,
      ) ?? [];
    expect(Number(items)).toBe(Number(passes) * 8);
    expect(run.stdout).toMatch(/^per inference {2}\S+ J = \S+ kWh \(a batch of 8\)$/m);
    expect(run.stdout).toMatch(/^per item {7}\S+ J = \S+ kWh$/m);
    expect(run.stdout).toMatch(/^carbon {9}\S+ gCO2eq per inference \(\S+ per item\) at /m);
  });

  it("prints a table that says the load is not in the window and the device is simulated", async () => {
    const run = await wattprint(["measure", model, "--seconds", "0.1", "--sim-gpu-watts", "300"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^load .*\(before the window, not counted\)$/m);
    expect(run.stdout).toMatch(/^per inference {2}\S+ J = \S+ kWh$/m);
    expect(run.stdout).toMatch(/sim_gpu:0 is simulated/);
    // Three significant digits, and the CLI's one spelling of the unit.
    const energy = /^energy {9}(\S+) J in the window$/m.exec(run.stdout)?.[1] ?? "";
    expect(energy.replace(/^0\.0*|\.|e.*$/g, "").replace(/^0+/, "").length).toBeLessThanOrEqual(3);
    const withIntensity = await wattprint([
      "measure",
      model,
      "--seconds",
      "0.1",
      "--sim-gpu-watts",
      "300",
      "--location",
      "FR",
    ]);
    expect(withIntensity.stdout).toMatch(
      /^carbon {9}\S+ gCO2eq per inference at \S+ gCO2eq\/kWh \(FR, /m,
    );
  });

  it("refuses a missing file, a bad window and a broken model in one line", async () => {
    expectOneLineError(
      await wattprint(["measure", join(dir, "missing.onnx")]),
      2,
      /missing\.onnx cannot be read: it does not exist: check the path$/,
    );
    expectOneLineError(
      await wattprint(["measure", model, "--seconds", "0"]),
      2,
      /--seconds expects a number > 0/,
    );
    // "wattprint " is put before a usage error once: it was "wattprint wattprint measure:".
    expectOneLineError(await wattprint(["measure"]), 2, /^wattprint measure: give the model file/);
    expectOneLineError(
      await wattprint(["measure", model, "--batch", "0"]),
      2,
      /^wattprint measure: --batch expects an integer 1\.\.65536, got "0"$/,
    );
    const broken = join(dir, "broken.onnx");
    await writeFile(broken, "garbage");
    expectOneLineError(
      await wattprint(["measure", broken, "--sim-cpu-watts", "10"]),
      1,
      /model-not-loadable: \S*broken\.onnx is not a loadable ONNX model: Protobuf parsing failed\.$/,
    );
  });

  it("says which problem a model file has: each has its own fix", async () => {
    await writeFile(join(dir, "tiny.bin"), "x");
    expectOneLineError(
      await wattprint(["measure", join(dir, "tiny.bin")]),
      2,
      /tiny\.bin: the model file's name must end in \.onnx \(rename or link it\)$/,
    );
    expectOneLineError(await wattprint(["measure", dir]), 2, /is a folder, not a model file$/);
    expectOneLineError(await wattprint(["measure", "/etc/passwd"]), 2, /must end in \.onnx/);
    const folder = join(dir, "folder.onnx");
    await mkdir(folder, { recursive: true });
    expectOneLineError(await wattprint(["measure", folder]), 2, /is a folder, not a model file$/);
  });

  it("keeps onnxruntime's reason and drops its source location and C++ signature", async () => {
    const empty = join(dir, "empty.onnx");
    await writeFile(empty, "");
    const run = await wattprint(["measure", empty, "--sim-cpu-watts", "10"]);
    expectOneLineError(
      run,
      1,
      /empty\.onnx is not a loadable ONNX model: ModelProto does not have a graph\.$/,
    );
    expect(run.stderr).not.toMatch(/onnxruntime_src|::|\.cc:/);
  });

  it("with --json, a failure carries its kind, and its message is text, not escapes", async () => {
    const run = await wattprint(["measure", join(dir, "missing\nname.onnx"), "--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const reported = JSON.parse(lines[0] ?? "") as { kind: string; message: string };
    expect(reported.kind).toBe("model-not-found");
    expect(reported.message).toContain("missing\nname.onnx cannot be read");
    const broken = join(dir, "broken-json.onnx");
    await writeFile(broken, "garbage");
    const loaded = await wattprint(["measure", broken, "--sim-cpu-watts", "10", "--json"]);
    expect(loaded.code).toBe(1);
    expect(JSON.parse(loaded.stderr)).toMatchObject({ kind: "model-not-loadable" });
  });
});
