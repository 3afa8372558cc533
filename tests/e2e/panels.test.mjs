// The analysis panels end to end in headless Chromium, on the example cohort: Cox regression (the
// multivariable model, the univariate screen, cox.zph and the forest plot), competing risks
// (cumulative incidence, Gray's test, the figures and the Fine-Gray model) and Table 1 (the table,
// its copy and its CSV).
//
// The CLI is the oracle, as in page.test.mjs: what the page shows is the CLI's JSON formatted by
// the page's own rules (www/ui/format.js), `window.survkit.analyze` returns the CLI's JSON exactly,
// and Table 1's CSV download is the CLI's CSV byte for byte.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as format from '../../www/ui/format.js';
import {
  EXAMPLE_CSV, assertSameJson, canvasInk, cliJson, cliText, openPage, panelSettled, settled, serverAndBrowser,
} from './helpers.mjs';

const env = serverAndBrowser();
const errors = [];
const exampleText = readFileSync(EXAMPLE_CSV, 'utf8');

async function openExample() {
  const page = await openPage(env.browser.context, env.server.url, errors);
  await page.click('#example-button');
  await settled(page);
  return page;
}

/** The rows of a term table (Cox or Fine-Gray): term, warnings shown in its row, ratio and P as shown. */
function termRows(page, selector) {
  return page.$$eval(`${selector} tbody tr`, (rows) => rows.map((row) => ({
    term: row.dataset.term,
    name: row.querySelector('.term-name').textContent,
    warnings: [...row.querySelectorAll('.term-warning')].map((warning) => warning.textContent.replace(/^⚠ /, '')),
    cells: [...row.querySelectorAll('td')].map((cell) => cell.textContent),
  })));
}

function assertTermRows(rows, terms, warnings, label) {
  assert.deepEqual(rows.map((row) => row.term), terms.map((term) => term.term), `${label}: one row per term, in order`);
  for (const [index, term] of terms.entries()) {
    const row = rows[index];
    assert.equal(row.name, term.term);
    assert.deepEqual(row.cells.slice(-2), [format.ratioWithCi(term.hr, term.lower, term.upper), format.paperP(term.p)], `${label}: ${term.term}`);
    assert.deepEqual(row.warnings, warnings.filter((warning) => warning.term === term.term).map((warning) => warning.message), `${label}: warnings of ${term.term}`);
  }
}

