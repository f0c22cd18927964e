/**
 * The tracker's own bound on a call it awaits from an intensity provider. A provider is a
 * port: the built-in ones time out on their own, but one passed as `intensityProvider` may
 * not (an HTTP client on a half-open socket), and a `current()` or `forecast()` that never
 * settled left `epochEnd()` and `stop()` waiting for ever, with the training loop behind them.
 */
import { err, ok, type Result } from "@wattprint/result";
import type { TrackerClock } from "./options.ts";

/**
 * How long the tracker waits for one `current()` or `forecast()` of a provider. Above the
 * built-in providers' own worst case (3 attempts of at most 5 s each, with 0.75 s of waits
 * between them: about 16 s), so that it only ever cuts a provider that hung.
 */
export const INTENSITY_CALL_DEADLINE_MS = 30_000;

/** The deadline passed before the call settled; the call's signal was aborted. */
export interface DeadlinePassed {
  readonly kind: "deadline";
  readonly deadlineMs: number;
}

/** The timers a deadline is kept with: the tracker's clock, so that tests' clocks drive it. */
export type DeadlineTimers = Pick<TrackerClock, "setInterval" | "clearInterval">;

/**
 * Runs `call` with a signal of its own and waits for it at most `deadlineMs`. The signal is
 * aborted when the deadline passes (the provider may then release what it holds) and when
 * `stopped` is; a call that answers later is ignored. A call that throws or rejects rejects
 * this as well: what a failure means is the caller's to say.
 */
export function callWithDeadline<T>(
  call: (signal: AbortSignal) => Promise<T>,
  deadlineMs: number,
  timers: DeadlineTimers,
  stopped: AbortSignal,
): Promise<Result<T, DeadlinePassed>> {
  const own = new AbortController();
  const forward = (): void => own.abort(stopped.reason);
  if (stopped.aborted) own.abort(stopped.reason);
  else stopped.addEventListener("abort", forward, { once: true });
  let work: Promise<T>;
  try {
    work = call(own.signal);
  } catch (error) {
    work = Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    // A repeating timer cleared at its first call: the tracker's clock has no one-shot timer.
    const timer = timers.setInterval(() => {
      if (!finish()) return;
      own.abort(new DOMException(`no answer within ${deadlineMs} ms`, "TimeoutError"));
      resolve(err({ kind: "deadline", deadlineMs }));
    }, deadlineMs);
    function finish(): boolean {
      if (settled) return false;
      settled = true;
      timers.clearInterval(timer);
      stopped.removeEventListener("abort", forward);
      return true;
    }
    Promise.resolve(work).then(
      (value) => {
        if (finish()) resolve(ok(value));
      },
      (error: unknown) => {
        if (finish()) reject(error);
      },
    );
  });
}
