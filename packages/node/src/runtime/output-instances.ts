import { bytesToHex } from "@wattprint/rtps";

/**
 * The output writer keeps one instance per task, at most `limit` (500 in SustainML's QoS),
 * and a DDS writer refuses a new instance beyond that: SustainML's own node stops answering
 * after 500 tasks. This window names the oldest output to unregister instead, so the most
 * recent tasks stay available to late joiners and the node never stops answering.
 */
export class OutputInstanceWindow {
  /** Key hash hex -> key hash, oldest first. */
  private readonly instances = new Map<string, Uint8Array>();

  constructor(private readonly limit: number) {}

  /**
   * Call before writing the output whose instance is `keyHash`; returns the instance to
   * unregister first, if the window is full. Each call adds at most one instance, so at most
   * one has to go.
   */
  admit(keyHash: Uint8Array): Uint8Array | undefined {
    const key = bytesToHex(keyHash);
    this.instances.delete(key);
    let retired: Uint8Array | undefined;
    if (this.instances.size >= this.limit) {
      for (const [oldestKey, oldest] of this.instances) {
        this.instances.delete(oldestKey);
        retired = oldest;
        break;
      }
    }
    this.instances.set(key, keyHash);
    return retired;
  }
}
