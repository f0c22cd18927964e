import type { ParameterList } from "../wire/parameter-list.ts";

/**
 * Reassembles one sample from DATA_FRAG submessages (fragment numbers are
 * 1-based). Fragments must agree on sampleSize and fragmentSize, or are dropped.
 */
export class FragmentAssembler {
  private readonly buffer: Uint8Array;
  private readonly have: Uint8Array;
  private received = 0;
  readonly totalFragments: number;
  inlineQos: ParameterList | undefined;
  payloadIsKey = false;

  constructor(
    readonly sampleSize: number,
    readonly fragmentSize: number,
  ) {
    this.buffer = new Uint8Array(sampleSize);
    this.totalFragments = Math.ceil(sampleSize / fragmentSize);
    this.have = new Uint8Array(this.totalFragments);
  }

  /** Returns false when the fragments do not fit this sample's layout. */
  add(
    startingNum: number,
    count: number,
    sampleSize: number,
    fragmentSize: number,
    data: Uint8Array,
  ): boolean {
    if (sampleSize !== this.sampleSize || fragmentSize !== this.fragmentSize) return false;
    for (let i = 0; i < count; i++) {
      const num = startingNum + i;
      if (num < 1 || num > this.totalFragments) return false;
      const offset = (num - 1) * fragmentSize;
      const len = Math.min(fragmentSize, sampleSize - offset);
      const src = i * fragmentSize;
      if (src + len > data.length) return false;
      if (this.have[num - 1]) continue;
      this.buffer.set(data.subarray(src, src + len), offset);
      this.have[num - 1] = 1;
      this.received++;
    }
    return true;
  }

  get complete(): boolean {
    return this.received === this.totalFragments;
  }

  /** Missing fragment numbers, up to `limit` of them. */
  missing(limit = 256): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.totalFragments && out.length < limit; i++) {
      if (!this.have[i]) out.push(i + 1);
    }
    return out;
  }

  get sample(): Uint8Array {
    return this.buffer;
  }
}
