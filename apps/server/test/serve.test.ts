import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerIo } from "../src/io.ts";
import { parseServerOptions } from "../src/options.ts";
import { serve } from "../src/serve.ts";
import { MIGRATIONS } from "../src/store/migrations.ts";
import { runResult } from "./support/runs.test-support.ts";

interface Harness {
  readonly io: ServerIo;
  readonly stderr: string[];
  readonly stdout: string[];
  readonly listening: Promise<string>;
  stop(signal: "SIGINT" | "SIGTERM"): void;
}

function harness(env: Record<string, string> = {}): Harness {
  const stderr: string[] = [];
  const stdout: string[] = [];
  let stopper: ((signal: "SIGINT" | "SIGTERM") => void) | undefined;
  let resolveUrl: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => {
    resolveUrl = resolve;
  });
  return {
    io: {
      stdout: (text) => stdout.push(text),
      stderr: (text) => stderr.push(text),
      env,
      onStopSignal: (stop) => {
        stopper = stop;
      },
      onListening: (url) => resolveUrl(url),
    },
    stderr,
    stdout,
    listening,
    stop: (signal) => stopper?.(signal),
  };
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "wattprint-serve-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("wattprint-server usage", () => {
  it.each([
    [["--port", "http"], {}, /--port expects an integer 0\.\.65535, got "http"/],
    [["--rate-limit", "1.5"], {}, /--rate-limit expects an integer 0\.\.10000000, got "1\.5"/],
    [[], { WATTPRINT_PORT: "99999" }, /WATTPRINT_PORT expects an integer 0\.\.65535/],
    [
      [],
      { DATABASE_URL: "mysql://db/wattprint" },
      /DATABASE_URL expects a postgres:\/\/ or postgresql:\/\/ URL/,
    ],
    [["--database-url", "mysql://me:secret@db/x"], {}, /got "mysql:\/\/me:\*\*\*@db\/x"/],
    [
      ["--cors-origin", "example.org"],
      {},
      /--cors-origin expects origins such as https:\/\/example\.org/,
    ],
    // Origins no browser sends never match (the comparison is exact): refused, naming the form to write.
    [
      ["--cors-origin", "https://Good.Example"],
      {},
      /--cors-origin: "https:\/\/Good\.Example" is not an origin .*; write "https:\/\/good\.example"/,
    ],
    [
      ["--cors-origin", "https://a.example,https://b.example:443"],
      {},
      /--cors-origin: "https:\/\/b\.example:443" is not an origin .*; write "https:\/\/b\.example"/,
    ],
    [
      [],
      { WATTPRINT_CORS_ORIGIN: "http://user@c.example:8080" },
      /WATTPRINT_CORS_ORIGIN: "http:\/\/user@c\.example:8080" is not an origin .*; write "http:\/\/c\.example:8080"/,
    ],
    [
      ["--cors-origin", "https://d.example:99999"],
      {},
      /--cors-origin expects origins such as https:\/\/example\.org \(no path\), got "https:\/\/d\.example:99999", which is not a URL/,
    ],
    [
      ["--api-keys-file", "/nonexistent/keys"],
      {},
      /--api-keys-file: cannot read \/nonexistent\/keys/,
    ],
    [
      ["--log-level", "loud"],
      {},
      /--log-level expects debug, info, warn, error, silent, got "loud"/,
    ],
    [["serve"], {}, /unexpected argument "serve"/],
    // Below a millisecond: Node reads a 0 ms timeout as none, and Fastify stopped at start.
    [
      ["--request-timeout", "0.0001"],
      {},
      /--request-timeout expects a number 0\.001\.\.3600 \(seconds\), got "0\.0001"/,
    ],
  ] as const)("%j %j exits 2 naming the setting", async (argv, env, message) => {
    const h = harness(env);
    expect(await serve(argv, h.io)).toBe(2);
    const text = h.stderr.join("");
    expect(text).toMatch(message);
    expect(text).toMatch(/^wattprint-server: .* \(see --help\)\n$/);
    expect(text).not.toMatch(/secret/);
  });

  it("--cors-origin keeps origins written as browsers send them", () => {
    const options = parseServerOptions(
      ["--cors-origin", "https://a.example, http://localhost:5173,https://[::1]:8443"],
      {},
    );
    expect(options).toMatchObject({
      corsOrigins: ["https://a.example", "http://localhost:5173", "https://[::1]:8443"],
    });
  });

  it("--help prints the flags and exits 0", async () => {
    const h = harness();
    expect(await serve(["--help"], h.io)).toBe(0);
    expect(h.stdout.join("")).toMatch(/--data-dir DIR/);
  });

  it("--version prints the package's version and exits 0", async () => {
    const h = harness();
    expect(await serve(["--version"], h.io)).toBe(0);
    expect(h.stdout.join("")).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it.runIf(process.platform === "linux")(
    "stops with exit 1 and the system's reason when the data folder cannot be made",
    async () => {
      // Under /proc, Node's recursive mkdir never returns: the server used to hang there,
      // deaf to SIGTERM, with a thread at 100% CPU.
      const h = harness();
      expect(await serve(["--port", "0", "--data-dir", "/proc/wattprint-test/data"], h.io)).toBe(1);
      expect(h.stderr.join("")).toMatch(
        /cannot open PGlite in \/proc\/wattprint-test\/data: ENOENT/,
      );
    },
  );

  it("refuses a keys file that never ends, without reading it all", async () => {
    const h = harness();
    expect(await serve(["--api-keys-file", "/dev/zero"], h.io)).toBe(2);
    expect(h.stderr.join("")).toMatch(/\/dev\/zero holds more than 1048576 bytes/);
  });

  it.each([
    ["a space inside a key", "good-key\nbad key\n", /the key on line 2 of .* holds a space/],
    ["a tab inside a key", "# keys\n\nbad\tkey\n", /the key on line 3 of .* holds a space/],
    ["a key outside ASCII", "clé-secrète\n", /the key on line 1 of .* outside ASCII/],
  ])(
    "refuses a keys file with %s, naming the line, never the key",
    async (_what, text, message) => {
      // Such a key was loaded and then matched no request: every client was refused.
      const file = join(dataDir, "odd-keys");
      await writeFile(file, text);
      const h = harness();
      expect(await serve(["--api-keys-file", file], h.io)).toBe(2);
      expect(h.stderr.join("")).toMatch(message);
      expect(h.stderr.join("")).not.toMatch(/bad|clé/);
    },
  );

  it("refuses an inline key that no Authorization header can carry", async () => {
    const h = harness({ WATTPRINT_API_KEYS: "fine,not fine" });
    expect(await serve([], h.io)).toBe(2);
    expect(h.stderr.join("")).toMatch(/WATTPRINT_API_KEYS: key 2 holds a space/);
  });

  it("refuses an empty keys file", async () => {
    const file = join(dataDir, "empty-keys");
    await writeFile(file, "# no keys yet\n\n");
    const h = harness();
    expect(await serve(["--api-keys-file", file], h.io)).toBe(2);
    expect(h.stderr.join("")).toMatch(/holds no key/);
  });
});

