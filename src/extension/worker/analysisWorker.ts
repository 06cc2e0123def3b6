// The live-analysis worker: keeps one incremental analyzer document per open editor so that parsing and rule
// matching never run on the extension host's thread. Bundled as dist/analysis-worker.js.
import { parentPort, workerData } from 'node:worker_threads';
import { loadAnalyzer, type AnalyzerDocument } from '../../core/analyze';
import { setWasmDirectory } from '../../core/parse/loader';
import { warmUpSteps } from '../../core/warmup';
import type { FromAnalysisWorker, ToAnalysisWorker } from './protocol';
import { packResult } from './packedResult';
import { summarizeFixAll } from '../analyzerPort';
import { fixNotebookCells } from '../../core/fix';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const send = (message: FromAnalysisWorker) => port.postMessage(message);
  const { wasmDirectory } = (workerData ?? {}) as { wasmDirectory?: string };
  if (wasmDirectory) setWasmDirectory(wasmDirectory);
  let analyzer;
  try {
    analyzer = await loadAnalyzer();
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const documents = new Map<number, AnalyzerDocument>();
  port.on('message', (message: ToAnalysisWorker) => {
    switch (message.type) {
      case 'open':
        documents.get(message.doc)?.dispose();
        documents.set(message.doc, analyzer.openDocument(message.path, message.text));
        return;
      case 'update':
        documents.get(message.doc)?.update(message.change);
        return;
      case 'fixAll': {
        try {
          const document = documents.get(message.doc);
          if (!document) throw new Error(`document ${message.doc} is not open in the analysis worker`);
          const result = document.fixAll?.(message.options);
          send({ type: 'fixed', request: message.request, summary: result && summarizeFixAll(result) });
        } catch (error) {
          send({ type: 'error', request: message.request, message: error instanceof Error ? error.stack ?? error.message : String(error) });
        }
        return;
      }
      case 'fixCells':
        fixNotebookCells(message.sources, message.options).then(
          ({ sources, result }) => send({ type: 'fixedCells', request: message.request, sources, summary: summarizeFixAll(result) }),
          (error: unknown) => send({ type: 'error', request: message.request, message: error instanceof Error ? error.stack ?? error.message : String(error) }),
        );
        return;
      case 'close':
        documents.get(message.doc)?.dispose();
        documents.delete(message.doc);
        return;
      case 'analyze':
      case 'analyzeText': {
        const started = performance.now();
        try {
          let result;
          if (message.type === 'analyzeText') result = analyzer.analyze(message.path, message.text, message.config, message.fix);
          else {
            const document = documents.get(message.doc);
            if (!document) throw new Error(`document ${message.doc} is not open in the analysis worker`);
            result = document.analyze(message.config, message.fix, message.fixRange);
          }
          const packed = packResult(result);
          port.postMessage({ type: 'result', request: message.request, result: packed, ms: performance.now() - started } satisfies FromAnalysisWorker, [packed.table.buffer as ArrayBuffer]);
        } catch (error) {
          send({ type: 'error', request: message.request, message: error instanceof Error ? error.stack ?? error.message : String(error) });
        }
        return;
      }
    }
  });
  send({ type: 'ready' });
  // While idle, get the grammars' WebAssembly optimised (src/core/warmup.ts); messages run between the steps.
  const steps = warmUpSteps(analyzer);
  const step = () => {
    if (!steps.next().done) setImmediate(step);
  };
  setImmediate(step);
}

void main();
