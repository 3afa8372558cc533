// Unit tests of the page's pure modules (no browser): number formatting and column guessing.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as format from '../../www/ui/format.js';
import { guessMapping, mostlyNumbers, timeUnit, words } from '../../www/ui/guess.js';

test('survival at a time, as a paper prints it', () => {
  assert.equal(format.survivalWithCi(0.7703, 0.61234, 0.8681, 0.95), '77.0% (95% CI 61.2-86.8)');
  assert.equal(format.survivalWithCi(0.9333, 0.8153, 1, 0.95), '93.3% (95% CI 81.5-100.0)');
  assert.equal(format.survivalWithCi(0.5, 0.3, 0.7, 0.9), '50.0% (90% CI 30.0-70.0)');
  assert.equal(format.survivalWithCi(0.5, 0.3, 0.7, 0.975), '50.0% (97.5% CI 30.0-70.0)');
  assert.equal(format.survivalWithCi(0, null, null, 0.95), '0.0% (95% CI NE-NE)');
  assert.equal(format.survivalWithCi(null, null, null, 0.95), 'not estimable');
});

test('medians with their interval, and "not reached"', () => {
  assert.equal(format.median({ estimate: 21.8809, lower: 16.5585, upper: 28.9117 }, 1), '21.9 (16.6-28.9)');
  assert.equal(format.median({ estimate: 35.6797, lower: 25.2977, upper: null }, 1), '35.7 (25.3-NR)');
  assert.equal(format.median({ estimate: null, lower: null, upper: null }, 1), 'not reached');
  assert.equal(format.median({ estimate: null, lower: 30.2, upper: null }, 1), 'not reached (30.2-NR)');
  assert.equal(format.median({ estimate: 310, lower: 284, upper: 361 }, 0), '310 (284-361)');
  assert.equal(format.medianInWords({ estimate: 21.8809, lower: 16.5585, upper: 28.9117 }, 1, 0.95, 'months'),
    '21.9 months (95% CI 16.6-28.9)');
  assert.equal(format.medianInWords({ estimate: null, lower: null, upper: null }, 1, 0.95, 'months'), 'not reached');
});

test('time decimals follow the scale: one for months and years, none for days', () => {
  assert.equal(format.timeDecimals(48.99), 1);
  assert.equal(format.timeDecimals(1022), 0);
  assert.equal(format.timeDecimals(100), 0);
  assert.equal(format.timeDecimalsOf({ groups: [{ steps: { time: [1, 50] } }, { steps: { time: [3, 120] } }] }), 0);
  assert.equal(format.timeDecimalsOf({ groups: [{ steps: { time: [] } }] }), 1);
});

test('p-values as journals print them', () => {
  assert.equal(format.pValue(0.00012724), 'P < 0.001');
  assert.equal(format.pValue(1e-300), 'P < 0.001');
  assert.equal(format.pValue(0.0131), 'P = 0.013');
  assert.equal(format.pValue(0.001), 'P = 0.001');
  assert.equal(format.pValue(0.0697), 'P = 0.070');
  assert.equal(format.pValue(0.5), 'P = 0.500');
  assert.equal(format.pValue(0.99), 'P = 0.990');
  assert.equal(format.pValue(0.9999), 'P > 0.99');
  assert.equal(format.pValue(null), 'P not estimable');
});

test('small helpers', () => {
  assert.equal(format.fixed(-0.00001, 1), '0.0');
  assert.equal(format.levelLabel(0.95), '95%');
  assert.equal(format.levelLabel(0.9), '90%');
  assert.equal(format.statistic(17.938816), '17.94');
  assert.equal(format.shortNumber(12), '12');
  assert.equal(format.shortNumber(2.5), '2.5');
  assert.equal(format.fileSize(500), '500 bytes');
  assert.equal(format.fileSize(20_000), '20 KB');
  assert.equal(format.fileSize(17_500_000), '16.7 MB');
  assert.equal(format.count(1, 'row'), '1 row');
  assert.equal(format.count(1_000_000, 'row'), '1,000,000 rows');
});

test('rounding as the engine (Rust) rounds: an exact tie goes to the even digit', () => {
  // toFixed would give 6.3, 0.3, 3 and 12.13; Rust's {:.N} and the CLI's text give these.
  assert.equal(format.fixed(6.25, 1), '6.2');
  assert.equal(format.fixed(0.25, 1), '0.2');
  assert.equal(format.fixed(2.5, 0), '2');
  assert.equal(format.fixed(12.125, 2), '12.12');
  assert.equal(format.fixed(18.75, 1), '18.8');
  assert.equal(format.fixed(1.5, 0), '2');
  assert.equal(format.fixed(-2.5, 0), '-2');
  assert.equal(format.fixed(0.35, 1), '0.3'); // 0.35 is 0.34999... in binary: no tie
  assert.equal(format.fixed(49.25373134328358, 1), '49.3');
});