/** Polls /readyz until 200; until then it must be the store-unavailable problem. */
async function waitReady(url: string): Promise<void> {
  for (;;) {
    const response = await fetch(`${url}/readyz`);
    if (response.status === 200) return;
    expect(response.status).toBe(503);
    expect(((await response.json()) as { type: string }).type).toBe("/problems/store-unavailable");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A POST whose body is sent in two halves, the second when `finish` is called. */
function slowPost(url: string, path: string, body: string) {
  const half = Math.floor(body.length / 2);
  let finish: () => void = () => {};
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.write(body.slice(0, half));
    finish = () => req.end(body.slice(half));
  });
  return { response, finish: () => finish() };
}

describe("wattprint-server on PGlite in --data-dir", () => {
  it("serves, finishes a request in flight on SIGTERM, closes the database, and keeps the runs for the next start", async () => {
    const first = harness();
    const served = serve(["--port", "0", "--data-dir", dataDir, "--log-level", "info"], first.io);
    const url = await first.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // Listening before the store is open: estimates work, /readyz says when runs can be taken.
    await waitReady(url);

    const stored = await fetch(`${url}/v1/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ project: "kept", result: runResult("2026-05-01T00:00:00Z", 1, 2, 3) }),
    });
    expect(stored.status).toBe(201);
    const { id } = (await stored.json()) as { id: string };

    const inFlight = slowPost(
      url,
      "/v1/estimate",
      JSON.stringify({ hardware: [{ watts: 50 }], duration: "2h" }),
    );
    // The request has reached the server (its headers at least) before the signal.
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.stop("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    inFlight.finish();
    const answer = await inFlight.response;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).energy).toEqual({ value: 0.1 * 1.56, unit: "kWh" });
    expect(await served).toBe(0);

    const logs = first.stderr
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const messages = logs.map((line) => line.msg);
    expect(messages).toEqual(
      expect.arrayContaining(["listening", "stopping: finishing requests in flight", "stopped"]),
    );
    expect(logs.find((line) => line.msg === "run store ready")).toMatchObject({
      migrated: MIGRATIONS.map((m) => m.version),
      store: `pglite:${dataDir}`,
    });

    const second = harness();
    const again = serve(["--port", "0", "--data-dir", dataDir, "--log-level", "info"], second.io);
    const url2 = await second.listening;
    await waitReady(url2);
    const run = (await (await fetch(`${url2}/v1/runs/${id}`)).json()) as { project: string };
    expect(run.project).toBe("kept");
    const ready = second.stderr
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l.msg === "run store ready");
    expect(ready).toMatchObject({ migrated: [] });
    second.stop("SIGINT");
    expect(await again).toBe(0);
  }, 240_000);
});

describe("wattprint-server --request-timeout in fractions of a second", () => {
  it("counts whole milliseconds: 2.0001 starts the server and a stalled body is a 408", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wattprint-timeout-"));
    try {
      const h = harness();
      const served = serve(
        ["--port", "0", "--data-dir", dir, "--log-level", "silent", "--request-timeout", "2.0001"],
        h.io,
      );
      // Before the fix the server stopped at start (exit 1): fail then, rather than wait.
      const url = await Promise.race([
        h.listening,
        served.then((code): never => {
          throw new Error(`exited ${code}: ${h.stderr.join("")}`);
        }),
      ]);
      await waitReady(url);
      const stalled = slowPost(url, "/v1/estimate", JSON.stringify({ hardware: [{ watts: 5 }] }));
      const answer = await stalled.response;
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.body).type).toBe("/problems/request-timeout");
      h.stop("SIGTERM");
      expect(await served).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("wattprint-server stopping with a keep-alive client", () => {
  it("answers a request in flight with Connection: close and returns without waiting for keep-alive", async () => {
    const h = harness();
    const served = serve(
      ["--port", "0", "--data-dir", join(dataDir, "keep-alive"), "--log-level", "info"],
      h.io,
    );
    const url = await h.listening;
    await waitReady(url);
    const agent = new Agent({ keepAlive: true });
    const body = JSON.stringify({ hardware: [{ watts: 50 }], duration: "2h" });
    let finish: () => void = () => {};
    let socketClosed: Promise<void> = Promise.resolve();
    const answer = new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const req = request(`${url}/v1/estimate`, {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": body.length },
        });
        req.on("socket", (socket) => {
          socketClosed = new Promise((closed) => socket.once("close", () => closed()));
        });
        req.on("response", (res) => {
          res.resume();
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }),
          );
        });
        req.on("error", reject);
        req.write(body.slice(0, 10));
        finish = () => req.end(body.slice(10));
      },
    );
    // The request has reached the server before the signal; its body ends after it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    h.stop("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    finish();
    try {
      expect(await answer).toEqual({ status: 200, connection: "close" });
      // Before the fix the server kept this connection for keepAliveTimeout (65 s), past the
      // test's timeout, and serve() did not return until it lapsed.
      await socketClosed;
      expect(await served).toBe(0);
    } finally {
      agent.destroy();
    }
  }, 40_000);
});

describe("wattprint-server on a --data-dir another server holds", () => {
  it("refuses to start (exit 1), naming the folder and the holder's pid, and leaves the first serving", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wattprint-serve-lock-"));
    try {
      const first = harness();
      const served = serve(["--port", "0", "--data-dir", dir, "--log-level", "warn"], first.io);
      const url = await first.listening;
      await waitReady(url);

      const second = harness();
      const refused = serve(["--port", "0", "--data-dir", dir, "--log-level", "warn"], second.io);
      expect(await refused).toBe(1);
      const reasons = second.stderr
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.msg === "cannot open the run store")
        .map((line) => String(line.reason));
      expect(reasons).toEqual([
        expect.stringContaining(`${dir} is in use by another wattprint-server (pid ${process.pid}`),
      ]);

      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      first.stop("SIGTERM");
      expect(await served).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
