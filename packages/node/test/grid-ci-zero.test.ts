import { readExtraData } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import type { CarbonNodeSettings } from "../src/nodes/carbon-footprint.ts";
import { carbonNodeRig, configureNode, spain } from "./support/carbon-node.test-support.ts";

/*
 * sustainml-wire.md §12.4: a grid intensity of 0 means "not set" (`--grid-ci`,
 * `SUSTAINML_GRID_CI`, configuration), as in the Python node. A configuration request
 * `{"grid_ci":0}` used to fix the intensity at 0, so every footprint read 0 g.
 */
const rig = carbonNodeRig();

async function setup(settings: Partial<CarbonNodeSettings> = {}) {
  const { definition, orchestrator } = await rig({ settings });
  let iteration = 0;
  const intensityOfTask = async () => {
    iteration += 1;
    await orchestrator.sendTask(
      { problem_id: 1, iteration_id: iteration },
      {
        hw: { power_consumption: 100, latency: 0.01 },
        userInput: { geo_location_region: "Spain" },
      },
    );
    await orchestrator.waitFor(
      () => orchestrator.outputs.some((o) => o.task_id.iteration_id === iteration),
      `task ${iteration}`,
    );
    const output = orchestrator.outputs.find((o) => o.task_id.iteration_id === iteration);
    const extra = readExtraData(output?.extra_data ?? new Uint8Array());
    return {
      intensity: output?.carbon_intensity,
      zone: extra.ok ? (extra.value.intensity as { zone?: unknown } | undefined)?.zone : undefined,
    };
  };
  let transaction = 0;
  const configure = async (configuration: string) => {
    transaction += 1;
    const response = await configureNode(orchestrator, transaction, configuration);
    return JSON.parse(response.configuration) as { grid_ci: unknown };
  };
  return { definition, intensityOfTask, configure };
}

describe("a grid intensity of 0 means not set", () => {
  it("in a configuration request: it clears an override, as null does", async () => {
    const { definition, intensityOfTask, configure } = await setup();
    expect((await configure('{"grid_ci":42}')).grid_ci).toBe(42);
    expect((await intensityOfTask()).intensity).toBe(42);
    expect((await configure('{"grid_ci":0}')).grid_ci).toBeNull();
    expect(definition.settings().gridIntensityOverride).toBeUndefined();
    const task = await intensityOfTask();
    expect(task.intensity).toBe(spain());
    expect(task.zone).toBe("ES");
  });

  it("in the node's settings: the region decides", async () => {
    const { definition, intensityOfTask, configure } = await setup({ gridIntensityOverride: 0 });
    expect(definition.settings()).not.toHaveProperty("gridIntensityOverride");
    expect((await configure("{}")).grid_ci).toBeNull();
    expect((await intensityOfTask()).intensity).toBe(spain());
  });
});
