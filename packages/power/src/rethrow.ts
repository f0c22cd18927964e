/**
 * Throws `error` again on a microtask: for a caller's callback that threw while a round was
 * handing out its results. Caught there so that the other callbacks still run and the round
 * ends; thrown again so that the bug still surfaces as the uncaught exception it would have been.
 */
export function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
