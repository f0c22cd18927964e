#!/usr/bin/env node
// Only this module is imported statically: the V8 flag must be set before the node's code loads.
import { setWarmUpV8Flags } from "@wattprint/node/v8-flags";

setWarmUpV8Flags();

const { serve } = await import("./serve.ts");
process.exitCode = await serve();
