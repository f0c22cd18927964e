/**
 * The PGlite thread's code, run with `new Worker(text, { eval: true })`: text rather than a
 * module file, so the same code runs from the TypeScript sources (tests, tsx) and from dist,
 * with no loader in the thread. It opens PGlite (`workerData.pglite`, the package's CommonJS
 * entry as the main thread resolved it) and answers each message in order: `query`, `exec`
 * and `close`. Timestamps come back as PostgreSQL's text; the main thread reads them
 * (`parsePgTimestamp`), since a function cannot be sent to a thread.
 */
export const PGLITE_WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { PGlite } = require(workerData.pglite);
const text = (value) => value;
// PostgreSQL's type ids of timestamptz (1184) and timestamp (1114).
const parsers = { 1184: text, 1114: text };
const describe = (error) => (error instanceof Error ? error.message : String(error));
(async () => {
  let db;
  try {
    db = workerData.dataDir === null
      ? await PGlite.create({ parsers })
      : await PGlite.create(workerData.dataDir, { parsers });
  } catch (error) {
    parentPort.postMessage({ id: 0, error: describe(error) });
    return;
  }
  parentPort.postMessage({ id: 0 });
  let done = Promise.resolve();
  parentPort.on("message", (m) => {
    done = done.then(async () => {
      try {
        if (m.op === "query") {
          const result = await db.query(m.sql, m.params);
          const timestamps = result.fields
            .filter((f) => f.dataTypeID === 1184 || f.dataTypeID === 1114)
            .map((f) => f.name);
          parentPort.postMessage({ id: m.id, rows: result.rows, timestamps });
        } else if (m.op === "exec") {
          await db.exec(m.sql);
          parentPort.postMessage({ id: m.id });
        } else {
          await db.close();
          parentPort.postMessage({ id: m.id });
          parentPort.close();
        }
      } catch (error) {
        parentPort.postMessage({ id: m.id, error: describe(error) });
      }
    });
  });
})();
`;
