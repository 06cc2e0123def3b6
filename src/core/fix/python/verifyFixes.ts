/**
 * The fixes of a pass that break the file's syntax, so that they alone are dropped and the others still apply.
 * Fixes are kept greedily, in order, a group at a time: a group that parses together with everything kept so far is
 * kept whole, one that does not is halved, and a single fix that does not is dropped. So the kept fixes always parse
 * together (also when two fixes break only in combination: the later one goes), in about k·log2(n) parses for k
 * breaking fixes among n. It only runs when a whole pass did not parse (a bug in a rewrite).
 */
export function breakingFixes<T>(candidates: readonly T[], parses: (subset: readonly T[]) => boolean): T[] {
  const kept: T[] = [];
  const dropped: T[] = [];
  const add = (group: readonly T[]): void => {
    if (group.length === 0) return;
    if (parses([...kept, ...group])) {
      kept.push(...group);
    } else if (group.length === 1) {
      dropped.push(group[0]!);
    } else {
      const middle = group.length >> 1;
      add(group.slice(0, middle));
      add(group.slice(middle));
    }
  };
  add(candidates);
  return dropped;
}
