/** The dashboard's HTML shell: strict CSP with a nonce, only extension-local resources. Pure (no vscode import). */

export interface DashboardHtmlInput {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** asWebviewUri(dist/webview.js) and asWebviewUri(media/dashboard.css), as strings. */
  scriptUri: string;
  styleUri: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function dashboardHtml(input: DashboardHtmlInput): string {
  const nonce = escapeAttr(input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(input.cspSource, input.nonce))}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}" nonce="${nonce}">
<title>Porta Dashboard</title>
</head>
<body>
<script nonce="${nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>`;
}

/** 128 random bits, base64: a fresh nonce for every render. */
export function createNonce(randomBytes: (size: number) => Uint8Array): string {
  return Buffer.from(randomBytes(16)).toString('base64');
}
