/**
 * The body of the read thread (see `read-thread.ts`), as JavaScript text run with
 * `new Worker(text, { eval: true })`. It is text, not a module file, so that the same code runs
 * from the TypeScript sources (tests, `tsx`) and from `dist` without a loader in the worker.
 *
 * The loop: sleep in `Atomics.wait` on the round counter; on a new round, take any control
 * messages (an NVML library to bind) with `receiveMessageOnPort`, run every request of the
 * round synchronously (a positional `readSync` into the shared data area, or an NVML call),
 * write each result into the shared table, publish the round as done and tell the main thread
 * with one small message.
 * Nothing here allocates per request on the success path. Results are stored with
 * `Atomics.store`: a main thread that gives up on a hung round reads which requests finished.
 *
 * Layout constants are passed in `workerData` so that they are written once, in `read-thread.ts`.
 */
export const READ_WORKER_SOURCE = `
"use strict";
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { readSync } = require("node:fs");
const L = workerData.layout;
const control = new Int32Array(workerData.control);
const meta = new Int32Array(workerData.meta);
const data = Buffer.from(workerData.data);
const words = new Uint32Array(workerData.data);
const port = workerData.port;
const libraries = [];
/** One two-word view per slot for NVML outputs, made the first time the slot carries a call. */
const outputs = [];

function bind(message) {
  // One entry per library path, in the order the main thread numbered them; null holds the
  // place of a library a hung call left unusable (never loaded again).
  if (message.library === null) {
    libraries.push(null);
    return;
  }
  try {
    const koffi = require(message.koffi);
    const lib = koffi.load(message.library);
    const f = (name) => lib.func(name, "int", ["void *", "void *"]);
    libraries.push([f("nvmlDeviceGetTotalEnergyConsumption"), f("nvmlDeviceGetPowerUsage"), f("nvmlDeviceGetUtilizationRates"), lib.func("nvmlInit_v2", "int", [])]);
  } catch (error) {
    libraries.push(null);
  }
}

let seen = 0;
for (;;) {
  Atomics.wait(control, L.GEN, seen);
  seen = Atomics.load(control, L.GEN);
  if (Atomics.load(control, L.STOP) === 1) break;
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) bind(m.message);
  const count = Atomics.load(control, L.COUNT);
  for (let i = 0; i < count; i++) {
    // Told to stop while a call hung (the main thread gave up on this round): read nothing more.
    if (Atomics.load(control, L.STOP) === 1) break;
    const at = i * L.META;
    const op = meta[at + L.OP];
    if (op === L.OP_PREAD) {
      try {
        Atomics.store(meta, at + L.RESULT, readSync(meta[at + L.FD], data, i * L.SLOT_BYTES, meta[at + L.LENGTH], meta[at + L.POSITION]));
      } catch (error) {
        const errno = error !== null && typeof error === "object" && typeof error.errno === "number" ? Math.abs(error.errno) : L.EIO;
        Atomics.store(meta, at + L.RESULT, -(errno === 0 ? L.EIO : errno));
      }
    } else if (op === L.OP_NVML) {
      const lib = libraries[meta[at + L.LIBRARY]];
      const fn = lib === undefined || lib === null ? undefined : lib[meta[at + L.FUNCTION]];
      if (fn === undefined) {
        Atomics.store(meta, at + L.RESULT, -1);
        continue;
      }
      const handle = (BigInt(meta[at + L.HANDLE_HI] >>> 0) << 32n) | BigInt(meta[at + L.HANDLE_LO] >>> 0);
      const out = (i * L.SLOT_BYTES) / 4;
      if (outputs[i] === undefined) outputs[i] = words.subarray(out, out + 2);
      words[out] = 0;
      words[out + 1] = 0;
      try {
        Atomics.store(meta, at + L.RESULT, meta[at + L.FUNCTION] === L.FN_INIT ? fn() : fn(handle, outputs[i]));
      } catch (error) {
        Atomics.store(meta, at + L.RESULT, -1);
      }
    }
  }
  Atomics.store(control, L.DONE, seen);
  port.postMessage(0);
}
`;
