// scripts/serve.mjs: MIME types, 404s, no way out of the folder, a clean exit on SIGTERM.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';

import { startServer } from './helpers.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

/** A raw GET (no URL normalisation by the client, so "/../" reaches the server as written). */
function get(path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const { port } = new URL(server.origin);
    const req = request({ host: '127.0.0.1', port, path, method }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, type: response.headers['content-type'], csp: response.headers['content-security-policy'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves the page with the right types and the CSP', async () => {
  const page = await get('/');
  assert.equal(page.status, 200);
  assert.equal(page.type, 'text/html; charset=utf-8');
  assert.match(page.csp, /connect-src 'none'/);
  assert.equal((await get('/index.html')).status, 200);
  assert.equal((await get('/www/app.js')).type, 'text/javascript; charset=utf-8');
  assert.equal((await get('/www/style.css')).type, 'text/css; charset=utf-8');
  assert.equal((await get('/www/pkg/survkit_bg.wasm')).type, 'application/wasm');
  assert.equal((await get('/examples/cart_haplo_simulated.csv')).type, 'text/csv; charset=utf-8');
  assert.equal((await get('/www/icon.svg')).type, 'image/svg+xml');
  assert.equal((await get('/package.json')).type, 'application/json; charset=utf-8');
  assert.equal((await get('/www/app.js?v=1')).status, 200);
  const head = await get('/www/app.js', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.equal((await get('/www/app.js', 'POST')).status, 405);
});

test('404 for what is missing, hidden or outside the folder', async () => {
  for (const path of ['/nothing-here', '/../../etc/passwd', '/www/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd',
    '/www/%2e%2e/%2e%2e/etc/passwd', '/.git/config', '/.gitignore', '/www/..%2f..%2fetc/passwd', '/%00', '/%zz', '/www']) {
    const response = await get(path);
    const expected = path === '/www' ? 404 : 404; // a folder without index.html is not listed
    assert.equal(response.status, expected, path);
    assert.ok(!response.body.includes('root:'), path);
  }
});

test('stops cleanly on SIGTERM', async () => {
  const other = await startServer();
  assert.equal(await other.stop(), 0);
});
