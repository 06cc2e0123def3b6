/**
 * A standalone host for the dashboard bundle: serves dist-like files over HTTP with the same strict CSP the
 * extension uses, and an `acquireVsCodeApi` stand-in that records posted messages and keeps state in
 * sessionStorage (so a reload behaves like VS Code restoring a hidden webview).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { themeBodyClass, themeCss, type ThemeName } from './themes';

export interface StandaloneHost {
  url: string;
  close(): Promise<void>;
}

const NONCE = 'dGVzdC1ub25jZS0xMjM0NTY3OA==';

function page(origin: string, theme: ThemeName): string {
  const csp = [`default-src 'none'`, `style-src ${origin} 'nonce-${NONCE}'`, `script-src 'nonce-${NONCE}'`, `img-src ${origin} data:`, `font-src ${origin}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${NONCE}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style id="theme" nonce="${NONCE}">${themeCss(theme)}</style>
<link rel="stylesheet" href="${origin}/media/dashboard.css">
<title>Porta</title>
</head>
<body class="${themeBodyClass(theme)}">
<script nonce="${NONCE}">
  window.__posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => { const s = sessionStorage.getItem('state'); return s ? JSON.parse(s) : undefined; },
    setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
  });
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
</script>
<script nonce="${NONCE}" src="${origin}/dist/webview.js"></script>
</body>
</html>`;
}

export async function startStandaloneHost(files: { webviewJs: string; css: string }): Promise<StandaloneHost> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url.pathname === '/') {
      const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(origin, theme));
    } else if (url.pathname === '/dist/webview.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(files.webviewJs));
    } else if (url.pathname === '/media/dashboard.css') {
      res.writeHead(200, { 'content-type': 'text/css' }).end(readFileSync(files.css));
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
