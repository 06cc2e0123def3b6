import type { TreeSitter } from '../parse/loader';

type Node = TreeSitter.Node;

export interface StringValue {
  /** Literal text with each f-string interpolation replaced by "{}". */
  value: string;
  /** Source text of each interpolated expression, in order. */
  interpolations: string[];
}

/** The value of a `string` node, without quotes and prefixes. */
export function stringValue(node: Node): StringValue {
  let value = '';
  const interpolations: string[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_content' || child.type === 'escape_sequence') value += child.text;
    else if (child.type === 'interpolation') {
      value += '{}';
      interpolations.push(child.childForFieldName('expression')?.text ?? '');
    }
  }
  return { value, interpolations };
}

export interface DeviceString {
  /** "0", an interpolated expression such as "rank", or undefined for plain "cuda". */
  index?: string;
  /** "cuda:%d" % i / "cuda:{}".format(i): the index comes from the surrounding expression. */
  formatted?: boolean;
}

const DEVICE_RE = /^cuda(?::(\d+|\{\d*\}|%[ds]))?$/;

/** Recognises "cuda", "cuda:0" and f"cuda:{rank}"; anything else (e.g. "run this on cuda") is not a device string. */
export function deviceString(value: StringValue): DeviceString | undefined {
  const m = DEVICE_RE.exec(value.value);
  if (!m) return undefined;
  if (m[1] === '{}' && value.interpolations.length > 0) return { index: value.interpolations[0] };
  if (m[1] !== undefined && !/^\d+$/.test(m[1])) return { index: '', formatted: true };
  return { index: m[1] };
}
