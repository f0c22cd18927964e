/**
 * The output writer keeps one instance per task, at most `limit` (500 in SustainML's QoS),
 * and a DDS writer refuses a new instance beyond that: SustainML's own node stops answering
 * after 500 tasks. This window unregisters the oldest output instead, so the most recent
 * tasks stay available to late joiners and the node never stops answering.
 */
export class OutputInstanceWindow {
  /** Key hash hex -> key hash, oldest first. */
  private readonly instances = new Map<string, Uint8Array>();

  constructor(
    private readonly limit: number,
    private readonly unregister: (keyHash: Uint8Array) => Promise<void>,
  ) {}

  /** Call before writing the output whose instance is `keyHash`. */
  async admit(keyHash: Uint8Array): Promise<void> {
    const key = Buffer.from(keyHash).toString("hex");
    this.instances.delete(key);
    while (this.instances.size >= this.limit) {
      const oldest = this.instances.entries().next().value;
      if (!oldest) break;
      this.instances.delete(oldest[0]);
      await this.unregister(oldest[1]);
    }
    this.instances.set(key, keyHash);
  }
}
