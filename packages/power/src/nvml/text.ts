/**
 * Text the NVML reader reads from the library (names, UUIDs, error strings) and text it quotes
 * in its messages, cut to a size a message can hold.
 */

import { cutText } from "@wattprint/core";
import type { NvmlBindings } from "./bindings.ts";
import { NVML_SUCCESS } from "./errors.ts";

const TEXT_BYTES = 96;

/** A NUL-terminated string the library writes into a buffer, or undefined where it fails. */
export function readText(
  call: (device: bigint, out: Buffer, length: number) => number,
  handle: bigint,
): string | undefined {
  const buffer = Buffer.alloc(TEXT_BYTES);
  if (call(handle, buffer, TEXT_BYTES) !== NVML_SUCCESS) return undefined;
  const end = buffer.indexOf(0);
  return buffer.toString("utf8", 0, end < 0 ? TEXT_BYTES : end);
}

export function safeErrorString(nvml: NvmlBindings, code: number): string {
  try {
    return nvml.errorString(code);
  } catch {
    return "unknown";
  }
}

export function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

/** Text from the environment as a message quotes it: at most `CLIP_CHARS` characters. */
const CLIP_CHARS = 200;
export const clip = (text: string): string => cutText(text, CLIP_CHARS);
