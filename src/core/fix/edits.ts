import type { Fix, TextEdit } from '../model';

/** Whether two edits touch the same text. Insertions at the boundary of a replacement do not overlap it. */
export function editsOverlap(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return b.start < a.start && a.start < b.end;
  if (b.start === b.end) return a.start < b.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

export interface MergeResult {
  /** The accepted edits, sorted by position, without duplicates. */
  edits: TextEdit[];
  accepted: Fix[];
  /** Fixes dropped because one of their edits overlaps an edit of an earlier fix. */
  rejected: Fix[];
}

/**
 * Accepts whole fixes in order: a fix whose edits overlap an accepted edit is rejected entirely (never half-applied).
 * An edit identical to an accepted one (e.g. the same import inserted twice) is shared, not a conflict.
 */
export function mergeFixes(fixes: Fix[]): MergeResult {
  // Accepted edits stay sorted by (start, end) and pairwise non-overlapping, so a new edit only needs checking
  // against its neighbours around the binary-search position: O(n log n) for a whole file.
  const edits: TextEdit[] = [];
  const seen = new Set<string>();
  const accepted: Fix[] = [];
  const rejected: Fix[] = [];
  const position = (edit: TextEdit): number => {
    let lo = 0;
    let hi = edits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = edits[mid]!;
      if (other.start < edit.start || (other.start === edit.start && other.end <= edit.end)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const conflicts = (edit: TextEdit): boolean => {
    const at = position(edit);
    for (let i = at - 1; i >= 0; i--) {
      if (editsOverlap(edits[i]!, edit)) return true;
      if (edits[i]!.end < edit.start) break;
    }
    for (let i = at; i < edits.length && edits[i]!.start <= edit.end; i++) if (editsOverlap(edits[i]!, edit)) return true;
    return false;
  };
  const key = (edit: TextEdit): string => `${edit.start}:${edit.end}:${edit.text}`;
  for (const fix of fixes) {
    const fresh: TextEdit[] = [];
    let conflict = false;
    for (const edit of fix.edits) {
      if (edit.start > edit.end) throw new Error(`invalid edit [${edit.start}, ${edit.end})`);
      if (seen.has(key(edit)) || fresh.some((other) => sameEdit(other, edit))) continue;
      if (conflicts(edit) || fresh.some((other) => editsOverlap(other, edit))) {
        conflict = true;
        break;
      }
      fresh.push(edit);
    }
    if (conflict) {
      rejected.push(fix);
      continue;
    }
    for (const edit of fresh) {
      edits.splice(position(edit), 0, edit);
      seen.add(key(edit));
    }
    accepted.push(fix);
  }
  return { edits, accepted, rejected };
}

/** Applies non-overlapping edits (0-based UTF-16 offsets into `text`). Throws on overlap: callers merge first. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping edits at offset ${edit.start}`);
    if (edit.end > text.length) throw new Error(`edit [${edit.start}, ${edit.end}) beyond the end of the text (${text.length})`);
    out += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}
