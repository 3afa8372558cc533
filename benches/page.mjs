#!/usr/bin/env node
// The page's speed in headless Chromium (Debian's /usr/bin/chromium, through playwright-core).
//
//   node benches/page.mjs                 RUNS=3 ROWS=1000000 by default
//
// 1. Page load to first figure with the example data: a fresh tab opens the page, clicks
//    "Example data" as soon as the engine is ready, and waits for the figure. Reported from the
//    page's own clock (navigation start = 0): engine ready, first figure drawn.
// 2. A 1e6-row CSV (time, status, group with 3 levels), generated into a temp folder by a seeded
//    generator (mulberry32, seed 20240601), loaded through the file input as a user would:
//    - worker: reading the File and parsing it (Session.load), then km (at 1, 2), logrank
//      (pairwise) and followup on the loaded table, timed inside the worker;
//    - page: from choosing the file to results and figure on screen (the guessed mapping is the
//      right one; includes Playwright handing the file to the browser), and from changing a choice
//      (the landmarks) to new results and figure, which runs the analyses on the loaded table;
//    - API: `window.survkit.analyze(text, request)` one-off calls (each parses the text again).
// Prints a summary and writes artifacts/page-bench.json (artifacts/ is not committed).

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT, ensureBuilt, launchBrowser, startServer } from '../tests/e2e/helpers.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
const ROWS = Number(process.env.ROWS ?? 1_000_000);
const SEED = 20240601;

/** The generator, as one function so the page can run the same code to build the same text. */
function generateCsv(rows, seed) {
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const groups = ['control', 'low_dose', 'high_dose'];
  const rates = [0.5, 0.35, 0.25];
  const parts = ['time,status,group\n'];
  for (let row = 0; row < rows; row += 1) {
    const group = Math.floor(random() * 3);
    const event = -Math.log(1 - random()) / rates[group];
    const censor = random() * 8;
    const time = Math.min(event, censor);
    parts.push(`${time.toFixed(3)},${event <= censor ? 1 : 0},${groups[group]}\n`);
  }
  return parts.join('');
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};
const best = (values) => Math.min(...values);
const round = (value) => Math.round(value);

async function pageToFirstFigure(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.survkit !== undefined);
  await page.click('#example-button');
  await page.waitForSelector('#results-section[data-state="ready"]', { state: 'attached' });
  const marks = await page.evaluate(() => ({
    ready: performance.getEntriesByName('survkit:ready')[0]?.startTime,
    figure: performance.getEntriesByName('survkit:first-figure')[0]?.startTime,
    domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
  }));
  await page.close();
  return marks;
}

async function largeFile(context, url, file) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.survkit !== undefined);
  const resultsFor = (groups, heading) => page.waitForFunction(([groups, heading]) => {
    const results = document.querySelector('#results-section');
    return results.dataset.state === 'ready'
      && document.querySelectorAll('#km-table tbody tr').length === groups
      && document.querySelector('#km-table thead').textContent.includes(heading);
  }, [groups, heading], { timeout: 60_000 });
  // The guessed mapping (time, status, group) is the one wanted: choosing the file is enough.
  let started = Date.now();
  await page.setInputFiles('#file-input', file);
  await resultsFor(3, 'Median');
  const loadMs = Date.now() - started;
  const worker = await page.evaluate(() => {
    const { timings } = window.survkit;
    return { load: timings.load, analyses: [...timings.analyses] };
  });
  // A changed choice: analysed again from the loaded table, not parsed again.
  started = Date.now();
  await page.fill('#at-input', '1, 2');
  await page.press('#at-input', 'Tab');
  await resultsFor(3, 't = 2');
  const changeMs = Date.now() - started;
  await page.close();
  return { loadMs, changeMs, worker };
}

