import { estimateFootprint } from "@wattprint/core";
import type { ParsedLogPair } from "@wattprint/logs";
import { describe, expect, it } from "vitest";
import { openApiText, readCheckedInOpenApi } from "../src/openapi.ts";
import { answerValues } from "../src/routes/logs.ts";
import type { RunStore } from "../src/store/run-store.ts";
import { appForFile, multipart, testApp, uploadLogs } from "./support/app.test-support.ts";
import { writtenRunLogs } from "./support/logs.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

const rig = appForFile({ bodyLimitBytes: 64 * 1024, uploadLimitBytes: 16 * 1024 });

const json = (method: "GET" | "POST", url: string, payload?: unknown) =>
  rig.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });

const upload = (files: Parameters<typeof uploadLogs>[1], cut = 0) =>
  uploadLogs(rig.app, files, cut);

/** A problem document: its content type, status, type and (when given) the field at fault. */
function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): unknown; body: string },
  status: number,
  type: string,
  field?: string,
) {
  expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = response.json() as Record<string, unknown>;
  expect({ status: response.statusCode, type: body.type, field: body.field }).toEqual({
    status,
    type: `/problems/${type}`,
    field,
  });
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe("string");
  expect(typeof body.detail).toBe("string");
  expect(response.body).not.toMatch(/\n\s+at /);
  return body;
}

