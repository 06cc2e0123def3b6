import type { TreeSitter } from '../../parse/loader';
import type { FixContext } from './context';
import { argumentParts, callName, portable, replaceCall, stringValue } from './nodes';
import type { Rewrite } from './rewrite';

type Node = TreeSitter.Node;

/**
 * Evidence that a file addresses more than one device: an index other than 0, or a variable index, before or after
 * Porta's rewrites (`"cuda:1"`, `f"cuda:{rank}"`, `"cuda:%d" % i`, `torch.device("cuda", rank)`, `.cuda(rank)`,
 * `set_device(local_rank)`, `device_ids=[rank]`, and the ported `f"{DEVICE.type}:{rank}"`, `torch.device(DEVICE.type, rank)`).
 * The ported forms count too, so that fixing a fixed file changes nothing.
 */
const MULTI_DEVICE = new RegExp([
  String.raw`cuda:(?!0(?!\d))`,
  String.raw`\.type\}:(?!0(?!\d))`,
  String.raw`\bdevice\(\s*(?:["']cuda["']|[\w.]+\.type)\s*,(?!\s*0\s*\))`,
  String.raw`\.cuda\((?!\s*(?:device\s*=\s*)?(?:\)|0\s*[,)]|None\b|non_blocking|memory_format))`,
  String.raw`set_device(?:_index)?\((?!\s*0\s*\))`,
  String.raw`["']set_device["'],(?!\s*0\s*\))`,
  String.raw`device_ids\s*=\s*\[(?!\s*0\s*\])`,
].join('|'));

const single = new WeakMap<FixContext, boolean>();

/** True when the file only ever uses device index 0: single-device code, where `cuda:0` just means "the device". */
export function singleDevice(ctx: FixContext): boolean {
  let answer = single.get(ctx);
  if (answer === undefined) single.set(ctx, (answer = !MULTI_DEVICE.test(ctx.text)));
  return answer;
}

/** Whether `torch.device(...)` names the device itself: `"cuda"`, or in single-device code `"cuda:0"` / `"cuda", 0`. */
export function isWholeDeviceCall(call: Node, ctx: FixContext): boolean {
  if (!portable(ctx) || callName(call, ctx).qn !== 'torch.device') return false;
  const { positional, keywords } = argumentParts(call);
  if (keywords.size > 0 || positional.length === 0 || positional.length > 2) return false;
  const value = stringValue(positional[0]!);
  if (positional.length === 2) return value === 'cuda' && positional[1]!.text === '0' && singleDevice(ctx);
  return value === 'cuda' || (value === 'cuda:0' && singleDevice(ctx));
}

/** `torch.device("cuda")`, and `torch.device("cuda:0")` / `torch.device("cuda", 0)` in single-device code -> `DEVICE`. */
export function rewriteWholeDeviceCall(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!isWholeDeviceCall(call, ctx)) return undefined;
  return { title: `Use the chosen device instead of ${call.text}`, safe: true, edits: [replaceCall(call, ctx.device)], needs: ['device'] };
}
