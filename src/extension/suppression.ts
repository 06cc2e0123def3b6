import * as vscode from 'vscode';

/** The comment the analyzer honours to silence a rule on one line: `# porta: ignore[RULE, RULE2]`. */
const EXISTING = /(#|\/\/)\s*porta:\s*ignore\[([^\]]*)\]/;

function commentToken(languageId: string, path: string): string {
  return ['cuda-cpp', 'cpp', 'c'].includes(languageId) || /\.(cu|cuh|c|cc|cpp|cxx|h|hpp)$/i.test(path) ? '//' : '#';
}

/** Dockerfiles only allow whole-line comments, which the analyzer reads as file-wide (`ignore-file`). */
export function isDockerfile(document: vscode.TextDocument): boolean {
  return document.languageId === 'dockerfile' || /(^|\/)(Dockerfile|Containerfile)[^/]*$|\.dockerfile$/i.test(document.uri.path);
}

/**
 * The edit that silences `rule` on `line`: extends an existing `porta: ignore[...]` list, or appends a comment.
 * In Dockerfiles it writes `# porta: ignore-file[RULE]` after the parser directives (`# syntax=`, `# escape=`).
 */
export function suppressionEdit(document: vscode.TextDocument, line: number, rule: string): vscode.TextEdit {
  if (isDockerfile(document)) {
    let at = 0;
    while (at < document.lineCount && /^#\s*(syntax|escape|check)\s*=/i.test(document.lineAt(at).text)) at++;
    return vscode.TextEdit.insert(new vscode.Position(at, 0), `# porta: ignore-file[${rule}]\n`);
  }
  const text = document.lineAt(line).text;
  const existing = EXISTING.exec(text);
  if (existing) {
    const rules = existing[2].split(',').map((r) => r.trim()).filter(Boolean);
    if (!rules.includes(rule)) rules.push(rule);
    const start = existing.index;
    const replacement = `${existing[1]} porta: ignore[${rules.join(', ')}]`;
    return vscode.TextEdit.replace(new vscode.Range(line, start, line, start + existing[0].length), replacement);
  }
  const token = commentToken(document.languageId, document.uri.path);
  const trimmedEnd = text.replace(/\s+$/, '').length;
  return vscode.TextEdit.replace(new vscode.Range(line, trimmedEnd, line, text.length), `  ${token} porta: ignore[${rule}]`);
}
