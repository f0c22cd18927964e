import { ErrorCode } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { startTaskClient } from "../src/client/task-client.ts";
import { carbonNodeRig, configureNode, spain } from "./support/carbon-node.test-support.ts";

/* Who may change the figures the node publishes for everyone (apps/bus-node README, untrusted networks). */
const rig = carbonNodeRig();

describe("configuration requests from the bus", () => {
  it("are refused unread with configuration ignored, and the figures stay the operator's", async () => {
    const { runtime, orchestrator, domain, definition } = await rig({
      runtime: { configuration: "ignore" },
    });
    const peer = await startTaskClient(domain.connect("PEER"));
    const before = definition.settings();
    const answer = await configureNode(
      peer,
      77,
      JSON.stringify({ latency_unit: "ms", grid_ci: 1e-9, mode: "estimate" }),
    );
    expect(answer).toMatchObject({ success: false, err_code: ErrorCode.INTERNAL_ERROR });
    expect(JSON.parse(answer.configuration)).toMatchObject({
      reason: expect.stringMatching(/--configuration ignore/),
    });
    expect(definition.settings()).toEqual(before);
    expect(runtime.counters.configurationRequestsRefused).toBe(1);
    await orchestrator.sendTask({ problem_id: 3, iteration_id: 1 });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "the answer");
    expect(orchestrator.outputs[0]?.carbon_intensity).toBe(spain());
  });

  it("may not set a grid intensity past MAX_GRID_CI", async () => {
    const { orchestrator, definition } = await rig();
    const answer = await configureNode(orchestrator, 5, JSON.stringify({ grid_ci: 1e308 }));
    expect(answer.success).toBe(false);
    expect(JSON.parse(answer.configuration).reason).toMatch(/grid_ci/);
    expect(definition.settings().gridIntensityOverride).toBeUndefined();
    const accepted = await configureNode(orchestrator, 6, JSON.stringify({ grid_ci: 5000 }));
    expect(accepted.success).toBe(true);
  });
});
