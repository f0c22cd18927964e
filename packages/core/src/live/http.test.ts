import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type FakeServer, sendJson, startFakeServer } from "./fake-server.test-support.ts";
import { getJson, MAX_RESPONSE_BYTES } from "./http.ts";

const schema = z.object({ value: z.number() });
const fast = { backoffMs: 1, timeoutMs: 2_000, maxAttempts: 3 } as const;
let server: FakeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const get = (options: Parameters<typeof getJson>[2] = fast, signal?: AbortSignal) => {
  if (server === undefined) throw new Error("start the fake first");
  return getJson({ providerId: "test", url: `${server.baseUrl}/x`, signal }, schema, options);
};

describe("getJson against a local HTTP server", () => {
  it("returns the checked body", async () => {
    server = await startFakeServer((_q, r) => sendJson(r, 200, { value: 7 }));
    expect(await get()).toEqual({ ok: true, value: { value: 7 } });
  });

  it("retries a 500 and then succeeds", async () => {
    server = await startFakeServer((_q, r, n) =>
      n === 1 ? sendJson(r, 500, { error: "boom" }) : sendJson(r, 200, { value: 1 }),
    );
    expect((await get()).ok).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up after maxAttempts on repeated 5xx", async () => {
    server = await startFakeServer((_q, r) => sendJson(r, 503, {}));
    const result = await get();
    expect(!result.ok && result.error).toMatchObject({ kind: "http", status: 503, attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  it("leaves no listener on the caller's signal after retried failures", async () => {
    // The tracker passes one signal for a whole run: each retry's wait left a listener on it.
    server = await startFakeServer((_q, r) => sendJson(r, 503, {}));
    const run = new AbortController();
    for (let i = 0; i < 12; i++) expect((await get(fast, run.signal)).ok).toBe(false);
    expect(server.requests).toHaveLength(36);
    expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
  });

  it("does not retry a 401", async () => {
    server = await startFakeServer((_q, r) => sendJson(r, 401, { message: "bad token" }));
    const result = await get();
    expect(!result.ok && result.error).toMatchObject({ kind: "http", status: 401, attempts: 1 });
    expect(!result.ok && result.error.message).toMatch(
      /^live provider test failed: HTTP 401 after 1 attempt\(s\): .*bad token.* \(check the API key\)$/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it("aborts within timeoutMs when the server never answers, without retrying", async () => {
    server = await startFakeServer(() => {});
    const started = performance.now();
    const result = await get({ ...fast, timeoutMs: 150 });
    const elapsed = performance.now() - started;
    expect(!result.ok && result.error).toEqual({
      kind: "timeout",
      message: "live provider test failed: no answer within 150 ms",
      providerId: "test",
      timeoutMs: 150,
    });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1_500);
    expect(server.requests).toHaveLength(1);
  });

  it("reports a wrong shape and a non-JSON body as bad-response", async () => {
    server = await startFakeServer((_q, r, n) =>
      n === 1 ? sendJson(r, 200, { value: "7" }) : r.end("<html>maintenance</html>"),
    );
    const shape = await get();
    expect(!shape.ok && shape.error.kind).toBe("bad-response");
    // The field is named, in one line: never a raw ZodError.
    expect(!shape.ok && shape.error.message).toMatch(
      /^live provider test failed: unexpected response: value: [^\n]+$/,
    );
    const html = await get();
    expect(!html.ok && html.error).toMatchObject({ kind: "bad-response" });
    expect(!html.ok && html.error.kind === "bad-response" && html.error.message).toMatch(
      /not JSON/,
    );
  });

  it("refuses a body past MAX_RESPONSE_BYTES, declared or streamed, without buffering it", async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    server = await startFakeServer((_q, r, n) => {
      if (n === 1) {
        // Declared too large: refused before a byte of the body is read.
        r.writeHead(200, { "content-length": String(MAX_RESPONSE_BYTES + 1) });
        r.write("{");
        return;
      }
      // No length, a stream without end: refused once the cap is passed, the rest cancelled.
      r.writeHead(200, { "content-type": "application/json" });
      const more = (): void => {
        while (!r.destroyed && written < 64 * MAX_RESPONSE_BYTES) {
          written += chunk.length;
          if (!r.write(chunk)) {
            r.once("drain", more);
            return;
          }
        }
      };
      more();
    });
    for (let i = 0; i < 2; i++) {
      const result = await get();
      expect(!result.ok && result.error).toMatchObject({
        kind: "bad-response",
        message: `live provider test failed: unexpected response: the body is larger than ${MAX_RESPONSE_BYTES} bytes`,
      });
    }
    expect(server.requests).toHaveLength(2);
    expect(written).toBeLessThan(16 * MAX_RESPONSE_BYTES);
  });

  it("reads a body just under the cap", async () => {
    const padding = " ".repeat(MAX_RESPONSE_BYTES - 20);
    server = await startFakeServer((_q, r) => r.end(`{"value":5}${padding}`));
    expect(await get()).toEqual({ ok: true, value: { value: 5 } });
  });

  it("retries network failures and reports them", async () => {
    server = await startFakeServer(() => {});
    const { baseUrl } = server;
    await server.close();
    server = undefined;
    const result = await getJson({ providerId: "test", url: `${baseUrl}/x` }, schema, fast);
    expect(!result.ok && result.error).toMatchObject({ kind: "network", attempts: 3 });
    // The system error under Node's bare "fetch failed": here nothing listens on the port.
    expect(!result.ok && result.error.message).toMatch(/fetch failed \(connect ECONNREFUSED /);
  });

  it("uses the injected fetch", async () => {
    server = await startFakeServer((_q, r) => sendJson(r, 200, { value: 3 }));
    const calls: string[] = [];
    const spy: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    expect((await get({ ...fast, fetch: spy })).ok).toBe(true);
    expect(calls).toEqual([`${server.baseUrl}/x`]);
  });

  it("stops when the caller aborts", async () => {
    server = await startFakeServer(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await get({ ...fast, timeoutMs: 5_000 }, controller.signal);
    expect(!result.ok && result.error.kind).toBe("aborted");
  });
});
