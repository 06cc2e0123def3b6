import { createParser, type TreeSitter } from '../parse/loader';
import { fixPythonText, type FixAllOptions, type FixAllResult } from './python/fixAll';
import { fixCellSources, fixNotebookJson, isNotebook } from './notebook';
import { fixEnvironmentText, isRequirementsFile, isShellScript } from './environment';
import { applyEdits } from './edits';
import { editsForFile, normalizeLoneCR } from '../lineEndings';
import { sharedId, sharedModuleText } from './python/sharedSupport';
import type { SupportId } from './python/support';

export { applyEdits, mergeFixes, editsOverlap } from './edits';
export { torchVersionFromManifest, versionAtLeast, TORCH_MANIFESTS } from './version';
export type { FixAllOptions, FixAllResult, AppliedFix } from './python/fixAll';
export { sharedModuleText, SHARED_FILE } from './python/sharedSupport';

let parser: Promise<TreeSitter.Parser> | undefined;
function pythonParser(): Promise<TreeSitter.Parser> {
  parser ??= createParser('python');
  return parser;
}

/** Which files `fixText` rewrites. */
export function isFixable(path: string): boolean {
  return /\.(py|pyi|ipynb)$/i.test(path) || isRequirementsFile(path) || isShellScript(path);
}

/**
 * Applies all fixes to one file's text (Python or notebook JSON) and returns the new text. No I/O.
 * A file whose rewrite would not parse comes back unchanged with `error` set.
 */
export async function fixText(path: string, text: string, options: FixAllOptions): Promise<FixAllResult> {
  if (isRequirementsFile(path) || isShellScript(path)) return fixEnvironmentText(path, text, options);
  const p = await pythonParser();
  if (!isNotebook(path)) return fixPythonFile(p, text, options);
  let inner: FixAllResult | undefined;
  try {
    const { json, changed } = fixNotebookJson(text, (program) => {
      inner = fixPythonText(p, program, options);
      return inner.text;
    });
    const base = inner ?? { text, changed: false, edits: [], applied: [], unsafeSkipped: [], conflicts: 0, passes: 0 };
    // The notebook's JSON is rewritten as a whole (cell sources are re-serialised).
    return { ...base, text: json, changed, edits: changed ? [{ start: 0, end: text.length, text: json }] : [] };
  } catch (error) {
    return { text, changed: false, edits: [], applied: [], unsafeSkipped: [], conflicts: 0, passes: 0, error: `notebook: ${(error as Error).message}` };
  }
}

/**
 * A Python file fixed on its lone-CR-normalised text (what Python and the analyzer read; same offsets), then the edits
 * replayed on the real text with the file's own newlines, so a CR-only file stays CR-only.
 */
function fixPythonFile(p: TreeSitter.Parser, text: string, options: FixAllOptions): FixAllResult {
  const source = normalizeLoneCR(text);
  const result = fixPythonText(p, source, options);
  if (source === text) return result;
  if (!result.changed) return { ...result, text };
  const edits = editsForFile(text, result.edits);
  return { ...result, edits, text: applyEdits(text, edits) };
}

/**
 * An open notebook's code cells fixed as `porta fix` fixes its .ipynb (one program, magics masked): the new sources
 * (the same strings for unchanged cells) with what was applied. Sources come back unchanged with `error` set on failure.
 */
export async function fixNotebookCells(sources: readonly string[], options: FixAllOptions): Promise<{ sources: string[]; result: FixAllResult }> {
  const p = await pythonParser();
  let inner: FixAllResult | undefined;
  try {
    const fixed = fixCellSources(sources, (program) => {
      inner = fixPythonText(p, program, options);
      return inner.text;
    });
    // The inner result's edits are on the joined program, not on any cell: the new sources are the answer.
    return { sources: fixed, result: { ...inner!, edits: [] } };
  } catch (error) {
    return { sources: [...sources], result: { text: '', changed: false, edits: [], applied: [], unsafeSkipped: [], conflicts: 0, passes: 0, error: `notebook: ${(error as Error).message}` } };
  }
}

/** What an existing shared module (`_porta_device.py`) defines for its package's modules: its top-level functions. */
export async function sharedModuleExports(text: string): Promise<SupportId[]> {
  const tree = (await pythonParser()).parse(text);
  if (!tree) return [];
  try {
    const ids: SupportId[] = [];
    for (const child of tree.rootNode.namedChildren) {
      const definition = child?.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
      const id = definition?.type === 'function_definition' ? sharedId(definition.childForFieldName('name')?.text ?? '') : undefined;
      if (id) ids.push(id);
    }
    return ids;
  } finally {
    tree.delete();
  }
}

/** The shared module for a package whose modules import `ids` (plus what `existing`, its current text, defines). */
export async function sharedModuleFor(options: FixAllOptions, ids: Iterable<SupportId>, existing?: string): Promise<string> {
  return sharedModuleText(options, [...ids, ...(existing ? await sharedModuleExports(existing) : [])]);
}
