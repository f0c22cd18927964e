/**
 * The XML property-list subset powermetrics writes: dict, array, key, string, integer, real,
 * true, false, date, data. Not a general XML parser: no entities beyond the five predefined
 * ones, no attributes read, no DTD. Bounded by `MAX_DEPTH` and `MAX_NODES`: the input is a
 * child process's output and is parsed as untrusted.
 */
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

export const MAX_DEPTH = 32;
export const MAX_NODES = 200_000;

/** The longest tag accepted (`<plist version="1.0">` is 21); a longer one refuses the sample. */
export const MAX_TAG_CHARS = 1024;

// `[^<>]`, not `[^>]`: an unclosed `<a` then scans only to the next `<`. With `[^>]` each of
// 500,000 `<a` in a 1 MiB sample scanned to the end: minutes of CPU on the event loop.
// The name must be followed by whitespace, `/` or `>`: with `\s*[^<>]*?` after it, a long
// unclosed name or run of spaces could be split between the parts in every way, and 200,000
// characters took 17 s (quadratic). Now each `<` is tried once, to the next `<` or `>`.
const TAG = /<(\/?)([a-zA-Z]+)(?:\s[^<>]*?)?(\/?)>/g;

/** A decimal number as plists write one; not `Number()`'s hex, `Infinity` or `1e400`. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

export type PlistOutcome =
  | { readonly ok: true; readonly value: PlistValue }
  | { readonly ok: false; readonly why: string };

interface Frame {
  readonly kind: "dict" | "array" | "plist";
  readonly items: PlistValue[];
  readonly keys: string[];
  pendingKey: string | null;
}

export function parsePlist(text: string): PlistOutcome {
  const stack: Frame[] = [];
  let root: PlistValue | undefined;
  let nodes = 0;
  let expectKeyText = false;
  let scalar: { tag: string; start: number } | null = null;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m !== null; m = TAG.exec(text)) {
    const [whole, closing, tagName, selfClosing] = m;
    if (whole.length > MAX_TAG_CHARS)
      return { ok: false, why: `a tag longer than ${MAX_TAG_CHARS} characters` };
    const tag = (tagName ?? "").toLowerCase();
    if (++nodes > MAX_NODES) return { ok: false, why: `more than ${MAX_NODES} elements` };
    if (scalar !== null) {
      if (closing !== "/" || tag !== scalar.tag)
        return { ok: false, why: `<${scalar.tag}> holds a <${tag}>` };
      const raw = decodeEntities(text.slice(scalar.start, m.index));
      const value = scalarValue(scalar.tag, raw);
      if (value === undefined)
        return {
          ok: false,
          why: `<${scalar.tag}>${raw.slice(0, 40)}</${scalar.tag}> is not a ${scalar.tag}`,
        };
      scalar = null;
      if (expectKeyText) {
        expectKeyText = false;
        const top = stack[stack.length - 1];
        if (top === undefined || top.kind !== "dict")
          return { ok: false, why: "<key> outside a <dict>" };
        // Two keys in a row: the first one's value is missing (it was dropped in silence).
        if (top.pendingKey !== null)
          return { ok: false, why: `<key>${top.pendingKey.slice(0, 40)}</key> has no value` };
        top.pendingKey = String(value);
        continue;
      }
      const placed = place(stack, value);
      if (placed !== null) return { ok: false, why: placed };
      continue;
    }
    if (tag === "plist") {
      if (closing === "/") {
        const frame = stack.pop();
        if (frame?.kind !== "plist") return { ok: false, why: "unbalanced </plist>" };
        // A plist holds one value; a second was ignored in silence, and the first one used.
        if (frame.items.length > 1) return { ok: false, why: "<plist> holds more than one value" };
        root = frame.items[0];
      } else if (selfClosing !== "/") {
        stack.push({ kind: "plist", items: [], keys: [], pendingKey: null });
      }
      continue;
    }
    if (tag === "dict" || tag === "array") {
      if (closing === "/") {
        const frame = stack.pop();
        if (frame?.kind !== tag) return { ok: false, why: `unbalanced </${tag}>` };
        const value = tag === "array" ? frame.items : toObject(frame);
        const placed = place(stack, value);
        if (placed !== null) return { ok: false, why: placed };
      } else if (selfClosing === "/") {
        const placed = place(stack, tag === "array" ? [] : {});
        if (placed !== null) return { ok: false, why: placed };
      } else {
        if (stack.length >= MAX_DEPTH) return { ok: false, why: `nested deeper than ${MAX_DEPTH}` };
        stack.push({ kind: tag, items: [], keys: [], pendingKey: null });
      }
      continue;
    }
    if (tag === "true" || tag === "false") {
      const placed = place(stack, tag === "true");
      if (placed !== null) return { ok: false, why: placed };
      continue;
    }
    if (["key", "string", "integer", "real", "date", "data"].includes(tag)) {
      if (closing === "/") return { ok: false, why: `stray </${tag}>` };
      if (selfClosing === "/") {
        if (tag === "key") return { ok: false, why: "empty <key/>" };
        const placed = place(
          stack,
          tag === "string" || tag === "data" || tag === "date" ? "" : Number.NaN,
        );
        if (placed !== null) return { ok: false, why: placed };
        continue;
      }
      expectKeyText = tag === "key";
      scalar = { tag, start: m.index + whole.length };
      continue;
    }
    return { ok: false, why: `unexpected <${tag}>` };
  }
  if (stack.length > 0 || root === undefined)
    return { ok: false, why: "the document ends before </plist>" };
  return { ok: true, value: root };
}

function place(stack: Frame[], value: PlistValue): string | null {
  const top = stack[stack.length - 1];
  if (top === undefined) return "a value outside <plist>";
  if (top.kind === "dict") {
    if (top.pendingKey === null) return "a <dict> value without a <key>";
    top.keys.push(top.pendingKey);
    top.pendingKey = null;
  }
  top.items.push(value);
  return null;
}

function toObject(frame: Frame): { [key: string]: PlistValue } {
  const out: { [key: string]: PlistValue } = Object.create(null);
  frame.keys.forEach((key, i) => {
    out[key] = frame.items[i] as PlistValue;
  });
  return out;
}

function scalarValue(tag: string, raw: string): PlistValue | undefined {
  if (tag === "integer" || tag === "real") {
    const trimmed = raw.trim();
    if (trimmed.length > 64 || !DECIMAL.test(trimmed)) return undefined;
    const n = Number(trimmed);
    // 1e400 is Infinity: out of range, refused like any other value that is not a number.
    return Number.isFinite(n) ? n : undefined;
  }
  return raw;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
