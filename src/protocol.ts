/**
 * The one message protocol between the extension host and the Porta dashboard webview.
 * Host -> webview messages are trusted (we build them). Webview -> host messages are not:
 * the webview renders workspace data, so every message it sends goes through `parseWebviewMessage`.
 * This file must stay free of Node and DOM APIs: both sides import it.
 */
import type { RunRecord } from './run/record';

export const PROTOCOL_VERSION = 1;

/** A location the Readiness page can click through to. `line`/`column` are 1-based. */
export interface ReadinessItem {
  rule: string;
  message: string;
  path: string;
  line: number;
  column: number;
  severity: string;
  fixable: boolean;
}

export type Effort = 'none' | 'low' | 'medium' | 'high';

export interface TargetReadiness {
  backend: string;
  /** Findings whose verdict for this backend is `breaks`. */
  blockers: ReadinessItem[];
  degraded: ReadinessItem[];
  /** Findings in code that only runs where CUDA is present: listed apart, they never block the backend. */
  guarded: ReadinessItem[];
  /** Findings the runtime shim covers on this backend. */
  shimCovered: ReadinessItem[];
  /** How many of the non-ok findings have a fix. */
  fixable: number;
  /** The analyzer's effort level and rough estimate in hours (buildReadiness), as `porta scan` reports them. */
  effort: Effort;
  effortHours: number;
}

export interface ReadinessView {
  generatedAt: string;
  findings: number;
  files: number;
  targets: TargetReadiness[];
}

export type HostMessage =
  | { type: 'init'; protocol: number; workspaceName: string; runs: RunRecord[]; readiness: ReadinessView | null; readinessError?: string }
  | { type: 'runs'; runs: RunRecord[] }
  | { type: 'runUpdated'; run: RunRecord }
  | { type: 'logTail'; runId: string; lines: string[]; truncated: boolean }
  | { type: 'readiness'; readiness: ReadinessView | null; error?: string }
  | { type: 'notice'; level: 'info' | 'error'; text: string }
  /** Show one run (e.g. "Open Results" in the Runs view). */
  | { type: 'focusRun'; runId: string }
  /** Open the Compare page on these runs (the end of a multi-target run). */
  | { type: 'compareRuns'; runIds: string[] };

export const EXPORT_FORMATS = ['markdown', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_ACTIONS = ['copy', 'save'] as const;
export type ExportAction = (typeof EXPORT_ACTIONS)[number];

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'refreshReadiness' }
  | { type: 'cancelRun'; runId: string }
  | { type: 'rerun'; runId: string }
  /** Follow the log of one run (null stops following). */
  | { type: 'watchLog'; runId: string | null }
  | { type: 'openLocation'; path: string; line: number; column: number }
  | { type: 'export'; format: ExportFormat; action: ExportAction; content: string; fileName: string };

export type ParseResult = { ok: true; message: WebviewMessage } | { ok: false; error: string };

/** Largest export we accept from the webview (a comparison of hundreds of runs is well under this). */
export const MAX_EXPORT_CHARS = 5_000_000;
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,100}$/;

type Shape = Record<string, (value: unknown) => string | undefined>;

const runId = (v: unknown) => (typeof v === 'string' && RUN_ID.test(v) ? undefined : 'must be a run id ([A-Za-z0-9._-], at most 128 characters)');
const positiveInt = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10_000_000 ? undefined : 'must be a positive integer');
const oneOf = (values: readonly string[]) => (v: unknown) => (typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.join(', ')}`);

function relativePath(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length > 4096) return 'must be a non-empty path';
  if (v.includes('\0')) return 'must not contain NUL';
  if (v.startsWith('/') || /^[A-Za-z]:/.test(v) || v.startsWith('\\')) return 'must be workspace-relative';
  if (v.split(/[\\/]/).includes('..')) return 'must stay inside the workspace';
  return undefined;
}

const SHAPES: Record<WebviewMessage['type'], Shape> = {
  ready: {},
  refresh: {},
  refreshReadiness: {},
  cancelRun: { runId },
  rerun: { runId },
  watchLog: { runId: (v) => (v === null ? undefined : runId(v)) },
  openLocation: { path: relativePath, line: positiveInt, column: positiveInt },
  export: {
    format: oneOf(EXPORT_FORMATS),
    action: oneOf(EXPORT_ACTIONS),
    content: (v) => (typeof v === 'string' && v.length <= MAX_EXPORT_CHARS ? undefined : `must be a string of at most ${MAX_EXPORT_CHARS} characters`),
    fileName: (v) => (typeof v === 'string' && FILE_NAME.test(v) ? undefined : 'must be a plain file name'),
  },
};

/**
 * Validates a message from the webview. Rejects anything that is not exactly one of the known shapes:
 * unknown types, missing or mistyped fields, and extra fields.
 */
export function parseWebviewMessage(value: unknown): ParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'message must be an object' };
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(SHAPES, type)) {
    return { ok: false, error: `unknown message type ${JSON.stringify(type)}` };
  }
  const shape = SHAPES[type as WebviewMessage['type']];
  for (const key of Object.keys(record)) {
    if (key !== 'type' && !Object.prototype.hasOwnProperty.call(shape, key)) return { ok: false, error: `${type}: unexpected field "${key}"` };
  }
  for (const [key, check] of Object.entries(shape)) {
    if (!(key in record)) return { ok: false, error: `${type}: missing field "${key}"` };
    const problem = check(record[key]);
    if (problem) return { ok: false, error: `${type}.${key} ${problem}` };
  }
  return { ok: true, message: record as WebviewMessage };
}