describe("POST /v1/estimate", () => {
  it("answers the CLI's --json document", async () => {
    const response = await json("POST", "/v1/estimate", {
      hardware: [{ name: "NVIDIA A100 SXM4 40GB", count: 2 }],
      duration: "3h",
      location: "ES",
      pue: 1.2,
    });
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.schema).toBe("wattprint.estimate/v1");
    // 2 x 400 W x 3 h = 2.4 kWh of IT energy; x 1.2 PUE = 2.88 kWh; x the Spanish intensity.
    expect(report.itEnergy).toEqual({ value: expect.closeTo(2.4, 9), unit: "kWh" });
    expect(report.energy.value).toBeCloseTo(2.88, 9);
    expect(report.carbon.value).toBeCloseTo(2.88 * report.intensity.value, 6);
    expect(report.intensity).toMatchObject({ zone: "ES", level: "country" });
    expect(report.intensity.source.url).toMatch(/^https:\/\//);
    expect(report.breakdown[0]).toMatchObject({ name: "NVIDIA A100 SXM4 40GB", count: 2 });
  });

  it("sends, byte for byte, what JSON.stringify writes for the core's report", async () => {
    // The route writes its report with the core's estimateReportJson; any drift from the
    // document the CLI prints (a member lost, reordered or written differently) fails here.
    for (const request of [
      { hardware: [{ name: "NVIDIA A100 SXM4 40GB", count: 8 }], duration: "12h", location: "ES" },
      { hardware: [{ watts: 350, utilisation: 0.5 }], latency: "20ms", count: 1000 },
      { cloud: "aws", instance: "p5.48xlarge", region: "us-east-1", duration: "3h" },
    ]) {
      const expected = await estimateFootprint(request);
      if (!expected.ok) throw new Error(expected.error.message);
      const response = await json("POST", "/v1/estimate", request);
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      expect(response.body).toBe(JSON.stringify(expected.value));
    }
  });

  it("counts estimates by zone", async () => {
    await json("POST", "/v1/estimate", {
      hardware: [{ watts: 100 }],
      duration: "1h",
      location: "FR",
    });
    const metrics = await json("GET", "/metrics");
    expect(metrics.body).toMatch(/wattprint_estimates_total\{zone="FR"\} [1-9]/);
  });

  it.each([
    [
      "a wrong type",
      { hardware: [{ watts: "100" }], duration: "1h" },
      400,
      "invalid-request",
      "hardware.0.watts",
    ],
    [
      "a negative value",
      { hardware: [{ watts: -5 }], duration: "1h" },
      400,
      "invalid-request",
      "hardware.0.watts",
    ],
    [
      "an unknown member",
      { hardware: [{ watts: 5 }], duration: "1h", colour: "green" },
      400,
      "invalid-request",
      "colour",
    ],
    [
      "a bad duration",
      { hardware: [{ watts: 5 }], duration: "forever" },
      400,
      "invalid-request",
      "duration",
    ],
    [
      "both duration and latency",
      { hardware: [{ watts: 5 }], duration: "1h", latency: "3ms" },
      400,
      "invalid-request",
      "duration",
    ],
    [
      "an unknown location",
      { hardware: [{ watts: 5 }], duration: "1h", location: "Atlantis" },
      422,
      "unknown-location",
      "location",
    ],
    [
      "unknown hardware",
      { hardware: [{ name: "Quantum Toaster 9000" }], duration: "1h" },
      422,
      "unknown-hardware",
      "hardware.0.name",
    ],
    [
      "an unknown machine preset",
      { machine: "dgx-h1000", duration: "1h" },
      422,
      "unknown-machine",
      "machine",
    ],
    [
      "an unknown cloud instance",
      { cloud: "aws", instance: "p9.mega", region: "us-east-1", duration: "1h" },
      422,
      "unknown-instance",
      "instance",
    ],
    [
      "an unknown cloud region",
      { cloud: "aws", instance: "p5.48xlarge", region: "mars-1", duration: "1h" },
      422,
      "unknown-region",
      "region",
    ],
    [
      "a continent that spans two",
      { hardware: [{ watts: 5 }], duration: "1h", location: "America" },
      422,
      "ambiguous-location",
      "location",
    ],
    [
      "a product that overflows",
      { hardware: [{ watts: 1e308, count: 1000 }], duration: "1000000h" },
      422,
      "out-of-range",
      undefined,
    ],
    // Sizes a request cannot need: 80,000 items answered 23 MB; a long name was echoed twice.
    [
      "65 hardware items",
      { hardware: Array.from({ length: 65 }, () => ({ watts: 1 })), duration: "1h" },
      400,
      "invalid-request",
      "hardware",
    ],
    [
      "a hardware name of 201 characters",
      { hardware: [{ name: "A".repeat(201) }], duration: "1h" },
      400,
      "invalid-request",
      "hardware.0.name",
    ],
    [
      "a location of 201 characters",
      { hardware: [{ watts: 1 }], duration: "1h", location: "x".repeat(201) },
      400,
      "invalid-request",
      "location",
    ],
  ] as const)("refuses %s with %i %s", async (_what, body, status, type, field) => {
    const response = await json("POST", "/v1/estimate", body);
    expectProblem(response, status, type, field);
    expect(response.body.length).toBeLessThan(1_000);
  });

  it("offers suggestions for unknown hardware and locations", async () => {
    const hardware = expectProblem(
      await json("POST", "/v1/estimate", { hardware: [{ name: "A10O" }], duration: "1h" }),
      422,
      "unknown-hardware",
      "hardware.0.name",
    );
    expect(hardware.query).toBe("A10O");
    expect((hardware.suggestions as string[]).some((name) => name.includes("A100"))).toBe(true);
    const location = expectProblem(
      await json("POST", "/v1/estimate", {
        hardware: [{ watts: 1 }],
        duration: "1h",
        location: "Spian",
      }),
      422,
      "unknown-location",
      "location",
    );
    expect(location.suggestions).toContain("Spain");
  });

  it.each([
    ["malformed JSON", "application/json", '{"hardware": [', 400, "malformed-json"],
    [
      "a body over the limit",
      "application/json",
      JSON.stringify({ hardware: [{ watts: 1 }], duration: "1h", location: "x".repeat(70_000) }),
      413,
      "body-too-large",
    ],
    ["a body that is not JSON", "text/plain", "estimate please", 415, "unsupported-media-type"],
  ] as const)("refuses %s", async (_what, contentType, payload, status, type) => {
    const response = await rig.app.inject({
      method: "POST",
      url: "/v1/estimate",
      headers: { "content-type": contentType },
      payload,
    });
    expectProblem(response, status, type);
  });

  it("refuses a multipart form: only the log upload reads one", async () => {
    const { body, contentType } = multipart([{ name: "a.log", content: "{}" }]);
    const response = await rig.app.inject({
      method: "POST",
      url: "/v1/estimate",
      headers: { "content-type": contentType },
      payload: body,
    });
    expectProblem(response, 415, "unsupported-media-type");
  });
});

