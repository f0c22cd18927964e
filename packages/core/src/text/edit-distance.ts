/* Three rows of the distance table, reused across calls: suggestions compare one query with
 * a thousand names, and a table per pair was most of their cost. */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * Optimal-string-alignment distance: Levenshtein plus adjacent transposition, so the common
 * typo "Spian" is one edit from "Spain" rather than two.
 */
export function editDistance(a: string, b: string): number {
  return editDistanceWithin(a, b, Number.POSITIVE_INFINITY);
}

/**
 * `editDistance(a, b)` when it is at most `max`, else some number above `max`: the work stops
 * once no alignment can come back under it (length difference, or two rows all above it),
 * so ranking against the best distance so far skips most of each comparison.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  if (rowA.length <= b.length) {
    const size = b.length + 1;
    rowA = new Int32Array(size);
    rowB = new Int32Array(size);
    rowC = new Int32Array(size);
  }
  // twoBack = row i-2, previous = row i-1, current = row i (indexes j = 0..b.length).
  let twoBack = rowA;
  let previous = rowB;
  let current = rowC;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  let previousMin = 0;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let best = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        best = Math.min(best, (twoBack[j - 2] as number) + 1);
      }
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    // Row i+1 is at least min(this row, the previous row + 1) (the transposition reaches
    // back two rows); when both exceed max, so does every later row.
    if (rowMin > max && previousMin >= max) return max + 1;
    previousMin = rowMin;
    const spare = twoBack;
    twoBack = previous;
    previous = current;
    current = spare;
  }
  return previous[b.length] as number;
}
