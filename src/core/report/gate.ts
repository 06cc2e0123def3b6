import type { Finding } from '../model';
import { VERDICTS, type Backend, type Verdict } from '../targets';

/** What `porta scan --fail-on` accepts: any finding, or a verdict at least this bad on a target of interest. */
export const FAIL_ON = ['any', 'shim', 'degraded', 'breaks'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * Whether the scan fails the gate. Verdicts rank in VERDICTS order (ok < shim < guarded < degraded < breaks), but a
 * guarded finding never fails a verdict gate: the code it names does not run where CUDA is missing.
 */
export function failsGate(findings: readonly Finding[], failOn: FailOn, targets: readonly Backend[]): boolean {
  if (failOn === 'any') return findings.length > 0;
  const threshold = VERDICTS.indexOf(failOn);
  return findings.some((f) => targets.some((t) => {
    const verdict: Verdict | undefined = f.targets[t];
    return verdict !== undefined && verdict !== 'guarded' && VERDICTS.indexOf(verdict) >= threshold;
  }));
}
