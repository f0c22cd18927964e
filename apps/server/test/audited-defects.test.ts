import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { parsePgTimestamp } from "../src/store/pglite-client.ts";
import { appForFile, multipart, testApp } from "./support/app.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

/** Defects an audit found, each with the request that showed it, on the real app and rig.store. */
const rig = appForFile();

const postRun = (payload: object) => rig.app.inject({ method: "POST", url: "/v1/runs", payload });

/** Every run of `project`, page by page, `limit` a page; stops after `maxPages`. */
async function pageAll(project: string, limit: number, maxPages = 20): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const query = `project=${project}&limit=${limit}${cursor === undefined ? "" : `&cursor=${cursor}`}`;
    const response = await rig.app.inject(`/v1/runs?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ runs: { id: string }[]; next?: string }>();
    seen.push(...body.runs.map((run) => run.id));
    if (body.next === undefined) return seen;
    cursor = body.next;
  }
  throw new Error(`paging ${project} did not end in ${maxPages} pages: ${seen.join(", ")}`);
}

describe("run figures the store cannot add up", () => {
  it("refuses figures past the bounds with a 400 naming the field; the totals still answer", async () => {
    const base = runResult("2026-05-04T10:00:00Z", 1, 1, 1);
    const huge = {
      ...base,
      energy: { itJ: 1e308, itKWh: 1e308, totalJ: 1e308, totalKWh: 1e308 },
      co2G: 1e308,
      durationS: 1e308,
    };
    for (const startedAt of ["2026-05-04T10:00:00.000Z", "2026-05-04T11:00:00.000Z"]) {
      const response = await postRun({ project: "huge", result: { ...huge, startedAt } });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().field).toMatch(/^result\.(energy\.totalKWh|co2G|durationS)$/);
    }
    for (const [field, result] of [
      [
        "result.energy.totalKWh",
        { ...base, energy: { ...base.energy, totalJ: 2e12 * 3.6e6, totalKWh: 2e12 } },
      ],
      ["result.co2G", { ...base, co2G: 2e18 }],
      ["result.durationS", { ...base, durationS: 2e10 }],
    ] as const) {
      const response = await postRun({ project: "huge", result });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().field).toBe(field);
    }
    // At the bounds a run is stored, and two of them still add up.
    const atBounds = {
      ...base,
      energy: { ...base.energy, totalJ: 1e12 * 3.6e6, totalKWh: 1e12 },
      co2G: 1e18,
      durationS: 1e10,
    };
    const stored = await postRun({ project: "huge", result: atBounds });
    expect(stored.statusCode, stored.body).toBe(201);
    expect(
      (
        await postRun({
          project: "huge",
          result: {
            ...atBounds,
            startedAt: "2026-05-04T12:00:00.000Z",
            endedAt: "2026-05-04T13:00:00.000Z",
          },
        })
      ).statusCode,
    ).toBe(201);
    expect((await rig.app.inject("/v1/projects")).statusCode).toBe(200);
    expect((await rig.app.inject("/v1/projects/huge/summary?group=month")).statusCode).toBe(200);
  });
});

describe("timestamps in the years 1 to 99 on PGlite", () => {
  it("reads PostgreSQL's timestamps with their own year", () => {
    expect(parsePgTimestamp("0050-06-15 10:00:00.123456+00").toISOString()).toBe(
      "0050-06-15T10:00:00.123Z",
    );
    expect(parsePgTimestamp("0001-01-01 00:00:00").toISOString()).toBe("0001-01-01T00:00:00.000Z");
    expect(parsePgTimestamp("2026-05-04 12:30:00+02:30").toISOString()).toBe(
      "2026-05-04T10:00:00.000Z",
    );
  });

  it("stores and reads back a run of the year 50, and paging past it ends", async () => {
    const base = runResult("2026-05-04T10:00:00Z", 1, 1, 1);
    const old = {
      ...base,
      startedAt: "0050-03-01T00:00:00.000Z",
      endedAt: "0050-03-01T01:00:00.000Z",
    };
    const stored = await postRun({ project: "old", result: old });
    expect(stored.statusCode, stored.body).toBe(201);
    expect(stored.json().startedAt).toBe("0050-03-01T00:00:00.000Z");
    expect((await postRun({ project: "old", result: base })).statusCode).toBe(201);
    expect(await pageAll("old", 1)).toHaveLength(2);
    const summary = await rig.app.inject("/v1/projects/old/summary?group=month");
    expect(summary.json().periods[0].start).toBe("0050-03-01T00:00:00.000Z");
  });
});

describe("run timestamps finer than a millisecond", () => {
  it("refuses more than 3 fractional digits with a 400 naming the field", async () => {
    const base = runResult("2026-05-04T10:00:00Z", 1, 1, 1);
    for (const [startedAt, endedAt, field] of [
      ["2026-05-04T10:00:00.0009Z", "2026-05-04T11:00:00Z", "result.startedAt"],
      ["9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.9999999Z", "result.endedAt"],
    ] as const) {
      const response = await postRun({ project: "sub", result: { ...base, startedAt, endedAt } });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().field).toBe(field);
    }
    // Milliseconds are taken, and runs a millisecond apart page one by one.
    for (const startedAt of ["2026-05-04T10:00:00.001Z", "2026-05-04T10:00:00.002Z"]) {
      expect((await postRun({ project: "sub", result: { ...base, startedAt } })).statusCode).toBe(
        201,
      );
    }
    expect(await pageAll("sub", 1)).toHaveLength(2);
  });
});

describe("unpaired UTF-16 surrogates in a run", () => {
  it("refuses them in the result, the project and the tags with a 400 naming the field", async () => {
    const base = runResult("2026-05-04T10:00:00Z", 1, 1, 1);
    for (const [payload, field] of [
      [{ project: "q", result: { ...base, method: "x\ud800y" } }, "result.method"],
      [{ project: "q\ud800", result: base }, "project"],
      [{ project: "q", tags: ["ok", "t\udc00"], result: base }, "tags.1"],
    ] as const) {
      const response = await postRun(payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().field).toBe(field);
    }
    // A pair is a character like any other.
    const paired = await postRun({ project: "q\ud83d\ude00", result: base });
    expect(paired.statusCode, paired.body).toBe(201);
    expect(paired.json().project).toBe("q\ud83d\ude00");
  });
});

describe("deeply nested JSON bodies", () => {
  const nested = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`;
  const footprint = (inner: string): string =>
    `{"ml_model":{"model":"m"},"user_input":{"geo_location_region":"FR","extra_data":{"x":${inner}}},"hw":{"hw_description":"NVIDIA A100","power_consumption":100,"latency":1}}`;

  it("answers 5,000 levels with a 400 naming the field, on every JSON route", async () => {
    for (const [url, body, prefix] of [
      ["/v1/footprint", footprint(nested(5000)), "user_input.extra_data.x.0"],
      ["/v1/runs", `{"project":"p","result":{"method":${nested(5000)}}}`, "result.method.0"],
      // No free-form member here: the schema stops at the unknown member, and names it.
      ["/v1/estimate", `{"hardware":[{"watts":1}],"duration":"1h","x":${nested(5000)}}`, "x"],
    ] as const) {
      const response = await rig.app.inject({
        method: "POST",
        url,
        headers: { "content-type": "application/json" },
        payload: body,
      });
      expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(400);
      expect(response.json().type).toBe("/problems/invalid-request");
      expect(response.json().field).toMatch(new RegExp(`^${prefix.replaceAll(".", "\\.")}`));
    }
  });

  it("still takes free-form JSON a few levels deep", async () => {
    const response = await rig.app.inject({
      method: "POST",
      url: "/v1/footprint",
      headers: { "content-type": "application/json" },
      payload: footprint(nested(10)),
    });
    expect(response.statusCode, response.body).toBe(200);
  });
});

