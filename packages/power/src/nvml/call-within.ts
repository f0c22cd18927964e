import { hungCallBegan } from "../hung-calls.ts";
import { readThread } from "../sysfs/read-thread.ts";
import { NVML_CALL_TIMED_OUT, type NvmlFunction } from "../sysfs/read-thread-layout.ts";
import type { NvmlCallback } from "./bindings.ts";
import { handleHalves } from "./gpu.ts";

/**
 * One NVML call on koffi's thread pool, given `ms` to return. Past that the caller hears
 * "timed-out" at once, and the call counts as hung (`hung-calls.ts`) until it returns, if it
 * ever does; `late` then gets its code (an init that succeeded late must be shut down again).
 */
export function callWithin(
  ms: number,
  start: (done: NvmlCallback) => void,
  late?: (code: number) => void,
): Promise<number | "timed-out"> {
  return new Promise((resolve) => {
    let returned: (() => void) | null = null;
    const timer = setTimeout(() => {
      returned = hungCallBegan();
      resolve("timed-out");
    }, ms);
    start((_error, code) => {
      clearTimeout(timer);
      const result = typeof code === "number" ? code : -1;
      if (returned === null) resolve(result);
      else {
        returned();
        late?.(result);
      }
    });
  });
}

/** One NVML call on the read thread, outside the sampling path: its code, when it answers. */
export function callOnThread(
  library: number,
  fn: NvmlFunction,
  handleLo: number,
  handleHi: number,
  out: Uint32Array,
  deadlineMs?: number,
): Promise<number> {
  return new Promise((resolve) =>
    readThread.call(
      library,
      fn,
      handleLo,
      handleHi,
      out,
      (_error, code) => resolve(code),
      deadlineMs,
    ),
  );
}

/**
 * One NVML call off the event loop, held to a deadline: on the read thread where the reader
 * holds it (`library`, its number there, or -1), else on koffi's thread pool through
 * `onPool`. A thread that dies while the call is out hands it to the pool, so only calls that
 * may be made twice come here (queries, not `nvmlInit_v2` or `nvmlShutdown`). "timed-out"
 * when it outlived the deadline, or its library hung before.
 */
export async function callOffLoop(
  library: number,
  fn: NvmlFunction,
  handle: bigint,
  out: Uint32Array,
  onPool: (done: NvmlCallback) => void,
  deadlineMs = readThread.roundDeadlineMs,
): Promise<number | "timed-out"> {
  if (library >= 0 && readThread.usable) {
    const { handleLo, handleHi } = handleHalves(handle);
    const code = await callOnThread(library, fn, handleLo, handleHi, out);
    if (code === NVML_CALL_TIMED_OUT) return "timed-out";
    // -1 with the thread gone (it died): the pool takes the call.
    if (code !== -1 || readThread.usable) return code;
  }
  return callWithin(deadlineMs, onPool);
}
