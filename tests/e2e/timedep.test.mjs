// Endpoints from dates and transplant as a time-dependent exposure, end to end in headless
// Chromium on the simulated example cohort: OS, LFS, relapse/NRM and the time to transplant are
// built from the dates on the page ("Endpoints from dates"); the Simon-Makuch curves and the
// Mantel-Byar test with transplant as the exposure show the numbers of the CLI's JSON for the same
// study (`survkit run`), and the derived columns' CSV is `survkit endpoints`'; Save study keeps
// both, and Open study in a fresh page shows the same numbers. A copy of the cohort with an
// impossible date lists it (row and patient id) and lets the user exclude the row.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import * as format from '../../www/ui/format.js';
import { CLI, EXAMPLE_CSV, ROOT, assertSameJson, canvasInk, openPage, panelSettled, settled, serverAndBrowser } from './helpers.mjs';

const env = serverAndBrowser();
const errors = [];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'survkit-timedep-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The endpoints the test builds on the page: [kind, dates in order, censoring date, names]. */
const ENDPOINTS = [
  ['time_to_event', ['death_date'], 'last_contact_date', ['os_dates_months', 'os_dates_event']],
  ['time_to_event', ['relapse_date', 'death_date'], 'last_contact_date', ['lfs_dates_months', 'lfs_dates_event']],
  ['competing', ['relapse_date', 'death_date'], 'last_contact_date', ['relapse_dates_months', 'relapse_dates_status']],
  ['time_to_exposure', ['hsct_date'], 'last_contact_date', ['hsct_dates_months']],
];

