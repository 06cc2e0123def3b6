import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { runMultiTarget, type MultiTargetResult } from '../../../src/cli/multiTarget';
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
      const objective = await run('run', '--target', 'local,local2', '--objective', 'cheap', '--', 'train.py');
      assert.equal(objective.code, 2);
      assert.match(objective.err, /--objective must be latency, cost, balanced/);
      assert.equal((await run('bench', 'm.onnx', '--target', 'local,local2', '--max-p99', '-1')).code, 2);
      assert.deepEqual(readdirSync(root), ['porta.toml'], 'no run was recorded');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('ends with the comparison (cost per target) and the best target by the shared chooseTarget under --objective', async () => {
    const priced = (target: string, wallMs: number, amount: number): RunRecord => ({
      ...record(target, 'succeeded', wallMs, 0.5), cost: { amount, currency: 'USD', basis: `wall ${wallMs / 1000} s × test` },
    });
    const records: Record<string, RunRecord> = { local: priced('local', 900, 0.01), box: priced('box', 300, 0.05), down: record('down', 'failed') };
    const go = async (json: boolean, choice?: Parameters<typeof runMultiTarget>[2]['choice']) => {
      let out = '';
      const sink = (into: (t: string) => void) => new Writable({ write(chunk: Buffer, _e, cb) { into(chunk.toString()); cb(); } });
      const code = await runMultiTarget({ stdout: sink((t) => { out += t; }), stderr: sink(() => undefined), cwd: '/nowhere', env: {} },
        ['local', 'box', 'down'], { json, choice }, async (target) => records[target]);
      return { code, out };
    };
    const cheapest = await go(true, { objective: 'cost', constraints: {} });
    assert.equal(cheapest.code, 1, 'one target failed');
    const result = JSON.parse(cheapest.out) as MultiTargetResult;
    assert.deepEqual(result.comparison?.rows.map((r) => r.cost?.amount), [0.01, 0.05, undefined]);
    assert.equal(result.choice?.best, 'run-local');
    assert.match(result.choice!.reason, /^local\/cpu wins on cost: 0\.01 USD for the run, 5\.00× cheaper than box\/cpu/);
    assert.deepEqual(result.comparison?.choice, result.choice);
    assert.ok(result.choice!.excluded.some((e) => e.key === 'run-down' && /did not run/.test(e.why)));
    const fastest = await go(false);
    assert.match(fastest.out, /run cost/);
    assert.match(fastest.out, /^best target \(objective latency\): box\/cpu\. box\/cpu wins on latency: wall time 0\.30 s, 3\.00× faster than local\/cpu; 0\.05 USD for the run/m);
  });
});
