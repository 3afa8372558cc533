// Every golden fixture (tests/reference/fixtures), run through the page's `window.survkit.analyze`
// in headless Chromium, gives exactly the CLI's JSON for the fixture's arguments: the engine in
// Wasm agrees with the native engine, bit for bit, on every case checked against R.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT, assertSameJson, cliJson, openPage, serverAndBrowser } from './helpers.mjs';

const env = serverAndBrowser();

const FIXTURES = path.join(ROOT, 'tests', 'reference', 'fixtures');
const DATA = path.join(ROOT, 'tests', 'reference', 'data');

/** Request fields that are numbers or switches in the JSON (the CLI spells them as text). */
const NUMBERS = new Set(['conf_level', 'rho', 'seed', 'replicates']);
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

test('every golden fixture: the page\'s analyze returns the CLI\'s JSON', { timeout: 300_000 }, async () => {
  const page = await openPage(env.browser.context, env.server.url);
  const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.json')).sort();
  for (const name of fixtures) {
    const fixture = JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
    const file = path.join(DATA, fixture.data);
    const text = readFileSync(file, 'utf8');
    const request = requestOf(fixture.args);
    const viaPage = await page.evaluate(({ text, request }) => window.survkit.analyze(text, request), { text, request });
    assertSameJson(viaPage, cliJson([...fixture.args, '--data', file]), fixture.name);
  }
  await page.close();
});
