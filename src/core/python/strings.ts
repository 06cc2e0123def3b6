import type { TreeSitter } from '../parse/loader';

type Node = TreeSitter.Node;

export interface StringValue {
  /** Literal text with each f-string interpolation replaced by "{}". */
  value: string;
  /** Source text of each interpolated expression, in order. */
  interpolations: string[];
}

/** The value of a `string` node, without quotes and prefixes (read from its text: no child-node lookups). */
export function stringValue(node: Node): StringValue {
  return stringValueOf(node.text);
}

export function stringValueOf(raw: string): StringValue {
  const head = /^([rRbBuUfFtT]{0,2})('''|"""|'|")/.exec(raw);
  if (!head) return { value: raw, interpolations: [] };
  const quote = head[2];
  const body = raw.slice(head[0].length, raw.endsWith(quote) && raw.length >= head[0].length + quote.length ? raw.length - quote.length : raw.length);
  if (!/[fFtT]/.test(head[1])) return { value: body, interpolations: [] };
  let value = '';
  const interpolations: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if ((c === '{' || c === '}') && body[i + 1] === c) {
      value += c;
      i++;
    } else if (c === '{') {
      let depth = 1;
      let j = i + 1;
      for (; j < body.length && depth > 0; j++) {
        if (body[j] === '{') depth++;
        else if (body[j] === '}') depth--;
      }
      const inner = body.slice(i + 1, j - 1);
      interpolations.push(inner.replace(/(?:![rsa])?(?::[^:]*)?$/, (m) => (/^[!:]/.test(m) ? '' : m)).trim());
      value += '{}';
      i = j - 1;
    } else value += c;
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
