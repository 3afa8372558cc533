#!/usr/bin/env node
// Serves the repository's folder (index.html, www/, examples/) on http://127.0.0.1:<port>/.
//
//   node scripts/serve.mjs [--port N]      N defaults to 8000; 0 picks a free port
//
// A static file server with no dependencies: GET and HEAD only, bound to the loopback interface,
// no directory listings, nothing outside the folder and no dot-files (.git), 404 for the rest.
// Every response carries the page's Content-Security-Policy as a header too, so the Web Worker
// (which does not inherit the page's <meta> policy) runs under the same rules.
// Logs one line when listening, "survkit page: http://127.0.0.1:<port>/", which the tests read.

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function portFromArgs(argv) {
  const index = argv.indexOf('--port');
  const text = index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith('--port='))?.slice(7);
  if (text === undefined) return 8000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: "${text}" is not a port number (0-65535)`);
    process.exit(2);
  }
  return port;
}

/** The file a URL path names, or null when it is outside the folder or hidden. */
async function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const segments = decoded.split(/[/\\]+/).filter(Boolean);
  if (segments.some((segment) => segment.startsWith('.'))) return null; // also '..'
  let file = path.join(ROOT, ...segments);
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      file = path.join(file, 'index.html');
      info = await stat(file);
    }
    if (!info.isFile()) return null;
    const real = await realpath(file);
    if (real !== ROOT && !real.startsWith(ROOT + path.sep)) return null; // a symlink out
    return { file: real, size: info.size };
  } catch {
    return null;
  }
}

function send(response, status, text) {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Content-Security-Policy': CSP,
  });
  response.end(text);
}

const server = createServer(async (request, response) => {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(response, 405, 'method not allowed\n');
    return;
  }
  const urlPath = (request.url ?? '/').split(/[?#]/)[0];
  const found = await resolveFile(urlPath);
  if (!found) {
    send(response, 404, 'not found\n');
    return;
  }
  response.writeHead(200, {
    'Content-Type': TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': found.size,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': CSP,
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(found.file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
});

server.on('error', (error) => {
  console.error(`serve: ${error.message}`);
  process.exit(1);
});

server.listen(portFromArgs(process.argv.slice(2)), '127.0.0.1', () => {
  console.log(`survkit page: http://127.0.0.1:${server.address().port}/`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
