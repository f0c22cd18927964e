import type { ByteReader, ByteWriter } from "./cursor.ts";

export const LocatorKind = {
  invalid: -1,
  reserved: 0,
  udpV4: 1,
  udpV6: 2,
  tcpV4: 4,
  tcpV6: 8,
  shm: 16,
} as const;

/** A transport address. `address` is the 16 raw bytes; IPv4 sits in the last 4. */
export interface Locator {
  readonly kind: number;
  readonly port: number;
  readonly address: Uint8Array;
}

export function udpV4Locator(ip: string, port: number): Locator {
  const address = new Uint8Array(16);
  const parts = ip.split(".").map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < 4; i++) address[12 + i] = parts[i] ?? 0;
  return { kind: LocatorKind.udpV4, port, address };
}

export function locatorIpV4(l: Locator): string {
  return `${l.address[12]}.${l.address[13]}.${l.address[14]}.${l.address[15]}`;
}

export function locatorToString(l: Locator): string {
  if (l.kind === LocatorKind.udpV4) return `udpv4:${locatorIpV4(l)}:${l.port}`;
  return `kind${l.kind}:${l.port}`;
}

export function isMulticastV4(l: Locator): boolean {
  const first = l.address[12] ?? 0;
  return first >= 224 && first <= 239;
}

export function readLocator(r: ByteReader): Locator {
  const kind = r.i32();
  const port = r.u32();
  const address = r.bytes(16).slice();
  return { kind, port, address };
}

export function writeLocator(w: ByteWriter, l: Locator): void {
  w.i32(l.kind);
  w.u32(l.port);
  w.bytes(l.address);
}
