import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appForFile, multipart } from "./support/app.test-support.ts";
import { writtenRunLogs } from "./support/logs.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

/**
 * Whatever a client sends, the answer is a 2xx with JSON or a 4xx problem document: never a
 * 500, never a stack trace. Random JSON stops at validation, so most bodies here are a valid
 * one with a single value replaced by something hostile but well-typed (a huge or tiny number,
 * a long or odd string, a near-miss name) or by any JSON, so that they reach the estimate,
 * the SustainML task and the run store; the test checks that they do.
 */
const rig = appForFile();

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Hostile values: numbers at the edges, strings of every kind, near-valid words, any JSON. */
const hostile: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1e-320, 5e-324, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 0.5, 1.5),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "1e400h",
    "-1h",
    "0s",
    "9999999999999999999d",
    "1h30",
    "A10O",
    "nvidia",
    "Åland",
    "US-CAL-",
    "\u0000",
    "x".repeat(5000),
    "2026-02-30T00:00:00Z",
    "9999-12-31T23:59:59Z",
  ),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

/** Every path to a value in `value`, objects and arrays included. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value !== null && typeof value === "object") {
    return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
  return here;
}

/** `base` with the value at `path` replaced, or removed when `replacement` is undefined. */
function replaced(base: Json, path: (string | number)[], replacement: Json | undefined): Json {
  const copy = structuredClone(base);
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** Valid bodies with one value replaced or removed; now and then any JSON at all. */
function mutants(bases: readonly Json[]): fc.Arbitrary<Json> {
  const one = fc
    .constantFrom(...bases)
    .chain((base) =>
      fc
        .tuple(fc.constantFrom(...paths(base)), fc.option(hostile, { nil: undefined, freq: 8 }))
        .map(([path, value]) => replaced(base, path, value)),
    );
  return fc.oneof(
    { weight: 9, arbitrary: one },
    { weight: 1, arbitrary: fc.jsonValue() as fc.Arbitrary<Json> },
  );
}

const ROUTES: readonly { url: string; bases: readonly Json[] }[] = [
  {
    url: "/v1/estimate",
    bases: [
      { hardware: [{ name: "NVIDIA A100 SXM4 40GB", count: 8 }], duration: "12h", location: "ES" },
      { hardware: [{ watts: 350, utilisation: 0.5 }], latency: "20ms", count: 1000, pue: 1.2 },
      { hardware: [{ name: "H100 SXM" }], memoryGB: 64, duration: "90m", intensityGPerKWh: 120 },
      { machine: "dgx-h100", machines: 2, duration: "1h", location: "US-CAL-CISO", year: 2022 },
      { cloud: "aws", instance: "p5.48xlarge", region: "us-east-1", duration: "3h" },
    ],
  },
  {
    url: "/v1/footprint",
    bases: [
      {
        ml_model: { model: "bert-base" },
        user_input: { geo_location_region: "Spain", extra_data: { note: "from a test" } },
        hw: { hw_description: "a workstation", power_consumption: 300, latency: 0.5 },
        task_id: { problem_id: 7, iteration_id: 2 },
      },
    ],
  },
  {
    url: "/v1/runs",
    bases: [
      {
        project: "hostile",
        tags: ["a", "b"],
        result: runResult("2026-06-01T00:00:00Z", 1, 1.2, 170) as unknown as Json,
      },
    ],
  },
];

describe("hostile bodies", () => {
  for (const { url, bases } of ROUTES) {
    it(`POST ${url}: a 2xx with JSON or a 4xx problem for every body, never a 500`, async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(mutants(bases), async (payload) => {
          const response = await rig.app.inject({
            method: "POST",
            url,
            headers: { "content-type": "application/json" },
            payload: JSON.stringify(payload),
          });
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          expect(response.statusCode, response.body).toBeLessThan(500);
          expect(response.body).not.toMatch(/\n\s+at /);
          expect(response.headers["content-type"]).toMatch(
            response.statusCode >= 400 ? /^application\/problem\+json/ : /^application\/json/,
          );
        }),
        { numRuns: 400 },
      );
      // Past validation often enough to mean something: answers, and refusals by the work.
      expect(statuses.get(url === "/v1/runs" ? 201 : 200) ?? 0).toBeGreaterThan(20);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(20);
    });
  }

  it("GET routes: any path segment and query string gets JSON or a problem, never a 500", async () => {
    const routes = ["/v1/zones", "/v1/hardware", "/v1/runs", "/v1/intensity/", "/v1/runs/"];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes, "/v1/projects/"),
        fc.string({ unit: "binary", maxLength: 30 }),
        fc.dictionary(
          fc.constantFrom("query", "project", "since", "until", "tag", "cursor", "limit", "group"),
          fc.oneof(
            fc.string({ unit: "binary", maxLength: 30 }),
            fc.constantFrom("2026-01-01", "-1", "1e9", "", "day", "week", "month"),
          ),
        ),
        async (route, segment, query) => {
          const tail = route.endsWith("/")
            ? `${encodeURIComponent(segment)}${route === "/v1/projects/" ? "/summary" : ""}`
            : "";
          const url = `${route}${tail}?${new URLSearchParams(query).toString()}`;
          const response = await rig.app.inject({ method: "GET", url });
          expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(500);
          expect(response.body).not.toMatch(/\n\s+at /);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("a JSON body the parser refuses", () => {
  it("compressed (Content-Encoding: gzip) is a 415 naming the coding, not malformed JSON", async () => {
    const answer = await rig.app.inject({
      method: "POST",
      url: "/v1/estimate",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      payload: gzipSync(JSON.stringify({ hardware: [{ watts: 5 }], duration: "1h" })),
    });
    expect(answer.statusCode).toBe(415);
    expect(answer.headers["accept-encoding"]).toBe("identity");
    expect(answer.json()).toMatchObject({
      type: "/problems/unsupported-media-type",
      field: "content-encoding",
      detail: expect.stringContaining('Content-Encoding "gzip"'),
    });
  });

  it.each([
    ["/v1/estimate", "gzip", { hardware: [{ watts: 5 }], duration: "1h" }],
    [
      "/v1/footprint",
      "br",
      {
        ml_model: { model: "bert-base" },
        user_input: { geo_location_region: "Spain" },
        hw: { hw_description: "a workstation", power_consumption: 300, latency: 0.5 },
        task_id: { problem_id: 7, iteration_id: 2 },
      },
    ],
    [
      "/v1/runs",
      "identity, deflate",
      { project: "sent-compressed", result: runResult("2026-05-01T00:00:00Z", 1, 2, 3) },
    ],
  ])(
    "%s: a body that parses but says Content-Encoding %j is a 415 all the same",
    async (url, coding, body) => {
      const answer = await rig.app.inject({
        method: "POST",
        url,
        headers: { "content-type": "application/json", "content-encoding": coding },
        payload: JSON.stringify(body),
      });
      expect(answer.statusCode).toBe(415);
      expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(answer.headers["accept-encoding"]).toBe("identity");
      expect(answer.json()).toMatchObject({
        type: "/problems/unsupported-media-type",
        field: "content-encoding",
        detail: expect.stringContaining(`Content-Encoding ${JSON.stringify(coding)}`),
      });
    },
  );

  it("a compressed run is not stored", async () => {
    await rig.app.inject({
      method: "POST",
      url: "/v1/runs",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      payload: JSON.stringify({
        project: "never-stored",
        result: runResult("2026-05-01T00:00:00Z", 1, 2, 3),
      }),
    });
    const runs = await rig.app.inject({ method: "GET", url: "/v1/runs?project=never-stored" });
    expect(runs.statusCode).toBe(200);
    expect(JSON.stringify(runs.json())).not.toContain("never-stored");
  });

  it("an upload with Content-Encoding gzip is a 415 before the form is read", async () => {
    const form = multipart(writtenRunLogs(1, 2));
    const answer = await rig.app.inject({
      method: "POST",
      url: "/v1/logs/parse",
      headers: { "content-type": form.contentType, "content-encoding": "gzip" },
      payload: form.body,
    });
    expect(answer.statusCode).toBe(415);
    expect(answer.headers["accept-encoding"]).toBe("identity");
    expect(answer.json()).toMatchObject({
      type: "/problems/unsupported-media-type",
      field: "content-encoding",
    });
  });

  it.each([
    ["identity", "application/json"],
    ["IDENTITY", "application/json; charset=UTF-8"],
    [undefined, 'application/json; charset="utf-8"'],
    [undefined, "application/json; charset=us-ascii"],
  ])("Content-Encoding %j with %j is read as before", async (coding, type) => {
    const answer = await rig.app.inject({
      method: "POST",
      url: "/v1/estimate",
      headers: {
        "content-type": type,
        ...(coding === undefined ? {} : { "content-encoding": coding }),
      },
      payload: JSON.stringify({ hardware: [{ watts: 5 }], duration: "1h" }),
    });
    expect(answer.statusCode, answer.body).toBe(200);
  });

  it.each(["utf-16", "ISO-8859-1", '"latin1"'])(
    "declared as charset %s is a 415 naming the content type: it would be read as UTF-8",
    async (charset) => {
      const answer = await rig.app.inject({
        method: "POST",
        url: "/v1/estimate",
        headers: { "content-type": `application/json; charset=${charset}` },
        payload: JSON.stringify({ hardware: [{ watts: 5 }], duration: "1h" }),
      });
      expect(answer.statusCode).toBe(415);
      expect(answer.json()).toMatchObject({
        type: "/problems/unsupported-media-type",
        field: "content-type",
        detail: expect.stringContaining(JSON.stringify(charset.replaceAll('"', ""))),
      });
    },
  );

  it("with a __proto__ member says so, as the parser cannot tell it from bad JSON", async () => {
    const answer = await rig.app.inject({
      method: "POST",
      url: "/v1/estimate",
      headers: { "content-type": "application/json" },
      payload: '{"__proto__":{"x":1},"hardware":[{"watts":5}],"duration":"1h"}',
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().detail).toContain("__proto__");
  });
});
