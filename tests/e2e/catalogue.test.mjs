// The malformed-input catalogue (tests/catalogue/malformed.json) in the page: each file is opened
// through the file input as a user opens it, then analysed as the catalogue asks, both one-off
// (`analyze`, which must answer exactly as the CLI does) and on the loaded file (`analyzeLoaded`,
// or `renderLoaded` for text and CSV). After each, a good file is opened and analysed through the
// page, which must still work. tests/malformed_catalogue.rs runs the same cases on the CLI.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { CLI, LUNG_CSV, ROOT, assertSameJson, kmRows, openPage, serverAndBrowser, settled } from './helpers.mjs';

const env = serverAndBrowser();
const CASES = JSON.parse(readFileSync(path.join(ROOT, 'tests', 'catalogue', 'malformed.json'), 'utf8')).cases;

/** `{{repeat N SEPARATOR TEXT}}`, as tests/catalogue/README.md describes it. */
function expand(text) {
  return text.replace(/\{\{repeat (\d+) (\S+) ([^}]*)\}\}/g, (_, count, separator, body) => {
    const join = { nl: '\n', none: '' }[separator] ?? separator;
    return Array.from({ length: Number(count) }, (__, index) => body.replaceAll('#', String(index + 1))).join(join);
  });
}

function fileBytes(testCase) {
  const text = expand(testCase.csv);
  switch (testCase.encoding) {
    case undefined:
      return Buffer.from(text, 'utf8');
    case 'windows-1252':
      return Buffer.from([...text].map((character) => character.codePointAt(0)));
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    default:
      throw new Error(`unknown encoding ${testCase.encoding}`);
  }
}

/** The CLI on the same file and request: `{ ok, stdout, stderr }`. */
function runCli(testCase, dataPath) {
  const { analysis, ...fields } = testCase.request;
  const args = [analysis, '--data', dataPath, '--format', testCase.format ?? 'json'];
  for (const [field, value] of Object.entries(fields)) {
    args.push(`--${field.replaceAll('_', '-')}`);
    if (value !== true) args.push(String(value));
  }
  const run = spawnSync(CLI, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: run.status === 0, stdout: run.stdout, stderr: run.stderr };
}

/** Every string in a JSON value, one per line. */
function strings(value) {
  if (typeof value === 'string') return `${value}\n`;
  if (value !== null && typeof value === 'object') return Object.values(value).map(strings).join('');
  return '';
}

function pointer(value, path) {
  return path.split('/').slice(1).reduce((node, key) => (node === undefined || node === null ? undefined : node[key]), value);
}

/** Checks one answer of the page (`{ error }`, a result, or `{ text }`) against the case. */
function checkAnswer(testCase, answer, label) {
  const { expect } = testCase;
  const where = `${testCase.class} (${label})`;
  if (expect.error) {
    assert.ok(answer.error, `${where}: should fail, got ${JSON.stringify(answer).slice(0, 300)}`);
    for (const part of expect.error) assert.ok(answer.error.message.includes(part), `${where}: ${JSON.stringify(part)} not in ${answer.error.message}`);
    if (expect.row !== undefined) assert.equal(answer.error.row, expect.row, `${where}: the error's row`);
    if (expect.column !== undefined) assert.equal(answer.error.column, expect.column, `${where}: the error's column`);
    return;
  }
  assert.ok(!answer.error, `${where}: should succeed, got ${answer.error?.message}`);
  const readable = 'text' in answer ? answer.text : strings(answer);
  for (const part of expect.says ?? []) assert.ok(readable.includes(part), `${where}: the output lacks ${JSON.stringify(part)}`);
  for (const part of expect.lacks ?? []) assert.ok(!readable.includes(part), `${where}: the output holds ${JSON.stringify(part)}`);
  for (const [path, wanted] of Object.entries(expect.values ?? {})) {
    assert.deepEqual(pointer(answer, path), wanted, `${where}: ${path}`);
  }
}

test('every catalogued input gets its outcome in the page, as on the CLI, and the page stays usable', { timeout: 600_000 }, async () => {
  assert.ok(CASES.length >= 30);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'survkit-catalogue-'));
  const errors = [];
  const page = await openPage(env.browser.context, env.server.url, errors);
  try {
    for (const testCase of CASES) {
      const bytes = fileBytes(testCase);
      const dataPath = path.join(scratch, 'case.csv');
      writeFileSync(dataPath, bytes);
      const cli = runCli(testCase, dataPath);
      assert.ok(!cli.stderr.includes('panicked'), `${testCase.class}: the CLI panicked`);
      const format = testCase.format ?? 'json';

      // As a user opens it: through the file input. The page settles on a result, an alert or a
      // request to choose columns.
      await page.setInputFiles('#file-input', { name: 'case.csv', mimeType: 'text/csv', buffer: bytes });
      await page.waitForFunction(() => {
        const state = document.querySelector('#results-section')?.dataset.state;
        return state !== undefined && state !== 'busy';
      }, null, { timeout: 20_000 });

      // One-off, from the bytes, exactly as the CLI answers.
      const oneOff = await page.evaluate(
        async ([data, request]) => window.survkit.analyze(new Uint8Array(data), request),
        [[...bytes], testCase.request],
      );
      if (format === 'json') {
        checkAnswer(testCase, oneOff, 'analyze');
        if (cli.ok) assertSameJson(oneOff, JSON.parse(cli.stdout), testCase.class);
      }
      if (!cli.ok && !testCase.cli_message_differs) {
        assert.equal(cli.stderr, `error: ${oneOff.error?.message}\n`, `${testCase.class}: the page's message is the CLI's`);
      }

      // On the file the page loaded, as the page's panels ask for it.
      const loaded = await page.evaluate(async ([data, request, wanted]) => {
        const summary = await window.survkit.loadFile(new File([new Uint8Array(data)], 'case.csv'));
        if (summary.error) return summary;
        return wanted === 'json' ? window.survkit.analyzeLoaded(request) : window.survkit.renderLoaded(request, wanted);
      }, [[...bytes], testCase.request, format]);
      checkAnswer(testCase, loaded, format === 'json' ? 'analyzeLoaded' : `renderLoaded ${format}`);
      if (format !== 'json' && cli.ok) assert.equal(loaded.text, cli.stdout, `${testCase.class}: the page's ${format} is the CLI's`);

      // And the page still works: a good file, analysed through the page.
      await page.setInputFiles('#file-input', LUNG_CSV);
      await settled(page);
      const rows = await kmRows(page);
      assert.equal(rows[0]?.cells[0], '228', `${testCase.class}: the page works afterwards`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    rmSync(scratch, { recursive: true, force: true });
  }
});
