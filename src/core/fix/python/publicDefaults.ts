import type { TreeSitter } from '../../parse/loader';

type Node = TreeSitter.Node;

/**
 * Public signatures and defaults are API: callers (other modules, other packages) rely on them. A rewrite of the
 * default value of a public function's parameter (`def train_one_epoch(..., device=torch.device("cuda"))`) or of a
 * class attribute (a dataclass field, `device: str = "cuda"`) changes what every caller that omits the argument gets,
 * so it is never safe: this names what it changes, for the fix's title.
 */
export function publicDefaultChanged(node: Node, memo?: Map<number, string | undefined>): string | undefined {
  // Every node climbed leads to the same answer: remembered, a 20,000-deep chain climbs once, not once per call in it.
  const climbed: number[] = [];
  const answer = (result: string | undefined): string | undefined => {
    for (const id of climbed) memo?.set(id, result);
    return result;
  };
  for (let current: Node | null = node; current; current = current.parent) {
    if (memo?.has(current.id)) return answer(memo.get(current.id));
    climbed.push(current.id);
    const parent: Node | null = current.parent;
    if (!parent) return answer(undefined);
    if ((parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') && parent.childForFieldName('value')?.id === current.id) {
      const definition = parent.parent?.parent;
      if (parent.parent?.type !== 'parameters' || definition?.type !== 'function_definition') return answer(undefined); // a lambda
      const name = definition.childForFieldName('name')?.text ?? '';
      const param = parent.childForFieldName('name')?.text ?? '';
      return answer(isPublic(name) && publicScope(definition) ? `the default of public ${name}()'s parameter ${param}` : undefined);
    }
    if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === current.id) {
      const statement = parent.parent;
      const block = statement?.type === 'expression_statement' ? statement.parent : null;
      const owner = block?.type === 'block' ? block.parent : null;
      if (owner?.type !== 'class_definition') return answer(undefined); // a variable, not an attribute default
      const className = owner.childForFieldName('name')?.text ?? '';
      const attribute = parent.childForFieldName('left')?.text ?? '';
      return answer(isPublic(className) && publicScope(owner) ? `the default of ${className}.${attribute}` : undefined);
    }
    // Statements end the search: a default is an expression inside the signature or the assignment.
    if (current.type.endsWith('_statement') || current.type === 'block' || current.type === 'module') return answer(undefined);
  }
  return undefined;
}

/** `train`, `__init__` (a public constructor): public; `_helper`: private. */
function isPublic(name: string): boolean {
  return !name.startsWith('_') || (name.startsWith('__') && name.endsWith('__'));
}

/** Defined at module level or in public classes only (a function nested in a function is local). */
function publicScope(definition: Node): boolean {
  for (let current = definition.parent; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda') return false;
    if (current.type === 'class_definition' && !isPublic(current.childForFieldName('name')?.text ?? '')) return false;
  }
  return true;
}
