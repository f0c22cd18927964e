/**
 * Which writer gives way when a table that peers fill (a join queue, the task queue) is full.
 * Dropping the oldest or the newest entry of the whole table let one writer's flood push out
 * a genuine writer's few entries; here the writer holding the most entries gives way, the
 * newcomer counted as one more of its own writer's, so a writer with few entries keeps its
 * place. A tie goes against the newcomer's own writer: a single writer (the usual case)
 * behaves as before the rule existed.
 *
 * The key is `BusSample.writer`, the remote writer endpoint: a peer gets one share per writer
 * it opens, which the RTPS participant bounds (`--max-peers`, `--max-peer-endpoints`).
 */
export function busiestWriter(
  writers: Iterable<string>,
  newcomer: string | undefined,
): string | undefined {
  const held = new Map<string, number>();
  for (const writer of writers) held.set(writer, (held.get(writer) ?? 0) + 1);
  if (newcomer !== undefined) held.set(newcomer, (held.get(newcomer) ?? 0) + 1);
  let busiest = newcomer;
  let most = newcomer === undefined ? 0 : (held.get(newcomer) ?? 0);
  for (const [writer, count] of held) {
    if (count > most) {
      busiest = writer;
      most = count;
    }
  }
  return busiest;
}
