import type { Failure, Result } from "@wattprint/result";
import type { Locator } from "../wire/locator.ts";

/** The locators a participant announces, fixed once its transport is open. */
export interface TransportLocators {
  /** The participant id whose well-known ports were free (p in the port formulas). */
  readonly participantId: number;
  readonly metatrafficUnicast: Locator;
  readonly metatrafficMulticast: Locator | undefined;
  readonly defaultUnicast: Locator;
}

/** Where a datagram came from (node:dgram's `rinfo` has this shape). */
export interface DatagramSource {
  /** The sender's IPv4 address, "a.b.c.d". */
  readonly address: string;
  readonly port: number;
}

/**
 * The one shape every transport gives its receivers a source in. node:dgram's `rinfo` is built
 * in C++ with a hidden class no JavaScript object literal shares, so code warmed up on the
 * memory network met a new one with the first real datagram and V8 deoptimised it mid-run
 * (the amplification guard's `addressedToUs`, seen with `--trace-deopt` under the bus-node bench).
 */
export class DatagramFrom implements DatagramSource {
  constructor(
    readonly address: string,
    readonly port: number,
  ) {}
}

export type DatagramHandler = (data: Uint8Array, source: DatagramSource) => void;

/** An open transport; sending never throws, failures are counted. */
export interface Transport {
  readonly locators: TransportLocators;
  send(datagram: Uint8Array, to: Locator): void;
  /** Datagrams the transport failed to hand to the network. */
  readonly sendErrors: number;
  close(): Promise<void>;
}

export type TransportErrorKind = "no-free-port" | "bind-failed" | "multicast-join-failed";

export type TransportError = Failure<TransportErrorKind>;

export interface TransportOpenParams {
  readonly domainId: number;
  readonly onDatagram: DatagramHandler;
}

/** Injected into the participant so tests can run over memory and deployments over UDP. */
export interface TransportFactory {
  open(params: TransportOpenParams): Promise<Result<Transport, TransportError>>;
}
