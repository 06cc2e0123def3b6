import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { unifiedDiffFromEdits } from '../../core/fix/unifiedDiff';
import { UsageError, type CliIO, type Command, parseCommandLine } from '../command';
import { fixText, isFixable, sharedModuleFor, SHARED_FILE, type FixAllResult } from '../../core/fix';
import { declaredPackageRoots, packagePlace } from '../../workspace/packageSupport';
import type { SupportId } from '../../core/fix/python/support';
import { declaredTorchVersion } from '../../workspace/torchVersion';
import type { FixTarget } from '../../core/fix/types';
import { BACKENDS } from '../../core/targets';
import { walk } from '../../workspace/walk';
import { loadConfig } from '../../workspace/config';
import { decodeSource, skipNote } from '../../workspace/read';
import { rewriteFile, rewriteFiles, RewriteRefused, type RewriteRequest } from '../../workspace/rewrite';
import { realRoots, writeTarget } from '../../workspace/writeTarget';
import { readStamped, type ReadStamp } from '../../workspace/readStamp';
import { preferBaselineWasm } from '../wasmTiering';

const TARGETS: FixTarget[] = ['auto', ...BACKENDS];
const CUDA_SOURCES = /\.(cu|cuh)$/i;
const CPP_SOURCES = /\.(cpp|cc|cxx|c|h|hpp|hh|hxx)$/i;
// Rewrites held in memory before a batch goes to disk: bounds memory and open files on a large tree.
const WRITE_BATCH_FILES = 256;
const WRITE_BATCH_BYTES = 64 << 20;

const usage = `Usage: porta fix [PATH...] [--target T] [--diff] [--unsafe-fixes] [--torch-version V] [--stats] [--stats-format text|json]

Rewrites CUDA-only Python (and notebooks) so it runs on the chosen target, in place.
  --target T         auto (default: the accelerator available at run time, else CPU), ${BACKENDS.join(', ')}
  --diff             print a unified diff instead of writing files
  --unsafe-fixes     also apply fixes that may change behaviour
  --torch-version V  the torch version to write for (default: read from requirements*.txt, pyproject.toml, environment.yml)
  --stats            with --target hip/rocm on CUDA C++ files: print the conversion report per file (converted,
                     unsupported, needs review) and in total
  --stats-format F   text (default) or json
  --hip-library L    with --target hip: hip (default: hipBLAS/hipSPARSE/hipSOLVER/hipRAND wrappers) or roc (rocBLAS... directly)
  --hip-launch F     with --target hip: keep (default: k<<<g, b>>>() stays) or hipLaunchKernelGGL
  --hip-runtime-include  with --target hip: add #include <hip/hip_runtime.h> where nvcc's implicit one was relied on
  --hip-version V    with --target hip: the HIP to write for (default 5.2, what Debian's hipcc compiles); later
                     versions take the newer names hipify's tables give (hipblasCgemm_v2 from 6.0)
  --hip-dnn D        with --target hip: manual (default: cuDNN calls reported with their MIOpen counterpart) or miopen (renamed)`;

/**
 * Files to fix under the given paths, through the walker `porta scan` uses (.gitignore, porta.toml excludes, symlink
 * loops), so fix rewrites what scan reports. Explicit files are taken as given.
 */
async function collectFiles(paths: string[], cwd: string, wantCpp: boolean, exclude: string[]): Promise<string[]> {
  const missing = paths.find((given) => !fs.existsSync(path.resolve(cwd, given)));
  if (missing !== undefined) throw new UsageError(`no such file or directory: ${missing}`);
  const wanted = (file: string): boolean => isFixable(file) || (wantCpp && (CUDA_SOURCES.test(file) || CPP_SOURCES.test(file)));
  const out: string[] = [];
  for await (const entry of walk(paths, cwd, { exclude, accept: (p) => wanted(path.basename(p)) })) {
    if (entry.kind === 'file') out.push(entry.absolute);
  }
  return [...new Set(out)];
}

