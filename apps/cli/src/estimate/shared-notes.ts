/**
 * The rows of a machine or cloud instance all end their notes with the same context ("part of
 * 1 x p5.48xlarge (url); how its sizes were checked"), a few hundred characters printed once
 * per row. This splits each note into its own clauses and the clauses every noted row ends
 * with, so that the shared part is printed once.
 */
export interface SharedNotes {
  /** The clauses every noted row ends with, when two or more rows have notes; else undefined. */
  readonly shared: string | undefined;
  /** Each row's note without the shared clauses; undefined where nothing is left. */
  readonly own: readonly (string | undefined)[];
}

/** Clauses are joined by "; " (core's billContext and the tables' notes). */
const CLAUSE = "; ";

export function sharedNotes(notes: readonly (string | undefined)[]): SharedNotes {
  const noted = notes.filter((note): note is string => note !== undefined && note !== "");
  if (noted.length < 2) return { shared: undefined, own: notes.map((n) => n || undefined) };
  const split = noted.map((note) => note.split(CLAUSE));
  const first = split[0] as string[];
  let common = 0;
  while (
    common < first.length &&
    split.every(
      (clauses) =>
        common < clauses.length &&
        clauses[clauses.length - 1 - common] === first[first.length - 1 - common],
    )
  ) {
    common++;
  }
  if (common === 0) return { shared: undefined, own: notes.map((n) => n || undefined) };
  const shared = first.slice(first.length - common).join(CLAUSE);
  return {
    shared,
    own: notes.map((note) => {
      if (!note) return undefined;
      const clauses = note.split(CLAUSE);
      const rest = clauses.slice(0, clauses.length - common).join(CLAUSE);
      return rest === "" ? undefined : rest;
    }),
  };
}
