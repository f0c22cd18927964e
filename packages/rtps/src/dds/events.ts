/** A minimal typed event emitter; a throwing listener never breaks the protocol loop. */
export class Emitter<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Events[K]): void {
    this.listeners.get(event)?.delete(listener);
  }

  /** Resolves with the first emission's arguments, or undefined after `timeoutMs`. */
  once<K extends keyof Events>(
    event: K,
    timeoutMs: number,
  ): Promise<Parameters<Events[K]> | undefined> {
    return new Promise((resolve) => {
      const listener = ((...args: Parameters<Events[K]>) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(args);
      }) as unknown as Events[K];
      const unsubscribe = this.on(event, listener);
      const timer = setTimeout(() => {
        unsubscribe();
        resolve(undefined);
      }, timeoutMs);
    });
  }

  protected emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as (...a: Parameters<Events[K]>) => void)(...args);
      } catch (e) {
        // Application errors surface asynchronously instead of unwinding the receiver.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  protected removeAllListeners(): void {
    this.listeners.clear();
  }
}