describe("the rate limit and API keys", () => {
  it("counts requests with a wrong key, so keys cannot be guessed without limit; probes stay open", async () => {
    const limited = await testApp(rig.store, { apiKeys: ["secret-key"], rateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await limited.app.inject({
          url: "/v1/projects",
          headers: { authorization: `Bearer guess-${i}` },
          remoteAddress: "10.1.1.1",
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
      // The guessing address is limited even with the right key; another is not.
      const right = { authorization: "Bearer secret-key" };
      expect(
        (
          await limited.app.inject({
            url: "/v1/projects",
            headers: right,
            remoteAddress: "10.1.1.1",
          })
        ).statusCode,
      ).toBe(429);
      expect(
        (
          await limited.app.inject({
            url: "/v1/projects",
            headers: right,
            remoteAddress: "10.1.1.2",
          })
        ).statusCode,
      ).toBe(200);
      for (let i = 0; i < 5; i++) {
        const probe = await limited.app.inject({ url: "/healthz", remoteAddress: "10.1.1.1" });
        expect(probe.statusCode).toBe(200);
      }
    } finally {
      await limited.app.close();
    }
  });
});

describe("uploaded file names", () => {
  it("refuses names too long in bytes or holding a control character, naming the field and no folder", async () => {
    for (const name of [`${"é".repeat(150)}_carbontracker.log`, "a\u0000b_carbontracker.log"]) {
      const { body, contentType } = multipart([{ name, content: "hello" }]);
      const response = await rig.app.inject({
        method: "POST",
        url: "/v1/logs/parse",
        headers: { "content-type": contentType },
        payload: body,
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ type: "/problems/malformed-upload", field: "files" });
      expect(response.body).not.toContain(tmpdir());
      expect(response.body).not.toContain("wattprint-upload-");
    }
  });
});
