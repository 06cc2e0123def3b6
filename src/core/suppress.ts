/**
 * Suppression comments: `# porta: ignore` or `# porta: ignore[RULE,...]` on the finding's line, and
 * `# porta: ignore-file` / `# porta: ignore-file[RULE,...]` anywhere in the file. Rule ids may be prefixes ("PT-CUDA").
 */
export interface Suppressions {
  isSuppressed(rule: string, line: number): boolean;
}

const MARKER = /(?:#|\/\/)\s*porta:\s*ignore(-file)?(?:\[([^\]]*)\])?/g;

export function parseSuppressions(text: string): Suppressions {
  if (!text.includes('porta:')) return { isSuppressed: () => false };
  const byLine = new Map<number, string[] | 'all'>();
  let fileWide: string[] | 'all' | undefined;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    const rules = m[2] === undefined ? 'all' : m[2].split(',').map((r) => r.trim()).filter(Boolean);
    if (m[1]) fileWide = merge(fileWide, rules);
    else {
      const line = lineOf(text, m.index);
      byLine.set(line, merge(byLine.get(line), rules));
    }
  }
  return {
    isSuppressed(rule, line) {
      return covers(fileWide, rule) || covers(byLine.get(line), rule);
    },
  };
}

function merge(a: string[] | 'all' | undefined, b: string[] | 'all'): string[] | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return [...(a ?? []), ...b];
}

function covers(entry: string[] | 'all' | undefined, rule: string): boolean {
  if (!entry) return false;
  return entry === 'all' || entry.some((id) => rule === id || rule.startsWith(id.endsWith('-') ? id : id + '-'));
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
