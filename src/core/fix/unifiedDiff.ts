import { diffArrays } from 'diff';
import type { TextEdit } from '../model';

/**
 * A unified diff built from the fix's own edit list instead of a generic diff of the two texts: the generic
 * diff is O(N·D) and took 16 minutes on a 1.4 MB file with many fixes. Only the lines the edits touch are
 * compared (with a line diff when the touched block is small), so the cost follows the file's size once plus
 * the edited lines. Returns undefined when the edits do not produce `after` (the caller then diffs the texts).
 */

/** Touched blocks up to this many lines get a line diff (minimal hunks); larger ones are replaced as a block. */
const LINE_DIFF_LIMIT = 2000;

interface Change {
  /** 0-based index of the first old line replaced. */
  oldStart: number;
  removed: string[];
  added: string[];
}

/** Lines with their "\n" kept, so that a last line without one differs from the same line with one. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let from = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
    lines.push(text.slice(from, nl + 1));
    from = nl + 1;
  }
  if (from < text.length) lines.push(text.slice(from));
  return lines;
}

function applyInOrder(text: string, base: number, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start - base) + e.text;
    at = e.end - base;
  }
  return out + text.slice(at);
}

export function unifiedDiffFromEdits(before: string, after: string, edits: readonly TextEdit[], from: string, to: string, context = 3): string | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) return undefined; // overlapping
  if (applyInOrder(before, 0, sorted) !== after) return undefined;

  const lines = splitLines(before);
  const starts: number[] = [];
  for (let i = 0, offset = 0; i < lines.length; offset += lines[i].length, i++) starts.push(offset);
  let cursor = 0;
  // Edits are sorted, so the line search only moves forward: one pass over the file in all.
  const lineOf = (offset: number): number => {
    while (cursor + 1 < lines.length && starts[cursor + 1] <= offset) cursor++;
    return offset >= before.length && before.endsWith('\n') ? lines.length : cursor;
  };

  const changes: Change[] = [];
  for (let i = 0; i < sorted.length; ) {
    const first = lineOf(sorted[i].start);
    let last = Math.min(lines.length, lineOf(Math.max(sorted[i].start, sorted[i].end - 1)) + 1);
    let j = i + 1;
    while (j < sorted.length && lineOf(sorted[j].start) < last) {
      last = Math.max(last, Math.min(lines.length, lineOf(Math.max(sorted[j].start, sorted[j].end - 1)) + 1));
      j++;
    }
    const base = first < lines.length ? starts[first] : before.length;
    const end = last < lines.length ? starts[last] : before.length;
    const oldLines = lines.slice(first, last);
    const newLines = splitLines(applyInOrder(before.slice(base, end), base, sorted.slice(i, j)));
    for (const change of blockChanges(first, oldLines, newLines)) {
      // Touching changes print as one block (all "-" lines, then all "+"), as a line diff prints them.
      const previous = changes[changes.length - 1];
      if (previous && previous.oldStart + previous.removed.length === change.oldStart) {
        previous.removed = previous.removed.concat(change.removed);
        previous.added = previous.added.concat(change.added);
      } else changes.push(change);
    }
    i = j;
  }
  if (changes.length === 0) return undefined;
  return `--- ${from}\n+++ ${to}\n${formatHunks(lines, changes, context)}`;
}

/** The changes inside one touched block: a line diff when small, else the block minus its common head and tail. */
function blockChanges(first: number, oldLines: string[], newLines: string[]): Change[] {
  if (oldLines.length + newLines.length <= LINE_DIFF_LIMIT) {
    const changes: Change[] = [];
    let line = first;
    let pending: Change | undefined;
    for (const part of diffArrays(oldLines, newLines)) {
      if (!part.added && !part.removed) {
        if (pending) changes.push(pending);
        pending = undefined;
        line += part.value.length;
        continue;
      }
      pending ??= { oldStart: line, removed: [], added: [] };
      if (part.removed) {
        pending.removed.push(...part.value);
        line += part.value.length;
      } else pending.added.push(...part.value);
    }
    if (pending) changes.push(pending);
    return changes;
  }
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (tail < oldLines.length - head && tail < newLines.length - head && oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]) tail++;
  if (head === oldLines.length && head === newLines.length) return [];
  return [{ oldStart: first + head, removed: oldLines.slice(head, oldLines.length - tail), added: newLines.slice(head, newLines.length - tail) }];
}

function show(prefix: string, line: string): string {
  return line.endsWith('\n') ? `${prefix}${line}` : `${prefix}${line}\n\\ No newline at end of file\n`;
}

/** Hunks as GNU diff and jsdiff print them: changes closer than 2 × context lines share a hunk. */
function formatHunks(lines: string[], changes: Change[], context: number): string {
  let out = '';
  let shift = 0; // new line index minus old line index before the current change
  for (let i = 0; i < changes.length; ) {
    let j = i;
    while (j + 1 < changes.length && changes[j + 1].oldStart - (changes[j].oldStart + changes[j].removed.length) <= 2 * context) j++;
    const oldFrom = Math.max(0, changes[i].oldStart - context);
    const oldTo = Math.min(lines.length, changes[j].oldStart + changes[j].removed.length + context);
    const newFrom = oldFrom + shift;
    let body = '';
    let at = oldFrom;
    let added = 0;
    let removed = 0;
    for (let k = i; k <= j; k++) {
      const c = changes[k];
      for (; at < c.oldStart; at++) body += show(' ', lines[at]);
      for (const line of c.removed) body += show('-', line);
      for (const line of c.added) body += show('+', line);
      at += c.removed.length;
      removed += c.removed.length;
      added += c.added.length;
    }
    for (; at < oldTo; at++) body += show(' ', lines[at]);
    const oldCount = oldTo - oldFrom;
    const newCount = oldCount - removed + added;
    out += `@@ -${oldCount === 0 ? oldFrom : oldFrom + 1},${oldCount} +${newCount === 0 ? newFrom : newFrom + 1},${newCount} @@\n${body}`;
    shift += added - removed;
    i = j + 1;
  }
  return out;
}
