/**
 * One measured GPU as the sampling path holds it: its handle, the buffers its calls write
 * into and the callbacks they answer through, all made once at detect so a sample allocates
 * nothing.
 */

import type { PowerDevice } from "../device.ts";
import type { ReadingProblem } from "../failures.ts";
import type { NvmlCallback } from "./bindings.ts";

/**
 * A device handle as the read thread's two Int32Array slots take it: the low and high 32 bits,
 * each as a signed 32-bit integer (the thread reads them back with `>>> 0`).
 */
export function handleHalves(handle: bigint): {
  readonly handleLo: number;
  readonly handleHi: number;
} {
  return {
    handleLo: Number(BigInt.asIntN(32, handle)),
    handleHi: Number(BigInt.asIntN(32, handle >> 32n)),
  };
}

export interface Gpu {
  readonly device: PowerDevice;
  readonly handle: bigint;
  /**
   * The handle as two 32-bit halves, for the read thread (no BigInt per call), each as a signed
   * 32-bit integer (the read thread's Int32Array holds it so): V8 passes such a number to a call
   * as it is, where a half of 2^31 or more would be boxed in a new heap number on every sample.
   */
  readonly handleLo: number;
  readonly handleHi: number;
  readonly useCounter: boolean;
  readonly out: Uint32Array;
  readonly util: Uint32Array;
  code: number;
  utilCode: number;
  lost: ReadingProblem | null;
  readonly onValue: NvmlCallback;
  readonly onUtil: NvmlCallback;
}