async function apiCalls(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.survkit !== undefined);
  // The page's CSP forbids eval, so the generator comes in as an expression evaluated by the driver.
  await page.evaluate(`window.benchText = (${generateCsv.toString()})(${ROWS}, ${SEED}); undefined`);
  const result = await page.evaluate(async () => {
    const text = window.benchText;
    const base = { time: 'time', event: 'status', group: 'group' };
    const timed = async (request) => {
      const start = performance.now();
      const answer = await window.survkit.analyze(text, request);
      if (answer.error) throw new Error(answer.error.message);
      return performance.now() - start;
    };
    return {
      bytes: text.length,
      km: await timed({ analysis: 'km', ...base, at: [1, 2] }),
      logrank: await timed({ analysis: 'logrank', ...base, pairwise: true }),
      followup: await timed({ analysis: 'followup', ...base }),
    };
  });
  await page.close();
  return result;
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

async function main() {
  ensureBuilt();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'survkit-page-bench-'));
  const file = path.join(folder, `km_${ROWS}.csv`);
  const generateStart = Date.now();
  writeFileSync(file, generateCsv(ROWS, SEED));
  const generateMs = Date.now() - generateStart;
  const bytes = statSync(file).size;

  const server = await startServer();
  const browser = await launchBrowser();
  const results = { firstFigure: [], large: [], api: [] };
  try {
    await pageToFirstFigure(browser.context, server.url); // warm-up: the OS file cache, Chromium's code cache
    for (let run = 0; run < RUNS; run += 1) results.firstFigure.push(await pageToFirstFigure(browser.context, server.url));
    for (let run = 0; run < RUNS; run += 1) results.large.push(await largeFile(browser.context, server.url, file));
    for (let run = 0; run < RUNS; run += 1) results.api.push(await apiCalls(browser.context, server.url));
  } finally {
    await browser.close();
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }

  const chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
  const summary = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    chromium,
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    runs: RUNS,
    example_first_figure: {
      engine_ready_ms: round(median(results.firstFigure.map((run) => run.ready))),
      first_figure_ms: round(median(results.firstFigure.map((run) => run.figure))),
      best_first_figure_ms: round(best(results.firstFigure.map((run) => run.figure))),
    },
    large_file: {
      rows: ROWS,
      bytes,
      generate_ms: generateMs,
      worker_read_and_parse_ms: round(median(results.large.map((run) => run.worker.load))),
      worker_km_logrank_followup_ms: round(median(results.large.map((run) => run.worker.analyses.reduce((a, b) => a + b, 0)))),
      page_file_chosen_to_results_and_figure_ms: round(median(results.large.map((run) => run.loadMs))),
      page_choice_changed_to_results_and_figure_ms: round(median(results.large.map((run) => run.changeMs))),
      api_analyze_km_ms: round(median(results.api.map((run) => run.km))),
      api_analyze_logrank_ms: round(median(results.api.map((run) => run.logrank))),
      api_analyze_followup_ms: round(median(results.api.map((run) => run.followup))),
    },
    raw: results,
  };
  mkdirSync(path.join(ROOT, 'artifacts'), { recursive: true });
  writeFileSync(path.join(ROOT, 'artifacts', 'page-bench.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const { example_first_figure: first, large_file: large } = summary;
  console.log(`page bench (${chromium}, ${summary.nproc} CPUs, median of ${RUNS})`);
  console.log(`  example data: engine ready ${first.engine_ready_ms} ms, first figure ${first.first_figure_ms} ms after navigation`);
  console.log(`  ${ROWS.toLocaleString('en-US')} rows (${(bytes / 1e6).toFixed(1)} MB):`);
  console.log(`    worker: read + parse ${large.worker_read_and_parse_ms} ms; km + logrank + followup on the loaded table ${large.worker_km_logrank_followup_ms} ms`);
  console.log(`    page: file chosen to results and figure on screen ${large.page_file_chosen_to_results_and_figure_ms} ms; `
    + `a changed choice (landmarks) to new results and figure ${large.page_choice_changed_to_results_and_figure_ms} ms`);
  console.log(`    window.survkit.analyze (parse + analyse each time): km ${large.api_analyze_km_ms} ms, logrank ${large.api_analyze_logrank_ms} ms, followup ${large.api_analyze_followup_ms} ms`);
  console.log('  written to artifacts/page-bench.json');
}

await main();
