import type { TreeSitter } from '../../parse/loader';
import type { FixContext } from './context';
import { callName, positionalIndex, replaceCall } from './nodes';
import type { Rewrite } from './rewrite';

type Node = TreeSitter.Node;

/**
 * `torch.cuda.current_device()` and `torch.cuda.device_count()` answer with numbers that mean CUDA devices. Their ported
 * forms answer 0 on the CPU, which keeps the meaning only where the number is used as such: an index inside a device
 * the fix already ported (`torch.device(DEVICE.type, i)`), or a count compared or printed. Elsewhere:
 *   - `.to(current_device())`, `device=current_device()`, `device_map=`: the device itself, `DEVICE` (an int there is
 *     the CUDA device of that index, also on the CPU or XPU);
 *   - `world_size = device_count()`, `nprocs=device_count()`: at least one process (`max(1, ...)`), so a CPU run
 *     starts one process instead of none; `rank % device_count()` likewise divides by at least one (not by zero);
 *   - `current_device()` anywhere else (a variable the program later passes who knows where): unsafe, with the reason.
 */

const DEVICE_KEYWORDS = new Set(['device', 'map_location', 'device_map']);
const PROCESS_COUNT = /^(?:\w*_)?(?:world_size|nprocs|nproc|n_?procs|num_?processes|n_?gpus?|num_?gpus|ngpus(?:_per_node)?|gpus_per_node|gpu_count)$/i;

/** Where a number would be read as a CUDA device: a device keyword (or a device_map dict value), `.to()`'s first argument. */
function inDeviceArgument(call: Node, ctx: FixContext): boolean {
  let site = call;
  if (site.parent?.type === 'pair' && site.parent.childForFieldName('value')?.id === site.id && site.parent.parent?.type === 'dictionary') site = site.parent.parent;
  const parent = site.parent;
  if (parent?.type === 'keyword_argument') return DEVICE_KEYWORDS.has(parent.childForFieldName('name')?.text ?? '');
  if (parent?.type !== 'argument_list' || parent.parent?.type !== 'call' || site !== call) return false;
  const { qn, method } = callName(parent.parent, ctx);
  return method === 'to' && !qn?.startsWith('torch.') && positionalIndex(parent, call) === 0;
}

/** Where the index keeps its meaning: a device built from it (`torch.device(t, i)`, `f"...:{i}"`), DDP's device_ids (None on the CPU), a print. */
function inIndexPosition(call: Node, ctx: FixContext): boolean {
  const parent = call.parent;
  if (parent?.type === 'interpolation') return true;
  if (parent?.type === 'argument_list' && /^(?:print|\w+\.(?:debug|info|warning|error))$/.test(parent.parent?.childForFieldName('function')?.text ?? '')) return true; // shown, not used
  if (parent?.type === 'list' && parent.parent?.type === 'keyword_argument') return parent.parent.childForFieldName('name')?.text === 'device_ids';
  return parent?.type === 'argument_list' && parent.parent?.type === 'call' && callName(parent.parent, ctx).qn === 'torch.device' && positionalIndex(parent, call) === 1;
}

/** The value a device count flows into, through `min(...)`, `max(...)` and `a or b`. */
function countsProcesses(call: Node): boolean {
  let value = call;
  for (let depth = 0; depth < 4; depth++) {
    const parent = value.parent;
    if (parent?.type === 'boolean_operator') value = parent;
    else if (parent?.type === 'argument_list' && /^(?:min|max)$/.test(parent.parent?.childForFieldName('function')?.text ?? '')) value = parent.parent!;
    else break;
  }
  const holder = value.parent;
  const name = holder?.type === 'keyword_argument' ? holder.childForFieldName('name')
    : holder?.type === 'assignment' && holder.childForFieldName('right')?.id === value.id ? holder.childForFieldName('left') : null;
  const last = name?.type === 'attribute' ? name.childForFieldName('attribute')?.text : name?.text;
  return !!last && PROCESS_COUNT.test(last);
}

/** `rank % device_count()`, `n // device_count()`: a divisor, which 0 off-device would turn into ZeroDivisionError. */
function dividesBy(call: Node): boolean {
  let value = call;
  while (value.parent?.type === 'parenthesized_expression') value = value.parent;
  const parent = value.parent;
  return parent?.type === 'binary_operator' && parent.childForFieldName('right')?.id === value.id &&
    ['%', '//', '/'].includes(parent.childForFieldName('operator')?.text ?? '');
}

/** `current_device()` where a device is expected: the chosen device itself. */
export function currentDeviceAsDevice(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!inDeviceArgument(call, ctx)) return undefined;
  return { title: 'Use the chosen device (a CUDA index there means a CUDA device on every target)', safe: true, edits: [replaceCall(call, ctx.device)], needs: ['device'] };
}

/** Adjusts the ported `current_device()` / `device_count()` so that its number keeps the meaning it had (see above). */
export function keepQueryMeaning(call: Node, member: string, rewrite: Rewrite, ctx: FixContext): Rewrite {
  if (member === 'device_count' && countsProcesses(call)) {
    const edits = rewrite.edits.map((e) => ({ ...e, text: `max(1, ${e.text})` }));
    return { ...rewrite, title: `${rewrite.title} (at least one process where there is no accelerator)`, edits };
  }
  if (member === 'device_count' && dividesBy(call)) {
    const edits = rewrite.edits.map((e) => ({ ...e, text: `max(1, ${e.text})` }));
    return { ...rewrite, title: `${rewrite.title} (at least one device to divide by where there is no accelerator)`, edits };
  }
  if (member === 'current_device' && !inIndexPosition(call, ctx)) {
    return { ...rewrite, safe: false, title: `${rewrite.title} (unsafe: off CUDA this is 0, which .to() and device_map read as the first CUDA device)` };
  }
  return rewrite;
}
