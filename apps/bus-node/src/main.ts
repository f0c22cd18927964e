#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";

// Feedback from a function's first calls, not only after V8's call budget: code the warm-up
// runs a few times (a peer joining or leaving, a lost datagram) is then already known when
// the task path is optimised, instead of throwing that code away when a real peer first takes
// it. Set before the node's modules load, since V8 reads it as each function first runs.
setFlagsFromString("--no-lazy-feedback-allocation");

const { serve } = await import("./serve.ts");
process.exitCode = await serve();
