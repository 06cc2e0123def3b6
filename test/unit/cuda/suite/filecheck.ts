/**
 * Scores a hipify output against the `// CHECK` lines of its input the way hipify's suite runs FileCheck: the output
 * has its `//` comments blanked first (`sed -Ee 's|//.+|// |g'`), patterns match in order, runs of spaces and tabs
 * are equivalent, `{{regex}}` spans are regular expressions. Unlike FileCheck, a miss does not stop the file: the
 * score is the share of CHECK / CHECK-NEXT lines matched, so a partial conversion shows how far it got.
 */
export interface CheckScore {
  checks: number;
  matched: number;
  /** CHECK-NOT patterns found where they must not be. */
  notViolations: number;
  /** The first few missed patterns, for the report. */
  missed: string[];
}

type Directive = { kind: 'CHECK' | 'CHECK-NEXT' | 'CHECK-NOT'; pattern: RegExp; text: string };

const DIRECTIVE = /\/\/\s*(CHECK(?:-NEXT|-NOT)?):(.*)$/;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A FileCheck pattern as a RegExp: literal text with `{{re}}` holes, whitespace runs loosened. */
export function compilePattern(text: string): RegExp {
  let source = '';
  let rest = text.trim();
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    const close = open >= 0 ? rest.indexOf('}}', open + 2) : -1;
    const literal = open >= 0 && close >= 0 ? rest.slice(0, open) : rest;
    source += literal.split(/[ \t]+/).map(escape).join('[ \\t]+');
    if (open < 0 || close < 0) break;
    source += `(?:${rest.slice(open + 2, close)})`;
    rest = rest.slice(close + 2);
  }
  return new RegExp(source);
}

export function directives(input: string): Directive[] {
  const out: Directive[] = [];
  for (const line of input.split('\n')) {
    const match = DIRECTIVE.exec(line);
    if (match) out.push({ kind: match[1] as Directive['kind'], pattern: compilePattern(match[2]), text: match[2].trim() });
  }
  return out;
}

/** The output as FileCheck sees it in hipify's suite: every `//` comment blanked. */
export function blankComments(output: string): string[] {
  return output.split('\n').map((line) => line.replace(/\/\/.+/, '// '));
}

export function scoreFile(input: string, output: string): CheckScore {
  const lines = blankComments(output);
  const score: CheckScore = { checks: 0, matched: 0, notViolations: 0, missed: [] };
  let cursor = 0; // the first line a CHECK may match on
  let lastMatch = -1; // the line of the last match (CHECK-NEXT must be on the following line)
  const pendingNot: RegExp[] = [];
  const find = (pattern: RegExp, from: number, to: number) => {
    for (let i = from; i < to; i++) if (pattern.test(lines[i])) return i;
    return -1;
  };
  for (const directive of directives(input)) {
    if (directive.kind === 'CHECK-NOT') {
      pendingNot.push(directive.pattern);
      continue;
    }
    score.checks++;
    let found: number;
    if (directive.kind === 'CHECK-NEXT' && lastMatch >= 0) found = pattern1(directive.pattern, lines, lastMatch + 1);
    else found = find(directive.pattern, cursor, lines.length);
    if (found >= 0) {
      for (const not of pendingNot) if (find(not, cursor, found) >= 0) score.notViolations++;
      pendingNot.length = 0;
      score.matched++;
      cursor = found + 1;
      lastMatch = found;
    } else {
      lastMatch = -1; // after a miss, the next CHECK-NEXT is searched like a CHECK
      if (score.missed.length < 8) score.missed.push(`${directive.kind}: ${directive.text}`);
    }
  }
  for (const not of pendingNot) if (find(not, cursor, lines.length) >= 0) score.notViolations++;
  return score;
}

function pattern1(pattern: RegExp, lines: string[], index: number): number {
  return index < lines.length && pattern.test(lines[index]) ? index : -1;
}
