/** Names sorted per chunk before they are packed into bytes. */
const CHUNK_NAMES = 4096;
/** NUL ends each packed name: the one byte a file name cannot hold. */
const SEPARATOR = 0;

/**
 * Code-point order, as Python sorts carbontracker's file lists (its `str` compares code
 * points). JavaScript's `<` compares UTF-16 code units, which differs only where a surrogate
 * (a character past U+FFFF) meets a unit from U+E000 to U+FFFF: the surrogate is the smaller
 * unit and the larger code point. Those two ranges are swapped before comparing (the same
 * order as the names' UTF-8 bytes, without making them).
 */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0xd800 && cb >= 0xd800) {
      ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
      cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
    }
    return ca - cb;
  }
  return a.length - b.length;
}

/**
 * A set of file names, handed back in sorted order, that holds them as bytes rather than as
 * JavaScript strings: names are sorted in chunks of 4,096, each chunk packed into one Buffer
 * (outside the JavaScript heap, the names' bytes less a common suffix), and the chunks are merged
 * as the names are taken. One string per name on the heap, for 100,000 pairs, cost about 8 MB
 * of live heap and made V8 grow its heap by two to three times that; packed, the heap holds
 * one chunk being filled, and membership is a 52-bit hash per name (8 bytes each) in a sorted
 * array. A hash collision could make `has` answer yes for a name never added; at 52 bits and a
 * million names the chance is about one in ten million.
 */
export class SortedNames {
  /** `suffix`: an ending every name has (`_carbontracker_output.log`), not stored. */
  constructor(private readonly suffix = "") {}

  private readonly chunks: Buffer[] = [];
  private readonly filling: string[] = [];
  private hashes = new Float64Array(1024);
  private count = 0;
  private sealed = false;

  get size(): number {
    return this.count;
  }

  add(name: string): void {
    if (this.sealed) throw new Error("SortedNames: add after the names were read");
    if (!name.endsWith(this.suffix))
      throw new Error(`SortedNames: "${name}" lacks "${this.suffix}"`);
    this.filling.push(name);
    if (this.count === this.hashes.length) {
      const grown = new Float64Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.count++] = hash52(name);
    if (this.filling.length === CHUNK_NAMES) this.pack();
  }

  /** Whether `name` was added (see the class comment for the chance of a false yes). */
  has(name: string): boolean {
    this.seal();
    const wanted = hash52(name);
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const here = this.hashes[mid] as number;
      if (here === wanted) return true;
      if (here < wanted) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** The names in code-point order, merged from the chunks one at a time. */
  *[Symbol.iterator](): Generator<string> {
    this.seal();
    const cursors = this.chunks.map((buffer) => ({ buffer, at: 0, head: "" as string | null }));
    for (const cursor of cursors) cursor.head = nextName(cursor, this.suffix);
    for (;;) {
      let best = -1;
      for (let i = 0; i < cursors.length; i++) {
        const head = cursors[i]?.head ?? null;
        if (head !== null && (best < 0 || byCodePoint(head, cursors[best]?.head as string) < 0)) {
          best = i;
        }
      }
      if (best < 0) return;
      const cursor = cursors[best] as (typeof cursors)[number];
      const name = cursor.head as string;
      cursor.head = nextName(cursor, this.suffix);
      yield name;
    }
  }

  private seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    if (this.filling.length > 0) this.pack();
    this.hashes = this.hashes.slice(0, this.count).sort();
  }

  private pack(): void {
    this.filling.sort(byCodePoint);
    const cut = this.suffix.length;
    let packed = "";
    for (const name of this.filling) packed += `${name.slice(0, name.length - cut)}\0`;
    this.chunks.push(Buffer.from(packed, "utf8"));
    this.filling.length = 0;
  }
}

function nextName(cursor: { buffer: Buffer; at: number }, suffix: string): string | null {
  if (cursor.at >= cursor.buffer.length) return null;
  const end = cursor.buffer.indexOf(SEPARATOR, cursor.at);
  const name = cursor.buffer.toString("utf8", cursor.at, end) + suffix;
  cursor.at = end + 1;
  return name;
}

/** Two 32-bit FNV-1a style hashes of the UTF-16 code units, folded into 52 exact bits. */
function hash52(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}
