/**
 * Text the NVML reader reads from the library (names, UUIDs, error strings) and text it quotes
 * in its messages, cut to a size a message can hold.
 */

import { cutText } from "@wattprint/core";
import type { NvmlBindings } from "./bindings.ts";

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