describe("POST /v1/footprint", () => {
  const task = {
    ml_model: { model: "bert-base" },
    user_input: { geo_location_region: "Spain", extra_data: { note: "from a test" } },
    hw: { hw_description: "a workstation", power_consumption: 300, latency: 0.5 },
    task_id: { problem_id: 7, iteration_id: 2 },
  };

  it("answers the CO2Footprint the bus node publishes, extra_data included", async () => {
    const response = await json("POST", "/v1/footprint", task);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    // 300 W x 0.5 h (latency in hours, PUE 1: wattprint-node's defaults) = 0.15 kWh.
    expect(body.ok).toBe(true);
    expect(body.energy_consumption).toBeCloseTo(0.15, 12);
    expect(body.carbon_footprint).toBeCloseTo(0.15 * body.carbon_intensity, 9);
    expect(body.task_id).toEqual({ problem_id: 7, iteration_id: 2 });
    expect(body.extra_data).toMatchObject({
      num_outputs: 1,
      model_restrains: ["bert-base"],
      latency_unit: "h",
      pue: 1,
      intensity: { zone: "ES" },
    });
  });

  it("takes the node's configuration keys as settings", async () => {
    const response = await json("POST", "/v1/footprint", {
      ...task,
      settings: { latency_unit: "s", pue: 1.5, grid_ci: 100 },
    });
    const body = response.json();
    // 300 W x 0.5 s x 1.5 = 225 J = 6.25e-5 kWh, at the 100 g/kWh given.
    expect(body.energy_consumption).toBeCloseTo(6.25e-5, 15);
    expect(body.carbon_intensity).toBe(100);
    expect(body.extra_data).toMatchObject({ latency_unit: "s", pue: 1.5 });
  });

  it("answers an ERROR footprint where the node would (NO_MODEL)", async () => {
    const body = (
      await json("POST", "/v1/footprint", { ...task, ml_model: { model: "NO_MODEL" } })
    ).json();
    expect(body.ok).toBe(false);
    expect(body.error).toEqual(expect.any(String));
    expect(body.extra_data.error).toEqual(expect.any(String));
  });

  it.each([
    ["a wrong type", { ...task, hw: { ...task.hw, latency: "fast" } }, "hw.latency"],
    ["a missing input", { ml_model: task.ml_model, hw: task.hw }, "user_input"],
    [
      "a task id out of range",
      { ...task, task_id: { problem_id: -1, iteration_id: 0 } },
      "task_id.problem_id",
    ],
    [
      "the task id (0, 0), which the bus node drops",
      { ...task, task_id: { problem_id: 0, iteration_id: 0 } },
      "task_id",
    ],
    ["an unknown setting", { ...task, settings: { colour: "green" } }, "settings.colour"],
    ["a bad PUE", { ...task, settings: { pue: 0.5 } }, "settings"],
  ] as const)("refuses %s naming %s", async (_what, body, field) => {
    expectProblem(await json("POST", "/v1/footprint", body), 400, "invalid-request", field);
  });
});

describe("catalogue routes", () => {
  it("GET /v1/intensity/{zone} answers the value with its source", async () => {
    const response = await json("GET", "/v1/intensity/FR");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      zone: "FR",
      zoneName: "France",
      unit: "gCO2eq/kWh",
      level: "country",
      source: { url: expect.stringMatching(/^https:/) },
    });
  });

  it("GET /v1/intensity/{zone} of an unknown zone is 404 with suggestions", async () => {
    const body = expectProblem(
      await json("GET", "/v1/intensity/Frnace"),
      404,
      "unknown-zone",
      "zone",
    );
    expect(body.suggestions).toContain("France");
  });

  it("GET /v1/zones and /v1/hardware search, with a bounded limit", async () => {
    const zones = (await json("GET", "/v1/zones?query=spain&limit=3")).json();
    expect(zones.zones[0]).toMatchObject({ code: "ES", name: "Spain" });
    expect(zones.zones.length).toBeLessThanOrEqual(3);
    const hardware = (await json("GET", "/v1/hardware?query=h100")).json();
    expect(hardware.hardware.length).toBeGreaterThan(0);
    for (const row of hardware.hardware) {
      expect(row.name).toMatch(/H100/);
      expect(row.source.url).toMatch(/^https:/);
    }
    expectProblem(await json("GET", "/v1/zones?limit=0"), 400, "invalid-request", "limit");
    expectProblem(await json("GET", "/v1/hardware?limit=many"), 400, "invalid-request", "limit");
    expectProblem(await json("GET", "/v1/zones?colour=green"), 400, "invalid-request", "colour");
  });
});

