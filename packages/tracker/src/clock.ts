import type { TrackerClock } from "./options.ts";

/**
 * The real clock. Globals are looked up at each call, not captured at import, so a test's
 * fake timers (which replace them) drive the tracker and the power meter together.
 */
export const systemClock: TrackerClock = {
  now: () => new Date(),
  monotonicMs: () => globalThis.performance.now(),
  setInterval: (callback, ms) => {
    const handle = globalThis.setInterval(callback, ms);
    // A tracker never keeps the host process alive.
    if (typeof handle === "object" && handle !== null && "unref" in handle) handle.unref();
    return handle;
  },
  clearInterval: (handle) => globalThis.clearInterval(handle as NodeJS.Timeout),
};
