import { mapWithConcurrency } from '../concurrency';
import type { RunRecord } from '../record';

/** How one target of a multi-target action ended: its record, or why there is none. */
export interface TargetOutcome {
  target: string;
  record?: RunRecord;
  /** No record: the launch threw, or the action was cancelled before this target's turn. */
  error?: string;
}

export interface TargetStartIO {
  onLog(text: string): void;
  signal: AbortSignal;
}

export interface RunOnTargetsOptions {
  targets: readonly string[];
  /** Launches one target and resolves with its final record (failures are records too, see startRun). */
  start(target: string, io: TargetStartIO): Promise<RunRecord>;
  /** At most this many targets run at once (default 4). */
  concurrency?: number;
  /** Aborting cancels every running target and starts no more. */
  signal?: AbortSignal;
  onLog?(target: string, text: string): void;
  onEnd?(outcome: TargetOutcome): void;
}

export const DEFAULT_TARGET_CONCURRENCY = 4;

/**
 * Runs one action on several targets, at most `concurrency` at a time, in the targets' order. A target that fails,
 * throws or is unreachable ends with its outcome and the others go on; only the signal stops them all.
 */
export async function runOnTargets(options: RunOnTargetsOptions): Promise<TargetOutcome[]> {
  // One controller per action, so aborting the caller's signal reaches launches that started before it fired.
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    return await mapWithConcurrency(options.targets, Math.max(1, options.concurrency ?? DEFAULT_TARGET_CONCURRENCY), async (target) => {
      let outcome: TargetOutcome;
      if (controller.signal.aborted) {
        outcome = { target, error: 'cancelled before it started' };
      } else {
        try {
          const record = await options.start(target, { onLog: (text) => options.onLog?.(target, text), signal: controller.signal });
          outcome = { target, record };
        } catch (error) {
          outcome = { target, error: error instanceof Error ? error.message : String(error) };
        }
      }
      options.onEnd?.(outcome);
      return outcome;
    });
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

/** True when every target produced a record that succeeded. */
export function allSucceeded(outcomes: readonly TargetOutcome[]): boolean {
  return outcomes.length > 0 && outcomes.every((o) => o.record?.status === 'succeeded');
}
