/** Turns OpenSSH's stderr into one clear sentence (ssh exits 255 for all of these). */
export function explainSshFailure(stderr: string, destination: string): string {
  const text = stderr.trim();
  const last = text.split('\n').filter(Boolean).slice(-1)[0] ?? '';
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(text)) {
    return `the host key of ${destination} has CHANGED since it was recorded in known_hosts — possible man-in-the-middle; refusing to connect. If the host was reinstalled, remove the old key with ssh-keygen -R.`;
  }
  if (/No .*host key is known for|Host key verification failed/.test(text)) {
    return `the host key of ${destination} is not known (StrictHostKeyChecking). Connect once with ssh to verify it, or set host_key_policy = "accept-new" for this target.`;
  }
  if (/Permission denied/.test(text)) return `authentication to ${destination} failed (${last}). Porta uses key-based, non-interactive SSH (BatchMode): check the identity file or ssh-agent.`;
  if (/Could not resolve hostname/.test(text)) return `cannot resolve the host name of ${destination} (${last})`;
  if (/Connection refused/.test(text)) return `${destination} refused the connection (is sshd running on that port?)`;
  if (/timed out/i.test(text)) return `connecting to ${destination} timed out (${last})`;
  if (/No route to host|Network is unreachable/.test(text)) return `${destination} is unreachable (${last})`;
  if (/Connection closed|Broken pipe|Connection reset|mux_client|closed by remote host|Timeout, server/i.test(text)) return `the connection to ${destination} was lost (${last})`;
  return `ssh to ${destination} failed${last ? `: ${last}` : ''}`;
}
