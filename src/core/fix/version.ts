/**
 * Which torch version a project declares. Text in, version out (no I/O): the CLI reads requirements*.txt,
 * pyproject.toml and environment.yml and hands their text here. We take the lowest version the declaration
 * allows, since the rewritten code must run on all of them.
 */
export type Version = readonly number[];

export function parseVersion(text: string): Version | undefined {
  const match = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when `declared` is known and at least `minimum`; an unknown version is never "at least" anything. */
export function versionAtLeast(declared: string | undefined, minimum: string): boolean {
  if (!declared) return false;
  const a = parseVersion(declared);
  const b = parseVersion(minimum);
  return !!a && !!b && compareVersions(a, b) >= 0;
}

/** The lower bound of a PEP 440 / conda / poetry specifier such as "==2.1.0+cu121", ">=2.4,<3", "^2.2", "2.3.*". */
export function lowerBound(spec: string): string | undefined {
  const parts = spec.split(',').map((p) => p.trim()).filter(Boolean);
  const bounds: Version[] = [];
  for (const part of parts) {
    const m = /^(===|==|~=|>=|\^|~|=)?\s*v?(\d+(?:\.\d+)*)/.exec(part);
    if (!m) continue;
    if (part.startsWith('>') && !part.startsWith('>=')) continue; // ">2.1" has no usable lower version
    const v = parseVersion(m[2]!);
    if (v) bounds.push(v);
  }
  if (bounds.length === 0) return undefined;
  const highest = bounds.sort(compareVersions)[bounds.length - 1]!;
  return highest.join('.');
}

const TORCH_NAMES = /^(torch|pytorch)$/i;

/** Declared torch version from one manifest file's text, chosen by the file name. */
export function torchVersionFromManifest(fileName: string, text: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop()!.toLowerCase();
  if (base.endsWith('.toml')) return fromPyproject(text);
  if (base.endsWith('.yml') || base.endsWith('.yaml')) return fromCondaEnvironment(text);
  return fromRequirements(text);
}

function fromRequirementLine(line: string): string | undefined {
  const cleaned = line.replace(/\s+#.*$/, '').trim();
  const m = /^([A-Za-z0-9_.-]+)\s*(\[[^\]]*\])?\s*([=<>~!^].*)?$/.exec(cleaned.split(';')[0]!.trim());
  if (!m || !TORCH_NAMES.test(m[1]!) || !m[3]) return undefined;
  return lowerBound(m[3]);
}

function fromRequirements(text: string): string | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('-')) continue;
    const v = fromRequirementLine(line);
    if (v) return v;
  }
  return undefined;
}

function fromPyproject(text: string): string | undefined {
  // PEP 621 dependency strings: "torch>=2.1"
  for (const m of text.matchAll(/["']\s*(torch|pytorch)\s*(\[[^\]]*\])?\s*([=<>~!][^"';]*)/gi)) {
    const v = lowerBound(m[3]!);
    if (v) return v;
  }
  // Poetry tables: torch = "^2.1" or torch = { version = "^2.1", ... }
  const poetry = /^\s*(torch|pytorch)\s*=\s*(?:"([^"]+)"|\{[^}]*version\s*=\s*"([^"]+)")/im.exec(text);
  if (poetry) return lowerBound(poetry[2] ?? poetry[3] ?? '');
  return undefined;
}

function fromCondaEnvironment(text: string): string | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*-\s*(?:[\w-]+::)?(torch|pytorch)\s*([=<>~!].*)?$/i.exec(raw.replace(/\s+#.*$/, ''));
    if (!m || !m[2]) continue;
    // conda uses a single "=": pytorch=2.1.0=py3.10_cuda12.1...
    const spec = m[2].startsWith('=') && !m[2].startsWith('==') ? '==' + m[2].slice(1).split('=')[0] : m[2];
    const v = lowerBound(spec);
    if (v) return v;
  }
  return undefined;
}

/** File names whose text `torchVersionFromManifest` understands, in the order they are consulted. */
export const TORCH_MANIFESTS = [/^requirements.*\.txt$/i, /^pyproject\.toml$/i, /^environment\.ya?ml$/i];
