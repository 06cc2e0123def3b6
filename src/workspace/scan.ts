import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { loadAnalyzer, PARSE_LIMIT, type Analyzer } from '../core/analyze';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../core/config';
import type { AnalysisResult, FileNote, Finding } from '../core/model';
import type { FixOptions } from '../core/fix/types';
import { compareFindings } from '../core/findings';
import { countLines } from '../core/text';
import type { ScanResult } from '../core/report/types';
import { walk, type WalkFile } from './walk';
import { readSourceFile } from './read';
import type { FromWorker, ToWorker, WorkItem, WorkerInit } from './protocol';
import { unpackResults } from './pack';
import { analyzeSafely } from './safe';

export interface ScanProgress {
  filesSeen: number;
  filesAnalyzed: number;
  findings: number;
  currentPath?: string;
}

export interface ScanOptions {
  cwd: string;
  config?: ResolvedConfig;
  fixOptions?: FixOptions;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /** Worker threads; 0 analyses in this thread. Default: min(cpus - 1, 4), and 0 for small scans. With workers, this thread analyses queued batches too once the walk is over. */
  workers?: number;
  /** Reuse an analyzer already loaded in this thread (the extension has one). */
  analyzer?: Analyzer;
  /** The worker script; default dist/scan-worker.js next to the bundle, or worker.ts through tsx from source. */
  workerFile?: string;
  /**
   * Whether this thread analyses queued batches too once the walk is over (default true: the CLI's cores would idle).
   * The extension passes false: its thread is the extension host's, which must stay responsive during a scan.
   */
  helpOnThisThread?: boolean;
}

/** The most analysis threads a scan starts: each loads its own grammars (tens of MB); more than the cores buys nothing. */
export const MAX_WORKERS = Math.max(16, os.availableParallelism() * 2);

const BATCH_CHARS = 256 * 1024;
const READ_CONCURRENCY = 16;
/** Below this many candidate files, starting workers (each loads the grammars) costs more than it saves. */
const WORKER_THRESHOLD = 40;
/** A walk this long is a large repository: start the workers (about 0.3 s to load) while the walk goes on. */
const EARLY_START_FILES = 300;

export class ScanCancelled extends Error {
  constructor() {
    super('Scan cancelled');
  }
}

/**
 * Walks the roots, reads each file once, drops files the byte prefilter rules out, and analyses the rest in worker
 * threads. Paths in the result are as given (roots joined with relative paths). Nothing a file contains can crash it.
 */
