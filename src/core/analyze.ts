import type { AnalysisResult, Finding, LanguageAnalyzer, LanguageDocument } from './model';
import type { FixOptions } from './fix/types';
import type { FixAllOptions, FixAllResult } from './fix/python/fixAll';
import { createParser, type TreeSitter } from './parse/loader';
import { guardedSeverity } from './guarded';
import { DEFAULT_CONFIG, isRuleEnabled, severityFor, type ResolvedConfig } from './config';
import { parseSuppressions } from './suppress';
import { normalizeLoneCR, resultForFile } from './lineEndings';
import { compareFindings } from './findings';
import { analyzePythonTree, mayMentionCuda } from './python/analyzer';
import { analyzeNotebook } from './formats/notebook';
import { analyzeRequirements, isRequirementsFile, baseName } from './formats/requirements';
import { analyzeDockerfile, isDockerfile } from './formats/docker';
import { analyzeShell, isShellScript, shellParseText } from './formats/shell';
import { PythonDocument, type DocumentEdit, type OffsetRange } from './python/document';

export type { DocumentEdit } from './python/document';

/** An analyzer plug-in that needs asynchronous loading (e.g. a tree-sitter grammar). */
export type AnalyzerLoader = () => Promise<LanguageAnalyzer>;

/**
 * Plug-ins beyond Python and its environment files. The CUDA C++ analyzer registers here (one line):
 * a loader returning a LanguageAnalyzer (require() keeps it lazy and works under tsx, mocha and esbuild alike).
 */
const PLUGINS: AnalyzerLoader[] = [
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  async () => (require('./cuda') as typeof import('./cuda')).loadCudaAnalyzer(),
];

export interface AnalyzerDocument {
  readonly path: string;
  readonly text: string;
  /** Edits in 0-based UTF-16 offsets into the current text, applied in order; or the whole new text. */
  update(change: DocumentEdit[] | string): void;
  /**
   * fixOptions: default { target: config.fixTarget }; null skips fix computation (diagnostics only, faster).
   * fixRange: fixes are needed only for findings around [start, end) (others may come without one).
   */
  analyze(config?: ResolvedConfig, fixOptions?: FixOptions | null, fixRange?: OffsetRange): AnalysisResult;
  /** Every fix to a fixed point, as `porta fix` does, from the document's own tree; absent where the language has none. */
  fixAll?(options: FixAllOptions): FixAllResult;
  dispose(): void;
}

export interface Analyzer {
  /** Whether any analyzer handles a file of this name (cheap; text-dependent plug-ins are asked with the text in analyze). */
  handles(path: string, text?: string): boolean;
  /** Byte prefilter: false means analyze() cannot find anything in this text. */
  isCandidate(path: string, text: string): boolean;
  /** fixOptions: default { target: config.fixTarget }; null skips fix computation (diagnostics only, faster). */
  analyze(path: string, text: string, config?: ResolvedConfig, fixOptions?: FixOptions | null): AnalysisResult;
  openDocument(path: string, text: string): AnalyzerDocument;
}

export interface LoadAnalyzerOptions {
  /** Extra plug-ins (tests, other languages), loaded alongside the built-in list. */
  plugins?: (LanguageAnalyzer | AnalyzerLoader)[];
}

/**
 * The largest text handed to tree-sitter. Its WASM heap aborts on a file of about 32 MB (1.7 M lines), and an
 * aborted instance fails every later parse in that thread, so a raised max-file-size must not reach it.
 */
export const PARSE_LIMIT = 8 << 20;

const PYTHON_FILE = /\.(?:py|pyw|pyi)$/i;
const NOTEBOOK_FILE = /\.ipynb$/i;
const ENVIRONMENT_TOKENS = /cuda|cudnn|nvidia|nccl|cu\d{2,3}|gpu|flash|xformers|apex|tensorrt|transformer|dali|nvml|nvcc|pycuda|nvtx|nvvideocodec|cuquantum|nvmath/i;

