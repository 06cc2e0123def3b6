// Loaded lazily by analyzerHost.ts. The live analysis runs in a worker thread (dist/analysis-worker.js): a 5,000-line
// file takes hundreds of milliseconds to analyse, which must not freeze the extension host. Rule metadata (for hovers
// and docs links) is plain data and stays here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RULES, getRule } from '../core/rules';
import type { ResolvedConfig } from '../core/config';
import type { FixOptions } from '../core/fix/types';
import type { FixAllOptions } from '../core/fix/python/fixAll';
import type { AnalysisResult } from '../core/model';
import { summarizeFixAll, type AnalyzedDocument, type AnalyzeOptions, type AnalyzerPort, type FixAllSummary, type TextChange } from './analyzerPort';
import { unpackResult } from './worker/packedResult';
import type { FromAnalysisWorker, ToAnalysisWorker } from './worker/protocol';

export async function createAnalyzerPort(extensionPath: string, onWorkerExit?: (reason: string) => void): Promise<AnalyzerPort> {
  const wasmDirectory = path.join(extensionPath, 'dist', 'wasm');
  const workerFile = path.join(extensionPath, 'dist', 'analysis-worker.js');
  if (fs.existsSync(workerFile)) return WorkerAnalyzer.start(workerFile, wasmDirectory, onWorkerExit);
  return inThreadAnalyzer(wasmDirectory);
}

const rules = { rule: (id: string) => getRule(id), allRules: () => RULES };

class WorkerAnalyzer implements AnalyzerPort {
  readonly mode = 'worker';
  readonly rule = rules.rule;
  readonly allRules = rules.allRules;
  private nextDoc = 1;
  private nextRequest = 1;
  private readonly pending = new Map<number, { resolve: (r: never) => void; reject: (e: Error) => void }>();
  private dead: string | undefined;

  private constructor(
    private readonly worker: Worker,
    onExit?: (reason: string) => void,
  ) {
    worker.on('message', (message: FromAnalysisWorker) => {
      if (message.type === 'ready' || message.type === 'failed') return;
      const waiter = this.pending.get(message.request);
      this.pending.delete(message.request);
      if (message.type === 'result') waiter?.resolve(unpackResult(message.result) as never);
      else if (message.type === 'fixed') waiter?.resolve(message.summary as never);
      else if (message.type === 'fixedCells') waiter?.resolve({ sources: message.sources, summary: message.summary } as never);
      else waiter?.reject(new Error(message.message));
    });
    const die = (reason: string) => {
      if (this.dead) return;
      this.dead = reason;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`analysis worker stopped: ${reason}`));
      this.pending.clear();
      onExit?.(reason);
    };
    worker.on('error', (error) => die(error.message));
    worker.on('exit', (code) => die(`exit code ${code}`));
    // The worker must not keep the host alive on shutdown.
    worker.unref();
  }

  static start(file: string, wasmDirectory: string, onExit?: (reason: string) => void): Promise<WorkerAnalyzer> {
    const worker = new Worker(file, { workerData: { wasmDirectory } });
    return new Promise((resolve, reject) => {
      const first = (message: FromAnalysisWorker) => {
        worker.off('message', first);
        if (message.type === 'ready') resolve(new WorkerAnalyzer(worker, onExit));
        else {
          void worker.terminate();
          reject(new Error(message.type === 'failed' ? message.message : 'analysis worker failed to start'));
        }
      };
      worker.on('message', first);
      worker.once('error', reject);
    });
  }

  private post(message: ToAnalysisWorker): void {
    if (this.dead) throw new Error(`analysis worker stopped: ${this.dead}`);
    this.worker.postMessage(message);
  }

  /** T: what the worker answers this message with (AnalysisResult for analyses, a summary for fixAll). */
  private request<T = AnalysisResult>(make: (request: number) => ToAnalysisWorker): Promise<T> {
    const request = this.nextRequest++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(request, { resolve: resolve as (r: never) => void, reject });
      try {
        this.post(make(request));
      } catch (error) {
        this.pending.delete(request);
        reject(error as Error);
      }
    });
  }

  openDocument(file: string, text: string): AnalyzedDocument {
    const doc = this.nextDoc++;
    this.post({ type: 'open', doc, path: file, text });
    return {
      update: (change: readonly TextChange[] | string) => this.post({ type: 'update', doc, change: typeof change === 'string' ? change : [...change] }),
      analyze: (config: ResolvedConfig, options: AnalyzeOptions = {}) =>
        this.request((request) => ({ type: 'analyze', doc, request, config, fix: options.fix, fixRange: options.fixRange })),
      fixAll: (options: FixAllOptions) => this.request<FixAllSummary | undefined>((request) => ({ type: 'fixAll', doc, request, options })),
      dispose: () => {
        if (!this.dead) this.post({ type: 'close', doc });
      },
    };
  }

  analyze(file: string, text: string, config: ResolvedConfig, fix?: FixOptions): Promise<AnalysisResult> {
    return this.request((request) => ({ type: 'analyzeText', request, path: file, text, config, fix }));
  }

  fixCells(sources: readonly string[], options: FixAllOptions): Promise<{ sources: string[]; summary: FixAllSummary }> {
    return this.request((request) => ({ type: 'fixCells', request, sources: [...sources], options }));
  }

  dispose(): void {
    this.dead ??= 'disposed';
    void this.worker.terminate();
  }
}

/** Fallback when the worker bundle is missing (running from source): same API, on this thread. */
async function inThreadAnalyzer(wasmDirectory: string): Promise<AnalyzerPort> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { setWasmDirectory } = require('../core/parse/loader') as typeof import('../core/parse/loader');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadAnalyzer } = require('../core/analyze') as typeof import('../core/analyze');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fixNotebookCells } = require('../core/fix') as typeof import('../core/fix');
  if (fs.existsSync(wasmDirectory)) setWasmDirectory(wasmDirectory);
  const analyzer = await loadAnalyzer();
  return {
    mode: 'in-thread',
    ...rules,
    openDocument: (file, text) => {
      const document = analyzer.openDocument(file, text);
      return {
        update: (change) => document.update(typeof change === 'string' ? change : [...change]),
        analyze: async (config, options = {}) => document.analyze(config, options.fix, options.fixRange),
        fixAll: async (options) => {
          const result = document.fixAll?.(options);
          return result && summarizeFixAll(result);
        },
        dispose: () => document.dispose(),
      };
    },
    analyze: async (file, text, config, fix) => analyzer.analyze(file, text, config, fix),
    fixCells: async (sources, options) => {
      const { sources: fixed, result } = await fixNotebookCells(sources, options);
      return { sources: fixed, summary: summarizeFixAll(result) };
    },
    dispose: () => undefined,
  };
}
