/**
 * Text the node publishes in a CDR string (a status's `error_description`) is built from
 * messages that may quote what a peer sent, and JSON from a peer can carry NUL and lone
 * surrogates that the decoder's UTF-8 never produces. CDR strings cannot carry either (the
 * encoder throws), so such text is made wire-safe here, and cut to a limit the node chooses.
 */
import { cutText } from "@wattprint/core";

/** SustainML's own descriptions are one sentence; a longer one is cut with a note. */
export const MAX_ERROR_DESCRIPTION_CHARS = 2048;

export interface WireText {
  readonly text: string;
  /** NUL or lone surrogates were replaced, or the text was cut. */
  readonly changed: boolean;
}

// A NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one.
// Built from a string: the linter refuses a control character in a regex literal, and NUL
// is the point here.
const UNSAFE_SOURCE =
  "\\u0000|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";
const UNSAFE_ALL = new RegExp(UNSAFE_SOURCE, "g");
const UNSAFE = new RegExp(UNSAFE_SOURCE);

/** `text` with NUL and lone surrogates as U+FFFD, cut to at most `maxChars` (`cutText`). */
export function wireSafeText(
  text: string,
  maxChars: number = MAX_ERROR_DESCRIPTION_CHARS,
): WireText {
  // Published twice per task: the common case (empty, or one clean sentence) costs one test.
  if (text.length <= maxChars && !UNSAFE.test(text)) return { text, changed: false };
  const safe = cutText(text, maxChars).replace(UNSAFE_ALL, "\ufffd");
  return { text: safe, changed: safe !== text };
}
