/**
 * `text` when it has at most `maxChars` UTF-16 units, else its start and a note of its length,
 * `maxChars` long in all (the note alone when `maxChars` is shorter than it). The cut never
 * splits a surrogate pair. For quoting outside text (a peer's request, an environment
 * variable, a server's answer) in a message without letting its length through.
 */
export function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const note = `... (${text.length} characters)`;
  let end = Math.max(0, maxChars - note.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${note}`;
}
