import type { EndpointDescription } from "../discovery/endpoint-description.ts";
import type { RemoteEndpointInfo } from "../discovery/remote-endpoint.ts";
import type { IncompatibleReason } from "../qos/compatibility.ts";
import { guidToString } from "../wire/guid.ts";
import { Emitter } from "./events.ts";

/** The events every user endpoint emits about the remote endpoints it pairs with. */
export interface MatchEvents {
  matched: (remote: RemoteEndpointInfo) => void;
  unmatched: (remote: RemoteEndpointInfo) => void;
  /** Same topic, but QoS or kind rules refuse the pair. */
  incompatible: (remote: RemoteEndpointInfo, reasons: readonly IncompatibleReason[]) => void;
}

/** What DataWriter and DataReader share: identity and the set of matched remote endpoints. */
export abstract class UserEndpoint<
  Events extends MatchEvents & { [K in keyof Events]: (...args: never[]) => void },
> extends Emitter<Events> {
  private readonly matchedRemotes = new Map<string, RemoteEndpointInfo>();

  constructor(readonly description: EndpointDescription) {
    super();
  }

  get guid(): string {
    return guidToString(this.description.guid);
  }

  get topicName(): string {
    return this.description.topicName;
  }

  protected get matched(): readonly RemoteEndpointInfo[] {
    return [...this.matchedRemotes.values()];
  }

  /** Resolves true when at least `count` remote endpoints are matched, false after `timeoutMs`. */
  async waitForMatched(count: number, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.matchedRemotes.size < count) {
      const left = deadline - performance.now();
      if (left <= 0 || (await this.once("matched", left)) === undefined)
        return this.matchedRemotes.size >= count;
    }
    return true;
  }

  /** @internal Called by the participant. */
  handleMatched(info: RemoteEndpointInfo): void {
    this.matchedRemotes.set(info.guid, info);
    this.emitMatch("matched", info);
  }

  /** @internal */
  handleUnmatched(info: RemoteEndpointInfo): void {
    if (this.matchedRemotes.delete(info.guid)) this.emitMatch("unmatched", info);
  }

  /** @internal */
  handleIncompatible(info: RemoteEndpointInfo, reasons: readonly IncompatibleReason[]): void {
    this.emitMatch("incompatible", info, reasons);
  }

  /** @internal */
  handleClosed(): void {
    this.matchedRemotes.clear();
    this.removeAllListeners();
  }

  // `Events` extends MatchEvents, but TypeScript cannot resolve Parameters<Events[K]> for a
  // generic Events; the argument tuples here are exactly MatchEvents' own.
  private emitMatch<K extends keyof MatchEvents>(
    event: K,
    ...args: Parameters<MatchEvents[K]>
  ): void {
    (this.emit as (event: keyof MatchEvents, ...a: Parameters<MatchEvents[K]>) => void).call(
      this,
      event,
      ...args,
    );
  }
}
