// Shared by the browser tests: the repository's paths, the static server, headless Chromium
// through playwright-core (Debian's /usr/bin/chromium; nothing is downloaded), and the CLI oracle.

import { after, before } from 'node:test';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import assert from 'node:assert/strict';

import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'target', 'release', 'survkit');
export const EXAMPLE_CSV = path.join(ROOT, 'examples', 'cart_haplo_simulated.csv');
export const LUNG_CSV = path.join(ROOT, 'tests', 'reference', 'data', 'lung.csv');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Builds what the tests need when it is missing: the CLI and the page's Wasm (test.sh builds both first). */
export function ensureBuilt() {
  const env = { ...process.env, PATH: `${os.homedir()}/.cargo/bin:${process.env.PATH}` };
  if (!existsSync(path.join(ROOT, 'www', 'pkg', 'survkit_wasm_inline.js'))) {
    execFileSync('bash', ['scripts/build-web.sh'], { cwd: ROOT, env, stdio: 'inherit' });
  }
  if (!existsSync(CLI)) {
    execFileSync('cargo', ['build', '--release'], { cwd: ROOT, env, stdio: 'inherit' });
  }
}

/** Starts scripts/serve.mjs on a free port; resolves to `{ url, origin, stop }`. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'serve.mjs'), '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the server did not start: ${output}`));
    }, 10_000);
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /survkit page: (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        const stop = () => new Promise((done) => {
          if (child.exitCode !== null) return done(child.exitCode);
          child.removeAllListeners('exit');
          child.on('exit', (code) => done(code));
          child.kill('SIGTERM');
        });
        resolve({ url: match[1], origin: `http://127.0.0.1:${match[2]}`, child, stop });
      }
    });
  });
}

/** Headless Chromium with a throw-away profile; resolves to `{ context, close }`. */
export async function launchBrowser() {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'survkit-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1200, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync'],
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/** A new page that fails the test on any page error; resolves when the engine is ready. */
export async function openPage(context, url, errors = []) {
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => window.survkit !== undefined, null, { timeout: 20_000 });
  return page;
}

/** Waits until the results show the last choices ('ready') or an error ('error'), or either (['ready', 'error']). */
export async function settled(page, want = 'ready') {
  const selector = [want].flat().map((state) => `#results-section[data-state="${state}"]`).join(', ');
  await page.waitForSelector(selector, { state: 'attached', timeout: 20_000 });
}

/**
 * Waits until an analysis panel (or block) with a `data-state` shows its last choices: `selector`
 * such as '#cox-section'; `want` 'ready', 'error' or a list.
 */
export async function panelSettled(page, selector, want = 'ready') {
  const wanted = [want].flat().map((state) => `${selector}[data-state="${state}"]`).join(', ');
  await page.waitForSelector(wanted, { state: 'attached', timeout: 20_000 });
}

/** The CLI's output for a subcommand and flags, as text (`--format` among the flags). */
export function cliText(args) {
  return execFileSync(CLI, args, { cwd: ROOT, encoding: 'utf8' });
}

/** How many pixels of a canvas are not white, and its size in device pixels. */
export async function canvasInk(page, selector) {
  return page.$eval(selector, (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let index = 0; index < data.length; index += 4) {
      if (data[index] < 200 || data[index + 1] < 200 || data[index + 2] < 200) ink += 1;
    }
    return { ink, total: data.length / 4, width: canvas.width, height: canvas.height };
  });
}

/** The CLI's JSON for a subcommand and flags. */
export function cliJson(args) {
  return JSON.parse(execFileSync(CLI, [...args, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' }));
}

/** The page's Kaplan-Meier table: one `{ group, cells }` per row, cells as shown. */
export async function kmRows(page) {
  return page.$$eval('#km-table tbody tr', (rows) => rows.map((row) => ({
    group: row.querySelector('th').textContent.trim(),
    cells: [...row.querySelectorAll('td')].map((cell) => cell.textContent.trim()),
  })));
}

/** Every place two JSON values differ: `[path, actual, expected]`. */
export function jsonDifferences(actual, expected, path = '$', out = []) {
  if (Object.is(actual, expected)) return out;
  const bothObjects = actual !== null && expected !== null && typeof actual === 'object' && typeof expected === 'object';
  if (!bothObjects || Array.isArray(actual) !== Array.isArray(expected)) {
    out.push([path, actual, expected]);
    return out;
  }
  for (const key of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const step = Array.isArray(actual) ? `${path}[${key}]` : `${path}.${key}`;
    if (!(key in actual) || !(key in expected)) out.push([step, actual[key], expected[key]]);
    else jsonDifferences(actual[key], expected[key], step, out);
  }
  return out;
}

/**
 * Asserts two parsed JSON results are exactly equal, and when they are not, says how: how many
 * values differ, the largest relative difference between numbers, and the first few places.
 */
export function assertSameJson(actual, expected, label) {
  const differences = jsonDifferences(actual, expected);
  if (differences.length === 0) return;
  const relative = differences
    .filter(([, a, b]) => typeof a === 'number' && typeof b === 'number')
    .map(([, a, b]) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
  const largest = relative.length > 0 ? ` (largest relative difference between numbers ${Math.max(...relative).toExponential(1)})` : '';
  const first = differences.slice(0, 5).map(([path, a, b]) => `  ${path}: page ${JSON.stringify(a)}, CLI ${JSON.stringify(b)}`);
  assert.fail(`${label}: ${differences.length} value(s) differ between the page's analyze and the CLI's JSON${largest}:\n${first.join('\n')}`);
}

/**
 * Starts the page's server and a browser before a test file's tests and stops both after them.
 * The returned object's `server` and `browser` are set once the `before` hook has run.
 */
export function serverAndBrowser() {
  const shared = { server: undefined, browser: undefined };
  before(async () => {
    ensureBuilt();
    shared.server = await startServer();
    shared.browser = await launchBrowser();
  }, { timeout: 600_000 });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.stop();
  });
  return shared;
}
