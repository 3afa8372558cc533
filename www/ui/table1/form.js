// The Table 1 panel's form: the column of groups, the tests, and the variable list (each numeric
// variable with its "categorical" switch). It makes the `table1` request, and a study's request
// sets it.

import { clear, el, selectValue, setOptions } from '../dom.js';
import { checkboxCell, columnOptions, describeKind, listOf, omitEmpty } from '../panel_helpers.js';

/** @typedef {import('../../../schema/survkit.d.ts').Request} Request */

/** The example cohort's baseline characteristics. */
const EXAMPLE = {
  group: 'group',
  vars: ['sex', 'age', 'ph_positive', 'prior_allo_hsct', 'relapses_before_cart', 'bm_blasts_pct', 'cart_dose_1e6_per_kg'],
};

/** Numbers with at most this many values are shown as categories (src/analysis/table1.rs). */
const MAX_CATEGORICAL_NUMBERS = 5;

function variableRow(column, index) {
  const { cell, input } = checkboxCell(`t1-var-${index}`, column.name);
  const row = { name: column.name, column, checkbox: input };
  const categoricalCell = el('td', {});
  if (column.kind === 'numeric') {
    const automatic = column.levels.length > 0 && column.n_distinct <= MAX_CATEGORICAL_NUMBERS;
    row.categorical = el('input', {
      type: 'checkbox',
      'aria-label': `Describe ${column.name} as categories`,
      checked: automatic,
      disabled: automatic,
      title: automatic ? `At most ${MAX_CATEGORICAL_NUMBERS} different values: shown as categories` : undefined,
    });
    row.automatic = automatic;
    categoricalCell.append(row.categorical);
  } else {
    categoricalCell.append(el('span', { className: 'hint' }, 'yes'));
  }
  row.element = el('tr', { 'data-variable': column.name }, cell,
    el('td', { className: `kind kind-${column.kind}` }, describeKind(column)), categoricalCell);
  return row;
}

export function createTable1Form(ui) {
  let summary = null;
  let rows = [];

  /** Ticks the variables to describe, and the numbers to describe as categories. */
  function tick(vars, categorical) {
    for (const row of rows) {
      row.checkbox.checked = vars.includes(row.name);
      if (row.categorical && !row.automatic) row.categorical.checked = categorical.includes(row.name);
    }
    syncGroup();
  }

  /** The grouping column cannot describe itself. */
  function syncGroup() {
    for (const row of rows) {
      const isGroup = row.name === ui.group.value;
      row.checkbox.disabled = isGroup;
      if (isGroup) row.checkbox.checked = false;
      row.element.classList.toggle('picked', row.checkbox.checked);
    }
  }

  /** @returns {Request} */
  function request() {
    const picked = rows.filter((row) => row.checkbox.checked);
    return omitEmpty({
      analysis: 'table1',
      group: ui.group.value,
      vars: picked.map((row) => row.name),
      categorical: picked.filter((row) => row.categorical?.checked && !row.automatic).map((row) => row.name),
      categorical_test: ui.categoricalTest.value,
      continuous_test: ui.continuousTest.value,
      pairwise: ui.pairwise.checked,
    });
  }

  function load(nextSummary, { mapping, isExample, keep }) {
    const previous = keep && summary ? { group: ui.group.value, ...request() } : null;
    summary = nextSummary;
    const names = new Set(summary.columns.map((column) => column.name));
    const example = isExample && names.has(EXAMPLE.group);
    const start = previous ?? { group: example ? EXAMPLE.group : mapping.group, vars: example ? EXAMPLE.vars : [] };
    const groups = columnOptions(summary.columns.filter((column) => column.groupable));
    setOptions(ui.group, [{ value: '', label: '(choose a column)' }, ...groups], start.group);
    const body = clear(ui.vars.tBodies[0]);
    rows = summary.columns.map(variableRow);
    for (const row of rows) body.append(row.element);
    tick(start.vars ?? [], start.categorical ?? []);
  }

  /** Sets the form from a study's `table1` request. */
  function apply(wanted) {
    selectValue(ui.group, wanted.group ?? '');
    selectValue(ui.categoricalTest, wanted.categorical_test ?? 'chisq');
    selectValue(ui.continuousTest, wanted.continuous_test ?? 'welch');
    ui.pairwise.checked = Boolean(wanted.pairwise);
    tick(listOf(wanted.vars), listOf(wanted.categorical));
  }

  /** A choice changed: the group's own row is not offered; a ticked row is marked. */
  function changed(target) {
    if (target === ui.group) {
      syncGroup();
      return;
    }
    const row = rows.find((candidate) => candidate.checkbox === target);
    row?.element.classList.toggle('picked', row.checkbox.checked);
  }

  return { load, request, apply, changed };
}
