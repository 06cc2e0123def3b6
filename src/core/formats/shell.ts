import type { AnalysisResult, Finding } from '../model';
import type { TreeSitter } from '../parse/loader';
import { findingFromNode, findingFromRange, nodeRange } from '../findings';
import { envRule } from '../rules';
import { LineIndex } from '../text';
import { firstError } from '../python/analyzer';
import { baseName, scanSpecLine } from './requirements';
import { cudaSystemPackageHits } from './cudaSystemPackages';

type Node = TreeSitter.Node;

export function isShellScript(path: string, text: string): boolean {
  if (/\.(?:sh|bash|zsh|ksh|slurm|sbatch)$/i.test(baseName(path))) return true;
  return /^#!\s*\S*(?:\/|env\s+)(?:ba|z|k|da)?sh\b/.test(text.slice(0, 80));
}

/**
 * The text the bash grammar is given: a script whose last line ends in a `\` continuation (launchers often end
 * `--flag value \`) is valid for bash, which joins it with the empty end of the file, but the grammar rejects it.
 * The backslash reads as a space there (same length, so every offset holds).
 */
export function shellParseText(text: string): string {
  const tail = /\\(?=(?:\r?\n[ \t]*)*$)/.exec(text);
  return tail ? `${text.slice(0, tail.index)} ${text.slice(tail.index + 1)}` : text;
}

/** Shell launchers, parsed with the bash grammar: env assignments, nvidia-smi/nvcc, docker --gpus, pip index URLs. */
export function analyzeShell(path: string, text: string, tree: TreeSitter.Tree): AnalysisResult {
  const findings: Finding[] = [];
  const index = new LineIndex(text);
  const visit = (node: Node) => {
    if (node.type === 'variable_assignment') {
      const name = node.childForFieldName('name');
      const rule = name ? envRule(name.text) : undefined;
      if (rule && name) findings.push(findingFromNode(path, text, tree, { ruleId: rule, node, data: { variable: name.text } }));
    } else if (node.type === 'command') commandHits(node);
    for (const child of node.namedChildren) if (child) visit(child);
  };
  const commandHits = (command: Node) => {
    const nameNode = command.childForFieldName('name');
    const name = nameNode ? baseName(nameNode.text) : '';
    const args = command.childrenForFieldName('argument').filter((a): a is Node => !!a);
    const argText = args.map((a) => a.text);
    if (name === 'nvidia-smi') findings.push(findingFromNode(path, text, tree, { ruleId: 'TOOL-001', node: command, data: { tool: 'nvidia-smi' } }));
    // Build switches given to make / cmake as arguments (`make train_gpt2cu USE_CUDNN=1`, `cmake -DWITH_CUDA=ON`); a switch
    // turned off (`=0`, `=OFF`) is the portable setting.
    if (name === 'make' || name === 'cmake') {
      for (const arg of args) {
        const assignment = /^(?:-D)?([A-Z][A-Z0-9_]*)(?::\w+)?=(.*)$/.exec(unquote(arg.text));
        const rule = assignment ? envRule(assignment[1]!) : undefined;
        if (rule && !/^(?:0|off|false|no|)$/i.test(assignment![2]!)) findings.push(findingFromNode(path, text, tree, { ruleId: rule, node: arg, data: { variable: assignment![1]! } }));
      }
    }
    for (const hit of cudaDeviceOptions(args)) findings.push(findingFromNode(path, text, tree, { ruleId: 'PT-DEV-002', node: hit, data: { device: unquote(hit.text) } }, null));
    // apt-get install libcudnn8 / the NVIDIA CUDA repository URL given to wget, curl, add-apt-repository...
    for (const hit of cudaSystemPackageHits(command.text)) {
      const start = command.startIndex + hit.start;
      findings.push(findingFromRange(path, 'SH-003', index.range(start, command.startIndex + hit.end), text.slice(start, command.startIndex + hit.end)));
    }
    if (name === 'nvcc') findings.push(findingFromNode(path, text, tree, { ruleId: 'SH-002', node: command, data: { command: 'nvcc' } }));
    if ((name === 'docker' || name === 'podman') && argText.includes('run')) {
      for (const arg of args) {
        if (/^--gpus(?:=|$)|^--runtime=nvidia$/.test(arg.text)) findings.push(findingFromNode(path, text, tree, { ruleId: 'SH-001', node: arg, data: { command: name } }));
      }
    }
    if (/^(?:pip3?|uv|conda|mamba|python3?)$/.test(name) && argText.includes('install')) {
      for (const arg of args) {
        if (/--cuda_ext\b/.test(arg.text)) findings.push(findingFromNode(path, text, tree, { ruleId: 'LIB-005', node: arg, data: { module: 'apex' } }));
        for (const hit of scanSpecLine(unquote(arg.text))) {
          const start = arg.startIndex + (arg.text.length - unquote(arg.text).length > 0 ? 1 : 0) + hit.start;
          findings.push(findingFromRange(path, hit.ruleId, index.range(start, start + hit.end - hit.start), text.slice(start, start + hit.end - hit.start)));
        }
      }
    }
  };
  visit(tree.rootNode);
  const error = tree.rootNode.hasError ? firstError(tree.rootNode) : undefined;
  const notes = tree.rootNode.hasError ? [{ path, kind: 'syntax-error' as const, message: 'Shell syntax error: findings cover only the parts that parse', range: nodeRange(error ?? tree.rootNode) }] : [];
  return { findings, notes };
}

const DEVICE_OPTION = /^--?device(?:[-_]type)?$/;
const CUDA_DEVICE = /^cuda(?::\d+)?$/;

/**
 * `--device cuda`, `--device=cuda:1`, `--device_type cuda`: the program is told to use a CUDA device (lm-evaluation-harness,
 * training scripts). The node is the argument that holds the value. No fix: the value belongs to the target.
 */
function cudaDeviceOptions(args: Node[]): Node[] {
  const hits: Node[] = [];
  args.forEach((arg, i) => {
    const word = unquote(arg.text);
    const joined = /^(--?device(?:[-_]type)?)=(.*)$/.exec(word);
    if (joined && CUDA_DEVICE.test(unquote(joined[2]!))) hits.push(arg);
    const next = args[i + 1];
    if (DEVICE_OPTION.test(word) && next && CUDA_DEVICE.test(unquote(next.text))) hits.push(next);
  });
  return hits;
}

function unquote(s: string): string {
  return /^(["']).*\1$/.test(s) ? s.slice(1, -1) : s;
}
