/**
 * Text a peer wrote (a status's error description, a zone name in a footprint's extra_data)
 * printed as it is would let that peer drive the user's terminal: an ESC starts a control
 * sequence that can move the cursor, rewrite earlier lines or set the window title. Control
 * characters are printed as `\u001b`-style escapes instead, so the line says what arrived.
 */
// C0 controls, DEL and C1 controls (0x80-0x9f: some terminals take 0x9b as a lone CSI).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string): string {
  return text.replace(
    CONTROL,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}
