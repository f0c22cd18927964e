#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";

// Feedback from a function's first calls, not only after V8's call budget: code the warm-up
// runs a few times (a peer joining or leaving, a lost datagram) is then already known when
// the task path is optimised, instead of throwing that code away when a real peer first takes
// it. Set before the node's modules load, since V8 reads it as each function first runs.
setFlagsFromString("--no-lazy-feedback-allocation");

const { serve } = await import("./serve.ts");
try {
  process.exitCode = await serve();
} catch (error) {
  // A bug, not a setting (those exit 2 in one line): the stack goes with the request to report.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`wattprint-node: internal error, please report it:\n${detail}\n`);
  process.exitCode = 1;
}
