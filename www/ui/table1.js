// The Table 1 panel: patient characteristics by group (`analysis: "table1"`). The table on the page
// is built with DOM calls from the cells the engine lays out (the report's `layout`, the same
// cells its text, CSV and HTML renderings print); "Copy table" and "Download CSV" use those
// renderings, which never enter the page.

import { append, clear, download, el, setOptions } from './dom.js';
import * as format from './format.js';
import { checkboxCell, columnOptions, describeKind, groupableColumns, runTracker } from './panel_helpers.js';

const $ = (id) => document.getElementById(id);

/** The example cohort's baseline characteristics. */
const EXAMPLE = {
  group: 'group',
  vars: ['sex', 'age', 'ph_positive', 'prior_allo_hsct', 'relapses_before_cart', 'bm_blasts_pct', 'cart_dose_1e6_per_kg'],
};

/** Numbers with at most this many values are shown as categories (src/analysis/table1.rs). */
const MAX_CATEGORICAL_NUMBERS = 5;

const TEST_NAMES = {
  chisq: "Pearson's chi-square test",
  yates: "chi-square test with Yates' continuity correction",
  fisher: "Fisher's exact test",
  // A row whose exact enumeration was past survkit's budget (its note gives the R call).
  'fisher-simulated': "Fisher's test with R's Monte Carlo p (simulate.p.value)",
  welch: "Welch's t test",
  student: "Student's t test",
  wilcoxon: 'Wilcoxon rank-sum (Mann-Whitney) test',
  anova: 'one-way ANOVA with equal variances (oneway.test, var.equal = TRUE)',
  'welch-anova': "Welch's one-way ANOVA (oneway.test)",
  kruskal: 'Kruskal-Wallis test',
};

