import { describe, expect, it } from "vitest";
import { fakeCarbonNodeArgs } from "./fastdds-fake-carbon-node.ts";
import {
  orchestratorArgs,
  parseOrchestratorOutput,
  parseOrchestratorStatus,
} from "./fastdds-orchestrator.ts";

describe("fastdds-orchestrator helpers", () => {
  it("turns options into flags", () => {
    expect(
      orchestratorArgs("burst", { tasks: 10, domain: 3, config: "a b", userExtra: "{}" }),
    ).toEqual(["burst", "--tasks", "10", "--domain", "3", "--config", "a b", "--user-extra", "{}"]);
    expect(orchestratorArgs("sequential", { noStatusFilter: true })).toEqual([
      "sequential",
      "--no-status-filter",
    ]);
    expect(orchestratorArgs("latency", { release: true, quiet: true })).toEqual([
      "latency",
      "--release",
      "--quiet",
    ]);
    expect(fakeCarbonNodeArgs({ quiet: true, waitS: 5 })).toEqual([
      "node",
      "--wait-s",
      "5",
      "--quiet",
    ]);
    expect(fakeCarbonNodeArgs({ gridCi: 250, tasks: 2 })).toEqual([
      "node",
      "--grid-ci",
      "250",
      "--tasks",
      "2",
    ]);
  });

  it("parses OUTPUT lines with JSON extra data containing spaces", () => {
    const line =
      'OUTPUT problem=2 iteration=1 carbon=12.5 energy=0.05 intensity=250 extra={"num_outputs": 1, "mode": "onnx_hw_only"}';
    expect(parseOrchestratorOutput(line)).toEqual({
      problem: 2,
      iteration: 1,
      carbon: 12.5,
      energy: 0.05,
      intensity: 250,
      extra: '{"num_outputs": 1, "mode": "onnx_hw_only"}',
    });
    expect(parseOrchestratorOutput("TASK_DONE problem=2")).toBeUndefined();
  });

  it("parses STATUS lines", () => {
    const line =
      "STATUS node=CARBON_FOOTPRINT_NODE status=2 task_status=0 error_code=0 problem=0 iteration=0 error=";
    expect(parseOrchestratorStatus(line)).toEqual({
      node: "CARBON_FOOTPRINT_NODE",
      status: 2,
      taskStatus: 0,
      errorCode: 0,
      problem: 0,
      iteration: 0,
      error: "",
    });
  });
});
