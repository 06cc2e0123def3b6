import { parentPort, workerData } from 'node:worker_threads';
import { loadAnalyzer } from '../core/analyze';
import { setWasmDirectory } from '../core/parse/loader';
import type { AnalysisResult } from '../core/model';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';
import { packResults } from './pack';
import { analyzeSafely } from './safe';

/** Analysis worker for workspace scans: receives file texts (already read and prefiltered), returns results. */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const init = workerData as WorkerInit;
  if (init.wasmDirectory) setWasmDirectory(init.wasmDirectory);
  const send = (message: FromWorker) => port.postMessage(message);
  try {
    const analyzer = await loadAnalyzer();
    port.on('message', (message: ToWorker) => {
      if (message.type === 'close') {
        port.close();
        return;
      }
      const results: AnalysisResult[] = message.items.map((item) => analyzeSafely(analyzer, item, init.config, init.fixOptions));
      send({ type: 'result', id: message.id, packed: packResults(results) });
    });
    send({ type: 'ready' });
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}

void main();
