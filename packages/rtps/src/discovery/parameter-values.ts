import { ByteReader, type ByteWriter, fail } from "../wire/cursor.ts";
import { type Locator, readLocator } from "../wire/locator.ts";
import type { Parameter, ParameterList } from "../wire/parameter-list.ts";
import { readDurationMs } from "../wire/time.ts";

/** Readers for parameter values, in the parameter list's endianness. */
export function valueReader(list: ParameterList, p: Parameter): ByteReader {
  return new ByteReader(p.value, list.littleEndian);
}

/**
 * The longest name discovery keeps (topic, type, partition, participant name): real ones are
 * tens of characters. Each remote endpoint is kept as long as its participant, up to
 * `maxEndpointsPerParticipant` of them, so unbounded names (64 KiB a parameter) would let a
 * few participants hold gigabytes.
 */
export const MAX_DISCOVERY_NAME_CHARS = 512;

/** The next string of `r` as a name; one longer than MAX_DISCOVERY_NAME_CHARS fails the decode. */
function readName(r: ByteReader): string {
  const text = r.string();
  if (text.length > MAX_DISCOVERY_NAME_CHARS) {
    fail(
      "invalid-value",
      `a name of ${text.length} characters (at most ${MAX_DISCOVERY_NAME_CHARS})`,
    );
  }
  return text;
}

/** A name parameter; one longer than MAX_DISCOVERY_NAME_CHARS refuses the whole announcement. */
export function readStringValue(list: ParameterList, p: Parameter): string {
  return readName(valueReader(list, p));
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

/** Partitions per endpoint: a handful in practice; more refuse the announcement. */
export const MAX_DISCOVERY_SEQUENCE = 64;

export function readStringSequence(list: ParameterList, p: Parameter): string[] {
  const r = valueReader(list, p);
  const n = r.u32();
  if (n > MAX_DISCOVERY_SEQUENCE) {
    fail("invalid-value", `a list of ${n} names (at most ${MAX_DISCOVERY_SEQUENCE})`);
  }
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    r.align(4, 0);
    out.push(readName(r));
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
