/**
 * Edits that turn one text into the other: a character inserted, removed or replaced, or two
 * neighbours swapped (optimal string alignment), the typos a hand-written key holds. Written
 * here: no dependency of the project has one (`diff` finds changes, not their count, and has no
 * replace or swap).
 */
export function editDistance(a: string, b: string): number {
  // Three rows of the table: the one before the last, the last, the current.
  let before: number[] = [];
  let last = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(last[j]! + 1, row[j - 1]! + 1, last[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      row.push(best);
    }
    before = last;
    last = row;
  }
  return last[b.length]!;
}
