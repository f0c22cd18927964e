import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CarbonTracker,
  MAX_REPORT_BACKOFF_MS,
  MAX_REPORT_RETRIES,
  MAX_REPORT_TOTAL_MS,
  MAX_REPORT_WAIT_MS,
  reportBodySchema,
  reportRun,
  runProjectSchema,
  runTagSchema,
  type TrackerOptions,
  trackerResultSchema,
} from "../src/index.ts";

/**
 * `reportTo` against a real HTTP server on 127.0.0.1 (port 0) that answers as the wattprint
 * server's `POST /v1/runs` does: the body checked, a Bearer key required, a run stored once
 * per id (201, then 200 for the same id), problem+json for a 4xx. Its first `failFirst`
 * answers are 503, to see the retries. (A package may not import apps/server; the CLI's
 * tests cover the flags.)
 */

const KEY = "test-key";

interface RunsServer {
  readonly url: string;
  /** Runs stored, by id. */
  readonly runs: Map<string, unknown>;
  /** Every POST seen, in order, with its body's id. */
  readonly posts: { id: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

/** A server on 127.0.0.1 answering with `handler`, used by `use(url)` and then closed. */
async function withServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  use: (url: string) => Promise<void>,
): Promise<void> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await use(`http://127.0.0.1:${port}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function runsServer(
  behaviour: { failFirst?: number; failStatus?: number } = {},
): Promise<RunsServer> {
  const runs = new Map<string, unknown>();
  const posts: RunsServer["posts"] = [];
  let failures = behaviour.failFirst ?? 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const problem = (status: number, detail: string, field?: string) => {
        response.writeHead(status, { "content-type": "application/problem+json" });
        response.end(JSON.stringify({ type: "about:blank", status, detail, field }));
      };
      if (request.method !== "POST" || request.url !== "/v1/runs") return problem(404, "no route");
      let json: unknown;
      try {
        json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return problem(400, "body: not JSON");
      }
      const parsed = reportBodySchema.safeParse(json);
      posts.push({
        id: parsed.success ? parsed.data.id : "",
        authorization: request.headers.authorization,
      });
      if (request.headers.authorization !== `Bearer ${KEY}`) {
        return problem(401, "a valid API key is required");
      }
      if (failures > 0) {
        failures--;
        return behaviour.failStatus === 408
          ? problem(408, "the request body took too long")
          : problem(503, "the run store cannot be reached");
      }
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return problem(400, issue?.message ?? "invalid", issue?.path.join("."));
      }
      const created = !runs.has(parsed.data.id);
      if (created) runs.set(parsed.data.id, parsed.data);
      response.writeHead(created ? 201 : 200, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: parsed.data.id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runs,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nobody listens on: bound, then closed. */
async function closedPortUrl(): Promise<string> {
  const server = await runsServer();
  await server.close();
  return server.url;
}

let dir: string;
let servers: RunsServer[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tracker-report-"));
  servers = [];
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function server(
  behaviour: { failFirst?: number; failStatus?: number } = {},
): Promise<RunsServer> {
  const s = await runsServer(behaviour);
  servers.push(s);
  return s;
}

async function run(reportTo: TrackerOptions["reportTo"]) {
  const tracker = new CarbonTracker({
    simCpu: "Intel Xeon Test",
    simCpuTdp: 100,
    components: "cpu",
    intensityGPerKWh: 100,
    updateInterval: 0.05,
    logDir: dir,
    verbose: 0,
    reportTo,
  });
  await tracker.start();
  await new Promise((resolve) => setTimeout(resolve, 120));
  const result = await tracker.stop();
  return { tracker, result };
}

const fast = { backoffMs: 5, retries: 3 };

describe("reportTo", () => {
  it("posts the result once, after the logs are written, with the Bearer key", async () => {
    const s = await server();
    const { tracker, result } = await run({
      url: s.url,
      project: "vision",
      tags: ["gpu-a", "nightly"],
      apiKey: KEY,
      ...fast,
    });
    const report = tracker.report;
    expect(report?.ok).toBe(true);
    if (!report?.ok) return;
    expect(report.value).toMatchObject({ created: true, attempts: 1 });
    expect(report.value.location).toBe(`${s.url}/v1/runs/${report.value.id}`);
    expect([...s.runs.keys()]).toEqual([report.value.id]);
    const stored = s.runs.get(report.value.id) as {
      project: string;
      tags: string[];
      result: unknown;
    };
    expect(stored.project).toBe("vision");
    expect(stored.tags).toEqual(["gpu-a", "nightly"]);
    expect(stored.result).toEqual(result);
    expect(result.warnings).toEqual([]);
    expect(result.logs).not.toBeNull();
    expect(readFileSync(result.logs?.output ?? "", "utf8")).toContain("Actual consumption");
  });

  it("retries a 5xx with the same run id, and the server stores one row", async () => {
    const s = await server({ failFirst: 2 });
    const { tracker } = await run({ url: s.url, project: "p", apiKey: KEY, ...fast });
    expect(tracker.report?.ok).toBe(true);
    expect(s.posts).toHaveLength(3);
    expect(new Set(s.posts.map((p) => p.id)).size).toBe(1);
    expect(s.runs.size).toBe(1);
  });

  it("retries a 408 with the same run id: the server gave up on a slow body", async () => {
    const s = await server({ failFirst: 1, failStatus: 408 });
    const { tracker } = await run({ url: s.url, project: "p", apiKey: KEY, ...fast });
    expect(tracker.report?.ok).toBe(true);
    expect(s.posts).toHaveLength(2);
    expect(new Set(s.posts.map((p) => p.id)).size).toBe(1);
    expect(s.runs.size).toBe(1);
  });

  it("stores a retried report once: the same id again is a 200, not a second row", async () => {
    const s = await server();
    const { result } = await run(undefined);
    const id = "0d9e4b7e-5a57-4f3c-9a43-3e0e4b7b8a11";
    const first = await reportRun({ url: s.url, project: "p", apiKey: KEY, result, id });
    const again = await reportRun({ url: s.url, project: "p", apiKey: KEY, result, id });
    expect(first.ok && first.value.created).toBe(true);
    expect(again.ok && again.value.created).toBe(false);
    expect(s.runs.size).toBe(1);
  });

  it("does not retry a 4xx, and names the status and the server's detail", async () => {
    const s = await server();
    const { tracker, result } = await run({ url: s.url, project: "p", apiKey: "wrong", ...fast });
    const report = tracker.report;
    expect(report?.ok).toBe(false);
    if (report?.ok !== false) return;
    expect(report.error).toMatchObject({ kind: "rejected", status: 401, attempts: 1 });
    expect(report.error.message).toContain("HTTP 401: a valid API key is required");
    expect(report.error.message).toContain("WATTPRINT_API_KEY");
    expect(s.posts).toHaveLength(1);
    // The failure is a warning on the returned result, which still validates.
    expect(result.warnings.map((w) => w.message).join("\n")).toContain("HTTP 401");
    expect(trackerResultSchema.safeParse(result).success).toBe(true);
  });

  it("names the field of a 400 problem", async () => {
    const s = await server();
    const { result } = await run(undefined);
    // The body the tracker sends always passes its own schema, so a broken one is forged here.
    const forged = await reportRun({
      url: s.url,
      project: "p",
      apiKey: KEY,
      result,
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          body: JSON.stringify({ id: "x", project: "p", tags: [], result }),
        }),
    });
    expect(forged.ok).toBe(false);
    if (forged.ok) return;
    expect(forged.error).toMatchObject({ kind: "rejected", status: 400, field: "id" });
  });

  it("retries a refused connection, then says so; the logs and the result are kept", async () => {
    const url = await closedPortUrl();
    const { tracker, result } = await run({ url, project: "p", apiKey: KEY, ...fast });
    const report = tracker.report;
    expect(report?.ok).toBe(false);
    if (report?.ok !== false) return;
    expect(report.error.kind).toBe("unreachable");
    expect(report.error.attempts).toBe(4);
    expect(report.error.message).toContain("ECONNREFUSED");
    expect(result.status).toBe("complete");
    expect(readFileSync(result.logs?.output ?? "", "utf8")).toContain("Actual consumption");
    expect(result.warnings.some((w) => w.message.includes("could not be reached"))).toBe(true);
  });

  it("gives up on a server that accepts and never answers, attempt by attempt", async () => {
    const { result } = await run(undefined);
    // Never answers: only the per-attempt timeout ends each attempt.
    await withServer(
      () => {},
      async (url) => {
        const report = await reportRun({
          url,
          project: "p",
          result,
          retries: 1,
          backoffMs: 1,
          timeoutMs: 100,
        });
        expect(report.ok).toBe(false);
        if (report.ok) return;
        expect(report.error).toMatchObject({ kind: "unreachable", attempts: 2 });
        expect(report.error.message).toContain("no answer within 100 ms");
      },
    );
  });

  it("reads a bounded start of a server's answer and quotes a bounded part of its detail", async () => {
    let written = 0;
    // A 4xx whose problem detail is a megabyte, then an answer that never ends.
    const flood = (_request: IncomingMessage, response: ServerResponse): void => {
      response.writeHead(400, { "content-type": "application/problem+json" });
      const detail = "d".repeat(1024 * 1024);
      response.write(`{"detail":"${detail}","field":"result.${"f".repeat(10_000)}"}`);
      const more = (): void => {
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        while (!response.destroyed && written < 256 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) {
            response.once("drain", more);
            return;
          }
        }
      };
      more();
    };
    const { result } = await run(undefined);
    await withServer(flood, async (url) => {
      const report = await reportRun({ url, project: "p", result, retries: 0, timeoutMs: 5_000 });
      expect(report.ok).toBe(false);
      if (report.ok) return;
      // Only the first 64 KiB are read, which hold no whole JSON document: no detail quoted.
      expect(report.error).toMatchObject({ kind: "rejected", status: 400 });
      expect(report.error.message.length).toBeLessThan(1_000);
      expect(written).toBeLessThan(64 * 1024 * 1024);
    });
  });

  it("quotes at most 500 characters of a problem's detail and field", async () => {
    const { result } = await run(undefined);
    const wordy = (_request: IncomingMessage, response: ServerResponse): void => {
      response.writeHead(422, { "content-type": "application/problem+json" });
      response.end(JSON.stringify({ detail: "d".repeat(5_000), field: "f".repeat(700) }));
    };
    await withServer(wordy, async (url) => {
      const report = await reportRun({ url, project: "p", result });
      expect(report.ok).toBe(false);
      if (report.ok) return;
      expect(report.error.message).toContain(
        `HTTP 422: ${"d".repeat(500 - "... (5000 characters)".length)}... (5000 characters)`,
      );
      expect(report.error).toMatchObject({
        field: `${"f".repeat(500 - "... (700 characters)".length)}... (700 characters)`,
      });
    });
  });

  it("refuses a redirect instead of following it: the POST never becomes a GET", async () => {
    const { result } = await run(undefined);
    for (const status of [301, 302, 303, 307, 308]) {
      const seen: string[] = [];
      // A moved base URL or an http->https proxy in front of the server; a GET of the runs
      // answers 200, as `GET /v1/runs` (the list) does.
      const moved = (request: IncomingMessage, response: ServerResponse): void => {
        seen.push(`${request.method} ${request.url}`);
        if (request.url === "/v1/runs") {
          response.writeHead(status, { location: "/moved/v1/runs" });
          response.end();
          return;
        }
        response.writeHead(200, { "content-type": "application/json" });
        response.end('{"runs":[]}');
      };
      await withServer(moved, async (url) => {
        const report = await reportRun({ url, project: "p", result, ...fast });
        expect(report.ok).toBe(false);
        if (report.ok) return;
        expect(report.error).toMatchObject({ kind: "rejected", status, attempts: 1 });
        expect(report.error.message).toContain(`HTTP ${status}`);
        expect(report.error.message).toContain(`to ${url}/moved/v1/runs`);
        expect(seen).toEqual(["POST /v1/runs"]);
      });
    }
  });

  it("says so on the tracker's result when reportTo's url redirects", async () => {
    const seen: string[] = [];
    await withServer(
      (request, response) => {
        seen.push(`${request.method} ${request.url}`);
        response.writeHead(request.method === "POST" ? 302 : 200, { location: "/elsewhere" });
        response.end();
      },
      async (url) => {
        const { tracker, result } = await run({ url, project: "p", apiKey: KEY, ...fast });
        expect(tracker.report?.ok).toBe(false);
        expect(result.status).toBe("complete");
        expect(result.warnings.map((w) => w.message).join("\n")).toContain(
          `HTTP 302, a redirect to ${url}/elsewhere`,
        );
        expect(seen).toEqual(["POST /v1/runs"]);
      },
    );
  });

  /**
   * A clock that only the injected sleep moves: the waits are recorded, none is waited, and
   * the time limit is reached as a run that really waited would reach it.
   */
  function pretendTime(): {
    waits: number[];
    sleep: (ms: number) => Promise<void>;
    monotonicMs: () => number;
  } {
    let now = 1_000;
    const waits: number[] = [];
    return {
      waits,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
      monotonicMs: () => now,
    };
  }

  it("caps each wait at MAX_REPORT_WAIT_MS and the whole report at MAX_REPORT_TOTAL_MS", async () => {
    expect(MAX_REPORT_WAIT_MS).toBe(60_000);
    expect(MAX_REPORT_TOTAL_MS).toBe(300_000);
    const s = await server({ failFirst: 1_000 });
    const { result } = await run(undefined);
    const time = pretendTime();
    // The options' worst case: without the caps, waits of 60 s doubling ten times (17 hours).
    const report = await reportRun({
      url: s.url,
      project: "p",
      apiKey: KEY,
      result,
      retries: MAX_REPORT_RETRIES,
      backoffMs: MAX_REPORT_BACKOFF_MS,
      sleep: time.sleep,
      monotonicMs: time.monotonicMs,
    });
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect(time.waits).toEqual([60_000, 60_000, 60_000, 60_000]);
    expect(report.error).toMatchObject({ kind: "unreachable", attempts: 5 });
    expect(report.error.message).toContain("HTTP 503: the run store cannot be reached");
    expect(report.error.message).toContain("300 s limit on reporting");
    expect(s.posts).toHaveLength(5);
  });

  it("waits as long as Retry-After asks, within MAX_REPORT_WAIT_MS", async () => {
    const { result } = await run(undefined);
    const answers: { status: number; retryAfter?: string }[] = [
      { status: 503, retryAfter: "2" },
      { status: 429, retryAfter: "3600" },
      { status: 503, retryAfter: new Date(Date.now() + 86_400_000).toUTCString() },
      { status: 503, retryAfter: "soon" },
      { status: 201 },
    ];
    const seen: string[] = [];
    const busy = (request: IncomingMessage, response: ServerResponse): void => {
      seen.push(`${request.method} ${request.url}`);
      const answer = answers.shift() ?? { status: 500 };
      response.writeHead(answer.status, {
        "content-type": "application/json",
        ...(answer.retryAfter === undefined ? {} : { "retry-after": answer.retryAfter }),
      });
      response.end("{}");
    };
    await withServer(busy, async (url) => {
      const time = pretendTime();
      const report = await reportRun({
        url,
        project: "p",
        result,
        retries: 4,
        backoffMs: 5,
        sleep: time.sleep,
        monotonicMs: time.monotonicMs,
      });
      expect(report.ok).toBe(true);
      if (!report.ok) return;
      expect(report.value).toMatchObject({ created: true, attempts: 5 });
      // The server's 2 s, its hour and its day cut to 60 s, then the backoff (5 ms × 2^3).
      expect(time.waits).toEqual([2_000, 60_000, 60_000, 40]);
      expect(seen).toHaveLength(5);
    });
  });

  it("cuts an attempt's timeout to what is left of MAX_REPORT_TOTAL_MS", async () => {
    const { result } = await run(undefined);
    const tooLong = await reportRun({
      url: "http://127.0.0.1:1",
      project: "p",
      result,
      timeoutMs: MAX_REPORT_TOTAL_MS + 1,
    });
    expect(tooLong.ok).toBe(false);
    if (tooLong.ok) return;
    expect(tooLong.error).toMatchObject({
      kind: "invalid-report",
      field: "timeoutMs",
      attempts: 0,
    });
    // The report began 100 ms before its limit: the attempt gets those 100 ms, not timeoutMs.
    const clock = [0];
    await withServer(
      () => {},
      async (url) => {
        const report = await reportRun({
          url,
          project: "p",
          result,
          retries: 0,
          timeoutMs: MAX_REPORT_TOTAL_MS,
          monotonicMs: () => clock.shift() ?? MAX_REPORT_TOTAL_MS - 100,
        });
        expect(report.ok).toBe(false);
        if (report.ok) return;
        expect(report.error).toMatchObject({ kind: "unreachable", attempts: 1 });
        expect(report.error.message).toContain("no answer within 100 ms");
      },
    );
  });

  it("rejects a bad reportTo at construction, naming the option", async () => {
    const created = await CarbonTracker.create({
      simCpu: "x",
      simCpuTdp: 1,
      reportTo: { url: "ftp://nowhere", project: "p" },
    });
    expect(created.ok).toBe(false);
    if (created.ok) return;
    expect(created.error).toMatchObject({ kind: "invalid-options", field: "reportTo.url" });
  });
});

describe("a run's project and tags", () => {
  it("are refused when the tracker is made if the server would refuse them: . and .., a tag twice", async () => {
    // Checked only by the server, they were refused after the job had run, and the run was
    // not stored.
    const cases: [{ url: string; project: string; tags?: string[] }, string][] = [
      [{ url: "http://127.0.0.1:9", project: ".." }, "reportTo.project"],
      [{ url: "http://127.0.0.1:9", project: "p", tags: ["gpu", " gpu"] }, "reportTo.tags.1"],
    ];
    for (const [reportTo, field] of cases) {
      const created = await CarbonTracker.create({ simCpu: "x", simCpuTdp: 1, reportTo });
      expect(created.ok).toBe(false);
      expect(!created.ok && created.error).toMatchObject({ kind: "invalid-options", field });
    }
  });

  it("refuse an unpaired surrogate, which the server's store would turn into U+FFFD", () => {
    expect(runProjectSchema.safeParse("q\ud800").success).toBe(false);
    expect(runTagSchema.safeParse("t\udc00").success).toBe(false);
    // A pair is a character like any other.
    expect(runProjectSchema.safeParse("q\ud83d\ude00").success).toBe(true);
    expect(runTagSchema.safeParse("t\ud83d\ude00").success).toBe(true);
  });
});
