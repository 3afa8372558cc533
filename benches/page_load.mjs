// The page under load: a 1e6-row, ~72 MB CSV shaped like examples/cart_haplo_simulated.csv is
// loaded through the page's file input and analysed (Kaplan-Meier by group, log-rank, follow-up)
// in headless Chromium, and this prints how long it took, the longest task on the page's main
// thread and the peak memory (VmHWM) of Chromium's renderer processes.
//
//   node benches/page_load.mjs [rows]      (after scripts/build-web.sh; rows defaults to 1e6)
//
// tests/e2e/load.test.mjs runs the same measurement and asserts the budgets (no main-thread task
// over 200 ms, renderer peak under 400 MB); the functions below are shared with it.

import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A small, deterministic generator (mulberry32), so every run writes the same file. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const LARGE_GROUPS = ['No transplant', 'HSCT, MRD-', 'HSCT, MRD+'];

/**
 * Writes `rows` simulated patients to `file`, shaped like the example cohort: a text id per row,
 * centre, sex, age, Ph+, blasts, dose, the group (three levels), and overall and leukaemia-free
 * survival in months computed from whole days (days / 30.4375, four decimals, as the example's
 * are), so there are at most about 3,650 distinct times. Resolves to the file's size in bytes.
 */
export async function writeLargeCsv(file, rows = 1_000_000) {
  const next = random(20261204);
  const out = createWriteStream(file);
  const write = (text) => new Promise((resolve) => {
    if (out.write(text)) resolve();
    else out.once('drain', resolve);
  });
  let size = 0;
  let chunk = '"patient_id","center","sex","age","ph_positive","bm_blasts_pct","cart_dose_1e6_per_kg",'
    + '"group","os_months","os_event","lfs_months","lfs_event"\n';
  const months = (days) => Number((days / 30.4375).toFixed(4));
  for (let row = 1; row <= rows; row += 1) {
    const group = Math.floor(next() * 3);
    const rate = [1 / 400, 1 / 900, 1 / 600][group];
    const death = Math.ceil(-Math.log(1 - next()) / rate);
    const censored = 1 + Math.floor(next() * 3650);
    const os = Math.min(death, censored);
    const died = death <= censored ? 1 : 0;
    const relapse = Math.ceil(-Math.log(1 - next()) / (rate * 1.5));
    const lfs = Math.min(relapse, os);
    const lfsEvent = relapse <= os || died ? 1 : 0;
    const centre = String(1 + Math.floor(next() * 12)).padStart(2, '0');
    const sex = next() < 0.5 ? 'Female' : 'Male';
    const age = 18 + Math.floor(next() * 58);
    const ph = next() < 0.3 ? 'Yes' : 'No';
    const blasts = (next() * 99).toFixed(1);
    const dose = (0.5 + next() * 20).toFixed(1);
    chunk += `"P${String(row).padStart(7, '0')}","C${centre}","${sex}",${age},"${ph}",${blasts},${dose},`
      + `"${LARGE_GROUPS[group]}",${months(os)},${died},${months(lfs)},${lfsEvent}\n`;
    if (chunk.length > 1 << 20) {
      size += chunk.length;
      await write(chunk);
      chunk = '';
    }
  }
  size += chunk.length;
  await write(chunk);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return size;
}

/** The processes below `root` (a pid), found through /proc/<pid>/stat's parent pid. */
function descendants(root) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  const found = [];
  const waiting = [root];
  while (waiting.length > 0) {
    for (const child of children.get(waiting.pop()) ?? []) {
      found.push(child);
      waiting.push(child);
    }
  }
  return found;
}

/**
 * Chromium's renderer processes started (through the browser process) by this Node process, each
 * `{ pid, peakMb, rssMb }` from /proc/<pid>/status (VmHWM, VmRSS). A page's workers run in its renderer.
 */