test('Cox regression: the multivariable model, cox.zph and the univariate screen show the CLI numbers; the forest plot is drawn', async () => {
  const page = await openExample();
  await page.waitForSelector('#cox-section:not([hidden])');
  await page.selectOption('#cox-time', 'lfs_months');
  await page.selectOption('#cox-event', 'lfs_event');

  // Start from nothing: untick the example's covariates and remove its cut-point.
  await page.click('#cox-picker tr.cut button');
  for (const box of await page.$$('#cox-picker tbody input[id^="cox-cov-"]:checked')) await box.uncheck();
  for (const name of ['sex', 'age', 'mrd_before_hsct', 'group']) {
    await page.check(`#cox-picker tr[data-covariate="${name}"] input[id^="cox-cov-"]`);
  }
  await page.selectOption('#cox-picker tr[data-covariate="sex"] select', 'Male');
  // A cut-point built from the controls: relapses_before_cart > 1.
  await page.selectOption('#cut-column', 'relapses_before_cart');
  await page.selectOption('#cut-operator', '>');
  await page.fill('#cut-value', '1');
  await page.click('#cut-add');
  assert.ok(await page.isChecked('#cox-picker tr[data-covariate="relapses_before_cart>1"] input[type=checkbox]'));
  assert.match(await page.textContent('#cut-hint'), /Added relapses_before_cart > 1 as relapses_before_cart>1/);
  await page.check('#cox-zph');
  await page.click('#cox-multivariable');
  await panelSettled(page, '#cox-section');

  // The picker lists covariates in the file's order, cut-points last.
  const covariates = ['sex', 'age', 'mrd_before_hsct', 'group', 'relapses_before_cart>1'];
  const flags = ['--data', EXAMPLE_CSV, '--time', 'lfs_months', '--event', 'lfs_event', '--covariates', covariates.join(','),
    '--reference', 'sex=Male'];
  const cox = cliJson(['cox', ...flags, '--zph']);
  assert.equal(cox.warnings.length, 1, 'the example has a collinear term');
  assertTermRows(await termRows(page, '#cox-table'), cox.terms, cox.warnings, 'cox');
  const mrd = (await termRows(page, '#cox-table')).find((row) => row.term === 'mrd_before_hsct=Positive');
  assert.deepEqual(mrd.cells, ['5.08 (1.88-13.69)', '0.001']);
  const collinear = (await termRows(page, '#cox-table')).find((row) => row.term === 'group=HSCT, MRD-');
  assert.deepEqual(collinear.cells, ['not estimated', '']);
  assert.match(collinear.warnings[0], /collinear/);

  assert.equal(await page.textContent('#cox-n'), `${cox.n} patients, ${cox.events} events`);
  const lr = cox.tests.likelihood_ratio;
  assert.equal(await page.textContent('#cox-lr'), `χ² = ${format.statistic(lr.stat)} on ${lr.df} df, ${format.pValue(lr.p)}`);
  assert.equal(await page.textContent('#cox-concordance'),
    `${format.fixed(cox.concordance.estimate, 3)} (SE ${format.fixed(cox.concordance.se, 3)})`);
  const zph = await page.$$eval('#zph-table tbody tr', (rows) => rows.map((row) => [row.querySelector('th').textContent, row.lastElementChild.textContent]));
  assert.deepEqual(zph, [...cox.zph.terms.map((term) => [term.term, format.paperP(term.p)]), ['Global', format.paperP(cox.zph.global.p)]]);

  // window.survkit.analyze: exactly the CLI's JSON.
  const request = { analysis: 'cox', time: 'lfs_months', event: 'lfs_event', covariates, reference: ['sex=Male'], zph: true };
  const viaApi = await page.evaluate(({ text, request }) => window.survkit.analyze(text, request), { text: exampleText, request });
  assertSameJson(viaApi, cox, 'cox');
  assert.deepStrictEqual(viaApi, cox);

  // The forest plot: one row per term, drawn.
  let ink = await canvasInk(page, '#forest-canvas');
  assert.ok(ink.ink > ink.total * 0.005, `the forest plot has ink (${ink.ink} of ${ink.total} pixels)`);
  assert.equal(ink.height, 84 + 32 * cox.terms.length);
  assert.match(await page.getAttribute('#forest-canvas', 'aria-label'), /^Forest plot of 4 hazard ratios/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#forest-svg')]);
  assert.equal(download.suggestedFilename(), 'example-simulated-forest.svg');
  const svg = readFileSync(await download.path(), 'utf8');
  assert.match(svg, /^<svg/);
  assert.ok(svg.includes('mrd_before_hsct=Positive') && svg.includes('5.08 (1.88-13.69)'), 'the SVG has the terms and their HRs');

  // The univariate screen of the same covariates.
  await page.click('#cox-univariate');
  await panelSettled(page, '#cox-section');
  const screen = cliJson(['cox', ...flags, '--univariate']);
  const screenTerms = screen.models.flatMap((model) => model.terms);
  const screenWarnings = screen.models.flatMap((model) => model.warnings);
  const rows = await termRows(page, '#cox-table');
  assertTermRows(rows, screenTerms, screenWarnings, 'univariate');
  const mrdAlone = screen.models.find((model) => model.covariates[0] === 'mrd_before_hsct');
  assert.equal(rows.find((row) => row.term === 'mrd_before_hsct=Positive').cells[0], `${mrdAlone.n} (${mrdAlone.events})`);
  assert.ok(await page.isHidden('#zph-wrap'));
  const screenApi = await page.evaluate(({ text, request }) => window.survkit.analyze(text, request),
    { text: exampleText, request: { ...request, zph: false, univariate: true } });
  assert.deepStrictEqual(screenApi, screen);
  ink = await canvasInk(page, '#forest-canvas');
  assert.equal(ink.height, 84 + 32 * screenTerms.length);
  assert.ok(ink.ink > ink.total * 0.005);

  // A changed choice re-runs the model shown: ties = breslow.
  await page.selectOption('#cox-ties', 'breslow');
  await panelSettled(page, '#cox-section');
  const breslow = cliJson(['cox', ...flags, '--univariate', '--ties', 'breslow']);
  assertTermRows(await termRows(page, '#cox-table'), breslow.models.flatMap((model) => model.terms), [], 'breslow');

  // A numeric column treated as categorical, with a chosen reference level, in the multivariable
  // model (instead of the cut-point on the same column).
  const relapses = '#cox-picker tr[data-covariate="relapses_before_cart"]';
  await page.uncheck('#cox-picker tr[data-covariate="relapses_before_cart>1"] input[type=checkbox]');
  await page.check(`${relapses} input[id^="cox-cov-"]`);
  assert.ok(await page.isDisabled(`${relapses} select`), 'no reference level for a number');
  await page.check(`${relapses} input[aria-label="Treat relapses_before_cart as categorical"]`);
  await page.selectOption(`${relapses} select`, '1');
  await page.click('#cox-multivariable');
  await panelSettled(page, '#cox-section');
  const asLevels = cliJson(['cox', '--data', EXAMPLE_CSV, '--time', 'lfs_months', '--event', 'lfs_event', '--ties', 'breslow', '--zph',
    '--covariates', 'sex,age,relapses_before_cart,mrd_before_hsct,group', '--categorical', 'relapses_before_cart',
    '--reference', 'sex=Male', '--reference', 'relapses_before_cart=1']);
  assert.deepEqual(asLevels.terms.filter((term) => term.term.startsWith('relapses_before_cart')).map((term) => term.term),
    ['relapses_before_cart=0', 'relapses_before_cart=2', 'relapses_before_cart=3']);
  assertTermRows(await termRows(page, '#cox-table'), asLevels.terms, asLevels.warnings, 'categorical relapses');
  assert.deepEqual(errors, []);
  await page.close();
});

test('competing risks: the incidence at 12 and 24 months and Gray\'s P are the CLI\'s; figures side by side; Fine-Gray', async () => {
  const page = await openExample();
  await panelSettled(page, '#cr-section');
  // The example's defaults.
  assert.equal(await page.inputValue('#cr-time'), 'lfs_months');
  assert.equal(await page.inputValue('#cr-status'), 'relapse_status');
  assert.equal(await page.inputValue('#cr-censor'), '0');
  assert.equal(await page.inputValue('#cr-cause'), '1');
  assert.equal(await page.inputValue('#cr-group'), 'group');
  assert.equal(await page.inputValue('#cr-at'), '12, 24');
  assert.equal(await page.inputValue('#cr-names input[data-cause="1"]'), 'Relapse');
  assert.equal(await page.inputValue('#cr-names input[data-cause="2"]'), 'Non-relapse mortality');

  const cif = cliJson(['cif', '--data', EXAMPLE_CSV, '--time', 'lfs_months', '--status', 'relapse_status', '--group', 'group', '--at', '12,24']);
  const blocks = await page.$$eval('#cr-causes .cause-block', (sections) => sections.map((section) => ({
    cause: section.dataset.cause,
    heading: section.querySelector('h3').textContent,
    p: section.querySelector('.gray-p')?.textContent,
    rows: [...section.querySelectorAll('tbody tr')].map((row) => ({
      group: row.dataset.group,
      cells: [...row.querySelectorAll('td')].map((cell) => cell.textContent),
    })),
  })));
  assert.deepEqual(blocks.map((block) => block.cause), ['1', '2'], 'the cause of interest first');
  assert.match(blocks[0].heading, /^Relapse \(status 1/);
  assert.match(blocks[1].heading, /^Non-relapse mortality \(status 2/);
  for (const block of blocks) {
    const cause = cif.causes.find((entry) => entry.cause === block.cause);
    assert.equal(block.p, format.pValue(cause.gray.p), `Gray's P of cause ${block.cause}`);
    assert.deepEqual(block.rows.map((row) => row.group), cause.groups.map((group) => group.group));
    for (const [index, group] of cause.groups.entries()) {
      const [n, events, at12, at24] = block.rows[index].cells;
      assert.equal(n, String(group.n));
      assert.equal(events, String(group.events));
      assert.equal(group.at[1].time, 24);
      assert.equal(at24, format.incidenceWithCi(group.at[1].cif, group.at[1].lower, group.at[1].upper, cif.conf_level), `${block.cause} ${group.group} at 24`);
      assert.equal(at12, format.incidenceWithCi(group.at[0].cif, group.at[0].lower, group.at[0].upper, cif.conf_level));
    }
  }
  assert.equal(blocks[0].p, 'P < 0.001');
  assert.equal(blocks[0].rows[2].cells[3], '72.9% (95% CI 58.1-83.3)'); // No transplant, relapse at 24 months

  const request = { analysis: 'cif', time: 'lfs_months', status: 'relapse_status', group: 'group', at: [12, 24] };
  const viaApi = await page.evaluate(({ text, request }) => window.survkit.analyze(text, request), { text: exampleText, request });
  assertSameJson(viaApi, cif, 'cif');
  assert.deepStrictEqual(viaApi, cif);

  // The figure of the cause of interest, then its competitor beside it.
  let ink = await canvasInk(page, '#cr-canvas');
  assert.ok(ink.ink > ink.total * 0.01, `the incidence figure has ink (${ink.ink})`);
  assert.match(await page.getAttribute('#cr-canvas', 'aria-label'), /^Cumulative incidence of Relapse: 3 curves.*Gray's test P < 0\.001/);
  assert.ok(await page.isHidden('#cr-canvas-competitor'));
  await page.check('#cr-pair-check');
  await page.waitForFunction(() => document.getElementById('cr-canvas-competitor').width > 0);
  await panelSettled(page, '#cr-section');
  ink = await canvasInk(page, '#cr-canvas-competitor');
  assert.ok(ink.ink > ink.total * 0.01);
  assert.match(await page.getAttribute('#cr-canvas-competitor', 'aria-label'), /^Cumulative incidence of Non-relapse mortality/);
  const boxes = await page.$$eval('#cr-figures canvas', (canvases) => canvases.map((canvas) => canvas.getBoundingClientRect().top));
  assert.equal(boxes[0], boxes[1], 'the two figures are side by side');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#cr-svg')]);
  assert.equal(download.suggestedFilename(), 'example-simulated-cumulative-incidence-cause-1.svg');
  const svg = readFileSync(await download.path(), 'utf8');
  assert.ok(svg.includes('Cumulative incidence of Relapse'), 'the axis is labelled with the cause\'s name');
  assert.ok(svg.includes('Number at risk'));

  // A cause renamed by the user relabels the headings (the engine sees the status values only).
  await page.fill('#cr-names input[data-cause="1"]', 'Leukaemia relapse');
  await page.waitForFunction(() => document.querySelector('#cr-causes h3').textContent.startsWith('Leukaemia relapse'));

  // Fine-Gray on the covariates ticked in the Cox panel (the example ticks five).
  await page.click('#fg-run');
  await panelSettled(page, '#fg-block');
  const covariates = ['sex', 'age', 'ph_positive', 'group', 'relapses_before_cart>1'];
  const finegray = cliJson(['finegray', '--data', EXAMPLE_CSV, '--time', 'lfs_months', '--status', 'relapse_status', '--cause', '1',
    '--covariates', covariates.join(',')]);
  assertTermRows(await termRows(page, '#fg-table'), finegray.terms, finegray.warnings, 'finegray');
  assert.equal(await page.textContent('#fg-table thead th:nth-child(2)'), 'SHR (95% CI)');
  assert.equal(await page.textContent('#fg-n'), `${finegray.n} patients, ${finegray.events} events of this cause`);
  const fgApi = await page.evaluate(({ text, request }) => window.survkit.analyze(text, request), {
    text: exampleText,
    request: { analysis: 'finegray', time: 'lfs_months', status: 'relapse_status', censor_value: '0', cause: '1', covariates },
  });
  assert.deepStrictEqual(fgApi, finegray);
  // Unticking a covariate in the Cox panel re-fits the Fine-Gray model shown.
  await page.uncheck('#cox-picker tr[data-covariate="ph_positive"] input[id^="cox-cov-"]');
  await panelSettled(page, '#fg-block');
  const fewer = cliJson(['finegray', '--data', EXAMPLE_CSV, '--time', 'lfs_months', '--status', 'relapse_status', '--cause', '1',
    '--covariates', covariates.filter((name) => name !== 'ph_positive').join(',')]);
  assertTermRows(await termRows(page, '#fg-table'), fewer.terms, fewer.warnings, 'finegray without ph_positive');
  assert.deepEqual(errors, []);
  await page.close();
});

/** Parses CSV as the csv crate writes it (quotes doubled inside quoted fields). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  return rows;
}

test('Table 1: the page\'s table is the CLI\'s, cell for cell; Download CSV is the CLI\'s CSV; Copy puts its HTML and text on the clipboard', async () => {
  await env.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.origin });
  const page = await openExample();
  await panelSettled(page, '#t1-section');
  const vars = ['sex', 'age', 'ph_positive', 'prior_allo_hsct', 'relapses_before_cart', 'bm_blasts_pct', 'cart_dose_1e6_per_kg'];
  assert.equal(await page.inputValue('#t1-group'), 'group');
  assert.deepEqual(await page.$$eval('#t1-vars tbody tr', (rows) => rows.filter((row) => row.querySelector('input').checked).map((row) => row.dataset.variable)), vars);

  const flags = ['table1', '--data', EXAMPLE_CSV, '--group', 'group', '--vars', vars.join(',')];
  const table1 = cliJson(flags);
  const { header, lines: rows } = table1.layout;
  const shown = async () => ({
    header: await page.$$eval('#t1-table thead th', (cells) => cells.map((cell) => cell.textContent)),
    rows: await page.$$eval('#t1-table tbody tr:not(.row-note)', (lines) => lines.map((line) => [...line.children].map((cell) => cell.textContent))),
    notes: await page.$$eval('#t1-table tbody tr.row-note', (lines) => lines.map((line) => [line.dataset.variable, line.textContent])),
  });
  const page1 = await shown();
  assert.deepEqual(page1.header, header);
  assert.deepEqual(page1.rows, rows.map((row) => row.cells));
  // The JSON laid out by the page's rules is the engine's own layout: the CLI's CSV, cell for cell.
  const csv = cliText([...flags, '--format', 'csv']);
  assert.deepEqual(parseCsv(csv), [header, ...rows.map((row) => row.cells)]);
  assert.deepEqual(page1.rows.slice(0, 4), [
    ['sex, n (%)', '', '', '', '0.705'],
    ['Female', '6 (40.0)', '17 (42.5)', '33 (49.3)', ''],
    ['Male', '9 (60.0)', '23 (57.5)', '34 (50.7)', ''],
    // R: oneway.test(age ~ group, d)$p.value = 0.122152 (Welch's ANOVA, R's default)
    ['age, median (range)', '35 (3, 65)', '30 (3, 65)', '26 (3, 65)', '0.122'],
  ]);
  // Warnings as a note under their variable.
  const expectedNotes = table1.rows.flatMap((row) => (row.warnings.length > 0 ? [[row.variable, row.warnings.map((warning) => `Note (${row.variable}): ${warning}`).join('')]] : []));
  assert.deepEqual(page1.notes, expectedNotes);
  assert.ok(expectedNotes.some(([variable]) => variable === 'ph_positive'));

  const viaApi = await page.evaluate(({ text, request }) => window.survkit.analyze(text, request),
    { text: exampleText, request: { analysis: 'table1', group: 'group', vars } });
  assert.deepStrictEqual(viaApi, table1);

  // Download CSV: the CLI's CSV, byte for byte.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#t1-csv')]);
  assert.equal(download.suggestedFilename(), 'example-simulated-table1.csv');
  assert.equal(readFileSync(await download.path(), 'utf8'), csv);

  // Copy table: the engine's HTML (text/html) and text (text/plain) renderings.
  await page.click('#t1-copy');
  await page.waitForFunction(() => /copied|could not|does not/.test(document.getElementById('t1-status').textContent));
  assert.match(await page.textContent('#t1-status'), /^Table copied/);
  const clipboard = await page.evaluate(async () => {
    const [item] = await navigator.clipboard.read();
    return { types: item.types, html: await (await item.getType('text/html')).text(), text: await (await item.getType('text/plain')).text() };
  });
  assert.equal(clipboard.text, cliText([...flags, '--format', 'text']));
  const html = cliText([...flags, '--format', 'html']);
  const normalise = (markup) => markup.replace(/^<meta[^>]*>/, '').replace(/\s+/g, ' ').trim();
  assert.equal(normalise(clipboard.html), normalise(html));
  // The HTML rendering never enters the page.
  assert.equal(await page.$$eval('[style*="padding-left:1.5em"]', (nodes) => nodes.length), 0);

  // Pairwise P columns, from the JSON.
  await page.check('#t1-pairwise');
  await panelSettled(page, '#t1-section');
  const pairwise = cliJson([...flags, '--pairwise']);
  const page2 = await shown();
  const pairs = pairwise.rows[0].pairwise.map((pair) => `P, ${pair.group_a} vs ${pair.group_b}`);
  assert.deepEqual(page2.header, [...header, ...pairs]);
  assert.deepEqual(pairwise.layout.header, page2.header);
  assert.deepEqual(page2.rows, pairwise.layout.lines.map((line) => line.cells));
  // The first pairwise P of sex, as the engine prints P: the pair columns hold the pairs' p.
  assert.equal(page2.rows[0][header.length], format.paperP(pairwise.rows[0].pairwise[0].p));
  assert.deepEqual(parseCsv(cliText([...flags, '--pairwise', '--format', 'csv'])), [page2.header, ...page2.rows]);

  // A numeric variable marked categorical, and another test: the request reaches the engine.
  await page.check('#t1-vars tr[data-variable="age"] input[aria-label]');
  await panelSettled(page, '#t1-section');
  await page.selectOption('#t1-continuous-test', 'kruskal');
  await panelSettled(page, '#t1-section');
  await page.uncheck('#t1-pairwise');
  await panelSettled(page, '#t1-section');
  const changed = cliJson([...flags, '--categorical', 'age', '--continuous-test', 'kruskal']);
  assert.deepEqual((await shown()).rows, changed.layout.lines.map((line) => line.cells));
  assert.equal(changed.rows.find((row) => row.variable === 'age').kind, 'categorical');

  // Fisher's test on the 11 centres x 3 groups, past the exact budget: R's Monte Carlo p, drawn
  // in Wasm exactly as natively (the generator, the sampler and every ln and exp).
  const centreFlags = ['table1', '--data', EXAMPLE_CSV, '--group', 'group', '--vars', 'center', '--categorical-test', 'fisher', '--pairwise', '--seed', '7'];
  const centre = cliJson(centreFlags);
  assert.deepEqual(centre.rows[0].simulated, { replicates: 2000, seed: 7 });
  const centreViaApi = await page.evaluate(({ text, request }) => window.survkit.analyze(text, request),
    { text: exampleText, request: { analysis: 'table1', group: 'group', vars: ['center'], categorical_test: 'fisher', pairwise: true, seed: 7 } });
  assert.deepStrictEqual(centreViaApi, centre);
  assert.deepEqual(errors, []);
  await page.close();
});
