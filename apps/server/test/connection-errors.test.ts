import { once } from "node:events";
import { connect, type Socket } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerMetrics } from "../src/http/metrics.ts";
import type { RunStore } from "../src/store/run-store.ts";
import { memoryStore, testApp } from "./support/app.test-support.ts";

/**
 * What Node's HTTP layer refuses before any route sees a request (a body that stalls, a
 * request that is not HTTP, headers too large) and a request that comes in while the server
 * stops: the same problem documents as every route, counted in the same metrics. Real
 * sockets on loopback, written byte by byte as a client that misbehaves would.
 */

const REQUEST_TIMEOUT_MS = 1500;

let store: RunStore;
beforeAll(async () => {
  store = await memoryStore();
});
afterAll(async () => {
  await store.close();
});

interface Answer {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
  readonly afterMs: number;
}

/** Writes `bytes` on a new connection to `port` and reads until the server closes it. */
async function exchange(port: number, bytes: string, socket = connect(port, "127.0.0.1")) {
  const started = Date.now();
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  if (!socket.writable || socket.connecting) await once(socket, "connect");
  socket.write(bytes);
  await once(socket, "close");
  return parse(Buffer.concat(chunks).toString("utf8"), Date.now() - started);
}

function parse(text: string, afterMs: number): Answer {
  const end = text.indexOf("\r\n\r\n");
  const head = text.slice(0, end);
  return {
    status: Number(head.split(" ")[1]),
    headers: head.toLowerCase(),
    body: text.slice(end + 4),
    afterMs,
  };
}

async function listening(): Promise<{
  app: FastifyInstance;
  metrics: ServerMetrics;
  port: number;
}> {
  const { app, metrics } = await testApp(store, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { app, metrics, port: address.port };
}

async function counted(metrics: ServerMetrics, type: string): Promise<number> {
  const errors = await metrics.errors.get();
  return errors.values.find((v) => v.labels.type === type)?.value ?? 0;
}

describe("refused before routing", () => {
  let server: Awaited<ReturnType<typeof listening>>;
  beforeAll(async () => {
    server = await listening();
  });
  afterAll(async () => {
    await server.app.close();
  });

  it("a body that stalls: 408 problem within the request timeout, not Node's 60 s or more", async () => {
    const answer = await exchange(
      server.port,
      'POST /v1/estimate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"hard',
    );
    expect(answer.status).toBe(408);
    expect(answer.headers).toContain("content-type: application/problem+json");
    expect(JSON.parse(answer.body)).toMatchObject({
      type: "/problems/request-timeout",
      status: 408,
    });
    // The timeout plus one check of the connections (1 s) and slack for a busy machine;
    // before, the answer came after 60 to 90 s whatever the timeout.
    expect(answer.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 1000 + 5000);
    expect(await counted(server.metrics, "request-timeout")).toBe(1);
  });

  it("a request that is not HTTP: 400 problem naming the parser's complaint", async () => {
    const answer = await exchange(
      server.port,
      "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    );
    expect(answer.status).toBe(400);
    expect(answer.headers).toContain("content-type: application/problem+json");
    const body = JSON.parse(answer.body);
    expect(body).toMatchObject({ type: "/problems/invalid-request", status: 400 });
    expect(body.detail).toMatch(/^the request is not valid HTTP\/1\.1/);
  });

  it("headers larger than Node reads: 431 problem", async () => {
    const answer = await exchange(
      server.port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toMatchObject({ type: "/problems/headers-too-large" });
    const requests = await server.metrics.requests.get();
    const statuses = requests.values
      .filter((v) => v.labels.route === "unmatched" && v.labels.method === "unknown")
      .map((v) => v.labels.status);
    expect(statuses.sort()).toEqual(["400", "408", "431"]);
  });
});

describe("a request that arrives while the server stops", () => {
  it("is a 503 problem that closes its connection", async () => {
    const { app, port } = await listening();
    const socket: Socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    // A request begun before close() (its headers cut short) keeps its connection out of
    // the idle ones close() ends; the rest arrives once close() has begun.
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = app.close();
    const answer = await exchange(port, "\r\n", socket);
    await closed;
    expect(answer.status).toBe(503);
    expect(answer.headers).toContain("connection: close");
    expect(answer.headers).toContain("content-type: application/problem+json");
    expect(JSON.parse(answer.body)).toMatchObject({ type: "/problems/shutting-down", status: 503 });
  });
});

describe("an upload its client abandons", () => {
  it("is counted as the client's problem, never as an internal error", async () => {
    const { app, metrics, port } = await listening();
    try {
      const socket = connect(port, "127.0.0.1");
      await once(socket, "connect");
      const boundary = "----cut";
      socket.write(
        `POST /v1/logs/parse HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 1000000\r\n\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="1.1_2026-12-03T232421Z_carbontracker.log"\r\nContent-Type: text/plain\r\n\r\n` +
          "2026-12-03 23:24:21 - carbontracker version 2.4.3\n".repeat(200),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      socket.destroy();
      const deadline = Date.now() + 10_000;
      while ((await counted(metrics, "malformed-upload")) === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await counted(metrics, "malformed-upload")).toBe(1);
      expect(await counted(metrics, "internal")).toBe(0);
    } finally {
      await app.close();
    }
  });
});
