/**
 * `JSON.stringify` for output a person may read in a terminal. JSON escapes C0 controls but
 * leaves DEL and the C1 controls (U+007F to U+009F) raw, and some terminals take U+009B as a
 * lone CSI: text a peer, a log file or a machine supplied could then drive the terminal
 * through `--json` too. Those characters are written as `\u`-escapes; the JSON means the
 * same (they can only occur inside strings, where an escape is the same character).
 */
import { escaped } from "./terminal-text.ts";

const RAW_IN_JSON = /[\u007f-\u009f]/g;

export function jsonText(
  value: unknown,
  replacer?: ((this: unknown, key: string, value: unknown) => unknown) | null,
  space?: number,
): string {
  const text = JSON.stringify(value, replacer ?? undefined, space);
  // JSON.stringify(undefined) is undefined; nothing this CLI prints is, but say so plainly.
  return text === undefined ? "null" : text.replace(RAW_IN_JSON, escaped);
}
