/**
 * `kernel<<<grid, block, shared, stream>>>(args)` → `hipLaunchKernelGGL(kernel, dim3(grid), dim3(block), shared, stream,
 * args)`, as hipify's --hip-kernel-execution-syntax writes it (the default keeps `<<<>>>`, which hipcc accepts).
 * Template kernels are wrapped in HIP_KERNEL_NAME() so that commas in their arguments survive the macro. The edits
 * only replace the punctuation between the parts, so renames inside the kernel name, the configuration and the
 * arguments still apply. Launches inside parse errors or macro bodies are left alone (their structure is not certain).
 */
import type { TextEdit } from '../model';
import type { TreeSitter } from '../parse/loader';

function namedParts(node: TreeSitter.Node): TreeSitter.Node[] {
  return node.namedChildren.filter((child): child is TreeSitter.Node => child !== null && child.type !== 'comment');
}

/** Names of the function templates defined or declared in the file (kernels that need HIP_KERNEL_NAME). */
function templateNames(root: TreeSitter.Node): Set<string> {
  const names = new Set<string>();
  for (const template of root.descendantsOfType('template_declaration')) {
    if (!template) continue;
    for (const declarator of template.descendantsOfType('function_declarator')) {
      const name = declarator?.childForFieldName('declarator');
      if (name) names.add(name.text);
    }
  }
  return names;
}

function isDim3(node: TreeSitter.Node): boolean {
  return node.type === 'call_expression' && node.childForFieldName('function')?.text === 'dim3';
}

function insideError(node: TreeSitter.Node): boolean {
  for (let current: TreeSitter.Node | null = node; current; current = current.parent) if (current.type === 'ERROR') return true;
  return false;
}

export function launchEdits(tree: TreeSitter.Tree, text: string): TextEdit[] {
  if (!text.includes('<<<')) return [];
  const root = tree.rootNode;
  const templates = templateNames(root);
  const edits: TextEdit[] = [];
  for (const config of root.descendantsOfType('kernel_call_syntax')) {
    const call = config?.parent;
    if (!config || !call || call.type !== 'call_expression' || (root.hasError && insideError(call))) continue;
    const fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments');
    const parts = namedParts(config);
    if (!fn || !args || args.hasError || parts.length < 2 || parts.length > 4) continue;
    const wrap = fn.type === 'template_function' || templates.has(fn.text);
    const hasArgs = namedParts(args).length > 0;
    // Just after the argument list's "(", or for `()` with only blanks inside, up to its ")" (hipify writes `0, 0)`).
    const open = args.namedChildCount === 0 ? args.endIndex - 1 : args.startIndex + 1;
    const sep = hasArgs ? ', ' : '';
    const [grid, block, shared, stream] = parts;
    // hipify wraps grid and block in dim3() unless they already are dim3(...) expressions.
    const [gridOpen, gridClose] = isDim3(grid) ? ['', ''] : ['dim3(', ')'];
    const [blockOpen, blockClose] = isDim3(block) ? ['', ''] : ['dim3(', ')'];
    edits.push({ start: fn.startIndex, end: fn.startIndex, text: `hipLaunchKernelGGL(${wrap ? 'HIP_KERNEL_NAME(' : ''}` });
    edits.push({ start: fn.endIndex, end: grid.startIndex, text: `${wrap ? ')' : ''}, ${gridOpen}` });
    edits.push({ start: grid.endIndex, end: block.startIndex, text: `${gridClose}, ${blockOpen}` });
    if (!shared) edits.push({ start: block.endIndex, end: open, text: `${blockClose}, 0, 0${sep}` });
    else {
      edits.push({ start: block.endIndex, end: shared.startIndex, text: `${blockClose}, ` });
      if (!stream) edits.push({ start: shared.endIndex, end: open, text: `, 0${sep}` });
      else {
        edits.push({ start: shared.endIndex, end: stream.startIndex, text: ', ' });
        edits.push({ start: stream.endIndex, end: open, text: sep });
      }
    }
  }
  return edits;
}
