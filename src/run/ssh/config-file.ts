/**
 * Host aliases of an OpenSSH client config: the names after `Host` that are concrete (no wildcards, no negation).
 * Details (HostName, Port, User, ...) are left to `ssh -G alias`, which applies the real precedence rules.
 */
export function parseSshConfigHosts(text: string): string[] {
  const aliases: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^host(?:\s*=\s*|\s+)(.*)$/i.exec(line);
    if (!match) continue;
    for (const name of match[1].split(/\s+/)) {
      const alias = name.replace(/^"(.*)"$/, '$1');
      if (!alias || /[*?!]/.test(alias)) continue;
      if (!aliases.includes(alias)) aliases.push(alias);
    }
  }
  return aliases;
}

/** Parses `ssh -G` output (lowercase `key value` lines) into a map; repeated keys keep the first value. */
export function parseSshG(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const key = line.slice(0, space);
    if (!out.has(key)) out.set(key, line.slice(space + 1).trim());
  }
  return out;
}
