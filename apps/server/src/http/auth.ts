import { createHash, timingSafeEqual } from "node:crypto";

/**
 * API keys, held as SHA-256 digests and compared in constant time, so neither the key's
 * length nor its prefix leaks through timing, and a heap dump holds no key.
 */
export class ApiKeys {
  private readonly digests: readonly Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = [...new Set(keys)].map(digest);
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  get count(): number {
    return this.digests.length;
  }

  /** Whether an `Authorization` header carries one of the keys as a Bearer token. */
  accepts(header: string | undefined): boolean {
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) return false;
    const given = digest(match[1]);
    let found = false;
    // Every key is compared, so the time does not say which one matched.
    for (const key of this.digests) found = timingSafeEqual(key, given) || found;
    return found;
  }
}

function digest(key: string): Buffer {
  return createHash("sha256").update(key, "utf8").digest();
}

/**
 * Why a key can never be presented, or undefined when it can. A Bearer token is one run of
 * visible ASCII (RFC 6750's token68 is a subset): a key holding a space, a tab or a character
 * outside ASCII was loaded before and then matched no request, so every client was refused
 * with nothing saying why.
 */
export function keyProblem(key: string): string | undefined {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f)
      return `holds a space or a control character at character ${i + 1}; a Bearer token is one word`;
    if (code > 0x7f)
      return `holds a character outside ASCII at character ${i + 1}; an Authorization header carries ASCII only`;
  }
  return undefined;
}

/** Keys from a file: one a line; blank lines and lines starting with # are skipped. */
export function parseKeysFile(
  text: string,
): { readonly keys: string[] } | { readonly line: number; readonly problem: string } {
  const keys: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const problem = keyProblem(line);
    if (problem !== undefined) return { line: i + 1, problem };
    keys.push(line);
  }
  return { keys };
}