function run(args) {
  const answer = spawnSync(CLI, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(answer.status, 0, answer.stderr);
  return answer.stdout;
}

/** Fills the endpoint form and adds the endpoint; resolves once the section is settled. */
async function addEndpoint(page, [kind, dates, censor, names]) {
  await page.selectOption('#ep-kind', kind);
  for (const [index, date] of [dates[0], dates[1] ?? '', dates[2] ?? ''].entries()) {
    if (index === 0 || kind !== 'time_to_exposure') await page.selectOption(`#ep-date-${index + 1}`, date);
  }
  await page.selectOption('#ep-censor', censor);
  await page.fill('#ep-time-name', names[0]);
  if (names[1]) await page.fill('#ep-event-name', names[1]);
  await page.click('#ep-add');
}

async function buildEndpoints(page) {
  await page.selectOption('#ep-origin', 'car_t_date');
  await page.selectOption('#ep-unit', 'months');
  await page.selectOption('#ep-id', 'patient_id');
  for (const endpoint of ENDPOINTS) {
    await addEndpoint(page, endpoint);
    await page.waitForSelector(`#ep-table tbody tr[data-columns="${endpoint[3].join(',')}"]`, { state: 'attached', timeout: 20_000 });
    await panelSettled(page, '#ep-section');
  }
}

/** What the time-dependent panel shows, as text. */
async function shown(page) {
  const rows = (selector) => page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => ({
    state: tr.dataset.state,
    cells: [...tr.querySelectorAll('td')].map((cell) => cell.textContent.trim()),
  })));
  const landmark = await page.isVisible('#td-lm-block')
    ? {
      heading: await page.textContent('#td-lm-heading'),
      note: await page.textContent('#td-lm-note'),
      km: await page.$$eval('#td-lm-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent.trim()))),
      logrankLine: await page.textContent('#td-lm-line'),
      logrank: await page.$$eval('#td-lm-groups tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent.trim()))),
    }
    : null;
  return { sm: await rows('#td-sm-table'), mbLine: await page.textContent('#td-mb-line'), mb: await rows('#td-mb-table'), landmark };
}

/** The landmark analysis shown holds the CLI's landmark Kaplan-Meier and log-rank numbers. */
function assertLandmarkShowsCli(view, km, logrank) {
  assert.ok(view, 'the landmark analysis is shown');
  const { landmark } = km;
  assert.equal(view.heading, `Landmark analysis at ${format.shortNumber(landmark.landmark)} months`);
  assert.match(view.note, new RegExp(`^Landmark at ${landmark.landmark} months: ${landmark.n_kept} of ${landmark.n_before} patients still at risk then`));
  assert.match(view.note, new RegExp(`${landmark.n_before - landmark.n_kept} left out \\(${landmark.n_excluded_event} with the event and `
    + `${landmark.n_excluded_censored} censored at or before it\\)`));
  assert.match(view.note, new RegExp(`By transplant before the landmark: ${landmark.n_exposed} exposed, ${landmark.n_kept - landmark.n_exposed} not`));
  const labels = { unexposed: `No transplant before ${landmark.landmark} months`, exposed: `Transplant before ${landmark.landmark} months` };
  assert.deepEqual(view.km.map((cells) => cells[0]), km.groups.map((group) => labels[group.group]));
  for (const [index, group] of km.groups.entries()) {
    assert.deepEqual(view.km[index].slice(1, 3), [String(group.n), String(group.events)]);
    assert.deepEqual(view.km[index].slice(4), group.at.map((at) => format.survivalWithCi(at.surv, at.lower, at.upper, km.conf_level)));
  }
  assert.equal(view.logrankLine, `χ² = ${format.statistic(logrank.chisq)} on 1 degree of freedom, ${format.pValue(logrank.p)}`);
  assert.deepEqual(view.logrank.map((cells) => cells.slice(0, 3)),
    logrank.groups.map((group) => [labels[group.group], String(group.n), String(group.observed)]));
}

/** The page's tables hold the CLI's numbers, formatted as the page formats them. */
function assertShowsCli(view, simonMakuch, mantelByar) {
  assert.deepEqual(view.sm.map((row) => row.state), simonMakuch.states.map((state) => state.state));
  for (const [index, state] of simonMakuch.states.entries()) {
    assert.deepEqual(view.sm[index].cells, [
      String(state.n), String(state.events),
      ...state.at.map((at) => format.survivalWithCi(at.surv, at.lower, at.upper, simonMakuch.conf_level)),
    ], `Simon-Makuch, ${state.state}`);
  }
  assert.equal(view.mbLine, `χ² = ${format.statistic(mantelByar.chisq)} on ${mantelByar.df} degree of freedom, ${format.pValue(mantelByar.p)}`);
  for (const [index, state] of mantelByar.states.entries()) {
    assert.equal(view.mb[index].state, state.state);
    assert.deepEqual(view.mb[index].cells, [String(state.n), String(state.observed), format.fixed(state.expected, 1),
      format.fixed(state.observed / state.expected, 2)], `Mantel-Byar, ${state.state}`);
  }
}

async function studyApplied(page) {
  await page.waitForFunction(() => /applied/.test(document.getElementById('study-status').textContent), null, { timeout: 30_000 });
}

async function download(page, selector, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const target = path.join(scratch, `${name}-${file.suggestedFilename()}`);
  await file.saveAs(target);
  return { name: file.suggestedFilename(), file: target, text: readFileSync(target, 'utf8') };
}

test('endpoints from dates, Simon-Makuch and Mantel-Byar with transplant as exposure: the CLI\'s numbers, saved and reopened', async () => {
  const page = await openPage(env.browser.context, env.server.url, errors);
  await page.click('#example-button');
  await settled(page);
  await panelSettled(page, '#td-section', 'idle');
  await buildEndpoints(page);

  // The derived columns are offered in every panel like the file's.
  for (const picker of ['#time-select', '#cox-time', '#cr-time', '#td-time']) {
    const offered = await page.$$eval(`${picker} option`, (options) => options.map((option) => option.value));
    assert.ok(offered.includes('os_dates_months') && offered.includes('lfs_dates_months'), `${picker} offers the derived times`);
  }
  const status = await page.$$eval('#cr-status option', (options) => options.map((option) => option.value));
  assert.ok(status.includes('relapse_dates_status'), 'the competing-risks panel offers the derived status');

  // Transplant as a time-dependent exposure: the exposure column and its name are guessed.
  await page.selectOption('#td-time', 'os_dates_months');
  await page.selectOption('#td-event', 'os_dates_event');
  assert.equal(await page.inputValue('#td-exposure'), 'hsct_dates_months');
  assert.equal(await page.inputValue('#td-exposure-name'), 'transplant');
  await page.fill('#td-at', '12, 24');
  await page.click('#td-run');
  await panelSettled(page, '#td-section');
  assert.equal(await page.textContent('#td-alert'), '');
  const ink = await canvasInk(page, '#td-canvas');
  assert.ok(ink.ink > 2000, `the Simon-Makuch figure is drawn (${ink.ink} pixels of ink)`);
  assert.match(await page.getAttribute('#td-canvas', 'aria-label'), /Simon-Makuch survival curves by transplant.*Mantel-Byar P/);
  assert.equal(await page.isVisible('#td-lm-block'), false, 'no landmark analysis until a landmark time is given');
  // A landmark analysis at 3 months: those still at risk then, by transplant before it.
  await page.fill('#td-landmark-at', '9, 21');
  await page.fill('#td-landmark', '3');
  await page.press('#td-landmark', 'Tab');
  await panelSettled(page, '#td-section');
  assert.equal(await page.textContent('#td-alert'), '');
  const before = await shown(page);

  // Save study: the four derived columns and both analyses, with the figure's settings.
  const saved = await download(page, '#study-save', 'first');
  const study = JSON.parse(saved.text);
  assert.deepEqual(study.derived.map((derived) => derived.kind), ENDPOINTS.map(([kind]) => kind));
  assert.deepEqual(study.derived[0], {
    kind: 'time_to_event', time: 'os_dates_months', event: 'os_dates_event', events: ['death_date'], censor: 'last_contact_date',
    origin: 'car_t_date', unit: 'months', id: 'patient_id',
  });
  assert.deepEqual(study.derived[2].causes, ['relapse_date', 'death_date']);
  assert.deepEqual(study.derived[3], {
    kind: 'time_to_exposure', name: 'hsct_dates_months', exposure: 'hsct_date', end: 'last_contact_date', origin: 'car_t_date',
    unit: 'months', id: 'patient_id',
  });
  const sm = study.analyses.find((entry) => entry.request.analysis === 'simon-makuch');
  const mb = study.analyses.find((entry) => entry.request.analysis === 'mantel-byar');
  const landmarkKm = study.analyses.find((entry) => entry.request.analysis === 'km' && entry.request.landmark === 3);
  const landmarkLogrank = study.analyses.find((entry) => entry.request.analysis === 'logrank' && entry.request.landmark === 3);
  const landmarkEndpoint = {
    time: 'os_dates_months', event: 'os_dates_event', exposure_time: 'hsct_dates_months', exposure_name: 'transplant', landmark: 3,
  };
  assert.deepEqual(landmarkKm.request, { analysis: 'km', ...landmarkEndpoint, at: '9, 21', conf_type: 'log', conf_level: 0.95 });
  assert.deepEqual(landmarkLogrank.request, { analysis: 'logrank', ...landmarkEndpoint });
  assert.deepEqual(sm.request, {
    analysis: 'simon-makuch', time: 'os_dates_months', event: 'os_dates_event', exposure_time: 'hsct_dates_months',
    exposure_name: 'transplant', at: '12, 24', conf_type: 'log', conf_level: 0.95,
  });
  assert.ok(sm.figure && sm.figure.show_at_risk === true, 'the Simon-Makuch figure settings are saved');
  assert.deepEqual(mb.request, {
    analysis: 'mantel-byar', time: 'os_dates_months', event: 'os_dates_event', exposure_time: 'hsct_dates_months', exposure_name: 'transplant',
  });

  // The CLI on the same study and data: the page shows its numbers, and analyze gives its JSON exactly.
  const cli = JSON.parse(run(['run', '--study', saved.file, '--data', EXAMPLE_CSV, '--format', 'json']));
  const cliOf = (analysis) => cli.analyses.find((entry) => entry.request.analysis === analysis).result;
  assertShowsCli(before, cliOf('simon-makuch'), cliOf('mantel-byar'));
  const cliLandmark = (analysis) => cli.analyses.find((entry) => entry.request.analysis === analysis && entry.request.landmark === 3).result;
  assertLandmarkShowsCli(before.landmark, cliLandmark('km'), cliLandmark('logrank'));
  for (const entry of [sm, mb, landmarkKm, landmarkLogrank]) {
    const viaPage = await page.evaluate((request) => window.survkit.analyzeLoaded(request), entry.request);
    const expected = entry.request.landmark === undefined ? cliOf(entry.request.analysis) : cliLandmark(entry.request.analysis);
    assertSameJson(viaPage, expected, entry.title);
  }
  // The derived OS is the file's own OS column (computed by hand from the same dates), through km.
  const km = await page.evaluate(() => window.survkit.analyzeLoaded({ analysis: 'km', time: 'os_dates_months', event: 'os_dates_event', at: '12' }));
  assert.equal(km.groups[0].events, cliOf('mantel-byar').states.reduce((sum, state) => sum + state.observed, 0));

  // Download derived columns as CSV: survkit endpoints' CSV for the same study.
  const csv = await download(page, '#ep-csv', 'derived');
  assert.equal(csv.name, 'example-simulated-derived-columns.csv');
  assert.equal(csv.text, run(['endpoints', '--study', saved.file, '--data', EXAMPLE_CSV, '--format', 'csv']));

  // Open study in a fresh page: the derived columns are made again and the same numbers shown.
  const fresh = await openPage(env.browser.context, env.server.url, errors);
  await fresh.click('#example-button');
  await settled(fresh);
  await fresh.setInputFiles('#study-open', saved.file);
  await studyApplied(fresh);
  await panelSettled(fresh, '#td-section');
  assert.equal(await fresh.textContent('#alert'), '');
  assert.deepEqual(await shown(fresh), before);
  assert.deepEqual(await fresh.$$eval('#ep-table tbody tr', (rows) => rows.map((row) => row.dataset.columns)),
    ENDPOINTS.map(([, , , names]) => names.join(',')));
  assert.ok((await canvasInk(fresh, '#td-canvas')).ink > 2000);
  const again = JSON.parse((await download(fresh, '#study-save', 'again')).text);
  assert.deepEqual(again.derived, study.derived);
  const timeDependent = (entry) => ['simon-makuch', 'mantel-byar'].includes(entry.request.analysis) || entry.request.landmark !== undefined;
  assert.deepEqual(again.analyses.filter(timeDependent), [sm, mb, landmarkKm, landmarkLogrank]);

  // Removing a derived column takes it out of the pickers.
  await fresh.click('#ep-table tbody tr[data-columns="relapse_dates_months,relapse_dates_status"] button');
  await fresh.waitForFunction(() => document.querySelectorAll('#ep-table tbody tr').length === 3);
  const statuses = await fresh.$$eval('#cr-status option', (options) => options.map((option) => option.value));
  assert.ok(!statuses.includes('relapse_dates_status'));
  await fresh.close();
  await page.close();
  assert.deepEqual(errors, []);
});

test('the example study on the example cohort: its landmark analysis shown as the CLI gives it; what no panel shows is listed and saved back', async () => {
  const file = path.join(ROOT, 'examples', 'study.json');
  const study = JSON.parse(readFileSync(file, 'utf8'));
  const cli = JSON.parse(run(['run', '--study', file, '--data', EXAMPLE_CSV, '--format', 'json']));
  const page = await openPage(env.browser.context, env.server.url, errors);
  await page.click('#example-button');
  await settled(page);
  await page.setInputFiles('#study-open', file);
  await studyApplied(page);
  await panelSettled(page, '#td-section');
  assert.equal(await page.textContent('#alert'), '');
  assert.equal(await page.textContent('#td-alert'), '');

  // The landmark Kaplan-Meier and log-rank test go to the time-dependent panel, not the survival panel.
  const landmark = (analysis) => cli.analyses.find((entry) => entry.request.analysis === analysis && entry.request.landmark !== null).result;
  assertLandmarkShowsCli((await shown(page)).landmark, landmark('km'), landmark('logrank'));
  assert.equal(await page.inputValue('#td-landmark'), '3');
  assert.equal(await page.inputValue('#time-select'), 'os_months', 'the survival panel shows the study\'s first Kaplan-Meier, not the landmark one');

  // Every analysis no panel shows is named in the status, and Save study writes every analysis back.
  const statusLine = await page.textContent('#study-status');
  const match = /applied: (\d+) of (\d+) analyses shown\. Kept in the study but not shown on the page .*?: (.*)\.$/.exec(statusLine);
  assert.ok(match, statusLine);
  assert.equal(Number(match[2]), study.analyses.length);
  const notShown = match[3].split('; ');
  assert.equal(Number(match[1]) + notShown.length, study.analyses.length);
  assert.ok(notShown.some((title) => /relapse incidence from the 3-month landmark/.test(title)), 'the landmark incidence is listed');
  const saved = JSON.parse((await download(page, '#study-save', 'example')).text);
  const requests = (analyses) => analyses.map((entry) => JSON.stringify(entry.request)).sort();
  assert.deepEqual(requests(saved.analyses), requests(study.analyses));
  for (const entry of study.analyses) {
    const back = saved.analyses.find((candidate) => JSON.stringify(candidate.request) === JSON.stringify(entry.request));
    assert.equal(back.title, entry.title);
    // A panel that draws the figure writes every setting; each the study gave is kept.
    for (const [setting, value] of Object.entries(entry.figure ?? {})) assert.deepEqual(back.figure?.[setting], value, `${entry.title}: ${setting}`);
  }
  assert.match(await page.textContent('#study-status'), new RegExp(`Study saved: ${study.analyses.length} analyses \\(${notShown.length} of them kept`));
  await page.close();
  assert.deepEqual(errors, []);
});

test('impossible dates are listed with row and patient id; the user excludes those rows or fixes the file', async () => {
  // P003's death (row 4) moved before its CAR-T infusion.
  const lines = readFileSync(EXAMPLE_CSV, 'utf8').split('\n');
  const header = lines[0].split(',').map((name) => name.replace(/"/g, ''));
  const cells = lines[3].split(',');
  assert.equal(cells[0], '"P003"');
  cells[header.indexOf('death_date')] = '"2001-01-01"';
  lines[3] = cells.join(',');
  const file = path.join(scratch, 'impossible.csv');
  writeFileSync(file, lines.join('\n'));

  const page = await openPage(env.browser.context, env.server.url, errors);
  await page.setInputFiles('#file-input', file);
  await settled(page);
  await page.selectOption('#ep-origin', 'car_t_date');
  await page.selectOption('#ep-id', 'patient_id');
  await addEndpoint(page, ENDPOINTS[0]);
  await panelSettled(page, '#ep-section', 'impossible');
  const rows = await page.$$eval('#ep-impossible-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
  assert.ok(rows.length >= 1);
  assert.deepEqual(rows[0].slice(0, 3), ['4', 'P003', 'a date before the origin']);
  assert.match(rows[0][3], /death_date 2001-01-01 is before car_t_date/);

  // Fix the file instead: nothing is added.
  await page.click('#ep-fix');
  assert.equal(await page.isHidden('#ep-impossible'), true);
  assert.equal(await page.isHidden('#ep-derived'), true);
  assert.match(await page.textContent('#ep-status'), /Correct the dates/);

  // Exclude those rows: the columns are made without them, and the row is listed beside them.
  await page.click('#ep-add');
  await panelSettled(page, '#ep-section', 'impossible');
  await page.click('#ep-exclude');
  await page.waitForSelector('#ep-table tbody tr[data-columns="os_dates_months,os_dates_event"]', { state: 'attached' });
  await panelSettled(page, '#ep-section');
  assert.match(await page.textContent('#ep-excluded'), /os_dates_months, os_dates_event: 1 row excluded for impossible dates: row 4 \(P003\)/);
  const saved = await download(page, '#study-save', 'impossible');
  const study = JSON.parse(saved.text);
  assert.equal(study.derived[0].exclude_impossible, true);
  const csv = await download(page, '#ep-csv', 'impossible');
  assert.equal(csv.text, run(['endpoints', '--study', saved.file, '--data', file, '--format', 'csv']));
  assert.match(csv.text.split(/\r?\n/)[3], /^4,P003,,$/);
  await page.close();
  assert.deepEqual(errors, []);
});
