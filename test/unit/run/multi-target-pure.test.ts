import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { compareRuns } from '../../../src/run/compare';
import { fastestMatching } from '../../../src/run/multi/bestTarget';
import { PrefixedLog } from '../../../src/run/multi/prefixedLog';
import { allSucceeded, runOnTargets } from '../../../src/run/multi/runOnTargets';
import { parseTargetList } from '../../../src/run/multi/targetList';
import type { RunRecord } from '../../../src/run/record';

function record(target: string, status: RunRecord['status'], wallMs?: number, loss?: number): RunRecord {
  return {
    version: 1, id: `run-${target}`, kind: 'script', target, targetKind: 'local', backend: 'cpu', command: [], entry: 'train.py',
    startedAt: '2026-01-01T00:00:00Z', status, logFile: '/dev/null',
    metrics: { ...(wallMs === undefined ? {} : { wallMs }), ...(loss === undefined ? {} : { custom: { loss } }) },
  };
}

describe('multi-target runs (pure parts)', () => {
  it('parses a target list: trimmed, in order, each once, local by default', () => {
    assert.deepEqual(parseTargetList(' a, b ,,a,c'), ['a', 'b', 'c']);
    assert.deepEqual(parseTargetList(undefined), ['local']);
    assert.deepEqual(parseTargetList(','), []);
  });

  it('prefixes whole lines with the target name, never splitting a line between targets', () => {
    let out = '';
    const log = new PrefixedLog(['local', 'gpu'], (t) => { out += t; });
    log.log('local', 'hel');
    log.log('gpu', 'one\ntw');
    log.log('local', 'lo\n');
    log.flush('gpu');
    log.note('local', 'porta: done');
    assert.equal(out, '[gpu]   one\n[local] hello\n[gpu]   tw\n[local] porta: done\n');
  });

  it('runs every target with at most N at once; a failing or throwing target does not stop the others', async () => {
    let running = 0;
    let peak = 0;
    const ended: string[] = [];
    const outcomes = await runOnTargets({
      targets: ['a', 'b', 'c', 'd', 'e'],
      concurrency: 2,
      onEnd: (o) => ended.push(o.target),
      start: async (target) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        if (target === 'b') throw new Error('cannot reach b');
        return record(target, target === 'd' ? 'failed' : 'succeeded');
      },
    });
    assert.equal(peak, 2);
    assert.deepEqual(outcomes.map((o) => o.record?.status ?? o.error), ['succeeded', 'cannot reach b', 'succeeded', 'failed', 'succeeded']);
    assert.deepEqual([...ended].sort(), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(allSucceeded(outcomes), false);
    assert.equal(allSucceeded(outcomes.filter((o) => o.record?.status === 'succeeded')), true);
  });

  it('aborting reaches every running target and starts no more', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const promise = runOnTargets({
      targets: ['a', 'b', 'c'],
      concurrency: 2,
      signal: controller.signal,
      start: (target, io) => {
        started.push(target);
        return new Promise((resolve) => io.signal.addEventListener('abort', () => resolve(record(target, 'cancelled'))));
      },
    });
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const outcomes = await promise;
    assert.deepEqual(started, ['a', 'b']);
    assert.deepEqual(outcomes.map((o) => o.record?.status ?? o.error), ['cancelled', 'cancelled', 'cancelled before it started']);
  });

  it('picks the fastest run whose metrics match the reference, leaving out failed and drifting ones', () => {
    const comparison = compareRuns([record('local', 'succeeded', 900, 0.5), record('ssh', 'succeeded', 300, 0.9), record('slurm', 'succeeded', 600, 0.5), record('down', 'failed')]);
    const best = fastestMatching(comparison);
    assert.equal(best?.target, 'slurm');
    assert.equal(best?.metric, 'wall');
    assert.match(best?.why ?? '', /2 left out/);
    assert.equal(fastestMatching(compareRuns([record('down', 'failed')])), undefined);
  });

  it('refuses unknown target names, a bad --concurrency and a script outside the workspace before starting anything', async () => {
    const root = mkdtempSync(join(tmpdir(), 'porta-multi-'));
    writeFileSync(join(root, 'porta.toml'), '[targets.local2]\nkind = "local"\n');
    try {
      const run = async (...argv: string[]): Promise<{ code: number; err: string }> => {
        let err = '';
        const sink = (into: (t: string) => void) => new Writable({ write(chunk: Buffer, _e, cb) { into(chunk.toString()); cb(); } });
        const code = await main(argv, { stdout: sink(() => undefined), stderr: sink((t) => { err += t; }), cwd: root, env: process.env });
        return { code, err };
      };
      const unknown = await run('run', '--target', 'local,nosuch', '--', 'train.py');
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, /nosuch/);
      assert.equal((await run('run', '--target', 'local,local2', '--concurrency', '0', '--', 'train.py')).code, 2);
      const outside = await run('run', '--target', 'local,local2', '--', '../outside.py');
      assert.equal(outside.code, 2);
      assert.match(outside.err, /inside the workspace/);
      assert.equal((await run('bench', 'm.onnx', '--target', ' , ')).code, 2);
      assert.deepEqual(readdirSync(root), ['porta.toml'], 'no run was recorded');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
