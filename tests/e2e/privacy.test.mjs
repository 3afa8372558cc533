// Patient data never leaves the computer: every request the page makes, from opening it to the
// end, goes to the local server, and once the page has loaded, analysing a file makes no request
// at all (the engine is already in the page and its worker).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { EXAMPLE_CSV, LUNG_CSV, panelSettled, settled, serverAndBrowser } from './helpers.mjs';

const env = serverAndBrowser();

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
  + "img-src 'self' data: blob:; worker-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

test('no request leaves 127.0.0.1, and none at all is made while analysing', async () => {
  const requests = [];
  env.browser.context.on('request', (request) => requests.push(request.url()));
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(env.server.url);
  await page.waitForFunction(() => window.survkit !== undefined);
  await page.waitForLoadState('networkidle');

  assert.equal(await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content'), CSP);
  // The recorder sees the worker's requests too.
  assert.ok(requests.includes(`${env.server.origin}/www/worker.js`), requests.join('\n'));
  const loadedCount = requests.length;

  // Everything a user does with data: upload, map, change options, the example, the figure, exports.
  await page.setInputFiles('#file-input', LUNG_CSV);
  await settled(page);
  await page.selectOption('#group-select', 'sex');
  await settled(page);
  await page.selectOption('#conf-type-select', 'log-log');
  await settled(page);
  await page.fill('#at-input', '180, 365');
  await page.press('#at-input', 'Tab');
  await settled(page);
  await page.click('.file-options summary');
  await page.selectOption('#decimal-select', ',');
  await settled(page, ['ready', 'error']); // the file is read again with the new decimal mark
  await page.selectOption('#decimal-select', '.');
  await settled(page);
  await page.setInputFiles('#file-input', EXAMPLE_CSV);
  await settled(page);
  await page.click('#example-button');
  await settled(page);
  await page.check('#ci-check');
  await page.click('#figure-table-details summary');
  await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  // The analysis panels: Cox models and the forest plot, competing risks and Fine-Gray, Table 1,
  // and everything they export or copy.
  await panelSettled(page, '#cr-section');
  await panelSettled(page, '#t1-section');
  await page.check('#cox-zph');
  await page.click('#cox-multivariable');
  await panelSettled(page, '#cox-section');
  await page.click('#cox-univariate');
  await panelSettled(page, '#cox-section');
  await page.selectOption('#cut-column', 'age');
  await page.fill('#cut-value', '40');
  await page.click('#cut-add');
  await panelSettled(page, '#cox-section');
  await Promise.all([page.waitForEvent('download'), page.click('#forest-png')]);
  await Promise.all([page.waitForEvent('download'), page.click('#forest-svg')]);
  await page.check('#cr-pair-check');
  await page.check('#cr-ci-check');
  await page.selectOption('#cr-group', '');
  await panelSettled(page, '#cr-section');
  await Promise.all([page.waitForEvent('download'), page.click('#cr-png')]);
  await Promise.all([page.waitForEvent('download'), page.click('#cr-competitor-svg')]);
  await page.click('#fg-run');
  await panelSettled(page, '#fg-block');
  await page.check('#t1-pairwise');
  await panelSettled(page, '#t1-section');
  await Promise.all([page.waitForEvent('download'), page.click('#t1-csv')]);
  await page.click('#t1-copy');
  await page.waitForFunction(() => /copied|could not|does not/.test(document.getElementById('t1-status').textContent));
  const analysed = await page.evaluate(async () => {
    const result = await window.survkit.analyze('t,e\n1,1\n2,0\n3,1\n', { analysis: 'km', time: 't', event: 'e' });
    return result.groups[0].n;
  });
  assert.equal(analysed, 3);
  await page.waitForTimeout(300);

  const afterLoad = requests.slice(loadedCount).filter((url) => !url.startsWith('blob:'));
  assert.deepEqual(afterLoad, [], 'no request after the page loaded');
  const elsewhere = requests.filter((url) => !url.startsWith(`${env.server.origin}/`) && !url.startsWith('blob:'));
  assert.deepEqual(elsewhere, [], 'every request went to the local server');
  assert.deepEqual(errors, []);
  await page.close();
});
