import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunStore } from "../src/store/run-store.ts";
import { memoryStore, testApp } from "./support/app.test-support.ts";

let store: RunStore;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  store = await memoryStore();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await store?.close();
});

async function app(overrides: Parameters<typeof testApp>[1]): Promise<FastifyInstance> {
  const built = await testApp(store, overrides);
  apps.push(built.app);
  return built.app;
}

const estimate = { hardware: [{ watts: 100 }], duration: "1h" };

describe("API keys", () => {
  it("guard every /v1 route, and only /v1 routes", async () => {
    const server = await app({ apiKeys: ["k-one", "k-two"] });
    const none = await server.inject({ method: "POST", url: "/v1/estimate", payload: estimate });
    expect(none.statusCode).toBe(401);
    expect(none.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(none.json()).toMatchObject({ type: "/problems/unauthorized", status: 401 });
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="wattprint"');
    const wrong = await server.inject({
      method: "GET",
      url: "/v1/zones",
      headers: { authorization: "Bearer k-three" },
    });
    expect(wrong.json()).toMatchObject({
      type: "/problems/unauthorized",
      detail: expect.stringMatching(/not one this server accepts/),
    });
    const basic = await server.inject({
      method: "GET",
      url: "/v1/zones",
      headers: { authorization: "Basic k-one" },
    });
    expect(basic.statusCode).toBe(401);
    for (const key of ["k-one", "k-two"]) {
      const ok = await server.inject({
        method: "POST",
        url: "/v1/estimate",
        headers: { authorization: `Bearer ${key}` },
        payload: estimate,
      });
      expect(ok.statusCode).toBe(200);
    }
    expect((await server.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect((await server.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(200);
    expect((await server.inject({ method: "GET", url: "/" })).statusCode).toBe(200);
  });

  it("guard a /v1 route however its path is spelled", async () => {
    // The router decodes percent-escapes: these are the /v1 routes, and were let through when
    // the guard read the raw URL.
    const server = await app({ apiKeys: ["k"] });
    const spellings = [
      { method: "POST", url: "/%761/runs", payload: {} },
      { method: "POST", url: "/v%31/estimate", payload: estimate },
      { method: "GET", url: "/%761/projects" },
      { method: "GET", url: "/%76%31/zones?query=fr" },
    ] as const;
    for (const request of spellings) {
      const answer = await server.inject(request);
      expect({ url: request.url, status: answer.statusCode }).toEqual({
        url: request.url,
        status: 401,
      });
      expect(answer.json()).toMatchObject({ type: "/problems/unauthorized" });
    }
    const keyed = await server.inject({
      method: "POST",
      url: "/v%31/estimate",
      headers: { authorization: "Bearer k" },
      payload: estimate,
    });
    expect(keyed.statusCode).toBe(200);
    // No route, nothing read: a 404 whether or not a key came with it.
    expect((await server.inject({ method: "GET", url: "/v1/nothing-here" })).statusCode).toBe(404);
  });

  it("leave reads open with openReads, writes still guarded", async () => {
    const server = await app({ apiKeys: ["k"], openReads: true });
    expect((await server.inject({ method: "GET", url: "/v1/zones?query=fr" })).statusCode).toBe(
      200,
    );
    expect((await server.inject({ method: "GET", url: "/v1/runs" })).statusCode).toBe(200);
    expect(
      (await server.inject({ method: "POST", url: "/v1/estimate", payload: estimate })).statusCode,
    ).toBe(401);
  });

  it("are off when none is configured", async () => {
    const server = await app({});
    expect(
      (await server.inject({ method: "POST", url: "/v1/estimate", payload: estimate })).statusCode,
    ).toBe(200);
  });
});

describe("CORS", () => {
  it("answers the configured origins and no other", async () => {
    const server = await app({ corsOrigins: ["https://dash.example.org"] });
    const preflight = await server.inject({
      method: "OPTIONS",
      url: "/v1/estimate",
      headers: {
        origin: "https://dash.example.org",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("https://dash.example.org");
    const other = await server.inject({
      method: "GET",
      url: "/v1/zones",
      headers: { origin: "https://evil.example.com" },
    });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    // A page's script may read when to retry after a 429 and the rate limit's state.
    const allowed = await server.inject({
      method: "GET",
      url: "/v1/zones",
      headers: { origin: "https://dash.example.org" },
    });
    expect(allowed.headers["access-control-expose-headers"]?.toString().toLowerCase()).toBe(
      "retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset",
    );
    // The preflight's catch-all route does not make every unknown path a 405.
    const unknown = await server.inject({ method: "GET", url: "/v1/nothing" });
    expect(unknown.statusCode).toBe(404);
    const wrongMethod = await server.inject({ method: "DELETE", url: "/v1/estimate" });
    expect([wrongMethod.statusCode, wrongMethod.headers.allow]).toEqual([405, "POST"]);
  });

  it("sends no CORS headers by default", async () => {
    const server = await app({});
    const response = await server.inject({
      method: "GET",
      url: "/v1/zones",
      headers: { origin: "https://dash.example.org" },
    });
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("rate limit", () => {
  it("answers 429 with a problem past the limit, and leaves the probes alone", async () => {
    const server = await app({ rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await server.inject({ method: "GET", url: "/v1/zones?limit=1" })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await server.inject({ method: "GET", url: "/v1/zones?limit=1" });
    expect(limited.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ type: "/problems/rate-limited", status: 429 });
    expect(limited.headers["retry-after"]).toBeDefined();
    for (let i = 0; i < 5; i++) {
      expect((await server.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    }
  });

  it("behind a proxy, counts the address the proxy saw, not what the client wrote before it", async () => {
    // The proxy appends the address it was reached from; entries before it are the client's
    // own. Trusting every hop took the first: a new one each request dodged the limit.
    const server = await app({ rateLimitPerMinute: 2, trustProxy: true });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const forwarded = `10.9.8.${i}, 198.51.100.7`;
      const answer = await server.inject({
        method: "GET",
        url: "/v1/zones?limit=1",
        headers: { "x-forwarded-for": forwarded },
      });
      statuses.push(answer.statusCode);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
  });
});