describe("POST /v1/logs/parse", () => {
  it("parses and aggregates uploaded logs, naming files as uploaded", async () => {
    const response = await upload(writtenRunLogs(0.25, 40));
    expect(response.statusCode).toBe(200);
    const parsed = response.json();
    expect(parsed.logs).toHaveLength(1);
    expect(parsed.logs[0].output_filename).toMatch(/^[^/]+_carbontracker_output\.log$/);
    expect(parsed.logs[0].actual).toMatchObject({ "energy (kWh)": 0.25, "co2eq (g)": 40 });
    expect(parsed.aggregate).toMatchObject({ energyKWh: 0.25, co2eqG: 40, runsCounted: 1 });
    // The equivalents say where they come from: the logs' own, or computed here from a source.
    expect(parsed.aggregate.equivalentsBasis.fromLogs).toMatch(/106\.8 gCO2\/km, EEA 2024/);
    expect(parsed.aggregate.equivalentsBasis.computed).toMatchObject({
      runs: expect.any(Number),
      source: { year: 2024, url: expect.stringMatching(/^https:\/\//) },
    });
    expect(parsed.skipped).toEqual([]);
    expect(parsed.warnings).toEqual([]);
  });

  it("reports a damaged log as skipped and parses the rest", async () => {
    const files = writtenRunLogs(0.5, 10);
    const damaged = [
      { name: "9.9_2026-01-01T000000Z_carbontracker.log", content: "not a log\n" },
      { name: "9.9_2026-01-01T000000Z_carbontracker_output.log", content: "\u0000\u0001 garbage" },
    ];
    const parsed = (await upload([...files, ...damaged])).json();
    expect(parsed.aggregate.energyKWh).toBe(0.5);
    expect(parsed.skipped.length).toBeGreaterThan(0);
    expect(JSON.stringify(parsed.skipped)).not.toMatch(/wattprint-upload-/);
  });

  it("cuts a path in a file name to its base name: nothing outside the upload is read", async () => {
    const response = await upload([
      { name: "../../../etc/passwd_carbontracker.log", content: "x" },
      { name: "/etc/passwd_carbontracker_output.log", content: "y" },
    ]);
    expect(response.statusCode).toBe(200);
    const parsed = response.json();
    // The two files of the upload, unusable as logs: skipped by their base names.
    expect(parsed.logs).toEqual([]);
    expect(parsed.skipped.length).toBeGreaterThan(0);
    for (const problem of parsed.skipped) expect(problem.file).toMatch(/^passwd_carbontracker/);
    expect(response.body).not.toMatch(/root:/);
  });

  it.each([
    [
      "a file that is not a log",
      [{ name: "notes.txt", content: "x" }],
      400,
      "malformed-upload",
      "files",
    ],
    [
      "the same file twice",
      [
        { name: "a_carbontracker.log", content: "x" },
        { name: "a_carbontracker.log", content: "x" },
      ],
      400,
      "malformed-upload",
      "files",
    ],
    ["no file at all", [], 400, "malformed-upload", "files"],
    [
      // Longer than a file name may be on disk: it was a 400 quoting the server's temp folder.
      "a file name over 200 characters",
      [{ name: `${"a".repeat(200)}_carbontracker.log`, content: "x" }],
      400,
      "malformed-upload",
      "files",
    ],
    [
      "a file over the upload limit",
      [{ name: "big_carbontracker.log", content: "x".repeat(20_000) }],
      413,
      "body-too-large",
      undefined,
    ],
  ] as const)("refuses %s", async (_what, files, status, type, field) => {
    expectProblem(await upload(files), status, type, field);
  });

  it("counts an answer's figures as the answer holds them (the upload's answer limit reads it)", async () => {
    const response = await upload(writtenRunLogs(1, 1));
    expect(response.statusCode).toBe(200);
    const [pair] = response.json().logs as ParsedLogPair[];
    if (pair === undefined) throw new Error("no pair parsed");
    // Every number under the pair's components, counted from the JSON itself.
    const numbers = (value: unknown): number =>
      typeof value === "number"
        ? 1
        : Array.isArray(value)
          ? value.reduce((n: number, v) => n + numbers(v), 0)
          : typeof value === "object" && value !== null
            ? Object.values(value).reduce((n: number, v) => n + numbers(v), 0)
            : 0;
    expect(answerValues(pair)).toBe(numbers(pair.components));
    expect(answerValues(pair)).toBeGreaterThan(0);
  });

  it("refuses a truncated multipart body and a body that is not multipart", async () => {
    expectProblem(await upload(writtenRunLogs(1, 1), 60), 400, "malformed-upload");
    expectProblem(
      await rig.app.inject({
        method: "POST",
        url: "/v1/logs/parse",
        headers: { "content-type": "application/json" },
        payload: { path: "/etc/passwd" },
      }),
      415,
      "unsupported-media-type",
    );
  });
});

describe("runs", () => {
  it("stores a tracker result, lists it, reads it and summarises its project", async () => {
    const result = runResult("2026-02-03T08:00:00Z", 2, 1.25, 180);
    const created = await json("POST", "/v1/runs", {
      project: "contract",
      tags: ["nightly"],
      result,
    });
    expect(created.statusCode).toBe(201);
    const run = created.json();
    expect(run).toMatchObject({
      project: "contract",
      tags: ["nightly"],
      energyKWh: 1.25,
      co2G: 180,
    });
    expect((await json("GET", `/v1/runs/${run.id}`)).json().result).toEqual(result);
    const listed = (await json("GET", "/v1/runs?project=contract&tag=nightly")).json();
    expect(listed.runs.map((r: { id: string }) => r.id)).toEqual([run.id]);
    expect(listed.next).toBeUndefined();
    const summary = (await json("GET", "/v1/projects/contract/summary?group=month")).json();
    expect(summary).toEqual({
      project: "contract",
      group: "month",
      periods: [
        { start: "2026-02-01T00:00:00.000Z", runs: 1, energyKWh: 1.25, co2G: 180, durationS: 7200 },
      ],
      truncated: false,
    });
    const projects = (await json("GET", "/v1/projects")).json();
    expect(projects.projects).toContainEqual(
      expect.objectContaining({ project: "contract", runs: 1 }),
    );
    expect(projects.truncated).toBe(false);
    const metrics = await json("GET", "/metrics");
    expect(metrics.body).toMatch(/wattprint_runs_stored_total [1-9]/);
  });

  it("stores a retried report once (same id: 200 with the first)", async () => {
    const id = "0b6f8a52-2d1b-4c47-9a59-5a3e2f1d7c10";
    const body = { id, project: "retried", result: runResult("2026-02-04T08:00:00Z", 1, 1, 1) };
    expect((await json("POST", "/v1/runs", body)).statusCode).toBe(201);
    expect((await json("POST", "/v1/runs", body)).statusCode).toBe(200);
  });

  it("pages with an opaque cursor", async () => {
    for (let i = 0; i < 5; i++) {
      await json("POST", "/v1/runs", {
        project: "pages",
        result: runResult(`2026-02-1${i}T00:00:00Z`, 1, i, i),
      });
    }
    const first = (await json("GET", "/v1/runs?project=pages&limit=2")).json();
    const second = (
      await json("GET", `/v1/runs?project=pages&limit=2&cursor=${first.next}`)
    ).json();
    const third = (
      await json("GET", `/v1/runs?project=pages&limit=2&cursor=${second.next}`)
    ).json();
    const days = [...first.runs, ...second.runs, ...third.runs].map((r: { startedAt: string }) =>
      r.startedAt.slice(8, 10),
    );
    expect(days).toEqual(["14", "13", "12", "11", "10"]);
    expect(third.next).toBeUndefined();
  });

  it.each([
    ["a result that is not the tracker's", { project: "p", result: { co2G: 1 } }, "result.schema"],
    [
      "a negative CO2",
      { project: "p", result: { ...runResult("2026-01-01T00:00:00Z", 1, 1, 1), co2G: -1 } },
      "result.co2G",
    ],
    [
      "an empty project",
      { project: " ", result: runResult("2026-01-01T00:00:00Z", 1, 1, 1) },
      "project",
    ],
    [
      "a tag of the wrong type",
      { project: "p", tags: [3], result: runResult("2026-01-01T00:00:00Z", 1, 1, 1) },
      "tags.0",
    ],
    [
      "an id that is not a UUID",
      { id: "run-1", project: "p", result: runResult("2026-01-01T00:00:00Z", 1, 1, 1) },
      "id",
    ],
    [
      // PostgreSQL's jsonb cannot hold U+0000: this was a 503, as if the store were down.
      "a NUL character in the result",
      {
        project: "p",
        result: {
          ...runResult("2026-01-01T00:00:00Z", 1, 1, 1),
          method: "measured\u0000",
        },
      },
      "result.method",
    ],
    [
      // PostgreSQL keeps no year 0 (nor 10000): this was a 503 quoting the database.
      "a start in the year 0",
      { project: "p", result: runResult("0000-06-01T00:00:00Z", 1, 1, 1) },
      "result.startedAt",
    ],
  ] as const)("POST refuses %s", async (_what, body, field) => {
    expectProblem(await json("POST", "/v1/runs", body), 400, "invalid-request", field);
  });

  it.each([
    ["/v1/runs?since=yesterday", 400, "invalid-request", "since"],
    ["/v1/runs?cursor=bm9wZQ", 400, "invalid-request", "cursor"],
    [
      "/v1/runs?since=2026-02-02T00:00:00Z&until=2026-02-01T00:00:00Z",
      400,
      "invalid-request",
      "until",
    ],
    ["/v1/projects/x/summary?group=year", 400, "invalid-request", "group"],
    // Each of these reached PostgreSQL, which refused it: a 503 quoting the database.
    ["/v1/runs?since=0000-01-01T00:00:00Z", 400, "invalid-request", "since"],
    ["/v1/runs?until=9999-12-31T23:59:59-23:59", 400, "invalid-request", "until"],
    ["/v1/projects/x/summary?since=0000-01-01T00:00:00Z", 400, "invalid-request", "since"],
    ["/v1/projects/a%00b/summary", 400, "invalid-request", "name"],
    [
      `/v1/runs?cursor=${Buffer.from(
        JSON.stringify({
          startedAt: "0000-01-01T00:00:00Z",
          id: "0b6f8a52-2d1b-4c47-9a59-000000000000",
        }),
      ).toString("base64url")}`,
      400,
      "invalid-request",
      "cursor",
    ],
    // A project name as long as a stored one may be reaches the route; a longer one is refused.
    [`/v1/projects/${"p".repeat(201)}/summary`, 400, "invalid-request", "name"],
    // URLs the router cannot read are problem documents too.
    ["/v1/runs/%c0", 400, "invalid-request", undefined],
    [`/v1/projects/${"p".repeat(1025)}/summary`, 400, "invalid-request", undefined],
    ["/v1/runs/not-a-uuid", 400, "invalid-request", "id"],
    ["/v1/runs/0b6f8a52-2d1b-4c47-9a59-000000000000", 404, "run-not-found", "id"],
  ] as const)("GET %s is %i %s", async (url, status, type, field) => {
    expectProblem(await json("GET", url), status, type, field);
  });
});

describe("operations", () => {
  it("answers /healthz, /readyz and Prometheus /metrics", async () => {
    expect((await json("GET", "/healthz")).json()).toEqual({ status: "ok" });
    expect((await json("GET", "/readyz")).json()).toEqual({ status: "ready", store: "pglite" });
    const metrics = await json("GET", "/metrics");
    expect(metrics.headers["content-type"]).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(
      /wattprint_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz"\}/,
    );
    expect(metrics.body).toMatch(/wattprint_errors_total\{type="invalid-request"\}/);
  });

  it("keeps the database's own words for the log: a client reads that the store failed", async () => {
    // A store whose database fails every query, as a broken connection would.
    const failed = async () =>
      ({
        ok: false,
        error: {
          kind: "store-unavailable",
          message: "the run store failed to answer; the server log says why",
          cause: 'password authentication failed for user "wattprint"',
        },
      }) as const;
    const failing: RunStore = {
      kind: "postgres",
      ping: failed,
      insert: failed,
      get: failed,
      list: failed,
      summary: failed,
      projects: failed,
      close: async () => {},
    };
    const lines: string[] = [];
    const { app: broken } = await testApp(failing, {
      logLevel: "info",
      logWrite: (line: string) => lines.push(line),
    });
    try {
      const response = await broken.inject({ method: "GET", url: "/readyz" });
      const body = expectProblem(response, 503, "store-unavailable");
      expect(body.detail).toBe("the run store failed to answer; the server log says why");
      expect(response.body).not.toContain("password");
      expect(lines.join("\n")).toContain('password authentication failed for user \\"wattprint\\"');
    } finally {
      await broken.close();
    }
  });

  it("answers a project summary for a 200-character name", async () => {
    const response = await json("GET", `/v1/projects/${"p".repeat(200)}/summary`);
    expect(response.statusCode).toBe(200);
  });

  it("answers a method a path does not take with 405 and the methods it does take", async () => {
    for (const [method, url, allow] of [
      ["DELETE", "/v1/estimate", "POST"],
      ["PUT", "/v1/runs/0b6f8a52-2d1b-4c47-9a59-000000000000", "GET, HEAD"],
      ["PATCH", "/v1/runs", "GET, HEAD, POST"],
      ["POST", "/v1/projects/some-project/summary", "GET, HEAD"],
    ] as const) {
      const response = await rig.app.inject({ method, url });
      const body = expectProblem(response, 405, "method-not-allowed");
      expect(response.headers.allow, `${method} ${url}`).toBe(allow);
      expect(body.detail).toBe(`${url} does not take ${method}; it takes ${allow}`);
    }
    // A path no route has stays a 404, whatever the method.
    expectProblem(await rig.app.inject({ method: "DELETE", url: "/v1/nothing" }), 404, "not-found");
    expectProblem(await rig.app.inject({ method: "GET", url: "/v1/runs/a/b" }), 404, "not-found");
  });

  it("answers an unknown route with a not-found problem, and describes problem types", async () => {
    expectProblem(await json("GET", "/v1/nothing"), 404, "not-found");
    expect((await json("GET", "/problems/unknown-zone")).json()).toEqual({
      type: "/problems/unknown-zone",
      title: "No grid zone by that name",
      status: 404,
    });
  });
});

describe("GET /openapi.json", () => {
  it("is the checked-in apps/server/openapi.json (run `pnpm --filter @wattprint/server openapi` after a schema change)", async () => {
    // Compared as JSON: the file may be formatted (Biome formats JSON), the content may not differ.
    const served = JSON.parse(await openApiText(rig.app));
    expect(served).toEqual(JSON.parse(await readCheckedInOpenApi()));
  });

  it("documents every route the server answers, with its problem responses", async () => {
    const document = JSON.parse(await openApiText(rig.app));
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        "/healthz",
        "/metrics",
        "/problems/{type}",
        "/readyz",
        "/v1/estimate",
        "/v1/footprint",
        "/v1/hardware",
        "/v1/intensity/{zone}",
        "/v1/logs/parse",
        "/v1/projects",
        "/v1/projects/{name}/summary",
        "/v1/runs",
        "/v1/runs/{id}",
        "/v1/zones",
      ].sort(),
    );
    expect(Object.keys(document.paths["/v1/estimate"].post.responses)).toEqual(
      expect.arrayContaining(["200", "400", "401", "413", "422", "429"]),
    );
  });
});
