import { createRequire } from "node:module";

/**
 * Node ends a process by waiting for every thread it started, its worker threads and its
 * thread pool alike: `process.exit()` and a natural exit both join them (checked on Node 20
 * with a worker and with koffi's thread-pool calls; `terminate()` and `unref()` change
 * nothing). A thread inside a native call that never returns, an NVML call on a GPU whose
 * driver hung or a read of a hung sensor, therefore keeps the process from ending for ever,
 * after this package has long given up on the call.
 *
 * So while such a call is still out, this module ends the process itself at its `exit`
 * event: it runs the `exit` listeners registered after its own, then calls libc's `_exit`
 * with the exit code, which waits for no thread. What ran before `exit` (the program's own
 * work, its `exit` listeners) is untouched; standard output and error are already written,
 * as Node writes them synchronously to files, pipes and terminals on Linux and macOS.
 * Where `_exit` cannot be reached (Windows, or koffi failing to load), the process is killed
 * instead, which ends it with that platform's kill status rather than the exit code.
 *
 * Only the main thread ends the process: in a worker thread, `exit` ends that worker, not the
 * process, and a hung call there is its owner's to deal with.
 */

let outstanding = 0;
let ever = 0;
let listening = false;

export interface HungCallStats {
  /** Native calls given up on that have not returned yet. */
  readonly outstanding: number;
  /** Native calls given up on since the process began. */
  readonly ever: number;
}

export function hungCallStats(): HungCallStats {
  return { outstanding, ever };
}

/**
 * Records a native call given up on while it still runs. Returns the function to call when it
 * does return (it may never): once none is out, the process exits as Node ends it.
 */
export function hungCallBegan(): () => void {
  outstanding++;
  ever++;
  if (!listening && onMainThread()) {
    listening = true;
    process.on("exit", endPastHungCalls);
  }
  let returned = false;
  return () => {
    if (returned) return;
    returned = true;
    outstanding--;
  };
}

function onMainThread(): boolean {
  // Loaded here, not at import: `node:worker_threads` costs milliseconds to load, and this
  // runs only once a call has hung.
  const threads: typeof import("node:worker_threads") = createRequire(import.meta.url)(
    "node:worker_threads",
  );
  return threads.isMainThread;
}

function endPastHungCalls(code: number): void {
  if (outstanding === 0) return;
  const listeners = process.listeners("exit");
  const later = listeners.slice(listeners.indexOf(endPastHungCalls) + 1);
  try {
    for (const listener of later) listener.call(process, code);
  } finally {
    // A later listener may have set the code, as it may on any exit.
    hardExit(typeof process.exitCode === "number" ? process.exitCode : code);
  }
}

function hardExit(code: number): void {
  if (process.platform === "linux" || process.platform === "darwin") {
    try {
      const koffi: typeof import("koffi") = createRequire(import.meta.url)("koffi");
      // The process's own symbols: libc is always among them.
      const exitNow = koffi.load(null).func("void _exit(int)");
      exitNow(code);
    } catch {
      // Fall through to the kill below.
    }
  }
  process.kill(process.pid, "SIGKILL");
}
