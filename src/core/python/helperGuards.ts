import type { TreeSitter } from '../parse/loader';
import type { GuardKind, GuardSite } from './guardContext';

type Node = TreeSitter.Node;

/** What the call graph needs from the lexical guards (passed in, so this module does not import guardContext). */
export interface HelperGuardReader {
  /** The guard of `node` as things stand (it may consult the helpers found so far). */
  guardOf(node: Node): GuardSite | undefined;
  /** Whether a top-level class is one vendor's class of a per-vendor hierarchy (`class CUDAAccelerator(Accelerator)`). */
  isVendorClass(cls: Node): boolean;
  site(kind: GuardKind, construct: string, node: Node): GuardSite;
}

/** Words of a function name that say it serves CUDA (`find_usable_cuda_devices`, `get_nvidia_gpu_stats`). */
const CUDA_NAME_WORDS = new Set(['cuda', 'nvidia', 'nvml', 'cudnn', 'cublas', 'nccl']);
/** Bounds: references read per helper, and passes over the helpers (a helper called by a helper found in a later pass). */
const MAX_REFERENCES = 64;
const MAX_PASSES = 4;
const MAX_STATEMENTS = 1024;
/** Private helpers judged per file, and guard look-ups over all passes: a file of thousands stays linear. */
const MAX_CANDIDATES = 256;
const MAX_LOOKUPS = 4096;

/** Per parsed tree: every finding of a file asks, the answer is the file's. Filled while computed (see helperGuards). */
const computed = new WeakMap<object, Map<string, GuardSite>>();

/**
 * Top-level functions that run only where CUDA is present because of who calls them (a call-graph guard within the
 * module), by name:
 *  - in a module that defines one vendor's class of a per-vendor hierarchy (it is the CUDA backend), the functions
 *    named for CUDA (`find_usable_cuda_devices`, `_clear_cuda_memory`): the backend's own API, asked for only when
 *    CUDA is the device;
 *  - a module-private function (`_name`) referenced in the module only from guarded code: inside an
 *    `if torch.cuda.is_available():`, a vendor class's method, or another such helper. Private names are the module's
 *    own by Python convention; one never referenced here is not judged (its callers are elsewhere).
 */
export function helperGuards(root: Node, reader: HelperGuardReader): ReadonlyMap<string, GuardSite> {
  const known = computed.get(root.tree);
  if (known) return known;
  const guards = new Map<string, GuardSite>();
  // Set before the passes: a reference's guard may ask about a helper, and must then see what is found so far.
  computed.set(root.tree, guards);
  const functions = topLevelFunctions(root);
  if (functions.size === 0) return guards;
  const backend = root.namedChildren.slice(0, MAX_STATEMENTS).some((s) => {
    const definition = s?.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
    return definition?.type === 'class_definition' && reader.isVendorClass(definition);
  });
  if (backend) {
    for (const [name, fn] of functions) {
      if (name.toLowerCase().split('_').some((w) => CUDA_NAME_WORDS.has(w))) guards.set(name, reader.site('vendor-module', `def ${name}(...)`, nameOf(fn)));
    }
  }
  const candidates = [...functions.keys()].filter((name) => name.startsWith('_') && !name.startsWith('__') && !guards.has(name)).slice(0, MAX_CANDIDATES);
  if (candidates.length === 0) return guards;
  const references = referencesTo(root, candidates, functions);
  let lookups = 0;
  const guarded = (ref: Node) => ++lookups <= MAX_LOOKUPS && !!reader.guardOf(ref);
  for (let pass = 0, changed = true; changed && pass < MAX_PASSES; pass++) {
    changed = false;
    for (const name of candidates) {
      const found = references.get(name) ?? [];
      if (guards.has(name) || found.length === 0 || found.length > MAX_REFERENCES || !found.every(guarded)) continue;
      guards.set(name, reader.site('guarded-callers', `def ${name}(...)`, nameOf(functions.get(name)!)));
      changed = true;
    }
  }
  return guards;
}

/** What the statement cache of an open document keys on: which helpers are guarded (an edit elsewhere may change it). */
export function helperGuardKey(root: Node, reader: HelperGuardReader): string {
  return [...helperGuards(root, reader).keys()].sort().join(',');
}

/** `def name(...)` at module level (decorated or not), by name; a name defined twice is left out (which one runs?). */
function topLevelFunctions(root: Node): Map<string, Node> {
  const functions = new Map<string, Node>();
  const twice = new Set<string>();
  for (const statement of root.namedChildren.slice(0, MAX_STATEMENTS)) {
    const definition = statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type !== 'function_definition') continue;
    const name = definition.childForFieldName('name')?.text;
    if (!name) continue;
    if (functions.has(name)) twice.add(name);
    functions.set(name, definition);
  }
  for (const name of twice) functions.delete(name);
  return functions;
}

/**
 * Every identifier that names one of `names` outside its own definition. The text is searched for the names (as the
 * matchers search for tokens) and each hit is confirmed in the tree: an identifier, not an attribute's member
 * (`self._helper` is a method), not a method's own name, not in a string or comment.
 */
function referencesTo(root: Node, names: string[], functions: Map<string, Node>): Map<string, Node[]> {
  const found = new Map<string, Node[]>();
  const text = root.text;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${names.join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
  for (const m of text.matchAll(pattern)) {
    const name = m[0];
    const list = found.get(name) ?? [];
    if (list.length > MAX_REFERENCES) continue;
    const node = root.descendantForIndex(m.index, m.index + name.length);
    if (node?.type !== 'identifier' || node.text !== name) continue;
    const parent = node.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === node.startIndex) continue;
    // A method or class of the same name defines something else.
    if ((parent?.type === 'function_definition' || parent?.type === 'class_definition') && parent.childForFieldName('name')?.startIndex === node.startIndex) continue;
    const own = functions.get(name)!;
    if (node.startIndex >= own.startIndex && node.endIndex <= own.endIndex) continue;
    list.push(node);
    found.set(name, list);
  }
  return found;
}

function nameOf(fn: Node): Node {
  return fn.childForFieldName('name') ?? fn;
}
