/**
 * `settle`, shared by `measure()` and `task(name, work)`: runs the caller's work and then ends
 * the measurement whichever way the work went. Generic in what the work is given, so that it
 * needs nothing of the tracker (which imports it).
 */

/**
 * Runs `work`, then `finish` whether it succeeded or not; a rejection of `work` is passed on
 * after `finish` (whose own failure then stays second).
 */
export async function settle<T, R, H>(
  work: Promise<T> | ((host: H) => T | Promise<T>),
  host: H,
  finish: () => Promise<R>,
): Promise<{ value: T; after: R }> {
  let value: T;
  try {
    value = typeof work === "function" ? await work(host) : await work;
  } catch (error) {
    await finish().catch(() => {});
    throw error;
  }
  return { value, after: await finish() };
}