export function rendererMemory(root = process.pid) {
  const renderers = [];
  for (const pid of descendants(root)) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!commandLine.includes('--type=renderer')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
      renderers.push({ pid, peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 });
    } catch {
      // the process ended meanwhile
    }
  }
  return renderers;
}

/** Before the page's scripts run: record every main-thread task over 50 ms (the Long Tasks API). */
export function watchLongTasks() {
  window.survkitLongTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.survkitLongTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/**
 * Loads `file` through the page's file input and waits for the Kaplan-Meier results and figure.
 * `page` must have been opened with `page.addInitScript(watchLongTasks)`. Resolves to the figures:
 * `{ loadMs, analysisMs, totalMs, longestTaskMs, longTasks, engine, patients, status }`.
 */
export async function measureLoad(page, file, { timeout = 120_000 } = {}) {
  const before = rendererMemory();
  const started = await page.evaluate(() => performance.now());
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => /^Loaded /.test(document.getElementById('status-text').textContent),
    null, { timeout, polling: 50 });
  const loaded = await page.evaluate(() => performance.now());
  await page.waitForSelector('#results-section[data-state="ready"]', { state: 'attached', timeout });
  const finished = await page.evaluate(() => performance.now());
  await page.waitForTimeout(500); // tasks after the figure (the panels) and the observer's delivery
  const { longTasks, engine } = await page.evaluate((since) => ({
    longTasks: window.survkitLongTasks.filter((task) => task.start + task.duration >= since),
    engine: {
      load: window.survkit.timings.load,
      analyses: [...window.survkit.timings.analyses],
      memoryMb: window.survkit.timings.memoryBytes / 1048576,
    },
  }), started);
  const patients = await page.$$eval('#km-table tbody tr', (rows) => rows.map((row) => ({
    group: row.querySelector('th').textContent.trim(),
    n: Number(row.querySelectorAll('td')[0].textContent.replace(/[^0-9]/g, '')),
  })));
  return {
    loadMs: loaded - started,
    analysisMs: finished - loaded,
    totalMs: finished - started,
    longestTaskMs: Math.max(0, ...longTasks.map((task) => task.duration)),
    longTasks,
    engine,
    patients,
    before,
    status: await page.textContent('#status-text'),
    fileLine: await page.textContent('#file-line'),
  };
}

/** One line of figures, as the test and this bench print them. */
export function describeFigures(figures, renderers, bytes) {
  const peak = Math.max(0, ...renderers.map((renderer) => renderer.peakMb));
  const round = (value) => Math.round(value);
  return `page load of ${(bytes / 1048576).toFixed(1)} MB: read and parsed in ${round(figures.loadMs)} ms `
    + `(engine ${round(figures.engine.load)} ms), analysed and drawn in ${round(figures.analysisMs)} ms `
    + `(engine ${figures.engine.analyses.map(round).join(' + ')} ms); longest main-thread task `
    + `${round(figures.longestTaskMs)} ms (${figures.longTasks.length} over 50 ms); the worker's Wasm memory `
    + `${round(figures.engine.memoryMb)} MB; renderer VmHWM `
    + `${round(peak)} MB (${renderers.map((renderer) => `${renderer.pid}: ${round(renderer.peakMb)}`).join(', ')}; `
    + `before loading ${figures.before.map((renderer) => `${renderer.pid}: ${round(renderer.peakMb)}`).join(', ')})`;
}

async function main() {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const { ensureBuilt, launchBrowser, startServer } = await import('../tests/e2e/helpers.mjs');
  const rows = Number(process.argv[2] ?? 1_000_000);
  ensureBuilt();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'survkit-load-'));
  const file = path.join(folder, 'large_cohort.csv');
  const bytes = await writeLargeCsv(file, rows);
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.addInitScript(watchLongTasks);
    await page.goto(server.url);
    await page.waitForFunction(() => window.survkit !== undefined, null, { timeout: 20_000 });
    const figures = await measureLoad(page, file);
    console.log(describeFigures(figures, rendererMemory(), bytes));
  } finally {
    await browser.close();
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
