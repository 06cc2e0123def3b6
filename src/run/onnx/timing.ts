import type * as Ort from 'onnxruntime-node';

/**
 * The one loop that times session.run: nothing but the clock and the run, so the harness adds no overhead.
 * The worker's warm-up, its timed loop and the JIT warm-up (jitWarmup.ts) all go through it, so that V8 has
 * optimised this very code before the timed runs start. Stops after `count` samples in `into`, or at `deadline`.
 */
export async function timeRuns(
  session: Ort.InferenceSession,
  feeds: Record<string, Ort.Tensor>,
  count: number,
  deadline: number,
  into: number[],
): Promise<Ort.InferenceSession.ReturnType | undefined> {
  let last: Ort.InferenceSession.ReturnType | undefined;
  while (into.length < count) {
    const before = performance.now();
    last = await session.run(feeds);
    const after = performance.now();
    into.push(after - before);
    if (after >= deadline) break;
  }
  return last;
}