export async function loadAnalyzer(options: LoadAnalyzerOptions = {}): Promise<Analyzer> {
  const [python, bash] = await Promise.all([createParser('python'), createParser('bash')]);
  const extra = await Promise.all([...PLUGINS, ...(options.plugins ?? [])].map((p) => (typeof p === 'function' ? p() : Promise.resolve(p))));
  return new CoreAnalyzer(python, bash, extra);
}

class CoreAnalyzer implements Analyzer {
  constructor(
    private readonly python: TreeSitter.Parser,
    private readonly bash: TreeSitter.Parser,
    private readonly plugins: LanguageAnalyzer[],
  ) {}

  handles(path: string, text = ''): boolean {
    return this.kind(path, text) !== undefined || this.plugins.some((p) => safeHandles(p, path, text));
  }

  private kind(path: string, text: string): 'python' | 'notebook' | 'requirements' | 'docker' | 'shell' | undefined {
    if (PYTHON_FILE.test(path)) return 'python';
    if (NOTEBOOK_FILE.test(path)) return 'notebook';
    if (isRequirementsFile(path)) return 'requirements';
    if (isDockerfile(path)) return 'docker';
    // A shell shebang does not turn a file a plug-in claims by its name (x.cu) into a script.
    if (isShellScript(path, text) && !this.plugins.some((p) => safeHandles(p, path, ''))) return 'shell';
    if (!/\.[^/\\]*$/.test(baseName(path)) && /^#!.*\bpython/.test(text.slice(0, 80))) return 'python';
    return undefined;
  }

  isCandidate(path: string, text: string): boolean {
    const kind = this.kind(path, text);
    if (kind === 'python' || kind === 'notebook') return mayMentionCuda(text);
    if (kind) return ENVIRONMENT_TOKENS.test(text);
    return this.plugins.some((p) => safeHandles(p, path, text));
  }

  analyze(path: string, text: string, config: ResolvedConfig = DEFAULT_CONFIG, fixOptions?: FixOptions | null): AnalysisResult {
    if (text.length > PARSE_LIMIT) return { findings: [], notes: [{ path, kind: 'too-large', message: `Skipped: ${text.length} characters is over the ${PARSE_LIMIT} the parser can take, whatever max-file-size says` }] };
    const fix = fixOptions === undefined ? { target: config.fixTarget } : fixOptions;
    // Lone CR line endings read as LF (same offsets; see lineEndings.ts), fixes written back with the file's CRs.
    const source = normalizeLoneCR(text);
    return resultForFile(text, postProcess(this.raw(path, source, fix), source, config));
  }

  private raw(path: string, text: string, fixOptions: FixOptions | null): AnalysisResult {
    const kind = this.kind(path, text);
    switch (kind) {
      case 'python': {
        if (!mayMentionCuda(text)) return { findings: [], notes: [] };
        const tree = this.python.parse(text);
        if (!tree) return { findings: [], notes: [{ path, kind: 'skipped', message: 'The Python parser gave up on this file' }] };
        try {
          const result = analyzePythonTree(path, text, tree, fixOptions);
          if (baseName(path) === 'setup.py') result.findings.push(...analyzeRequirements(path, text, true).findings);
          return result;
        } finally {
          tree.delete();
        }
      }
      case 'notebook':
        if (!mayMentionCuda(text)) return { findings: [], notes: [] };
        return analyzeNotebook(path, text, (source) => this.python.parse(source)!, fixOptions);
      case 'requirements':
        return analyzeRequirements(path, text);
      case 'docker':
        return analyzeDockerfile(path, text);
      case 'shell': {
        if (!ENVIRONMENT_TOKENS.test(text)) return { findings: [], notes: [] };
        const tree = this.bash.parse(shellParseText(text));
        if (!tree) return { findings: [], notes: [] };
        try {
          return analyzeShell(path, text, tree);
        } finally {
          tree.delete();
        }
      }
      default: {
        const plugin = this.plugins.find((p) => safeHandles(p, path, text));
        return plugin ? plugin.analyze(path, text) : { findings: [], notes: [] };
      }
    }
  }

  openDocument(path: string, text: string): AnalyzerDocument {
    const kind = this.kind(path, text);
    // A text the parser cannot take stays a whole document: analyze() answers it with the too-large note.
    if (text.length > PARSE_LIMIT) return new WholeDocument(path, text, this);
    if (kind === 'python') return new PythonDocument(path, text, this.python, baseName(path) === 'setup.py' ? withSetupRequirements(path) : postProcess);
    const plugin = kind ? undefined : this.plugins.find((p) => p.openDocument && safeHandles(p, path, text));
    if (plugin?.openDocument) return new PluginDocument(path, plugin, plugin.openDocument(path, text));
    return new WholeDocument(path, text, this);
  }
}

function safeHandles(plugin: LanguageAnalyzer, path: string, text: string): boolean {
  try {
    return plugin.handles(path, text);
  } catch {
    return false;
  }
}

/** An open setup.py also reports its requirements, as analyze() does (the editor and `porta scan` agree). */
function withSetupRequirements(path: string): typeof postProcess {
  return (result, text, config) => {
    const requirements = mayMentionCuda(text) ? analyzeRequirements(path, text, true).findings : [];
    return postProcess({ findings: [...result.findings, ...requirements], notes: result.notes }, text, config);
  };
}

/** Config filters, severity overrides and suppression comments, shared by every analyzer. */
export function postProcess(result: AnalysisResult, text: string, config: ResolvedConfig): AnalysisResult {
  const suppress = parseSuppressions(text);
  const findings: Finding[] = [];
  for (const finding of result.findings) {
    if (!isRuleEnabled(finding.rule, config)) continue;
    // Only the targets of interest count: a construct that works on all of them is not a finding.
    if (config.targets.every((target) => finding.targets[target] === 'ok')) continue;
    // Notebook findings were checked against cell text already; their lines are cell-relative.
    if (finding.cell === undefined && suppress.isSuppressed(finding.rule, finding.range.start.line)) continue;
    const severity = severityFor(finding.rule, finding.severity, config);
    findings.push({ ...finding, severity: finding.guard ? guardedSeverity(severity) : severity });
  }
  findings.sort(compareFindings);
  return { findings, notes: result.notes };
}

/** A plug-in's incremental document, with the config filters and suppressions every analysis gets. */
class PluginDocument implements AnalyzerDocument {
  constructor(
    readonly path: string,
    private readonly plugin: LanguageAnalyzer,
    private readonly document: LanguageDocument,
  ) {}

