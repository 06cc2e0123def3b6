/**
 * Portability checks that renaming cannot fix: warp-size-32 assumptions, inline PTX, texture references and
 * dynamic parallelism. One tree-sitter query collects the candidate nodes; small predicates decide.
 */
import type { TreeSitter } from '../parse/loader';

export interface CheckHit {
  rule: 'CU-WARP-001' | 'CU-WARP-002' | 'CU-WARP-004' | 'CU-PTX-001' | 'CU-TEX-001' | 'CU-DP-001' | 'CU-KERN-001';
  node: TreeSitter.Node;
  message: string;
}

const QUERY = `
(binary_expression left: (_) @left right: (number_literal) @num) @bin
(call_expression function: (identifier) @fn arguments: (argument_list . (number_literal) @mask))
(init_declarator declarator: (identifier) @var value: (number_literal) @init)
(for_statement) @for
(gnu_asm_expression) @asm
(template_type name: (type_identifier) @tmpl)
(call_expression (kernel_call_syntax)) @launch
(function_definition "__global__" @global) @kernel
(preproc_def name: (identifier) @macro value: (preproc_arg) @macroval)
`;

const queries = new WeakMap<TreeSitter.Language, TreeSitter.Query>();

function queryFor(language: TreeSitter.Language, ts: typeof TreeSitter): TreeSitter.Query {
  let query = queries.get(language);
  if (!query) {
    query = new ts.Query(language, QUERY);
    queries.set(language, query);
  }
  return query;
}

const FULL_MASK = /^0x[fF]{8}[uUlL]*$/;
const WARP_SIZE_NAME = /warp_?size|threads_?per_?warp|lanes_?per_?warp/i;
const WARP_INTRINSIC = /^__(shfl|ballot|any|all|syncwarp|match|reduce)\w*_sync$|^__syncwarp$/;
/** Operands that name a thread or lane index, a warp size in any code. */
const LANE_ARITHMETIC = /threadIdx|\blane|warp|laneid/i;
const THREAD_INDEX = /threadIdx|blockDim|\btid\b|lane|thread_id|\bidx\b|\bi\b/i;

/** The checks' hits under `scope`: the file's root node, or one top-level declaration (incremental analysis). */
export function runChecks(scope: TreeSitter.Node, ts: typeof TreeSitter): CheckHit[] {
  const hits: CheckHit[] = [];
  const seen = new Set<string>();
  const push = (hit: CheckHit) => {
    const key = `${hit.rule}:${hit.node.startIndex}`;
    if (!seen.has(key)) {
      seen.add(key);
      hits.push(hit);
    }
  };
  for (const match of queryFor(scope.tree.language, ts).matches(scope)) {
    const get = (name: string) => match.captures.find((capture) => capture.name === name)?.node;
    const bin = get('bin');
    const num = get('num');
    const left = get('left');
    if (bin && num && left) {
      const op = bin.childForFieldName('operator')?.type;
      const value = num.text.replace(/[uUlL]+$/, '');
      const warpArithmetic = (op === '%' && value === '32') || (op === '&' && value === '31') || (op === '/' && value === '32' && THREAD_INDEX.test(left.text));
      // In host code `% 32` is an image size or an alignment, not a warp: only device code, or obvious lane arithmetic.
      if (warpArithmetic && (LANE_ARITHMETIC.test(left.text) || insideDeviceFunction(bin))) {
        push({ rule: 'CU-WARP-001', node: bin, message: `\`${bin.text}\` assumes 32 lanes per warp; AMD wavefronts have 64: use warpSize` });
      }
    }
    const fn = get('fn');
    const mask = get('mask');
    if (fn && mask && WARP_INTRINSIC.test(fn.text) && FULL_MASK.test(mask.text)) {
      push({ rule: 'CU-WARP-002', node: mask, message: `${fn.text}(${mask.text}, ...): a 32-bit full mask covers half of a 64-lane wavefront` });
    }
    const variable = get('var');
    const init = get('init');
    if (variable && init && /mask/i.test(variable.text) && FULL_MASK.test(init.text)) {
      push({ rule: 'CU-WARP-002', node: init, message: `${variable.text} = ${init.text}: a 32-bit lane mask assumes 32-thread warps` });
    }
    if (variable && init && WARP_SIZE_NAME.test(variable.text) && init.text === '32') {
      push({ rule: 'CU-WARP-001', node: init, message: `${variable.text} = 32 hard-codes the warp size; AMD wavefronts have 64 lanes: use warpSize` });
    }
    const macro = get('macro');
    const macroValue = get('macroval');
    if (macro && macroValue && WARP_SIZE_NAME.test(macro.text) && macroValue.text.trim() === '32') {
      push({ rule: 'CU-WARP-001', node: macroValue, message: `#define ${macro.text} 32 hard-codes the warp size; AMD wavefronts have 64 lanes: use warpSize` });
    }
    const loop = get('for');
    if (loop) {
      const initializer = loop.childForFieldName('initializer');
      const body = loop.childForFieldName('body');
      if (initializer && body && /=\s*16\b/.test(initializer.text) && /__shfl/.test(body.text)) {
        push({ rule: 'CU-WARP-004', node: initializer, message: 'shuffle reduction starts at offset 16 (a 32-lane warp); start at warpSize / 2 for 64-lane wavefronts' });
      }
    }
    const asm = get('asm');
    if (asm) push({ rule: 'CU-PTX-001', node: asm, message: 'inline PTX assembly has no HIP form' });
    const tmpl = get('tmpl');
    if (tmpl && (tmpl.text === 'texture' || tmpl.text === 'surface')) {
      push({ rule: 'CU-TEX-001', node: tmpl.parent ?? tmpl, message: `${tmpl.text} reference: removed in CUDA 12, deprecated in HIP; use texture objects` });
    }
    const launch = get('launch');
    if (launch && insideDeviceFunction(launch)) {
      push({ rule: 'CU-DP-001', node: launch, message: 'kernel launched from device code (dynamic parallelism): not supported by HIP' });
    } else if (launch) {
      const name = launch.childForFieldName('function')?.text ?? 'kernel';
      push({ rule: 'CU-KERN-001', node: launch, message: `${name}<<<...>>> launches a CUDA kernel: hipcc takes it on ROCm; other backends need the kernel rewritten or a framework op` });
    }
    const global = get('global');
    const kernel = get('kernel');
    if (global && kernel) {
      const name = kernelName(kernel);
      push({ rule: 'CU-KERN-001', node: global, message: `__global__ ${name}: a CUDA kernel, compiled by nvcc (hipcc on ROCm); other backends need it rewritten (AscendC, SYCL, Metal) or a framework op` });
    }
  }
  return hits.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

/** The kernel's name from its declarator (`k` in `void k(float* a)`, `T::k` for members). */
function kernelName(definition: TreeSitter.Node): string {
  let declarator = definition.childForFieldName('declarator');
  while (declarator && declarator.type !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
  return declarator?.childForFieldName('declarator')?.text ?? 'kernel';
}

function insideDeviceFunction(node: TreeSitter.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') {
      return current.children.some((child) => child !== null && (child.type === '__global__' || child.type === '__device__'));
    }
  }
  return false;
}
