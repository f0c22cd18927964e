import { hungCallBegan } from "../hung-calls.ts";
import { type NvmlFunction, readThread } from "../sysfs/read-thread.ts";
import type { NvmlCallback } from "./bindings.ts";

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
