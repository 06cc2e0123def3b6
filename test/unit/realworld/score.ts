import type { Finding } from '../../../src/core/model';

/**
 * Detection scores against hand labels (issue 14). Two kinds of labels, both written by reading the corpus code:
 *  - whole files: each line is `must` (a finding is required: the code breaks or loses a feature off NVIDIA), `may`
 *    (a finding is acceptable), `guarded` (runs only where CUDA is present: a finding there is right only with the
 *    guarded verdict) or unlisted (any finding is a false alarm);
 *  - a seeded random sample of findings from a scan of the whole corpus, each judged `true`, `guarded` or `false`.
 * Recall is over `must` lines; precision over the findings on labelled files plus the sampled findings still reported.
 */

/** A line as labels name it: "12", or "CELL:LINE" in a notebook (0-based cell, 1-based line in the cell). */
export type LineKey = string;

export interface FileLabels {
  must?: (number | string)[];
  may?: (number | string)[];
  guarded?: (number | string)[];
  /** Why a line is labelled as it is, where it is not obvious. */
  notes?: Record<string, string>;
}

export type Judgement = 'true' | 'guarded' | 'false';

export interface JudgedFinding {
  path: string;
  line: number | string;
  rule: string;
  judgement: Judgement;
  reason: string;
}

export interface Scores {
  precision: number;
  recall: number;
  /** Must lines without a finding: "path:line". */
  misses: string[];
  /** Findings counted wrong: "path:line RULE (why)". */
  falseAlarms: string[];
  counted: { findings: number; correct: number; must: number; found: number; sampleGone: string[] };
}

export function lineKey(finding: Pick<Finding, 'range' | 'cell'>): LineKey {
  return finding.cell === undefined ? `${finding.range.start.line}` : `${finding.cell}:${finding.range.start.line}`;
}

export function isGuardedVerdict(finding: Pick<Finding, 'targets'>): boolean {
  return (Object.values(finding.targets) as string[]).includes('guarded');
}

export function score(findings: Finding[], files: Record<string, FileLabels>, sample: JudgedFinding[]): Scores {
  const byPath = new Map<string, Finding[]>();
  for (const finding of findings) byPath.set(finding.path, [...(byPath.get(finding.path) ?? []), finding]);
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  let total = 0;
  let correct = 0;
  let must = 0;
  let found = 0;

  for (const [path, labels] of Object.entries(files)) {
    const mustLines = new Set((labels.must ?? []).map(String));
    const mayLines = new Set((labels.may ?? []).map(String));
    const guardedLines = new Set((labels.guarded ?? []).map(String));
    const here = byPath.get(path) ?? [];
    const flagged = new Set(here.map(lineKey));
    for (const line of mustLines) {
      must++;
      if (flagged.has(line)) found++;
      else misses.push(`${path}:${line}`);
    }
    for (const finding of here) {
      total++;
      const line = lineKey(finding);
      if (mustLines.has(line) || mayLines.has(line)) correct++;
      else if (guardedLines.has(line) && isGuardedVerdict(finding)) correct++;
      else falseAlarms.push(`${path}:${line} ${finding.rule} (${guardedLines.has(line) ? 'guarded code without the guarded verdict' : 'unlabelled line'})`);
    }
  }

  const reported = new Map(findings.map((f) => [`${f.path}:${lineKey(f)} ${f.rule}`, f]));
  const sampleGone: string[] = [];
  for (const judged of sample) {
    const key = `${judged.path}:${judged.line} ${judged.rule}`;
    const finding = reported.get(key);
    if (!finding) {
      sampleGone.push(`${key} (${judged.judgement})`);
      continue;
    }
    total++;
    if (judged.judgement === 'true' || (judged.judgement === 'guarded' && isGuardedVerdict(finding))) correct++;
    else falseAlarms.push(`${key} (${judged.judgement === 'false' ? `false alarm: ${judged.reason}` : `guarded without the guarded verdict: ${judged.reason}`})`);
  }

  return {
    precision: total ? correct / total : 1,
    recall: must ? found / must : 1,
    misses,
    falseAlarms,
    counted: { findings: total, correct, must, found, sampleGone },
  };
}

/** A small seeded generator (mulberry32): the same seed draws the same sample on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` findings drawn at random (seeded) from those outside the labelled files, in a stable order. */
export function drawSample(findings: Finding[], labelled: Set<string>, seed: number, count: number): Finding[] {
  const pool = findings.filter((f) => !labelled.has(f.path)).sort((a, b) => `${a.path}:${lineKey(a)} ${a.rule}`.localeCompare(`${b.path}:${lineKey(b)} ${b.rule}`));
  const next = seededRandom(seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}
