import * as vscode from 'vscode';
import type { Finding } from '../core/model';
import type { FixTarget } from '../core/fix/types';
import { BACKENDS, BACKEND_LABELS } from '../core/targets';
import type { PortaServices } from './services';
import { scanWorkspaceFolders } from './scanCommand';
import { chooseFixes, fixLabel } from './codeActions';
import { DocumentMap } from './textMap';
import { declaredPackageRoots, packagePlace, type DeclaredRoot } from '../workspace/packageSupport';
import { SHARED_FILE } from '../core/fix/python/sharedSupport';
import type { SupportId } from '../core/fix/python/support';

interface TargetPick extends vscode.QuickPickItem {
  target: FixTarget;
}

export function targetPicks(): TargetPick[] {
  return [
    { label: 'Auto', description: 'choose the available accelerator at run time, else CPU', target: 'auto' },
    ...BACKENDS.map((b) => ({ label: BACKEND_LABELS[b], description: b, target: b })),
  ];
}

/** Reads a file as the editor sees it: the open document's (possibly unsaved) text, else the file on disk. */
async function currentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/**
 * Builds the whole-workspace port for one target as a WorkspaceEdit whose entries all need confirmation,
 * so VS Code shows the refactor preview (apply or discard, entry by entry). Unsafe fixes are labelled.
 */
export async function buildPortEdit(services: PortaServices, target: FixTarget, files: readonly vscode.Uri[], token?: vscode.CancellationToken): Promise<{ edit: vscode.WorkspaceEdit; fixes: number; files: number }> {
  const analyzer = await services.analyzer.load();
  const edit = new vscode.WorkspaceEdit();
  let fixes = 0;
  let changedFiles = 0;
  const packages = new Map<string, Set<SupportId>>();
  let declared: DeclaredRoot | undefined; // packages declared in pyproject.toml / setup.py, read when first needed
  for (const uri of files) {
    if (token?.isCancellationRequested) break;
    if (uri.path.endsWith('.ipynb')) continue; // notebook JSON offsets are not editor offsets; fix notebooks per cell
    const text = await currentText(uri);
    const place = uri.scheme === 'file' ? packagePlace(uri.fsPath, undefined, declared ??= await declaredPackageRoots()) : undefined;
    if (place) {
      // A package module: `porta fix`'s whole-file result, importing its support code from the package's shared module.
      const document = analyzer.openDocument(uri.fsPath, text);
      const torchVersion = await services.torchVersionFor(uri);
      const summary = await document.fixAll({ target, torchVersion, unsafe: true, shared: { from: place.from } }).finally(() => document.dispose());
      if (!summary || summary.error || summary.applied === 0) continue;
      new DocumentMap(uri, text).addEdits(edit, summary.edits, { needsConfirmation: true, label: `Port to ${target} (support code from the package's ${SHARED_FILE})` });
      const ids = packages.get(place.root) ?? new Set<SupportId>();
      for (const id of summary.shared ?? []) ids.add(id as SupportId);
      packages.set(place.root, ids);
      fixes += summary.applied;
      changedFiles++;
      continue;
    }
    const config = await services.configFor(uri);
    const result = await analyzer.analyze(uri.fsPath, text, config, { target });
    const chosen = chooseFixes(result.findings.map((finding: Finding) => ({ finding })), true).accepted;
    if (chosen.length === 0) continue;
    const map = new DocumentMap(uri, text);
    const seen = new Set<string>();
    for (const fix of chosen) {
      // Fixes may share an edit (the same import); the merge accepted it once, so add it once.
      const fresh = fix.edits.filter((e) => !seen.has(`${e.start}:${e.end}:${e.text}`));
      for (const e of fresh) seen.add(`${e.start}:${e.end}:${e.text}`);
      map.addEdits(edit, fresh, {
        needsConfirmation: true,
        label: fixLabel(fix),
        description: fix.safe ? undefined : 'may change behaviour',
      });
    }
    fixes += chosen.length;
    changedFiles++;
  }
  await addSharedModules(services, edit, packages, target);
  return { edit, fixes, files: changedFiles };
}

/** Creates (or regenerates) each package's shared support module, once, as part of the same confirmable edit. */
async function addSharedModules(services: PortaServices, edit: vscode.WorkspaceEdit, packages: Map<string, Set<SupportId>>, target: FixTarget): Promise<void> {
  if (packages.size === 0) return;
  // Loaded on use: the port command is not activation.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { sharedModuleFor } = require('../core/fix') as typeof import('../core/fix');
  for (const [root, ids] of packages) {
    if (ids.size === 0) continue;
    const uri = vscode.Uri.joinPath(vscode.Uri.file(root), SHARED_FILE);
    const existing = await currentText(uri).catch(() => undefined);
    const text = await sharedModuleFor({ target, torchVersion: await services.torchVersionFor(uri) }, ids, existing);
    if (text === existing) continue;
    edit.createFile(uri, { overwrite: true, contents: new TextEncoder().encode(text) }, { needsConfirmation: true, label: `Porta: the package's shared device support (${SHARED_FILE})` });
  }
}

export async function portWorkspace(services: PortaServices, preset?: FixTarget): Promise<boolean> {
  const target = preset ?? (await vscode.window.showQuickPick(targetPicks(), { title: 'Porta: Port Workspace — target', placeHolder: 'Rewrite CUDA-specific code for…' }))?.target;
  if (!target) return false;
  const scans = await scanWorkspaceFolders(services);
  if (!scans) return false;
  // Live findings carry no fixes (computed on request), so a rule that has rewrites also marks its file.
  const analyzer = services.analyzer.loaded;
  const files = services.findings.all().filter((f) => f.findings.some((x) => x.fix || analyzer?.rule(x.rule)?.fixable)).map((f) => f.uri);
  const { edit, fixes, files: changed } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Porta: preparing the port to ${target}`, cancellable: true },
    (_p, token) => buildPortEdit(services, target, files, token),
  );
  if (fixes === 0) {
    void vscode.window.showInformationMessage(`Porta: nothing to rewrite for ${target}.`);
    return false;
  }
  services.log.info(`port to ${target}: ${fixes} fixes in ${changed} files, opening the refactor preview`);
  return vscode.workspace.applyEdit(edit, { isRefactoring: true });
}
