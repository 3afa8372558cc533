// The page end to end in headless Chromium: a file uploaded and mapped gives the CLI's numbers,
// the canvas is drawn, the SVG export has one curve per group, and a screenshot of the example.
//
// The CLI is the oracle: the page's text must equal the CLI's JSON formatted by the page's own
// rules (www/ui/format.js), and `window.survkit.analyze` must return the CLI's JSON exactly.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import * as format from '../../www/ui/format.js';
import { GROUP_COLOURS as COLOURS } from '../../www/ui/result_helpers.js';
import {
  EXAMPLE_CSV, LUNG_CSV, ROOT, assertSameJson, cliJson, kmRows, openPage, panelSettled, settled,
  serverAndBrowser,
} from './helpers.mjs';

const env = serverAndBrowser();
const errors = [];

test('an uploaded file, mapped by hand, shows the CLI numbers; the JS API returns the CLI JSON', async () => {
  const page = await openPage(env.browser.context, env.server.url, errors);
  await page.setInputFiles('#file-input', LUNG_CSV);
  await settled(page);
  // The guesses for lung: time and status; no categorical grouping column.
  assert.equal(await page.inputValue('#time-select'), 'time');
  assert.equal(await page.inputValue('#event-select'), 'status');

  await page.selectOption('#time-select', 'time');
  await page.selectOption('#event-select', 'status');
  await page.selectOption('#group-select', 'sex');
  await settled(page);
  await page.fill('#at-input', '365, 730');
  await page.press('#at-input', 'Tab');
  await settled(page);

  const flags = ['--data', LUNG_CSV, '--time', 'time', '--event', 'status', '--group', 'sex'];
  const km = cliJson(['km', ...flags, '--at', '365,730']);
  const logrank = cliJson(['logrank', ...flags, '--pairwise', '--adjust', 'holm']);
  const followup = cliJson(['followup', ...flags]);

  // The page's text is the CLI's numbers, formatted by the same rules.
  const decimals = format.timeDecimalsOf(km);
  const rows = await kmRows(page);
  assert.deepEqual(rows.map((row) => row.group), km.groups.map((group) => group.group));
  for (const [index, group] of km.groups.entries()) {
    const [n, events, median, ...landmarks] = rows[index].cells;
    assert.equal(n, String(group.n));
    assert.equal(events, String(group.events));
    assert.equal(median, format.median(group.median, decimals));
    assert.deepEqual(landmarks, group.at.map((at) => format.survivalWithCi(at.surv, at.lower, at.upper, km.conf_level)));
  }
  assert.equal(decimals, 0, 'lung is in days: medians without decimals');
  assert.match(rows[0].cells[2], /^\d+ \(\d+-\d+\)$/);
  assert.equal(await page.textContent('#logrank-p'), format.pValue(logrank.p));
  assert.equal(format.pValue(logrank.p), 'P = 0.001'); // survdiff(Surv(time, status) ~ sex, lung): p = 0.00131
  assert.equal(await page.textContent('#followup-median'),
    format.medianInWords(followup.median, decimals, km.conf_level, ''));

  // window.survkit.analyze: exactly the CLI's JSON for the same file and flags.
  const text = readFileSync(LUNG_CSV, 'utf8');
  const request = { time: 'time', event: 'status', group: 'sex' };
  const viaApi = await page.evaluate(async ({ text, request }) => ({
    km: await window.survkit.analyze(text, { analysis: 'km', ...request, at: [365, 730] }),
    logrank: await window.survkit.analyze(text, { analysis: 'logrank', ...request, pairwise: true, adjust: 'holm' }),
    followup: await window.survkit.analyze(text, { analysis: 'followup', ...request }),
  }), { text, request });
  assertSameJson(viaApi.km, km, 'km');
  assertSameJson(viaApi.logrank, logrank, 'logrank');
  assertSameJson(viaApi.followup, followup, 'followup');
  assert.deepStrictEqual(viaApi, { km, logrank, followup });

  // Options reach the engine under the CLI's names.
  const options = { analysis: 'km', time: 'time', event: 'status', conf_type: 'log-log', conf_level: 0.9, at: [100], event_value: 2 };
  assertSameJson(
    await page.evaluate(({ text, options }) => window.survkit.analyze(text, options), { text, options }),
    cliJson(['km', '--data', LUNG_CSV, '--time', 'time', '--event', 'status', '--conf-type', 'log-log',
      '--conf-level', '0.9', '--at', '100', '--event-value', '2']), 'km with options');
  // Errors come back, not thrown.
  const failure = await page.evaluate(() => window.survkit.analyze('a,b\n1,2\n', { analysis: 'km', time: 'x', event: 'b' }));
  assert.equal(typeof failure.error.message, 'string');
  assert.match(failure.error.message, /column "x" is not in the file/);

  // The canvas was drawn: it has the size asked for and is not blank.
  const pixels = await page.evaluate((colours) => {
    const canvas = document.getElementById('km-canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const rgb = colours.map((hex) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)));
    let ink = 0;
    const perColour = rgb.map(() => 0);
    for (let index = 0; index < data.length; index += 4) {
      const [r, g, b] = [data[index], data[index + 1], data[index + 2]];
      if (r < 200 || g < 200 || b < 200) ink += 1;
      rgb.forEach(([cr, cg, cb], colour) => {
        if (Math.abs(r - cr) < 8 && Math.abs(g - cg) < 8 && Math.abs(b - cb) < 8) perColour[colour] += 1;
      });
    }
    return { ink, total: data.length / 4, perColour, width: canvas.width, cssWidth: canvas.style.width };
  }, COLOURS.slice(0, 2));
  assert.ok(pixels.ink > pixels.total * 0.01, `the canvas has ink (${pixels.ink} of ${pixels.total} pixels)`);
  assert.ok(pixels.perColour.every((count) => count > 200), `each group's colour is drawn: ${pixels.perColour}`);
  assert.equal(`${pixels.width}px`, pixels.cssWidth, 'device pixels = CSS pixels at devicePixelRatio 1');
  const label = await page.getAttribute('#km-canvas', 'aria-label');
  assert.match(label, /2 Kaplan-Meier survival curves/);
  assert.equal(await page.getAttribute('#km-canvas', 'role'), 'img');

  // The figure as a table: one step table per group.
  await page.click('#figure-table-details summary');
  // The details' toggle event, which draws the tables, comes in a task after the click.
  await page.waitForSelector('#figure-tables table');
  assert.equal(await page.locator('#figure-tables table').count(), km.groups.length);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the SVG export has exactly one curve per group, in the group colours', async () => {
  const page = await openPage(env.browser.context, env.server.url, errors);
  await page.click('#example-button');
  await settled(page);
  await page.check('#ci-check');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  assert.equal(download.suggestedFilename(), 'example-simulated-kaplan-meier.svg');
  const svg = readFileSync(await download.path(), 'utf8');
  assert.match(svg, /^<svg/);

  // plotters-svg writes every line as <polyline stroke="#RRGGBB" stroke-width=".." points="x,y x,y ">.
  // A curve is a line in a group's colour with more than two points; censoring ticks and the
  // legend's sample lines have two.
  const lines = [...svg.matchAll(/<polyline[^>]*\bstroke="(#[0-9A-Fa-f]{6})"[^>]*\bpoints="([^"]*)"/g)]
    .map(([, stroke, points]) => ({ stroke: stroke.toLowerCase(), points: points.trim().split(/\s+/).length }));
  const curves = lines.filter((line) => line.points > 2 && line.stroke !== '#000000');
  const groups = cliJson(['km', '--data', EXAMPLE_CSV, '--time', 'os_months', '--event', 'os_event', '--group', 'group']).groups;
  assert.equal(groups.length, 3);
  assert.equal(curves.length, groups.length, 'one curve per group and nothing else');
  assert.deepEqual(curves.map((curve) => curve.stroke), COLOURS.slice(0, groups.length));
  // The confidence bands are one filled polygon (or more, split where a limit is missing) per group.
  const bands = [...svg.matchAll(/<polygon[^>]*\bfill="(#[0-9A-Fa-f]{6})"/g)].map(([, fill]) => fill.toLowerCase());
  assert.deepEqual([...new Set(bands)], COLOURS.slice(0, groups.length));
  // Labels are text: the group names appear escaped, and the number-at-risk table is there.
  const texts = [...svg.matchAll(/<text[^>]*>\s*([^<]*?)\s*<\/text>/g)].map(([, text]) => text);
  for (const group of groups) {
    // Once in the legend, once (shortened to 16 characters) in the number-at-risk table.
    assert.equal(texts.filter((text) => text === group.group).length, 2, group.group);
  }
  assert.ok(texts.includes('Number at risk'));
  assert.ok(texts.includes('Log-rank p &lt; 0.001'), 'the p-value, escaped');

  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  assert.equal(png.suggestedFilename(), 'example-simulated-kaplan-meier.png');
  const bytes = readFileSync(await png.path());
  assert.deepEqual([...bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the example data: guessed mapping, CLI numbers, simulated label, screenshot', async () => {
  const page = await openPage(env.browser.context, env.server.url, errors);
  assert.match(await page.textContent('#example-note'), /simulated/i);
  await page.click('#example-button');
  await settled(page);
  assert.equal(await page.inputValue('#time-select'), 'os_months');
  assert.equal(await page.inputValue('#event-select'), 'os_event');
  assert.equal(await page.inputValue('#group-select'), 'group');
  assert.equal(await page.inputValue('#at-input'), '12, 24');
  assert.equal(await page.inputValue('#x-label-input'), 'Months');
  assert.ok(await page.isVisible('#simulated-note'));
  assert.match(await page.textContent('#simulated-note'), /not real patients/);

  const flags = ['--data', EXAMPLE_CSV, '--time', 'os_months', '--event', 'os_event', '--group', 'group'];
  const km = cliJson(['km', ...flags, '--at', '12,24']);
  const logrank = cliJson(['logrank', ...flags]);
  const rows = await kmRows(page);
  for (const [index, group] of km.groups.entries()) {
    assert.equal(rows[index].group, group.group);
    assert.equal(rows[index].cells[2], format.median(group.median, 1));
    assert.equal(rows[index].cells[3], format.survivalWithCi(group.at[0].surv, group.at[0].lower, group.at[0].upper, 0.95));
  }
  assert.equal(rows[2].cells[2], '22.3 (13.8-NR)');
  assert.equal(rows[1].cells[2], 'not reached');
  assert.equal(await page.textContent('#logrank-p'), 'P < 0.001');
  assert.equal(format.pValue(logrank.p), 'P < 0.001');

  // The analysis panels filled with the example: its Cox model, both incidence figures side by
  // side, the Fine-Gray model and Table 1.
  await panelSettled(page, '#cr-section');
  await panelSettled(page, '#t1-section');
  await page.selectOption('#cox-time', 'lfs_months');
  await page.selectOption('#cox-event', 'lfs_event');
  await page.click('#cox-multivariable');
  await panelSettled(page, '#cox-section');
  await page.check('#cr-pair-check');
  await panelSettled(page, '#cr-section');
  await page.click('#fg-run');
  await panelSettled(page, '#fg-block');

  mkdirSync(path.join(ROOT, 'artifacts'), { recursive: true });
  await page.screenshot({ path: path.join(ROOT, 'artifacts', 'page-example.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
