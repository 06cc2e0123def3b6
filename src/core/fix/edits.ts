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

/**
 * One edit list for two rounds: `first` turns a text into `middle`, `second` turns `middle` into the result; the
 * edits returned turn the original text into that result directly (what an editor applies as one undo step).
 * A second edit that touches text a first edit wrote merges with it into one edit. Both lists: non-overlapping.
 */
export function composeEdits(first: readonly TextEdit[], middle: string, second: readonly TextEdit[]): TextEdit[] {
  if (second.length === 0) return [...first];
  if (first.length === 0) return [...second];
  interface Span {
    start: number;
    end: number;
    /** A first edit, with where its text sits in `middle`. */
    written?: TextEdit;
    /** A second edit (already in `middle` offsets). */
    edit?: TextEdit;
  }
  let shift = 0;
  const spans: Span[] = [...first].sort(byPosition).map((e) => {
    const start = e.start + shift;
    shift += e.text.length - (e.end - e.start);
    return { start, end: start + e.text.length, written: e };
  });
  for (const e of [...second].sort(byPosition)) spans.push({ start: e.start, end: e.end, edit: e });
  spans.sort((a, b) => a.start - b.start || (a.written ? -1 : 1) - (b.written ? -1 : 1) || a.end - b.end);

  const out: TextEdit[] = [];
  let before = 0; // middle offset minus original offset, after the first edits already passed
  for (let i = 0; i < spans.length; ) {
    // A cluster: spans that overlap or touch, in `middle` offsets.
    const cluster = [spans[i]!];
    let end = spans[i]!.end;
    for (i++; i < spans.length && spans[i]!.start <= end; i++) {
      cluster.push(spans[i]!);
      end = Math.max(end, spans[i]!.end);
    }
    const start = cluster[0]!.start;
    const firsts = cluster.filter((s) => s.written);
    const seconds = cluster.filter((s) => s.edit);
    const delta = firsts.reduce((n, s) => n + s.written!.text.length - (s.written!.end - s.written!.start), 0);
    if (seconds.length === 0) {
      out.push(...firsts.map((s) => s.written!)); // untouched first edits stand as they were
    } else {
      let text = '';
      let cursor = start;
      for (const s of seconds) {
        text += middle.slice(cursor, s.start) + s.edit!.text;
        cursor = s.end;
      }
      text += middle.slice(cursor, end);
      out.push({ start: start - before, end: end - before - delta, text });
    }
    before += delta;
  }
  return out;
}

function byPosition(a: TextEdit, b: TextEdit): number {
  return a.start - b.start || a.end - b.end;
}