export async function scanWorkspace(roots: string[], options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const config = options.config ?? DEFAULT_CONFIG;
  const analyzer = options.analyzer ?? (await loadAnalyzer());
  const notes: FileNote[] = [];
  const findings: Finding[] = [];
  let filesScanned = 0;
  let linesScanned = 0;
  let filesAnalyzed = 0;
  const progress = (currentPath?: string) => options.onProgress?.({ filesSeen: filesScanned, filesAnalyzed, findings: findings.length, currentPath });
  const collect = (result: AnalysisResult) => {
    findings.push(...result.findings);
    notes.push(...result.notes);
  };

  const wanted = Math.min(options.workers ?? Math.max(1, Math.min(os.availableParallelism() - 1, 4)), MAX_WORKERS);
  // Started once enough candidates show up; the walk goes on while the workers load their grammars.
  let pool: WorkerPool | undefined;
  let usedWorkers = 0;
  const queue: WorkItem[] = [];
  let queuedChars = 0;
  const pending: Promise<void>[] = [];
  const flush = () => {
    if (queue.length === 0) return;
    const items = queue.splice(0);
    queuedChars = 0;
    if (!pool) {
      // Small scans analyse here: a file that trips the analyzer still becomes a note, as it would in a worker.
      for (const item of items) collect(analyzeSafely(analyzer, item, config, options.fixOptions));
      filesAnalyzed += items.length;
      return;
    }
    pending.push(
      pool.run(items).then((results) => {
        results.forEach(collect);
        filesAnalyzed += items.length;
        progress();
      }),
    );
  };

  const candidates: WorkItem[] = [];
  try {
    const reading = new Set<Promise<void>>();
    const handle = async (entry: WalkFile) => {
      // A file the parser cannot take is not read at all, even under a raised max-file-size (16 reads in flight).
      if (entry.size > PARSE_LIMIT && entry.size <= config.maxFileSize) {
        notes.push({ path: entry.path, kind: 'too-large', message: `Skipped: ${entry.size} bytes is over the ${PARSE_LIMIT} the parser can take, whatever max-file-size says` });
        return;
      }
      const read = await readSourceFile(entry.path, entry.absolute, Math.min(config.maxFileSize, PARSE_LIMIT), entry.size);
      if ('note' in read) {
        notes.push(read.note);
        return;
      }
      if (!analyzer.handles(entry.path, read.text)) return;
      filesScanned++;
      linesScanned += countLines(read.text);
      if (filesScanned % 200 === 0) progress(entry.path);
      if (!analyzer.isCandidate(entry.path, read.text)) return;
      const item = { path: entry.path, text: read.text };
      if (!pool) {
        candidates.push(item);
        if ((candidates.length >= WORKER_THRESHOLD || filesScanned >= EARLY_START_FILES) && wanted > 0) {
          pool = new WorkerPool(wanted, { config, fixOptions: options.fixOptions }, options.workerFile);
          usedWorkers = wanted;
          for (const c of candidates.splice(0)) enqueue(c);
        }
        return;
      }
      enqueue(item);
    };
    for await (const entry of walk(roots, options.cwd, { exclude: config.exclude, signal: options.signal, accept: (p) => analyzer.handles(p) || mightBeScript(p) })) {
      if (options.signal?.aborted) throw new ScanCancelled();
      if (entry.kind === 'note') {
        notes.push(entry.note);
        continue;
      }
      // Several reads in flight: file I/O waits overlap with prefiltering and the workers' analysis.
      const task: Promise<void> = handle(entry).finally(() => reading.delete(task));
      reading.add(task);
      if (reading.size >= READ_CONCURRENCY) await Promise.race(reading);
    }
    await Promise.all(reading);
    if (!pool) for (const c of candidates.splice(0)) enqueue(c);
    flush();
    // The walk is over: this thread helps the workers (and starts on the batches while they still load).
    // Without help (the extension), this thread still takes over if every worker failed to start.
    pool?.helpWith((item) => {
      if (options.signal?.aborted) throw new ScanCancelled(); // stop taking files; the workers' batches end on their own
      return analyzeSafely(analyzer, item, config, options.fixOptions);
    }, options.helpOnThisThread !== false);
    await Promise.all(pending);
  } finally {
    await Promise.allSettled(pending);
    if (pool) await pool.close();
  }
  if (options.signal?.aborted) throw new ScanCancelled();
  progress();
  // localeCompare (ICU) only between files: tens of thousands of findings share a handful of paths.
  findings.sort((a, b) => (a.path === b.path ? compareFindings(a, b) : a.path.localeCompare(b.path)));
  notes.sort((a, b) => a.path.localeCompare(b.path));
  return { findings, notes, filesScanned, linesScanned, durationMs: performance.now() - started, workers: usedWorkers };

  function enqueue(item: WorkItem) {
    queue.push(item);
    queuedChars += item.text.length;
    if (queuedChars >= BATCH_CHARS || !pool) flush();
  }
}

/** Files whose kind depends on their text (shebang scripts, C++ with CUDA headers); the analyzer decides after reading. */
function mightBeScript(p: string): boolean {
  const name = path.basename(p);
  if (/\.(?:c|cc|cpp|cxx|h|hh|hpp|hxx|inl)$/i.test(name)) return true; // C++ that may include CUDA headers
  return !name.includes('.') && name !== 'LICENSE' && name !== 'Makefile';
}

interface Job {
  items: WorkItem[];
  resolve: (results: AnalysisResult[]) => void;
  reject: (error: unknown) => void;
}

/**
 * A fixed set of analysis workers; batches go to whichever is idle. Once the walk is over the main thread has
 * nothing left to do but wait, so it takes queued batches too (a file at a time, so that finished workers get
 * their next batch without waiting for it).
 */