test('ratios, paper P values and cumulative incidence', () => {
  assert.equal(format.ratioWithCi(5.077, 1.8824, 13.693), '5.08 (1.88-13.69)');
  assert.equal(format.ratioWithCi(null, null, null), 'not estimated');
  assert.equal(format.ratioWithCi(2, 1, null), '2.00 (1.00-NE)');
  assert.equal(format.paperP(0.0004), '< 0.001');
  assert.equal(format.paperP(0.01349), '0.013');
  assert.equal(format.paperP(0.0005), '< 0.001');
  assert.equal(format.paperP(null), '');
  assert.equal(format.incidenceWithCi(0.1730, 0.0912, 0.2779, 0.95), '17.3% (95% CI 9.1-27.8)');
  assert.equal(format.incidenceWithCi(0, null, null, 0.95), '0.0%');
  assert.equal(format.incidenceWithCi(null, null, null, 0.95), 'not estimable');
});

const column = (name, kind, more = {}) => ({ name, kind, n_missing: 0, n_distinct: 21, levels: [], numeric_cells: 0, ...more });

test('column guesses for the example cohort: os_months, os_event, group, 12 and 24 months', () => {
  const summary = {
    n_rows: 122,
    columns: [
      column('patient_id', 'categorical'),
      column('center', 'categorical', { n_distinct: 11, levels: Array.from({ length: 11 }, (_, i) => `C${i}`) }),
      column('sex', 'categorical', { n_distinct: 2, levels: ['Female', 'Male'] }),
      column('age', 'numeric'),
      column('car_t_date', 'categorical'),
      column('death_date', 'categorical', { n_missing: 60 }),
      column('group', 'categorical', { n_distinct: 3, levels: ['HSCT, MRD+', 'HSCT, MRD-', 'No transplant'] }),
      column('os_months', 'numeric'),
      column('os_event', 'numeric', { n_distinct: 2, levels: ['0', '1'] }),
      column('lfs_months', 'numeric'),
      column('lfs_event', 'numeric', { n_distinct: 2, levels: ['0', '1'] }),
      column('relapse_status', 'numeric', { n_distinct: 3, levels: ['0', '1', '2'] }),
    ],
  };
  assert.deepEqual(guessMapping(summary), { time: 'os_months', event: 'os_event', group: 'group', at: [12, 24], unit: 'Months' });
});

test('column guesses for R-style names', () => {
  const lung = {
    n_rows: 228,
    columns: [column('inst', 'numeric', { n_distinct: 19 }), column('time', 'numeric'),
      column('status', 'numeric', { n_distinct: 2, levels: ['1', '2'] }), column('sex', 'numeric', { n_distinct: 2, levels: ['1', '2'] })],
  };
  assert.deepEqual(guessMapping(lung), { time: 'time', event: 'status', group: null, at: [], unit: 'Time' });
  const ovarian = {
    n_rows: 26,
    columns: [column('futime', 'numeric'), column('fustat', 'numeric', { n_distinct: 2, levels: ['0', '1'] }),
      column('rx', 'numeric', { n_distinct: 2, levels: ['1', '2'] })],
  };
  assert.deepEqual(guessMapping(ovarian), { time: 'futime', event: 'fustat', group: 'rx', at: [365, 730], unit: 'Days' });
  const pfs = {
    n_rows: 10,
    columns: [column('PFS.Time', 'numeric'), column('PFS.Status', 'categorical', { n_distinct: 2, levels: ['no', 'yes'] }),
      column('Arm', 'categorical', { n_distinct: 2, levels: ['A', 'B'] })],
  };
  assert.deepEqual(guessMapping(pfs).time, 'PFS.Time');
  assert.deepEqual(guessMapping(pfs).event, 'PFS.Status');
  assert.deepEqual(guessMapping(pfs).group, 'Arm');
  assert.deepEqual(guessMapping({ n_rows: 0, columns: [] }), { time: null, event: null, group: null, at: [], unit: 'Time' });
});

test('a time column with stray text is still guessed, and flagged', () => {
  const typo = column('time', 'categorical', { n_distinct: 21, numeric_cells: 227 });
  assert.equal(guessMapping({ n_rows: 228, columns: [typo] }).time, 'time');
  assert.equal(mostlyNumbers(typo, 228), true);
  assert.equal(mostlyNumbers(column('sex', 'categorical', { numeric_cells: 0 }), 228), false);
  assert.equal(mostlyNumbers(column('age', 'numeric'), 228), false);
});

test('words and units', () => {
  assert.deepEqual(words('OS.Months'), ['os', 'months']);
  assert.deepEqual(words('futimeDays'), ['futime', 'days']);
  assert.equal(timeUnit('time_years').label, 'Years');
  assert.equal(timeUnit('weeks').label, 'Weeks');
  assert.equal(timeUnit(null).label, 'Time');
});
