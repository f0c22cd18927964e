/**
 * Text a peer wrote (a status's error description, a zone name in a footprint's extra_data)
 * printed as it is would let that peer drive the user's terminal: an ESC starts a control
 * sequence that can move the cursor, rewrite earlier lines or set the window title. Control
 * characters are printed as `\u001b`-style escapes instead, so the line says what arrived.
 * The same holds for names read from files (a logs folder from someone else) and for the
 * words of a command line that a script built.
 */
// C0 controls, DEL and C1 controls (0x80-0x9f: some terminals take 0x9b as a lone CSI).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// The same less line feed and tab, for text laid out in lines.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A character as a `\\u` escape, as JSON writes one: `\\u001b`. */
export const escaped = (c: string): string =>
  `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;

/** One line: every control character escaped, line breaks included. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, escaped);
}

/**
 * Text of several lines (the tracker's consumption block, whose warnings may quote a location,
 * a path or a live provider's answer): line feeds and tabs stay, other controls are escaped.
 */
export function terminalSafeLines(text: string): string {
  return text.replace(CONTROL_BUT_LAYOUT, escaped);
}