  get text(): string {
    return this.document.text;
  }

  update(change: DocumentEdit[] | string): void {
    this.document.update(change);
  }

  /**
   * Plug-ins compute their fixes with their findings (fix options are Python's: only null, diagnostics only, is
   * honoured, by leaving the fixes out); a file the plug-in no longer handles has no findings.
   */
  analyze(config: ResolvedConfig = DEFAULT_CONFIG, fixOptions?: FixOptions | null): AnalysisResult {
    if (!safeHandles(this.plugin, this.path, this.text)) return { findings: [], notes: [] };
    return postProcess(this.document.analyze(fixOptions !== null), this.text, config);
  }

  dispose(): void {
    this.document.dispose();
  }
}

/** Other documents are small (requirements, Dockerfiles, scripts): re-analysed whole on each change. */
class WholeDocument implements AnalyzerDocument {
  constructor(
    readonly path: string,
    public text: string,
    private readonly analyzer: CoreAnalyzer,
  ) {}

  update(change: DocumentEdit[] | string): void {
    if (typeof change === 'string') this.text = change;
    else for (const edit of change) this.text = this.text.slice(0, edit.start) + edit.text + this.text.slice(edit.end);
  }

  analyze(config?: ResolvedConfig, fixOptions?: FixOptions | null): AnalysisResult {
    return this.analyzer.analyze(this.path, this.text, config, fixOptions);
  }

  dispose(): void {}
}
