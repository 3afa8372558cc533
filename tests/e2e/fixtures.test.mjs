// Every golden fixture (tests/reference/fixtures), run through the page's `window.survkit.analyze`
// in headless Chromium, gives exactly the CLI's JSON for the fixture's arguments: the engine in
// Wasm agrees with the native engine, bit for bit, on every case checked against R. Each fixture
// is its own test, named after its file and made from the folder's listing (so none is skipped):
//   node --test --test-name-pattern '^km_aml_by_x$' tests/e2e/fixtures.test.mjs

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT, assertSameJson, cliJson, openPage, serverAndBrowser } from './helpers.mjs';

const env = serverAndBrowser();

const FIXTURES = path.join(ROOT, 'tests', 'reference', 'fixtures');
const DATA = path.join(ROOT, 'tests', 'reference', 'data');

/** Request fields that are numbers or switches in the JSON (the CLI spells them as text). */
const NUMBERS = new Set(['conf_level', 'rho', 'seed', 'replicates', 'landmark']);
const SWITCHES = new Set(['pairwise', 'univariate', 'zph']);
const BOOLEANS = new Set(['timefix']);
const REPEATED = new Set(['reference']);

/** The page's request for a fixture's CLI arguments (`km --time t --at 1,2 --pairwise ...`). */
export function requestOf(args) {
  const [analysis, ...flags] = args;
  const request = { analysis };
  for (let index = 0; index < flags.length; index += 1) {
    const field = flags[index].replace(/^--/, '').replaceAll('-', '_');
    if (SWITCHES.has(field)) {
      request[field] = true;
      continue;
    }
    const value = flags[index + 1];
    index += 1;
    if (NUMBERS.has(field)) request[field] = Number(value);
    else if (BOOLEANS.has(field)) request[field] = value === 'true';
    else if (REPEATED.has(field)) request[field] = [...(request[field] ?? []), value];
    else request[field] = value;
  }
  return request;
}

/** The one page every fixture's test uses, opened by the first (closing the browser closes it). */
let opened;
function sharedPage() {
  opened ??= openPage(env.browser.context, env.server.url);
  return opened;
}

for (const file of readdirSync(FIXTURES).filter((name) => name.endsWith('.json')).sort()) {
  const name = path.basename(file, '.json');
  test(name, { timeout: 60_000 }, async () => {
    const fixture = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
    const data = path.join(DATA, fixture.data);
    const text = readFileSync(data, 'utf8');
    const page = await sharedPage();
    const viaCli = cliJson([...fixture.args, '--data', data]);
    if (fixture.args[0] === 'run') {
      // `survkit run --study S`: the page loads the file, adds the study's derived columns and runs
      // each of its analyses, as opening the study does; each report equals the CLI's.
      const study = JSON.parse(readFileSync(path.join(ROOT, fixture.args[fixture.args.indexOf('--study') + 1]), 'utf8'));
      const viaPage = await page.evaluate(async ({ text, study }) => {
        const engine = window.survkit;
        const loaded = await engine.loadFile(text);
        if (loaded.error) return [loaded];
        const derived = await engine.setDerived(study.derived ?? []);
        if (derived.error) return [derived];
        const reports = [];
        for (const analysis of study.analyses) reports.push(await engine.analyzeLoaded(analysis.request));
        return reports;
      }, { text, study });
      assertSameJson(viaPage, viaCli.analyses.map((analysis) => analysis.result), name);
      return;
    }
    const request = requestOf(fixture.args);
    const viaPage = await page.evaluate(({ text, request }) => window.survkit.analyze(text, request), { text, request });
    assertSameJson(viaPage, viaCli, name);
  });
}
