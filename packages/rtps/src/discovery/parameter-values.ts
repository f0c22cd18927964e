import { ByteReader, type ByteWriter } from "../wire/cursor.ts";
import { type Locator, readLocator } from "../wire/locator.ts";
import type { Parameter, ParameterList } from "../wire/parameter-list.ts";
import { readDurationMs } from "../wire/time.ts";

/** Readers for parameter values, in the parameter list's endianness. */
export function valueReader(list: ParameterList, p: Parameter): ByteReader {
  return new ByteReader(p.value, list.littleEndian);
}

export function readStringValue(list: ParameterList, p: Parameter): string {
  return valueReader(list, p).string();
}

export function readU32Value(list: ParameterList, p: Parameter): number {
  return valueReader(list, p).u32();
}

export function readDurationValue(list: ParameterList, p: Parameter): number {
  return readDurationMs(valueReader(list, p));
}

export function readLocatorValue(list: ParameterList, p: Parameter): Locator {
  return readLocator(valueReader(list, p));
}

/** The cap guards against a hostile count; the value length bounds it anyway. */
const MAX_SEQUENCE = 1024;

export function readStringSequence(list: ParameterList, p: Parameter): string[] {
  const r = valueReader(list, p);
  const n = Math.min(r.u32(), MAX_SEQUENCE);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    r.align(4, 0);
    out.push(r.string());
  }
  return out;
}

export function writeStringSequence(w: ByteWriter, items: readonly string[]): void {
  const start = w.offset;
  w.u32(items.length);
  for (const s of items) {
    w.align(4, start);
    w.string(s);
  }
}
