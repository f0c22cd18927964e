import {
  type CO2FootprintImpl,
  co2FootprintImplCodec,
  readExtraData,
  Status,
  writeExtraData,
} from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { MemoryMeasurer } from "../src/adapters/memory-measurer.ts";
import type { TaskOverrides } from "../src/client/task-client.ts";
import type { CarbonFootprintNode } from "../src/nodes/carbon-footprint.ts";
import type { Measurer } from "../src/ports/measurer.ts";
import { MAX_ERROR_DESCRIPTION_CHARS } from "../src/runtime/wire-text.ts";
import { carbonNodeRig } from "./support/carbon-node.test-support.ts";

const rig = carbonNodeRig();

async function setup(
  wrap: (node: CarbonFootprintNode) => CarbonFootprintNode = (n) => n,
  port: (twin: MemoryMeasurer) => Measurer = (twin) => twin,
) {
  const measurer = port(
    new MemoryMeasurer({
      models: { "tiny-mlp": "/models/tiny-mlp.onnx" },
      devices: [{ id: "cpu", name: "CPU", component: "cpu", watts: 50, basis: "measured" }],
    }),
  );
  const { runtime, orchestrator } = await rig({ ports: { measurer }, wrap });
  let iteration = 0;
  const answer = async (overrides: TaskOverrides) => {
    iteration += 1;
    const sent = iteration;
    await orchestrator.sendTask({ problem_id: 1, iteration_id: sent }, overrides);
    await orchestrator.waitFor(
      () => orchestrator.outputs.some((o) => o.task_id.iteration_id === sent),
      `task ${sent}`,
    );
    return {
      output: orchestrator.outputs.find((o) => o.task_id.iteration_id === sent) as CO2FootprintImpl,
      status: orchestrator.statuses.at(-1),
    };
  };
  return { runtime, answer };
}

const sizeOf = (output: CO2FootprintImpl) => co2FootprintImplCodec.encode(output).byteLength;

const tiny = { model: "tiny-mlp", model_path: "hub/tiny-mlp" };

describe("a measurement refused over a hostile input_shapes key", () => {
  for (const key of ["\u0000", "\ud800", "a\u0000b"]) {
    it(`answers, publishes ERROR and keeps answering (key ${JSON.stringify(key)})`, async () => {
      const { answer } = await setup();
      const bad = writeExtraData({ input_shapes: { [key]: [0] } });
      const first = await answer({ model: tiny, userInput: { extra_data: bad } });
      expect(first.status?.node_status).toBe(Status.NODE_ERROR);
      expect(first.status?.error_description).toMatch(/input_shapes/);
      const second = await answer({ model: tiny });
      expect(second.status?.node_status).toBe(Status.NODE_IDLE);
      // The key is quoted back as JSON: ASCII escapes, nothing a CDR string cannot carry.
      expect(first.status?.error_description).toContain(JSON.stringify(key));
    });
  }
});

describe("what the node publishes about a refused measurement", () => {
  it("does not echo a 60,000-character input_shapes key into extra_data or the status", async () => {
    const { answer } = await setup();
    const key = "€".repeat(20_000);
    // Plain UTF-8, as a peer may send it: 3 bytes a character, under the 64 KiB limit.
    const bad = new TextEncoder().encode(JSON.stringify({ input_shapes: { [key]: [1] } }));
    expect(bad.byteLength).toBeLessThan(65_536);
    const { output, status } = await answer({ model: tiny, userInput: { extra_data: bad } });
    expect(status?.node_status).toBe(Status.NODE_ERROR);
    expect(status?.error_description).toMatch(/input_shapes/);
    expect(sizeOf(output)).toBeLessThan(4_000);
    expect(status?.error_description.length).toBeLessThan(1_000);
  });
});

