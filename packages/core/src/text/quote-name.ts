import { cutText } from "./cut-text.ts";

/**
 * How much of a name a message repeats: the longest hardware name in the tables is 38
 * characters and the longest location key 51, so 80 shows any real name whole while a pasted
 * megabyte stays out of logs and HTTP answers.
 */
export const QUOTED_NAME_CHARS = 80;

/**
 * Longer names are refused unread. No device or place is named in a kilobyte, and token
 * scoring grows with the number of words (100,000 words took 2 s to reject).
 */
export const MAX_NAME_CHARS = 1024;

/** `name` in double quotes for a message, cut to QUOTED_NAME_CHARS. */
export function quoteName(name: string): string {
  return `"${cutText(name, QUOTED_NAME_CHARS)}"`;
}