export function createTable1Panel(context) {
  const ui = {
    section: $('t1-section'),
    form: $('t1-form'),
    group: $('t1-group'),
    categoricalTest: $('t1-categorical-test'),
    continuousTest: $('t1-continuous-test'),
    pairwise: $('t1-pairwise'),
    vars: $('t1-vars'),
    alert: $('t1-alert'),
    results: $('t1-results'),
    table: $('t1-table'),
    caption: $('t1-caption'),
    footnote: $('t1-footnote'),
    copy: $('t1-copy'),
    csv: $('t1-csv'),
    status: $('t1-status'),
  };
  const tracker = runTracker(ui.section, ui.alert, $('t1-prompt'));
  const state = { summary: null, rows: [], report: null, request: null };

  // ------------------------------------------------------------ the variable list

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

  function buildVariables(summary, picked, categorical) {
    const body = ui.vars.tBodies[0];
    clear(body);
    state.rows = summary.columns.map(variableRow);
    for (const row of state.rows) {
      row.checkbox.checked = picked.includes(row.name);
      if (row.categorical && !row.automatic) row.categorical.checked = categorical.includes(row.name);
      body.append(row.element);
    }
    syncGroup();
  }

  /** The grouping column cannot describe itself. */
  function syncGroup() {
    for (const row of state.rows) {
      const isGroup = row.name === ui.group.value;
      row.checkbox.disabled = isGroup;
      if (isGroup) row.checkbox.checked = false;
      row.element.classList.toggle('picked', row.checkbox.checked);
    }
  }

  // ------------------------------------------------------------ loading a file

  function choices() {
    if (!state.summary) return null;
    const { vars, categorical } = request();
    return {
      group: ui.group.value,
      vars,
      categorical,
    };
  }

  function load(summary, { mapping, isExample, keep }) {
    const previous = keep ? choices() : null;
    tracker.reset();
    Object.assign(state, { summary, report: null, request: null });
    ui.results.hidden = true;
    tracker.clearAlert();
    const names = new Set(summary.columns.map((column) => column.name));
    const example = isExample && names.has(EXAMPLE.group);
    const start = previous ?? {
      group: example ? EXAMPLE.group : mapping.group ?? '',
      vars: example ? EXAMPLE.vars : [],
      categorical: [],
    };
    setOptions(ui.group, [{ value: '', label: '(choose a column)' }, ...columnOptions(groupableColumns(summary))], start.group);
    buildVariables(summary, start.vars, start.categorical);
    ui.section.hidden = false;
    return analyse();
  }

  /** Hides the panel while a file is read (its choices stay, to be kept if the same file is re-read). */
  function hide() {
    tracker.reset();
    ui.section.hidden = true;
  }

  // ------------------------------------------------------------ the table

  function request() {
    const picked = state.rows.filter((row) => row.checkbox.checked);
    return {
      analysis: 'table1',
      group: ui.group.value,
      vars: picked.map((row) => row.name),
      categorical: picked.filter((row) => row.categorical?.checked && !row.automatic).map((row) => row.name),
      categorical_test: ui.categoricalTest.value,
      continuous_test: ui.continuousTest.value,
      pairwise: ui.pairwise.checked,
    };
  }

  async function analyse() {
    if (!state.summary) return;
    const token = tracker.begin();
    const wanted = request();
    if (!wanted.group || wanted.vars.length === 0) {
      ui.results.hidden = true;
      tracker.finish(token, 'idle');
      tracker.prompt(wanted.group ? 'Tick the variables to describe.' : 'Choose the column of groups and tick the variables to describe.');
      return;
    }
    const report = await context.analyze(wanted);
    const failure = 'Table 1 could not be made:';
    if (!tracker.accept(token, report, ui.results, failure, () => { state.report = null; })) return;
    state.report = report;
    state.request = wanted;
    renderTable(report);
    ui.status.textContent = '';
    ui.results.hidden = false;
    tracker.finish(token, 'ready');
  }

  function renderTable(report) {
    // The engine lays the table out (report.layout); the page only places its cells.
    const { header, lines } = report.layout;
    const firstPairColumn = report.groups.length + 2;
    const byVariable = new Map(report.rows.map((row) => [row.variable, row]));
    const head = ui.table.tHead;
    const body = ui.table.tBodies[0];
    const columnClass = (index) => (index === 0 ? '' : index >= firstPairColumn ? 'num pair' : 'num');
    clear(head).append(el('tr', {}, header.map((text, index) => el('th', { scope: 'col', className: columnClass(index) }, text))));
    clear(body);
    lines.forEach((line, index) => {
      const [label, ...cells] = line.cells;
      body.append(el('tr', { className: line.level ? 'level' : 'variable', 'data-variable': line.variable },
        el('th', { scope: 'row' }, label),
        cells.map((text, cell) => el('td', { className: columnClass(cell + 1) }, text))));
      // A variable's warnings go under its last line.
      const { warnings } = byVariable.get(line.variable);
      const next = lines[index + 1];
      if (warnings.length > 0 && (!next || next.variable !== line.variable)) {
        body.append(el('tr', { className: 'row-note', 'data-variable': line.variable },
          el('td', { colSpan: header.length }, warnings.map((warning) => el('span', { className: 'note' }, `Note (${line.variable}): ${warning}`)))));
      }
    });
    ui.caption.textContent = `Patient characteristics by ${report.group_variable}`
      + `${report.n_missing_group > 0 ? ` (${format.count(report.n_missing_group, 'row')} with no group left out)` : ''}`;
    const tests = new Map();
    for (const row of report.rows) {
      const test = row.simulated ? `${row.test}-simulated` : row.test;
      if (test) tests.set(test, [...(tests.get(test) ?? []), row.variable]);
    }
    clear(ui.footnote);
    append(ui.footnote, 'n (%) for categories (percent of the group\'s non-missing values); median (range) for numbers. ',
      tests.size > 0 ? `P: ${[...tests].map(([test, variables]) => `${TEST_NAMES[test] ?? test} (${variables.join(', ')})`).join('; ')}.` : '',
      header.length > firstPairColumn ? ' Pairwise P values are not adjusted for multiple comparisons.' : '');
  }

  // ------------------------------------------------------------ copy and download

  async function copyTable() {
    if (!state.request) return;
    const wanted = state.request;
    if (!navigator.clipboard?.write || typeof ClipboardItem === 'undefined') {
      ui.status.textContent = 'This browser does not let the page use the clipboard: select the table and copy it, or use Download CSV.';
      return;
    }
    ui.status.textContent = 'Copying…';
    const rendered = (kind, type) => context.render(wanted, kind).then((answer) => {
      if (answer.error) throw new Error(answer.error.message);
      return new Blob([answer.text], { type });
    });
    try {
      // The item is made at once (within the click) from promises of the engine's renderings.
      await navigator.clipboard.write([new ClipboardItem({
        'text/html': rendered('html', 'text/html'),
        'text/plain': rendered('text', 'text/plain'),
      })]);
      ui.status.textContent = 'Table copied: paste it into your manuscript (formatted) or a text file (plain).';
    } catch (error) {
      ui.status.textContent = `The table could not be copied (${error.message || error.name}): select the table and copy it, or use Download CSV.`;
    }
  }

  async function downloadCsv() {
    if (!state.request) return;
    const answer = await context.render(state.request, 'csv');
    if (answer.error) {
      ui.status.textContent = `The CSV could not be written: ${answer.error.message}`;
      return;
    }
    download(new Blob([answer.text], { type: 'text/csv' }), `${context.stem()}-table1.csv`);
    ui.status.textContent = 'CSV saved.';
  }

  // ------------------------------------------------------------ events

  ui.form.addEventListener('submit', (event) => event.preventDefault());
  ui.form.addEventListener('change', (event) => {
    if (event.target === ui.group) syncGroup();
    else {
      const row = state.rows.find((candidate) => candidate.checkbox === event.target);
      row?.element.classList.toggle('picked', row.checkbox.checked);
    }
    analyse();
  });
  ui.copy.addEventListener('click', copyTable);
  ui.csv.addEventListener('click', downloadCsv);

  return { load, hide };
}
