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

/** Keys from a file: one a line; blank lines and lines starting with # are skipped. */
export function parseKeysFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}
