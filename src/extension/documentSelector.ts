import * as vscode from 'vscode';

/** Language ids Porta analyses live. Requirements/Dockerfile ids come from other extensions; file names cover their absence. */
export const ANALYSED_LANGUAGES = ['python', 'cuda-cpp', 'cpp', 'c', 'pip-requirements', 'dockerfile', 'shellscript'] as const;

const NAME_PATTERNS = [/\.(py|pyi|cu|cuh|cpp|cc|cxx|hpp|h|sh|bash)$/i, /(^|[\\/])requirements[^\\/]*\.(txt|in)$/i, /(^|[\\/])requirements[\\/].*\.(txt|in)$/i, /(^|[\\/])(Dockerfile|Containerfile)[^\\/]*$/i, /\.dockerfile$/i];

export const DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  ...ANALYSED_LANGUAGES.map((language) => ({ language })),
  { pattern: '**/requirements*.{txt,in}' },
  { pattern: '**/requirements/**/*.{txt,in}' },
  { pattern: '**/{Dockerfile,Containerfile}*' },
];

/** Whether a text document is one Porta analyses (notebook cells are handled per notebook). */
export function isAnalysedDocument(document: vscode.TextDocument): boolean {
  if (document.uri.scheme === 'vscode-notebook-cell' || document.uri.scheme === 'output') return false;
  if ((ANALYSED_LANGUAGES as readonly string[]).includes(document.languageId)) return true;
  return NAME_PATTERNS.some((p) => p.test(document.uri.path));
}

/** Notebooks with Python code cells (Jupyter; other notebook types with python cells work too). */
export function isAnalysedNotebook(notebook: vscode.NotebookDocument): boolean {
  return notebook.getCells().some((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
}

/** The path handed to the analyzer: it dispatches on the file name, so give languages without telling names one. */
export function analysisPath(document: vscode.TextDocument): string {
  const p = document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.path;
  const extensionFor: Record<string, string> = { python: '.py', 'cuda-cpp': '.cu', cpp: '.cpp', shellscript: '.sh' };
  const wanted = extensionFor[document.languageId];
  if (wanted && !/\.[A-Za-z0-9]+$/.test(p)) return p + wanted; // Untitled-1 or a script without extension
  return p;
}
