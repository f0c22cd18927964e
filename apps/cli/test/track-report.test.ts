import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllLogs } from "@wattprint/logs";
import { afterAll, describe, expect, it } from "vitest";
import { wattprint } from "./helpers/in-process.ts";
import { expectUsageError } from "./helpers/outcome.ts";
import { NO_READERS_ENV, simulatedTo } from "./helpers/spawned.ts";

/*
 * `wattprint track --report-to` against a real HTTP server on 127.0.0.1 (port 0) playing
 * wattprint-server's `POST /v1/runs` (an app may not import another app): it keeps every
 * request, stores a run once per id, and answers each request with the next planned status.
 */
const root = mkdtempSync(join(tmpdir(), "wattprint-track-report-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `run-${++dirs}`);
const NODE = process.execPath;

interface Posted {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: { id: string; project: string; tags: string[]; result: { schema: string } };
}

async function withRunsServer<T>(
  plan: readonly number[],
  use: (url: string, posted: Posted[], stored: Set<string>) => Promise<T>,
): Promise<T> {
  const posted: Posted[] = [];
  const stored = new Set<string>();
  const server = createServer((request, response) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
    });
    request.on("end", () => {
      const body = JSON.parse(text) as Posted["body"];
      posted.push({ path: request.url ?? "", authorization: request.headers.authorization, body });
      const planned = plan[posted.length - 1] ?? 201;
      if (planned >= 400) {
        response.writeHead(planned, { "content-type": "application/problem+json" });
        response.end(
          JSON.stringify({ status: planned, detail: `planned ${planned}`, field: "tags" }),
        );
        return;
      }
      const created = !stored.has(body.id);
      stored.add(body.id);
      response.writeHead(created ? 201 : 200, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: body.id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await use(`http://127.0.0.1:${port}`, posted, stored);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function track(args: readonly string[], env: Record<string, string> = {}) {
  return wattprint(["track", ...args], {
    env: { PATH: process.env.PATH, ...NO_READERS_ENV, ...env },
  });
}

async function logCount(dir: string): Promise<number> {
  const parsed = await parseAllLogs(dir);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.logs.filter((l) => l.actual !== null).length;
}

describe.concurrent("wattprint track --report-to", () => {
  it("posts the run with project, tags and the key, and says where it was stored", async () => {
    await withRunsServer([], async (url, posted, stored) => {
      const logDir = freshDir();
      const outcome = await track(
        [
          ...simulatedTo(logDir),
          ...["--report-to", url, "--project", "vision", "--tag", "a", "--tag", "b"],
          ...["--", NODE, "-e", "process.exit(4)"],
        ],
        { WATTPRINT_API_KEY: "k1" },
      );
      expect(outcome.code).toBe(4);
      expect(posted).toHaveLength(1);
      const [post] = posted;
      expect(post?.path).toBe("/v1/runs");
      expect(post?.authorization).toBe("Bearer k1");
      expect(post?.body).toMatchObject({ project: "vision", tags: ["a", "b"] });
      expect(post?.body.result.schema).toBe("wattprint.tracker/v1");
      expect([...stored]).toEqual([post?.body.id]);
      expect(outcome.stderr).toContain(
        `wattprint track: stored on the server as ${url}/v1/runs/${post?.body.id}`,
      );
      expect(await logCount(logDir)).toBe(1);
    });
  });

  it("retries a 503 with the same id: one row", async () => {
    await withRunsServer([503], async (url, posted, stored) => {
      const outcome = await track([
        ...simulatedTo(freshDir()),
        ...["--report-to", url, "--", "true"],
      ]);
      expect(outcome.code).toBe(0);
      expect(posted).toHaveLength(2);
      expect(posted[0]?.body.id).toBe(posted[1]?.body.id);
      expect(stored.size).toBe(1);
      // Without --project, the folder the command runs in names the project.
      expect(posted[0]?.body.project).toBe(process.cwd().split("/").at(-1));
      expect(posted[0]?.authorization).toBeUndefined();
    });
  });

  it("does not retry a 4xx and says why the run was not stored", async () => {
    await withRunsServer([422], async (url, posted) => {
      const outcome = await track([
        ...simulatedTo(freshDir()),
        ...["--report-to", url, "--", NODE, "-e", "process.exit(2)"],
      ]);
      expect(outcome.code).toBe(2);
      expect(posted).toHaveLength(1);
      expect(outcome.stderr).toMatch(
        /wattprint track: not stored on the server: .*HTTP 422: planned 422 \(field tags\)/,
      );
    });
  });

  it("keeps the logs and the exit code when the server cannot be reached", async () => {
    // A port bound, then closed: nobody listens there.
    const url = await withRunsServer([], async (u) => u);
    const logDir = freshDir();
    const outcome = await track([
      ...simulatedTo(logDir),
      ...["--report-to", url, "--json", "--", NODE, "-e", "process.exit(5)"],
    ]);
    expect(outcome.code).toBe(5);
    expect(outcome.stderr).toMatch(
      /not stored on the server: .*could not be reached after 4 attempt\(s\): ECONNREFUSED/,
    );
    expect(await logCount(logDir)).toBe(1);
    const result = JSON.parse(outcome.stdout) as { warnings: { message: string }[] };
    expect(result.warnings.some((w) => w.message.includes("ECONNREFUSED"))).toBe(true);
  }, 30_000);

  it("refuses --project or --tag without --report-to", async () => {
    expectUsageError(
      await track(["--project", "p", "--", "true"]),
      /--project and --tag describe the run for --report-to/,
    );
  });

  it("names --report-to and its value when the URL is not http(s)", async () => {
    const outcome = await track(["--report-to", "ftp://x", "--", "true"]);
    expect(outcome.code).toBe(2);
    // The flag and the value typed, not the tracker's option path "reportTo.url".
    expect(outcome.stderr).toMatch(
      /^wattprint track: --report-to "ftp:\/\/x": url must be an http\(s\) URL/,
    );
    expect(outcome.stderr).not.toMatch(/reportTo/);
  });

  it("names --tag and --project, not the tracker's option paths", async () => {
    const url = "http://127.0.0.1:9";
    const twice = await track(["--report-to", url, "--tag", "a", "--tag", "a", "--", "true"]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^wattprint track: --tag "a": .*given twice/);
    expect(twice.stderr).not.toMatch(/reportTo/);
    const long = await track(["--report-to", url, "--project", "p".repeat(300), "--", "true"]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/^wattprint track: --project "p+/);
    expect(long.stderr).not.toMatch(/reportTo/);
  });

  it("with --json, a refused option is one object with the tracker's kind and the flag", async () => {
    const outcome = await track(["--report-to", "ftp://x", "--json", "--", "true"]);
    expect(outcome.code).toBe(2);
    expect(JSON.parse(outcome.stderr)).toMatchObject({
      kind: "invalid-options",
      flag: "--report-to",
    });
  });
});
