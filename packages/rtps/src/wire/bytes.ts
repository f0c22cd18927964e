/** Byte helpers of the protocol code, exported for the workspace (one copy of each). */

/**
 * Copied into a scratch Buffer and encoded natively: one flat string per call. Concatenating
 * two-digit pieces built a chain of intermediate strings instead (about 460 bytes of garbage
 * per 16-byte key hash, several times per task); `Buffer.from(view).toString("hex")` allocates
 * a Buffer object per call on top of the string.
 */
const hexScratch = Buffer.alloc(64);

/** Lowercase hex of `b`, two digits per byte: map keys of key hashes and GUID prefixes. */
export const bytesToHex = (b: Uint8Array): string => {
  if (b.length > hexScratch.length) {
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
  }
  hexScratch.set(b);
  return hexScratch.toString("hex", 0, b.length);
};

/** Whether `a` and `b` hold the same bytes (a plain loop: no Buffer view per call). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
