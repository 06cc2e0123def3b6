/**
 * What a workspace may say to OpenSSH. `ssh_options` and an `ssh_config` file named in porta.toml come from the
 * repository, which the user did not write; several OpenSSH options run local commands (ProxyCommand, LocalCommand,
 * KnownHostsCommand, `Match exec`, PKCS11Provider and SecurityKeyProvider load libraries), forward the user's agent or
 * ports, or change how host keys are checked. So options are allowed by name (an allow-list), and names are read the
 * way ssh reads them: case-insensitive, optionally quoted, separated from the value by `=` or white space.
 */

/** Options that only tune the connection or name files to read; none executes anything or weakens a check. */
const ALLOWED = new Set([
  'addressfamily', 'bindaddress', 'bindinterface', 'canonicaldomains', 'canonicalizefallbacklocal', 'canonicalizehostname',
  'canonicalizemaxdots', 'canonicalizepermittedcnames', 'casignaturealgorithms', 'certificatefile', 'checkhostip', 'ciphers',
  'compression', 'connectionattempts', 'connecttimeout', 'fingerprinthash', 'globalknownhostsfile', 'hostbasedacceptedalgorithms',
  'hostkeyalgorithms', 'hostkeyalias', 'hostname', 'identitiesonly', 'identityfile', 'ipqos', 'kbdinteractiveauthentication',
  'kexalgorithms', 'loglevel', 'macs', 'numberofpasswordprompts', 'passwordauthentication', 'port', 'preferredauthentications',
  'pubkeyacceptedalgorithms', 'pubkeyacceptedkeytypes', 'pubkeyauthentication', 'rekeylimit', 'requiredrsasize',
  'serveralivecountmax', 'serveraliveinterval', 'tcpkeepalive', 'user', 'userknownhostsfile',
]);

/** Keywords an ssh_config file may use besides the allowed options: `Host` only selects which lines apply. */
const CONFIG_ONLY = new Set(['host']);

export class SshOptionError extends Error {}

/** Control characters (other than tab) end or split a line for ssh; a workspace value never needs them. */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\0-\x08\n-\x1f\x7f]/;

/**
 * The keyword of one ssh option line, as OpenSSH's strdelim reads it: leading white space skipped, the keyword ends at
 * white space or `=`. ssh strips quotes inside a keyword (`"ProxyCommand"`, `Proxy"Command"`), so any quote before the
 * first separator marks a quoted keyword, which callers refuse rather than guess how ssh would read it.
 */
export function optionKeyword(line: string): { keyword: string; quoted: boolean } {
  const trimmed = line.replace(/^[ \t]+/, '');
  const end = trimmed.search(/[ \t=]/);
  const raw = end < 0 ? trimmed : trimmed.slice(0, end);
  return { keyword: raw.replace(/"/g, '').toLowerCase(), quoted: raw.includes('"') };
}

function check(line: string, where: string, extra: ReadonlySet<string>): void {
  if (CONTROL.test(line)) throw new SshOptionError(`${where}: control characters are not allowed in ssh options`);
  const { keyword, quoted } = optionKeyword(line);
  if (quoted) throw new SshOptionError(`${where}: a quoted option name (${JSON.stringify(line.trim().split(/[ \t=]/)[0])}) is not allowed`);
  if (!ALLOWED.has(keyword) && !extra.has(keyword)) {
    throw new SshOptionError(`${where}: ${keyword || '(empty)'} is not allowed from a workspace (it can run commands, forward `
      + 'credentials or change host-key checks); put it in your own ~/.ssh/config');
  }
}

/** Throws SshOptionError unless `option` (one `-o` value) names an allowed option. */
export function checkSshOption(option: string, where: string): void {
  check(option, where, new Set());
}

/**
 * Throws SshOptionError unless every line of an ssh_config text is a comment, a `Host` line or an allowed option.
 * `Match` (its `exec` runs commands) and `Include` (it reads files that were not checked) are refused too.
 */
export function checkSshConfigText(text: string, where: string): void {
  const lines = text.split('\n');
  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (/^[ \t]*(#|$)/.test(line)) return;
    check(line, `${where}:${index + 1}`, CONFIG_ONLY);
  });
}
