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

/**
 * The IPv4 address of `text` ("a.b.c.d") as an unsigned 32-bit number, or -1 when it is not
 * one. A character loop, no split: it runs on received datagrams' source addresses.
 */
export function ipv4ToNumber(text: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
      if (part > 255) return -1;
    } else return -1;
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + part;
}

/** The IPv4 address of a UDPv4 locator as an unsigned 32-bit number. */
export function locatorIpNumber(l: Locator): number {
  const a = l.address;
  return (((a[12] ?? 0) << 24) | ((a[13] ?? 0) << 16) | ((a[14] ?? 0) << 8) | (a[15] ?? 0)) >>> 0;
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
