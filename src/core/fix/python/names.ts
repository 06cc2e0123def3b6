import type { TreeSitter } from '../../parse/loader';
import { HELPER_FUNCTIONS, type SupportId } from './support';

type Node = TreeSitter.Node;

/** The support items that are functions Porta defines (`_porta_pick_device`, ...). */
export type HelperId = keyof typeof HELPER_FUNCTIONS;
export type HelperNames = Record<HelperId, string>;

const BY_NAME = new Map(Object.entries(HELPER_FUNCTIONS).map(([id, name]) => [name, id as HelperId]));

/**
 * A name the file does not use anywhere: the first candidate, else the last one numbered (`_porta_event_2`). Porta's
 * support code never takes over a user's own definition or import of the same name, nor reuses it.
 */
export function freeName(candidates: string[], text: string): string {
  const unused = (name: string): boolean => !new RegExp(`\\b${name}\\b`).test(text);
  const found = candidates.find(unused);
  if (found) return found;
  const last = candidates[candidates.length - 1]!;
  for (let n = 2; ; n++) if (unused(`${last}_${n}`)) return `${last}_${n}`;
}

/**
 * Which helper a top-level function is when Porta wrote it: the name (possibly numbered) and the docstring every
 * helper starts with ("Porta: ..."). A user's own `_porta_*` function is not one.
 */
export function portaHelper(node: Node): SupportId | undefined {
  const name = node.childForFieldName('name')?.text;
  const id = name ? BY_NAME.get(name.replace(/_\d+$/, '')) ?? BY_NAME.get(name) : undefined;
  if (!id) return undefined;
  const first = node.childForFieldName('body')?.namedChild(0);
  const doc = first?.type === 'expression_statement' ? first.namedChild(0) : null;
  return doc?.type === 'string' && /^[rRuU]?("""|'''|"|')Porta:/.test(doc.text) ? id : undefined;
}

/** Names for the helpers the file lacks, given those Porta already defined there. */
export function helperNames(found: Partial<HelperNames>, text: string): HelperNames {
  const names = {} as HelperNames;
  for (const [id, base] of Object.entries(HELPER_FUNCTIONS) as Array<[HelperId, string]>) names[id] = found[id] ?? freeName([base], text);
  return names;
}
