import { createSocket, type Socket } from "node:dgram";
import { setTimeout as delay } from "node:timers/promises";
import { udpSocketsOf } from "./proc-stats.ts";

/*
 * Raw UDP for hostile-peer tests: a sender that paces hand-built datagrams at a port on
 * 127.0.0.1, and sinks that count what a process under test sends to the locators a forged
 * peer announced. Loopback only: nothing here can address another host.
 */

const LOOPBACK = "127.0.0.1";

/** UDP sockets bound on 127.0.0.1 (ephemeral ports) that count the datagrams they receive. */
export interface UdpSinks extends AsyncDisposable {
  readonly ports: readonly number[];
  /** Totals since the sinks opened or since the last `reset()`. */
  readonly bytes: number;
  readonly datagrams: number;
  /**
   * Datagrams the kernel dropped on the sinks' sockets (receive buffer full) since they
   * opened or since `reset()`: counts are exact only while this stays 0.
   */
  kernelDrops(): number;
  reset(): void;
  close(): Promise<void>;
}

export interface UdpSinkOptions {
  /** SO_RCVBUF of each socket (default 1 MiB; Linux caps it at net.core.rmem_max). */
  readonly receiveBufferBytes?: number;
}

/** Opens `count` counting sockets (bounded: at most 2,000, a test's fd budget). */
export async function openUdpSinks(count: number, options: UdpSinkOptions = {}): Promise<UdpSinks> {
  if (!Number.isInteger(count) || count < 1 || count > 2000) {
    throw new Error(`openUdpSinks: count must be an integer 1..2000, got ${count}`);
  }
  const recvBufferSize = options.receiveBufferBytes ?? 1024 * 1024;
  let bytes = 0;
  let datagrams = 0;
  const sockets: Socket[] = [];
  const ports: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const socket = createSocket({ type: "udp4", recvBufferSize });
      sockets.push(socket);
      socket.on("message", (msg) => {
        bytes += msg.length;
        datagrams++;
      });
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(0, LOOPBACK, () => {
          socket.off("error", reject);
          resolve();
        });
      });
      ports.push(socket.address().port);
    }
  } catch (error) {
    for (const socket of sockets) socket.close();
    throw error;
  }
  const portSet = new Set(ports);
  const dropsNow = (): number =>
    udpSocketsOf(process.pid)
      .filter((s) => s.address === LOOPBACK && portSet.has(s.port))
      .reduce((n, s) => n + s.drops, 0);
  let dropsBase = dropsNow();
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(resolve))));
  };
  return {
    ports,
    get bytes() {
      return bytes;
    },
    get datagrams() {
      return datagrams;
    },
    kernelDrops: () => dropsNow() - dropsBase,
    reset() {
      bytes = 0;
      datagrams = 0;
      dropsBase = dropsNow();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

export interface SendPacing {
  /** Datagrams handed to the kernel before each pause (default 100). */
  readonly batchSize?: number;
  /** Pause after each batch, so a receiver can drain its socket buffer (default 5 ms). */
  readonly pauseMs?: number;
  /** Stop sending after this long, whatever is left (default 30 s). */
  readonly deadlineMs?: number;
  /**
   * Flow control: asked before each batch; while it answers false the sender waits
   * `pollMs` and asks again (the deadline still applies). E.g. "the receiver's socket
   * buffer is nearly empty", from `udpSocketsOf(pid)`.
   */
  readonly ready?: () => boolean;
  readonly pollMs?: number;
}

export interface SendReport {
  readonly datagrams: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  /** True when the deadline stopped the run before every datagram went out. */
  readonly cutShort: boolean;
}

/**
 * Sends `datagrams` in order from one socket on 127.0.0.1 to `127.0.0.1:port`, paced in
 * batches; resolves once the kernel took every datagram sent (loopback UDP: a full receive
 * buffer drops silently, which the caller's pacing is there to avoid).
 */
export async function sendDatagrams(
  port: number,
  datagrams: readonly Uint8Array[],
  pacing: SendPacing = {},
): Promise<SendReport> {
  const batchSize = pacing.batchSize ?? 100;
  const pauseMs = pacing.pauseMs ?? 5;
  const deadlineMs = pacing.deadlineMs ?? 30_000;
  const socket = createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, LOOPBACK, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  const started = performance.now();
  let sent = 0;
  let bytes = 0;
  try {
    const timeLeft = (): boolean => performance.now() - started < deadlineMs;
    while (sent < datagrams.length && timeLeft()) {
      if (pacing.ready !== undefined) {
        while (!pacing.ready() && timeLeft()) await delay(pacing.pollMs ?? 2);
        if (!timeLeft()) break;
      }
      const batch = datagrams.slice(sent, sent + batchSize);
      await Promise.all(
        batch.map(
          (d) =>
            new Promise<void>((resolve, reject) =>
              socket.send(d, port, LOOPBACK, (error) => (error ? reject(error) : resolve())),
            ),
        ),
      );
      sent += batch.length;
      for (const d of batch) bytes += d.length;
      if (sent < datagrams.length && pauseMs > 0) await delay(pauseMs);
    }
  } finally {
    await new Promise<void>((resolve) => socket.close(resolve));
  }
  return {
    datagrams: sent,
    bytes,
    elapsedMs: performance.now() - started,
    cutShort: sent < datagrams.length,
  };
}
