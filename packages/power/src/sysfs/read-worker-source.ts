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
 * Nothing here allocates per request on the sampling path (reads and readings); the calls
 * made once at detect (names, handles, MIG state) make their views of shared memory per call. Results are stored with
 * `Atomics.store`: a main thread that gives up on a hung round reads which requests finished.
 *
 * Layout constants are passed in `workerData` so that they are written once, in
 * `read-thread-layout.ts`.
 */
export const READ_WORKER_SOURCE = `
"use strict";
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { readSync } = require("node:fs");
const L = workerData.layout;
const control = new Int32Array(workerData.control);
const meta = new Int32Array(workerData.meta);
const data = Buffer.from(workerData.data);
const wordsView = new Uint32Array(workerData.data);
const port = workerData.port;
const libraries = [];
/** One two-word view per slot for a reading's output, made the first time the slot carries one. */
const outputs = [];

function bind(message) {
  // One entry per library path, in the order the main thread numbered them; null holds the
  // place of a library a hung call left unusable (never loaded again).
  if (message.library === null) {
    libraries.push(null);
    return;
  }
  let lib;
  try {
    lib = require(message.koffi).load(message.library);
  } catch (error) {
    libraries.push(null);
    return;
  }
  // Each function by its number; one the library lacks (an older driver) is null and answers -1.
  libraries.push(L.NVML.map(([symbol, args]) => {
    try {
      return lib.func(symbol, "int", PARAMETERS[args]);
    } catch (error) {
      return null;
    }
  }));
}

const A = L.ARGS;
const PARAMETERS = [];
PARAMETERS[A.HANDLE_OUT] = ["void *", "void *"];
PARAMETERS[A.NONE] = [];
PARAMETERS[A.OUT] = ["void *"];
PARAMETERS[A.INDEX_OUT] = ["uint", "void *"];
PARAMETERS[A.TEXT_OUT] = ["void *", "void *"];
PARAMETERS[A.HANDLE_TEXT] = ["void *", "void *", "uint"];
PARAMETERS[A.HANDLE_OUT_OUT] = ["void *", "void *", "void *"];
PARAMETERS[A.HANDLE_COUNT_RECORDS] = ["void *", "void *", "void *"];

/** Any call but a reading (at detect, at close, a process list): views made per call, which is rare. */
function callOnce(fn, args, handle, i, words) {
  const from = (i * L.SLOT_BYTES) / 4;
  switch (args) {
    case A.NONE:
      return fn();
    case A.OUT:
      return fn(wordsView.subarray(from, from + words));
    case A.INDEX_OUT:
      return fn(meta[i * L.META + L.HANDLE_LO] >>> 0, wordsView.subarray(from, from + 2));
    case A.TEXT_OUT:
      return fn(data.subarray(i * L.SLOT_BYTES + 8, i * L.SLOT_BYTES + words * 4), wordsView.subarray(from, from + 2));
    case A.HANDLE_TEXT:
      return fn(handle, data.subarray(i * L.SLOT_BYTES, i * L.SLOT_BYTES + words * 4), words * 4);
    case A.HANDLE_OUT_OUT:
      return fn(handle, wordsView.subarray(from, from + 1), wordsView.subarray(from + 1, from + 2));
    case A.HANDLE_COUNT_RECORDS:
      // The records run on through the slots of the rows after this one (spans).
      return fn(handle, wordsView.subarray(from, from + 1), data.subarray(i * L.SLOT_BYTES + 8, i * L.SLOT_BYTES + words * 4));
    default:
      return -1;
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
      const number = meta[at + L.FUNCTION];
      const fn = lib === undefined || lib === null ? null : lib[number];
      if (fn === null || fn === undefined) {
        Atomics.store(meta, at + L.RESULT, -1);
        continue;
      }
      const handle = (BigInt(meta[at + L.HANDLE_HI] >>> 0) << 32n) | BigInt(meta[at + L.HANDLE_LO] >>> 0);
      const args = L.NVML[number][1];
      try {
        if (args === A.HANDLE_OUT) {
          // The sampling path's shape: one view per slot, made the first time, then reused.
          const out = (i * L.SLOT_BYTES) / 4;
          if (outputs[i] === undefined) outputs[i] = wordsView.subarray(out, out + 2);
          Atomics.store(meta, at + L.RESULT, fn(handle, outputs[i]));
        } else Atomics.store(meta, at + L.RESULT, callOnce(fn, args, handle, i, meta[at + L.WORDS]));
      } catch (error) {
        Atomics.store(meta, at + L.RESULT, -1);
      }
    }
  }
  Atomics.store(control, L.DONE, seen);
  port.postMessage(0);
}
`;