/** What the analyzer still finds in the fixed text, e.g. "3 findings (PT-CUDA-004 ×2, PT-PROBE-001)". */
async function remainingFindings(files: Array<{ path: string; text: string }>): Promise<string | undefined> {
  if (files.length === 0) return undefined;
  let analyzer: { analyze(path: string, text: string): { findings: Array<{ rule: string; guard?: unknown }> } };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    analyzer = await (require('../../core/analyze') as typeof import('../../core/analyze')).loadAnalyzer();
  } catch {
    return undefined; // the analyzer is optional here: the summary just omits what remains
  }
  const counts = new Map<string, number>();
  let guarded = 0;
  // The analyzer itself skips Porta's own portable code (the `_porta_*` helpers, guarded flags): what it reports is what remains.
  for (const file of files) {
    // A file the analyzer cannot read (already reported above) must not cost the summary of the others.
    let findings: Array<{ rule: string; guard?: unknown }>;
    try {
      findings = analyzer.analyze(file.path, file.text).findings;
    } catch {
      continue;
    }
    for (const finding of findings) {
      counts.set(finding.rule, (counts.get(finding.rule) ?? 0) + 1);
      if (finding.guard) guarded++;
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return 'no findings';
  const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 6).map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule));
  // Guarded code is left alone on purpose: it only runs where CUDA is present.
  const guardedNote = guarded > 0 ? `, ${guarded} of them guarded (left alone: they only run with CUDA)` : '';
  return `${total} finding${total === 1 ? '' : 's'} (${top.join(', ')}${counts.size > 6 ? ', ...' : ''})${guardedNote}`;
}

