import { createServer, type Server, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { openPostgres } from "../src/store/postgres-client.ts";
import { MAX_SUMMARY_PERIODS, SqlRunStore } from "../src/store/run-store.ts";
import { appForFile, testApp } from "./support/app.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

/** The run API at its edges: odd ids, range edges, project names, long summaries, probes. */
const rig = appForFile();

const postRun = (payload: object) => rig.app.inject({ method: "POST", url: "/v1/runs", payload });

/** Stores a run through the store, as an operator's SQL or an older server may have. */
async function storeDirectly(id: string | undefined, project: string, startedAt: string) {
  const stored = await rig.store.insert({
    ...(id !== undefined ? { id } : {}),
    project,
    tags: [],
    result: runResult(startedAt, 1, 1, 1),
  });
  if (!stored.ok) throw new Error(stored.error.message);
}

describe("run ids PostgreSQL takes that are not RFC 9562 uuids", () => {
  it("reads them by id and pages past them with the server's own cursor", async () => {
    const ids = [
      "6ba7b810-9dad-11d1-c0b4-00c04fd430c8",
      "00000000-0000-0000-0000-000000000002",
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    ];
    for (const [i, id] of ids.entries()) {
      await storeDirectly(id, "odd-ids", `2024-0${3 - i}-01T00:00:00.000Z`);
    }
    const seen: string[] = [];
    let url = "/v1/runs?project=odd-ids&limit=1";
    for (let page = 0; page < 5; page++) {
      const response = await rig.app.inject(url);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{ runs: { id: string }[]; next?: string }>();
      seen.push(...body.runs.map((run) => run.id));
      if (body.next === undefined) break;
      url = `/v1/runs?project=odd-ids&limit=1&cursor=${body.next}`;
    }
    expect(seen).toEqual(ids);
    for (const id of ids) {
      const read = await rig.app.inject(`/v1/runs/${id}`);
      expect(read.statusCode, read.body).toBe(200);
      expect(read.json().id).toBe(id);
    }
    // Still a 400 naming the parameter when it is no id at all.
    const bad = await rig.app.inject("/v1/runs/not-an-id");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe("id");
  });
});

describe("range edges finer than a millisecond", () => {
  it("refuses since and until with more than 3 fractional digits, naming the parameter", async () => {
    for (const name of ["since", "until"]) {
      for (const path of ["/v1/runs", "/v1/projects/anything/summary"]) {
        const response = await rig.app.inject(`${path}?${name}=2026-05-04T10:00:00.0009Z`);
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json().field).toBe(name);
        expect(response.json().detail).toMatch(/fractional digits/);
        const fine = await rig.app.inject(`${path}?${name}=2026-05-04T10:00:00.001Z`);
        expect(fine.statusCode, fine.body).toBe(200);
      }
    }
  });
});

describe("project names that are path segments", () => {
  it("refuses . and .. when a run is stored, naming the field", async () => {
    for (const project of [".", "..", " .. "]) {
      const response = await postRun({
        project,
        result: runResult("2026-05-04T10:00:00Z", 1, 1, 1),
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().field).toBe("project");
    }
    // Names merely holding dots are names.
    const dotted = await postRun({
      project: "v1.2...",
      result: runResult("2026-05-04T10:00:00Z", 1, 1, 1),
    });
    expect(dotted.statusCode, dotted.body).toBe(201);
  });
});

describe("a summary of more periods than it returns", () => {
  it("keeps the newest periods, oldest first, and says older ones were left out", async () => {
    const first = Date.UTC(2020, 0, 1);
    const days = MAX_SUMMARY_PERIODS + 2;
    for (let day = 0; day < days; day++) {
      await storeDirectly(
        undefined,
        "long-lived",
        new Date(first + day * 86_400_000).toISOString(),
      );
    }
    const response = await rig.app.inject("/v1/projects/long-lived/summary?group=day");
    expect(response.statusCode).toBe(200);
    const body = response.json<{ periods: { start: string }[]; truncated: boolean }>();
    expect(body.truncated).toBe(true);
    expect(body.periods).toHaveLength(MAX_SUMMARY_PERIODS);
    expect(body.periods.at(-1)?.start).toBe(
      new Date(first + (days - 1) * 86_400_000).toISOString(),
    );
    expect(body.periods[0]?.start).toBe(new Date(first + 2 * 86_400_000).toISOString());
    // A range that holds them all is not cut.
    const recent = await rig.app.inject(
      `/v1/projects/long-lived/summary?group=day&since=${new Date(first + 2 * 86_400_000).toISOString()}`,
    );
    expect(recent.json().truncated).toBe(false);
    expect(recent.json().periods).toHaveLength(MAX_SUMMARY_PERIODS);
  }, 120_000);
});

describe("URLs the router cannot read", () => {
  it("are counted as requests of the route unmatched, with their latency", async () => {
    // An app of its own: the file's has answered other unmatched requests (404s).
    const { app } = await testApp(rig.store);
    for (const url of ["/v1/intensity/%zz", `/v1/intensity/${"x".repeat(1100)}`]) {
      const response = await app.inject(url);
      expect(response.statusCode).toBe(400);
    }
    const metrics = (await app.inject("/metrics")).body;
    await app.close();
    expect(metrics).toContain(
      'wattprint_http_requests_total{method="GET",route="unmatched",status="400"} 2',
    );
    expect(metrics).toContain(
      'wattprint_http_request_duration_seconds_count{method="GET",route="unmatched"} 2',
    );
  });
});

describe("readiness with a stalled database", () => {
  it("answers 503 store-unavailable within a few seconds, not the query timeout", async () => {
    // A database that accepts connections and never answers: a stalled server or network.
    const sockets: Socket[] = [];
    const stalled: Server = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => stalled.listen(0, "127.0.0.1", resolve));
    const address = stalled.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const client = await openPostgres(`postgres://nobody@127.0.0.1:${port}/none`);
    const store = new SqlRunStore(client);
    const { app } = await testApp(store);
    try {
      const started = Date.now();
      const response = await app.inject("/readyz");
      const took = Date.now() - started;
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ type: "/problems/store-unavailable" });
      expect(took).toBeLessThan(5_000);
    } finally {
      await app.close();
      for (const socket of sockets) socket.destroy();
      await client.close().catch(() => {});
      await new Promise((resolve) => stalled.close(resolve));
    }
  }, 60_000);
});
