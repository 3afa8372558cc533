// The TypeScript declarations generated from the Rust types (schema/survkit.d.ts, see
// tests/schema.rs) are valid, accept the requests and studies the page sends, and refuse a field
// of another analysis, an unknown analysis and a missing required field, as the engine does.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function tsc(file) {
  return spawnSync(process.execPath, [TSC, '--noEmit', '--strict', '--target', 'es2022', '--moduleResolution', 'bundler',
    '--module', 'esnext', path.join(ROOT, file)], { cwd: ROOT, encoding: 'utf8' });
}

test('the declarations compile, and the requests and studies the page sends type-check', () => {
  const result = tsc('tests/types/requests.ts');
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test('a field of another analysis, an unknown analysis and a missing required field do not type-check', () => {
  const result = tsc('tests/types/refused.ts');
  assert.notEqual(result.status, 0);
  const errors = result.stdout.split('\n').filter((line) => line.includes('error TS'));
  assert.equal(errors.length, 3, result.stdout);
  assert.match(errors[0], /refused\.ts\(5,.*'pairwise' does not exist/);
  assert.match(errors[1], /refused\.ts\(6,.*"kaplan"/);
  assert.match(errors[2], /refused\.ts\(7,/);
  assert.match(result.stdout, /Property 'time' is missing/);
});