describe("an error description the status cannot carry as it is", () => {
  it("is cleaned and cut, counted, and the node keeps answering", async () => {
    // Any definition's error text may quote a peer's JSON; this one quotes the region.
    const { answer, runtime } = await setup((node) => ({
      ...node,
      handleTask(inputs, taskId) {
        const region = inputs.userInput.geo_location_region;
        if (region.startsWith("throw:")) throw new Error(`${JSON.parse(region.slice(6))}`);
        return node.handleTask(inputs, taskId);
      },
    }));
    const hostile = `throw:${JSON.stringify(`a\u0000b\ud800${"x".repeat(10_000)}`)}`;
    const first = await answer({ userInput: { geo_location_region: hostile } });
    expect(first.status?.node_status).toBe(Status.NODE_ERROR);
    expect(first.status?.error_description).toMatch(
      /^internal error: a\ufffdb\ufffdx+\.\.\. \(10020 characters\)$/,
    );
    expect(first.status?.error_description.length).toBe(MAX_ERROR_DESCRIPTION_CHARS);
    expect(runtime.counters.errorDescriptionsCleaned).toBe(1);
    // The output still carries the JSON SustainML's orchestrator parses (it was empty bytes).
    const extra = readExtraData(first.output.extra_data);
    expect(extra).toMatchObject({
      ok: true,
      value: { num_outputs: 1, model_restrains: ["bert-base"], mode: "error" },
    });
    const error = extra.ok ? String(extra.value.error) : "";
    expect(
      error.startsWith(
        "Failed to obtain carbon footprint information: internal error: a\u0000b\ud800x",
      ),
    ).toBe(true);
    expect(error).toMatch(/x\.\.\. \(10004 characters\)$/);
    const second = await answer({ model: tiny });
    expect(second.status?.node_status).toBe(Status.NODE_IDLE);
  });
});

describe("model names that are also Object.prototype's keys", () => {
  for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
    it(`estimates ${name}, which is not in the models folder`, async () => {
      const { answer } = await setup();
      const { status, output } = await answer({ model: { model: name, model_path: "hub/x" } });
      expect(status?.node_status).toBe(Status.NODE_IDLE);
      expect(output.carbon_footprint).toBeGreaterThan(0);
    });
  }
});

describe("a measurer whose model lookup throws on a peer's name", () => {
  it("estimates the task and says why, instead of an internal error", async () => {
    const { answer } = await setup(
      (n) => n,
      (twin) => ({
        readiness: () => twin.readiness(),
        locateModel: async (name) => {
          // What a plain-object manifest lookup does with "__proto__": not a string.
          throw new TypeError(`relativeFile.includes is not a function (${name})`);
        },
        runnablePath: (path) => twin.runnablePath(path),
        measure: (request) => twin.measure(request),
        close: () => twin.close(),
      }),
    );
    const { status, output } = await answer({ model: { model: "__proto__", model_path: "x" } });
    expect(status?.node_status).toBe(Status.NODE_IDLE);
    expect(output.carbon_footprint).toBeGreaterThan(0);
    const extra = JSON.parse(new TextDecoder().decode(output.extra_data)) as {
      mode_reason: string;
    };
    expect(extra.mode_reason).toMatch(/looking the model up failed: relativeFile\.includes/);
  });
});

describe("a measurer whose measure rejects instead of answering a failure", () => {
  it("estimates the task and says why, instead of an empty extra_data", async () => {
    const { answer } = await setup(
      (n) => n,
      (twin) => ({
        readiness: () => twin.readiness(),
        locateModel: (name) => twin.locateModel(name),
        runnablePath: (path) => twin.runnablePath(path),
        measure: async () => {
          throw new Error("runner crashed");
        },
        close: () => twin.close(),
      }),
    );
    const { status, output } = await answer({ model: tiny });
    expect(output.carbon_footprint).toBeGreaterThan(0);
    const extra = readExtraData(output.extra_data);
    expect(extra).toMatchObject({
      ok: true,
      value: {
        model_restrains: ["tiny-mlp"],
        mode_reason: expect.stringMatching(/the measurer threw: runner crashed; estimated instead/),
      },
    });
    expect(status?.error_description ?? "").not.toMatch(/internal error/);
  });
});
