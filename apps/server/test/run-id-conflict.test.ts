import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appForFile } from "./support/app.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

/** A run id is one run: a retry lands once (200), another run under it is refused (409). */
const rig = appForFile();

const postRun = (payload: object) => rig.app.inject({ method: "POST", url: "/v1/runs", payload });

describe("POST /v1/runs with an id stored before", () => {
  const id = randomUUID();
  const report = {
    id,
    project: "conflicts",
    tags: ["gpu"],
    result: runResult("2024-06-01T00:00:00Z", 1, 1, 2),
  };

  it("answers a retry of the same report 200 with the stored run, however its members are ordered", async () => {
    const first = await postRun(report);
    expect(first.statusCode, first.body).toBe(201);
    const again = await postRun(report);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    const reordered = Object.fromEntries(Object.entries(report.result).reverse());
    const shuffled = await postRun({
      result: reordered,
      tags: [" gpu"],
      project: "conflicts ",
      id,
    });
    expect(shuffled.statusCode, shuffled.body).toBe(200);
  });

  it.each([
    ["project", { project: "another" }],
    ["tags", { tags: ["cpu"] }],
    ["result", { result: runResult("2024-06-01T00:00:00Z", 1, 5, 2) }],
    ["project, result", { project: "another", result: runResult("2024-06-02T00:00:00Z", 1, 1, 2) }],
  ])(
    "refuses another %s under the id with a 409 run-id-conflict naming id",
    async (members, change) => {
      const response = await postRun({ ...report, ...change });
      expect(response.statusCode, response.body).toBe(409);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({
        type: "/problems/run-id-conflict",
        status: 409,
        field: "id",
        detail: expect.stringContaining(`run ${id} was stored before with another ${members};`),
      });
      // The stored run is untouched.
      const stored = await rig.app.inject(`/v1/runs/${id}`);
      expect(stored.json()).toMatchObject({ project: "conflicts", tags: ["gpu"], energyKWh: 1 });
    },
  );

  it("describes the problem type", async () => {
    const response = await rig.app.inject("/problems/run-id-conflict");
    expect(response.json()).toMatchObject({ type: "/problems/run-id-conflict", status: 409 });
  });
});
