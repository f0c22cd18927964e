#!/usr/bin/env node
// Only this module is imported statically: the V8 flag must be set before the node's code loads.
import { setWarmUpV8Flags } from "@wattprint/node/v8-flags";

setWarmUpV8Flags();

const { serve } = await import("./serve.ts");
const { processIo } = await import("./io.ts");
try {
  process.exitCode = await serve(process.argv.slice(2), processIo());
} catch (error) {
  // A bug, not a setting (those exit 2 in one line): the stack goes with the request to report.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`wattprint-node: internal error, please report it:\n${detail}\n`);
  process.exitCode = 1;
}
