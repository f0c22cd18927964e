import { describe, expect, it } from "vitest";
import { appForFile } from "./support/app.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

/** A run that contradicts itself is refused, naming the member, before it reaches the store's sums. */
const rig = appForFile();

async function post(body: object) {
  return rig.app.inject({ method: "POST", url: "/v1/runs", payload: body });
}

describe("POST /v1/runs refuses a run that contradicts itself", () => {
  const good = runResult("2026-04-01T00:00:00Z", 1, 2, 100);

  it.each([
    [
      "it ends before it starts",
      { ...good, endedAt: "2025-01-01T00:00:00.000Z" },
      "result.endedAt",
    ],
    [
      "its total energy in J is not its kWh",
      { ...good, energy: { ...good.energy, totalKWh: 5 } },
      "result.energy.totalJ",
    ],
    [
      "its IT energy in J is not its kWh",
      { ...good, energy: { ...good.energy, itJ: 1 } },
      "result.energy.itJ",
    ],
  ])("%s", async (_why, result, field) => {
    const answer = await post({ project: "p", result });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ type: "/problems/invalid-request", field });
  });

  it("a tag given twice", async () => {
    const answer = await post({ project: "p", tags: ["a", "b", "a"], result: good });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ field: "tags.2" });
    expect(answer.json().detail).toContain('"a" is given twice');
  });

  it("a consistent run, J computed from kWh as the tracker computes it, is stored", async () => {
    const kWh = 0.1 + 0.2;
    const energy = {
      itJ: kWh * 3.6e6,
      itKWh: kWh,
      totalJ: kWh * 1.58 * 3.6e6,
      totalKWh: kWh * 1.58,
    };
    const answer = await post({ project: "p", tags: ["a", "b"], result: { ...good, energy } });
    expect(answer.statusCode).toBe(201);
  });
});
