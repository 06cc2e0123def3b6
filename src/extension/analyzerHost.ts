import type * as vscode from 'vscode';
import type { AnalyzerPort } from './analyzerPort';
import type { Logger } from './logging';

/**
 * Loads the core analyzer on first need. Activation never touches it, so tree-sitter's WASM is only
 * compiled when a document that Porta analyses is opened (or a scan starts).
 */
export class AnalyzerHost implements vscode.Disposable {
  private loading: Promise<AnalyzerPort> | undefined;
  private ready: AnalyzerPort | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
  ) {}

  /** The analyzer if already loaded (synchronous callers such as hovers use this). */
  get loaded(): AnalyzerPort | undefined {
    return this.ready;
  }

  load(): Promise<AnalyzerPort> {
    this.loading ??= (async () => {
      const started = performance.now();
      // Lazy require: esbuild keeps the module (and tree-sitter) uninitialised until this line runs.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createAnalyzerPort } = require('./analyzerAdapter') as typeof import('./analyzerAdapter');
      const port = await createAnalyzerPort(this.extensionUri.fsPath, (reason) => {
        // A crashed worker is replaced on the next request; documents re-open themselves.
        this.log.error(`analysis worker stopped (${reason}); it restarts on the next analysis`);
        if (this.ready === port) {
          this.ready = undefined;
          this.loading = undefined;
        }
      });
      this.ready = port;
      this.log.info(`analyzer loaded (${port.mode}) in ${(performance.now() - started).toFixed(0)} ms (${port.allRules().length} rules)`);
      return port;
    })();
    this.loading.catch((error: unknown) => {
      this.loading = undefined;
      this.log.error(`analyzer failed to load: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    });
    return this.loading;
  }

  dispose(): void {
    this.ready?.dispose();
  }
}
