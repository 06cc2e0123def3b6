/** A class in Python source that subclasses torch's nn.Module (directly, by name). */
export interface ModuleClass {
  name: string;
  /** 0-based line of the `class` statement. */
  line: number;
}

const CLASS = /^(\s*)class\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*:/;
const MODULE_BASE = /(^|[\s,])(torch\.nn\.Module|nn\.Module|Module)\s*(,|$)/;

/**
 * Finds `class X(nn.Module):` (also `torch.nn.Module`, a bare imported `Module`, several bases) line by line.
 * Indirect subclasses (class B(A) where A is a Module) are not followed: the export needs a class it can build.
 */
export function findModuleClasses(source: string): ModuleClass[] {
  const found: ModuleClass[] = [];
  source.split(/\r?\n/).forEach((text, line) => {
    const match = CLASS.exec(text);
    if (match && MODULE_BASE.test(match[3].trim())) found.push({ name: match[2], line });
  });
  return found;
}
