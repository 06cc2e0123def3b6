/** The webview side of the VS Code API, typed with our protocol and state. */
import type { WebviewMessage } from '../src/protocol';

interface VsCodeApi<S> {
  postMessage(message: WebviewMessage): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export type { VsCodeApi };

export function vscodeApi<S>(): VsCodeApi<S> {
  return acquireVsCodeApi<S>();
}
