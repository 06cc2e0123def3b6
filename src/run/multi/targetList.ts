/** `a,b , c,a` -> ['a', 'b', 'c']: the targets of one multi-target action, in the order given, each once. */
export function parseTargetList(value: string | undefined): string[] {
  if (value === undefined) return ['local'];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  return [...new Set(names)];
}
