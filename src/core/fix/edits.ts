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
  const edits: TextEdit[] = [];
  const accepted: Fix[] = [];
  const rejected: Fix[] = [];
  for (const fix of fixes) {
    const fresh: TextEdit[] = [];
    let conflict = false;
    for (const edit of fix.edits) {
      if (edit.start > edit.end) throw new Error(`invalid edit [${edit.start}, ${edit.end})`);
      if (edits.some((other) => sameEdit(other, edit)) || fresh.some((other) => sameEdit(other, edit))) continue;
      if (edits.some((other) => editsOverlap(other, edit)) || fresh.some((other) => editsOverlap(other, edit))) {
        conflict = true;
        break;
      }
      fresh.push(edit);
    }
    if (conflict) {
      rejected.push(fix);
      continue;
    }
    edits.push(...fresh);
    accepted.push(fix);
  }
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
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
