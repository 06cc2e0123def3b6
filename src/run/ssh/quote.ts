/** POSIX shell quoting for commands that run on a remote host (ssh joins its arguments into one shell line). */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word so that any POSIX shell reads it back unchanged (spaces, quotes, `$()`, `;`, newlines). */
export function shQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quotes every word and joins them with spaces: a command line for `sh -c`. */
export function shJoin(words: readonly string[]): string {
  return words.map(shQuote).join(' ');
}

/**
 * A path on the remote host. `~/x` is made relative (ssh and rsync start in the home directory), so no tilde
 * expansion is needed and the path stays quotable.
 */
export function remoteRelative(path: string): string {
  if (path === '~' || path === '~/') return '.';
  if (path.startsWith('~/')) return path.slice(2) || '.';
  if (path.startsWith('~')) throw new Error(`remote path '${path}': only ~/ (your own home) is supported`);
  return path;
}

/**
 * Quotes one word for rsync's `-e` option, which splits on spaces and honours single and double quotes
 * but not backslashes.
 */
export function rsyncEQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  if (!word.includes("'")) return `'${word}'`;
  if (!word.includes('"')) return `"${word}"`;
  throw new Error(`cannot pass ${JSON.stringify(word)} through rsync -e (contains both quote kinds)`);
}
