// The servers the HTTP bench loads, in a process of their own so that autocannon (in the
// parent) does not share their event loop. Prints one JSON line of URLs, then serves until
// killed.
import { estimateFootprint } from "@wattprint/core";
import Fastify from "fastify";
import { buildApp, DEFAULT_APP_SETTINGS } from "../src/app.ts";
import { openRunStore } from "../src/store/open-store.ts";
import { ESTIMATE_REQUEST } from "./bodies.ts";

// The estimate's answer to the bench's body, computed once: a bare handler that sends it
// pays for the same response bytes as the route, and none of the route's work.
const report = await estimateFootprint(ESTIMATE_REQUEST);
if (!report.ok) throw new Error(report.error.message);
const constantReport = report.value;

const bare = Fastify();
bare.post("/", async () => ({ ok: true }));
bare.post("/report", async () => constantReport);
const bareUrl = await bare.listen({ host: "127.0.0.1", port: 0 });

const pglite = await openRunStore({});
if (!pglite.ok) throw new Error(pglite.error.message);
const { app } = await buildApp(pglite.value.store, DEFAULT_APP_SETTINGS);
const appUrl = await app.listen({ host: "127.0.0.1", port: 0 });
// The same app as wattprint-server runs it by default: a JSON log line as each request comes
// and goes (pino), written here to nowhere so that the figure is the server's, not a pipe's.
const logged = await buildApp(pglite.value.store, {
  ...DEFAULT_APP_SETTINGS,
  logLevel: "info",
  logWrite: () => {},
});
const loggedUrl = await logged.app.listen({ host: "127.0.0.1", port: 0 });

let postgresUrl: string | undefined;
const databaseUrl = process.env.BENCH_DATABASE_URL;
if (databaseUrl !== undefined) {
  const postgres = await openRunStore({ databaseUrl });
  if (!postgres.ok) throw new Error(postgres.error.message);
  const built = await buildApp(postgres.value.store, DEFAULT_APP_SETTINGS);
  postgresUrl = await built.app.listen({ host: "127.0.0.1", port: 0 });
}
process.stdout.write(`${JSON.stringify({ bareUrl, appUrl, loggedUrl, postgresUrl })}\n`);