class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly jobs: Job[] = [];
  private nextId = 0;
  private local: ((item: WorkItem) => AnalysisResult) | undefined;
  private localAlways = true;
  private localBusy = false;
  /** Workers not known to have failed to start. */
  private alive = 0;

  private readonly workers: Worker[] = [];

  /**
   * Starts the workers; each takes batches once it has loaded its grammars (about 0.3 s). One that fails to start is
   * dropped: its share falls to the others and to the main thread, which always helps once the walk is over.
   */
  constructor(count: number, init: Omit<WorkerInit, 'wasmDirectory'>, workerFile?: string) {
    const { file, execArgv } = workerFile ? { file: workerFile, execArgv: [] } : workerEntry();
    this.alive = count;
    for (let i = 0; i < count; i++) {
      const worker = new Worker(file, { workerData: init satisfies WorkerInit, execArgv });
      this.workers.push(worker);
      const onMessage = (message: FromWorker) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (message.type === 'ready') {
          this.idle.push(worker);
          this.dispatch();
        } else onError();
      };
      const onError = () => {
        worker.off('message', onMessage);
        worker.on('error', () => undefined); // whatever else it reports: it is gone
        void worker.terminate();
        this.alive--;
        this.dispatch();
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
    }
  }

  run(items: WorkItem[]): Promise<AnalysisResult[]> {
    return new Promise<AnalysisResult[]>((resolve, reject) => {
      this.jobs.push({ items, resolve, reject });
      this.dispatch();
    });
  }

  /** From now on the calling thread analyses queued batches as well (or, when not `always`, only if no worker started). */
  helpWith(analyze: (item: WorkItem) => AnalysisResult, always = true): void {
    this.local = analyze;
    this.localAlways = always;
    this.dispatch();
  }

  private dispatch(): void {
    while (this.jobs.length > 0 && this.idle.length > 0) this.send(this.idle.pop()!, this.jobs.shift()!);
    if (this.jobs.length > 0 && this.local && !this.localBusy && (this.localAlways || this.alive === 0)) this.runLocally(this.jobs.shift()!);
  }

  private send(worker: Worker, job: Job): void {
    const id = this.nextId++;
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      this.idle.push(worker);
      this.dispatch();
    };
    const onMessage = (message: FromWorker) => {
      if (message.type !== 'result' || message.id !== id) return;
      done();
      job.resolve(unpackResults(message.packed));
    };
    // A worker that dies (out of memory on one huge file) does not end the scan: its batch is retried a file at a
    // time elsewhere, and a file that fails alone gets a note.
    const onError = (error: unknown) => {
      worker.off('message', onMessage);
      worker.on('error', () => undefined);
      void worker.terminate();
      this.alive--;
      if (job.items.length > 1) {
        const retried = job.items.map((item) => new Promise<AnalysisResult[]>((resolve, reject) => this.jobs.push({ items: [item], resolve, reject })));
        Promise.all(retried).then((results) => job.resolve(results.flat()), job.reject);
      } else {
        const why = error instanceof Error ? error.message : String(error);
        job.resolve(job.items.map((item) => ({ findings: [], notes: [{ path: item.path, kind: 'skipped', message: `Analysis worker failed: ${why}` }] })));
      }
      this.dispatch();
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.postMessage({ type: 'batch', id, items: job.items } satisfies ToWorker);
  }

  private runLocally(job: Job): void {
    const analyze = this.local!;
    this.localBusy = true;
    const results: AnalysisResult[] = [];
    const next = () => {
      try {
        const item = job.items[results.length];
        if (item) {
          results.push(analyze(item));
          setImmediate(next);
          return;
        }
        job.resolve(results);
      } catch (error) {
        job.reject(error);
      }
      this.localBusy = false;
      this.dispatch();
    };
    setImmediate(next);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** dist/scan-worker.js next to the bundle; from source (tests, bench) the .ts file through tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  const bundled = path.join(__dirname, 'scan-worker.js');
  if (fs.existsSync(bundled)) return { file: bundled, execArgv: [] };
  return { file: path.join(__dirname, 'worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}
