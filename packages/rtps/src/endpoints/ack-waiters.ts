/**
 * Promises waiting on a writer's acknowledgements: "everything acknowledged"
 * (`wait_for_acknowledgments`) and "some progress" (a full KEEP_ALL history may
 * have room again). Each waiter owns its timeout, cleared when it resolves.
 */
export class AckWaiters {
  private all: Array<() => void> = [];
  private progress: Array<() => void> = [];

  constructor(private readonly allAcknowledged: () => boolean) {}

  untilAllAcknowledged(timeoutMs: number): Promise<boolean> {
    if (this.allAcknowledged()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.all = this.all.filter((w) => w !== done);
        resolve(this.allAcknowledged());
      }, timeoutMs);
      this.all.push(done);
    });
  }

  untilProgress(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.progress = this.progress.filter((w) => w !== done);
        resolve();
      }, timeoutMs);
      this.progress.push(done);
    });
  }

  /** Called after every acknowledgement or unmatch: cheap, it walks no reader. */
  notifyProgress(): void {
    if (this.progress.length === 0) return;
    const progress = this.progress;
    this.progress = [];
    for (const w of progress) w();
  }

  /**
   * Resolves the "everything acknowledged" waiters if it is so. `allAcknowledged` walks every
   * reader: the writer calls this once a turn, not per acknowledgement.
   */
  notifyAll(): void {
    if (this.all.length === 0 || !this.allAcknowledged()) return;
    const all = this.all;
    this.all = [];
    for (const w of all) w();
  }

  /** Releases every waiter (the writer is closing). */
  releaseAll(): void {
    const waiters = [...this.all, ...this.progress];
    this.all = [];
    this.progress = [];
    for (const w of waiters) w();
  }
}
