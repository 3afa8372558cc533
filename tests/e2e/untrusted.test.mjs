// Files the page must survive: markup in column names, levels and the file name shows as text and
// never runs; a malformed file gives the engine's message naming the row, and a good file after
// it works.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { LUNG_CSV, kmRows, openPage, panelSettled, settled, serverAndBrowser } from './helpers.mjs';

const env = serverAndBrowser();

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';
const BOLD = '<b onmouseover=alert(3)>bold</b>';

function hostileCsv() {
  const lines = [`"${IMG}",status,arm`];
  for (let row = 0; row < 40; row += 1) {
    const arm = row % 2 === 0 ? SCRIPT : BOLD;
    lines.push(`${5 + ((row * 7) % 31)},${row % 3 === 0 ? 0 : 1},"${arm}"`);
  }
  return `${lines.join('\n')}\n`;
}

test('markup in a header, a level and a file name is shown as text and never runs', async () => {
  const dialogs = [];
  const page = await openPage(env.browser.context, env.server.url);
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const fileName = '<img src=y onerror=alert(4)>.csv';
  await page.setInputFiles('#file-input', { name: fileName, mimeType: 'text/csv', buffer: Buffer.from(hostileCsv()) });
  await page.waitForSelector('#mapping-section:not([hidden])');
  await page.selectOption('#time-select', IMG);
  await page.selectOption('#event-select', 'status');
  await page.selectOption('#group-select', 'arm');
  await settled(page);

  // Shown literally: in the preview's header, in the choices, in the result tables, in the status.
  assert.ok((await page.textContent('#preview-table thead')).includes(IMG));
  assert.ok((await page.textContent('#preview-table tbody')).includes(SCRIPT));
  assert.ok((await page.textContent('#time-select')).includes(IMG));
  assert.deepEqual((await kmRows(page)).map((row) => row.group), [BOLD, SCRIPT]);
  assert.ok((await page.textContent('#logrank-groups')).includes(SCRIPT));
  assert.ok((await page.textContent('#status')).includes(fileName));

  // The analysis panels show them as text too: the pickers, a Cox model's terms, Table 1's rows.
  await panelSettled(page, '#t1-section', ['idle', 'ready', 'error']);
  await panelSettled(page, '#cr-section', ['idle', 'ready', 'error']);
  assert.ok((await page.textContent('#cox-picker')).includes(IMG));
  await page.selectOption('#cox-time', IMG);
  await page.selectOption('#cox-event', 'status');
  await page.check('#cox-picker tr[data-covariate="arm"] input[type=checkbox]');
  await page.click('#cox-multivariable');
  await panelSettled(page, '#cox-section');
  assert.ok((await page.textContent('#cox-table')).includes(`arm=${SCRIPT}`));
  await page.check(`#t1-vars tr[data-variable="${IMG}"] input[type=checkbox]`);
  await panelSettled(page, '#t1-section');
  assert.ok((await page.textContent('#t1-table')).includes(`${IMG}, median (range)`));
  assert.ok((await page.textContent('#t1-table thead')).includes(SCRIPT));
  assert.ok((await page.textContent('#cr-group')).includes('arm'));

  // And never parsed as markup: no image, no extra script, no <b> anywhere in the document.
  const elements = await page.evaluate(() => ({
    img: document.querySelectorAll('img').length,
    script: [...document.querySelectorAll('script')].map((script) => script.getAttribute('src')),
    b: document.querySelectorAll('b').length,
  }));
  assert.deepEqual(elements, { img: 0, script: ['www/app.js'], b: 0 });

  // Hovering and exporting do not run anything either.
  await page.hover('#km-table tbody tr:first-child th');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  assert.equal(download.suggestedFilename(), 'img_src_y_onerror_alert_4_-kaplan-meier.svg');
  const svg = readFileSync(await download.path(), 'utf8');
  assert.ok(!svg.includes('<script>'), 'levels are escaped in the SVG');
  assert.ok(svg.includes('&lt;script&gt;'));
  await page.waitForTimeout(200);
  assert.deepEqual(dialogs, []);
  await page.close();
});

test('a malformed file: the alert names the row; a good file afterwards works', async () => {
  const page = await openPage(env.browser.context, env.server.url);
  // Every alert on the page (the data card's for the file, a panel's for its analysis), as one text.
  const alerts = () => page.$$eval('[role="alert"]', (boxes) => boxes.map((box) => box.textContent).join(' ').trim());
  const lines = readFileSync(LUNG_CSV, 'utf8').split('\n');
  const cells = lines[2].split(',');
  cells[1] = 'abc'; // the time of the second patient: spreadsheet row 3
  lines[2] = cells.join(',');
  await page.setInputFiles('#file-input', { name: 'lung-typo.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await settled(page, 'error');
  const alert = await alerts();
  assert.match(alert, /row 3/);
  assert.match(alert, /"abc"/);
  assert.match(alert, /time/);
  assert.ok(await page.isHidden('#results-section'));
  // The column is flagged as mostly numbers.
  assert.match(await page.textContent('#column-warnings'), /time/);

  // A file that cannot be read at all: the page says so and stays usable.
  await page.setInputFiles('#file-input', { name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('time,status\n1,1\n2,1,9\n') });
  await settled(page, 'error');
  assert.match(await alerts(), /row 3 has 3/);
  assert.ok(await page.isHidden('#mapping-section'));

  await page.setInputFiles('#file-input', LUNG_CSV);
  await settled(page);
  assert.equal(await alerts(), '');
  const rows = await kmRows(page);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].group, 'All patients');
  assert.equal(rows[0].cells[0], '228');
  await page.close();
});