export const command: Command = {
  name: 'fix',
  summary: 'Rewrite CUDA-only code portably (in place, or --diff)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine({
      args: argv,
      allowPositionals: true,
      options: {
        target: { type: 'string', short: 't', default: 'auto' },
        diff: { type: 'boolean', default: false },
        'unsafe-fixes': { type: 'boolean', default: false },
        'torch-version': { type: 'string' },
        stats: { type: 'boolean', default: false },
        'stats-format': { type: 'string', default: 'text' },
        'hip-library': { type: 'string', default: 'hip' },
        'hip-launch': { type: 'string', default: 'keep' },
        'hip-dnn': { type: 'string', default: 'manual' },
        'hip-runtime-include': { type: 'boolean', default: false },
        'hip-version': { type: 'string', default: '5.2' },
      },
    });
    const { values, positionals } = parsed;
    const rawTarget = values.target!;
    const hip = rawTarget === 'hip';
    const target = (hip ? 'rocm' : rawTarget) as FixTarget;
    if (!TARGETS.includes(target)) throw new UsageError(`unknown target '${rawTarget}' (expected ${TARGETS.join(', ')} or hip)`);
    const torchOverride = values['torch-version'];
    if (torchOverride !== undefined && !/^\d+(\.\d+){0,2}/.test(torchOverride)) throw new UsageError(`--torch-version: not a version: '${torchOverride}'`);
    const statsFormat = values['stats-format']!;
    if (statsFormat !== 'text' && statsFormat !== 'json') throw new UsageError(`--stats-format: expected text or json, not '${statsFormat}'`);
    const hipLibrary = values['hip-library']!;
    if (hipLibrary !== 'hip' && hipLibrary !== 'roc') throw new UsageError(`--hip-library: expected hip or roc, not '${hipLibrary}'`);
    const kernelLaunch = values['hip-launch']!;
    if (kernelLaunch !== 'keep' && kernelLaunch !== 'hipLaunchKernelGGL') throw new UsageError(`--hip-launch: expected keep or hipLaunchKernelGGL, not '${kernelLaunch}'`);
    const dnn = values['hip-dnn']!;
    if (dnn !== 'manual' && dnn !== 'miopen') throw new UsageError(`--hip-dnn: expected manual or miopen, not '${dnn}'`);
    const hipVersion = values['hip-version']!;
    if (!/^\d+\.\d+(\.\d+)?$/.test(hipVersion)) throw new UsageError(`--hip-version: expected a version such as 5.2 or 6.0, not '${hipVersion}'`);
    const hipOptions = { hipLibrary, kernelLaunch, dnn, runtimeInclude: values['hip-runtime-include'], hipVersion } as const;
    const wantCpp = hip || target === 'rocm';
    const { config } = await loadConfig(io.cwd);
    const roots = positionals.length ? positionals : ['.'];
    const files = await collectFiles(roots, io.cwd, wantCpp, config.exclude);
    const writableRoots = realRoots(roots, io.cwd);
    const written = new Set<string>();
    const versions = new Map<string, string | undefined>();
    // Loaded only for HIP/ROCm runs; the CUDA grammar itself only once a file is not lexically regular (hipifyAsync).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cuda = wantCpp ? (require('../../core/cuda') as typeof import('../../core/cuda')) : undefined;
    if (cuda) preferBaselineWasm();
    const hipStats: Array<Parameters<typeof import('../../core/cuda').totalStats>[0][number]> = [];
    // Relative to the working directory when the file is below it, else as an absolute path (never "../../x").
    const display = (file: string): string => {
      const relative = path.relative(io.cwd, file);
      return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
    };

    const remainingInputs: Array<{ path: string; text: string }> = [];
    // Per package folder: what its modules import from the shared support module (written once, after the files).
    const packages = new Map<string, Set<SupportId>>();
    // Packages declared in pyproject.toml / setup.py whose folders have no __init__.py (read once per project), looked
    // up at the first Python file: it loads the Python grammar, which a CUDA C++ port never needs.
    let declared: Awaited<ReturnType<typeof declaredPackageRoots>> | undefined;
    let changedFiles = 0;
    let appliedTotal = 0;
    let unsafeTotal = 0;
    let failed = 0;
    // Rewrites wait here and go to disk a batch at a time (one round of disk syncs per batch, not per file).
    let pending: Array<RewriteRequest & { shown: string; applied: number; fixes: number | undefined; uses: () => void }> = [];
    let pendingBytes = 0;
    const writePending = async (): Promise<void> => {
      const batch = pending;
      pending = [];
      pendingBytes = 0;
      const outcomes = await rewriteFiles(batch);
      for (const [i, one] of batch.entries()) {
        const outcome = outcomes[i];
        if (!outcome.written) {
          const { error } = outcome;
          const why = error instanceof RewriteRefused ? error.message : `cannot write (${(error as Error).message})`;
          io.stderr.write(`${one.shown}: not fixed: ${why}\n`);
          failed++;
          continue;
        }
        // Counted once written: a file left alone contributes no fixes to the summary.
        one.uses();
        changedFiles++;
        appliedTotal += one.applied;
        if (one.fixes !== undefined) io.stderr.write(`${one.shown}: ${one.fixes} fix${one.fixes === 1 ? '' : 'es'}\n`);
      }
    };
    for (const file of files) {
      if (path.basename(file) === SHARED_FILE) continue; // Porta's own shared module: regenerated below
      let bytes: Buffer;
      let stamp: ReadStamp | undefined;
      try {
        ({ bytes, stamp } = readStamped(file));
      } catch (error) {
        io.stderr.write(`${display(file)}: cannot read (${(error as Error).message})\n`);
        failed++;
        continue;
      }
      // The same decision as porta scan: binary and too-large files are skipped, Python must be UTF-8 (a BOM is kept).
      // C/C++ files are decoded once, as the cuda module does, so non-UTF-8 bytes round-trip.
      const skipped = skipNote(display(file), bytes, config.maxFileSize);
      if (skipped) {
        io.stderr.write(`${display(file)}: ${skipped.message}\n`);
        continue;
      }
      const python = isFixable(file);
      const read = python ? decodeSource(display(file), bytes, config.maxFileSize) : undefined;
      if (read && 'note' in read) {
        io.stderr.write(`${display(file)}: not fixed: ${read.note.kind === 'encoding' ? 'not valid UTF-8' : read.note.message}\n`);
        failed++;
        continue;
      }
      let text = read && 'text' in read ? read.text : '';
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? '\ufeff' : '';
      let newText = '';
      // The bytes to write when they were made straight from the edits (an ASCII C/C++ file): no rewritten text.
      let direct: Uint8Array | undefined;
      let result: FixAllResult | undefined;
      let applied: number;
      let encode = (out: string): string | Uint8Array => bom + out;
      let usesShared = (): void => {};
      if (!python) {
        if (!cuda) continue;
        const decoded = cuda.decodeSource(bytes);
        text = decoded.text;
        if (!CUDA_SOURCES.test(file) && !cuda.isCudaSource(file, text)) continue;
        const converted = await cuda.hipifyAsync(file, text, hipOptions);
        if (values.stats) hipStats.push(converted.stats);
        direct = decoded.encoding === 'ascii' && !values.diff ? cuda.editBytes(bytes, converted.edits) : undefined;
        if (!direct) newText = converted.text;
        encode = (out) => cuda.encodeSource(out, decoded.encoding);
        applied = converted.edits.length;
      } else {
        const torchVersion = torchOverride ?? (await declaredTorchVersion(file, versions));
        declared ??= await declaredPackageRoots();
        const place = packagePlace(file, undefined, declared);
        result = await fixText(file, text, { target, torchVersion, unsafe: values['unsafe-fixes'], shared: place && { from: place.from } });
        newText = result.text;
        const shared = result.shared;
        // The package's shared module gets a name only from a module that really imports it: one written, shown, or
        // already importing it (a refused or unwritable file must not leave an orphan support module behind).
        if (place && shared?.length) {
          usesShared = () => {
            const ids = packages.get(place.root) ?? new Set<SupportId>();
            for (const id of shared) ids.add(id);
            packages.set(place.root, ids);
          };
        }
        if (result.error) {
          io.stderr.write(`${display(file)}: not fixed: ${result.error}\n`);
          failed++;
        }
        for (const dropped of result.dropped ?? []) io.stderr.write(`${display(file)}:${dropped.line}: fix left out (${dropped.title}): ${dropped.reason}\n`);
        applied = result.applied.length;
        unsafeTotal += result.unsafeSkipped.length;
      }
      if (result) remainingInputs.push({ path: file, text: newText });
      if (direct ? Buffer.compare(direct, bytes) === 0 : newText === text) {
        usesShared();
        continue;
      }
      // Through links only to files inside the paths given, never twice, never a read-only one.
      const destination = writeTarget(file, writableRoots, values.diff ? 'show' : 'write');
      if ('refused' in destination || written.has(destination.path)) {
        if ('refused' in destination) {
          io.stderr.write(`${display(file)}: not fixed: ${destination.refused}\n`);
          failed++;
        }
        continue;
      }
      written.add(destination.path);
      if (values.diff) {
        usesShared();
        const name = display(file).split(path.sep).join('/');
        const [from, to] = path.isAbsolute(name) ? [name, name] : [`a/${name}`, `b/${name}`];
        // From the fix's own edits (linear); the generic text diff only where there are none (hipify).
        const patch = result ? unifiedDiffFromEdits(text, newText, result.edits, from, to) : undefined;
        io.stdout.write(patch ?? createTwoFilesPatch(from, to, text, newText, undefined, undefined, { context: 3 }).replace(/^(Index: .*\n)?=+\n/, ''));
      } else {
        const out = direct ?? encode(newText);
        const content = typeof out === 'string' ? Buffer.from(out, 'utf8') : out;
        pending.push({ file: destination.path, original: bytes, content, stamp, shown: display(file), applied, fixes: result?.applied.length, uses: usesShared });
        pendingBytes += bytes.length + content.length;
        if (pending.length >= WRITE_BATCH_FILES || pendingBytes >= WRITE_BATCH_BYTES) await writePending();
        continue;
      }
      // Counted once shown: a file left alone above contributes no fixes to the summary.
      changedFiles++;
      appliedTotal += applied;
    }
    await writePending();
    for (const [root, ids] of packages) {
      const file = path.join(root, SHARED_FILE);
      const before = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
      const torchVersion = torchOverride ?? (await declaredTorchVersion(file, versions));
      const text = await sharedModuleFor({ target, torchVersion }, ids, before?.toString('utf8'));
      if (before?.toString('utf8') === text) continue;
      if (values.diff) {
        const name = display(file).split(path.sep).join('/');
        io.stdout.write(createTwoFilesPatch(before ? `a/${name}` : '/dev/null', `b/${name}`, before?.toString('utf8') ?? '', text, undefined, undefined, { context: 3 }).replace(/^(Index: .*\n)?=+\n/, ''));
      } else {
        try {
          writeSharedModule(file, before, text);
        } catch (error) {
          const why = error instanceof RewriteRefused ? error.message : `cannot write (${(error as Error).message})`;
          io.stderr.write(`${display(file)}: not written: ${why}; the package's fixed modules import it\n`);
          failed++;
          continue;
        }
        io.stderr.write(`${display(file)}: the package's shared device support (${ids.size} name${ids.size === 1 ? '' : 's'} imported)\n`);
      }
      changedFiles++;
    }
    if (cuda && values.stats && hipStats.length > 0) io.stdout.write(cuda.formatConversionReport(hipStats, statsFormat));
    const remaining = await remainingFindings(remainingInputs);
    const verb = values.diff ? 'would change' : 'changed';
    const lines = [`porta fix: ${verb} ${changedFiles} of ${files.length} file${files.length === 1 ? '' : 's'}, ${appliedTotal} fix${appliedTotal === 1 ? '' : 'es'} (target ${target})`];
    if (unsafeTotal) lines.push(`  ${unsafeTotal} more fix${unsafeTotal === 1 ? '' : 'es'} available with --unsafe-fixes`);
    if (failed) lines.push(`  ${failed} file${failed === 1 ? '' : 's'} left unchanged (see above)`);
    if (remaining) lines.push(`  remaining in these files: ${remaining}; run \`porta scan\` for details (it also reads Dockerfiles and CUDA C++)`);
    else lines.push('  run `porta scan` to see what remains');
    io.stderr.write(lines.join('\n') + '\n');
    return failed ? 1 : 0;
  },
};

/** Writes the shared module: an existing one through rewriteFile (never over an edit made meanwhile), a new one whole. */
function writeSharedModule(file: string, before: Buffer | undefined, text: string): void {
  if (before) return rewriteFile(file, before, Buffer.from(text, 'utf8'));
  const tmp = `${file}.porta-${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}
