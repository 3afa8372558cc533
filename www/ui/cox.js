// The Cox regression panel: the covariate picker (shared with the Fine-Gray model), the univariate
// screen and the multivariable model, the proportional-hazards test, and the forest plot. Every
// number comes from the engine's JSON (`analysis: "cox"`); this module only lays it out.

import { append, clear, el, fillTable, setOptions } from './dom.js';
import * as figure from './figure.js';
import * as format from './format.js';
import { checkboxCell, columnOptions, debounce, describeKind, runTracker } from './panel_helpers.js';
import { mergedTimesNote } from './results.js';

const $ = (id) => document.getElementById(id);

/** The example cohort's starting covariates. */
const EXAMPLE_COVARIATES = ['age', 'sex', 'ph_positive', 'relapses_before_cart>1', 'group'];

const OPERATOR_SYMBOLS = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

const TIES_NAMES = { efron: 'Efron', breslow: 'Breslow' };

/**
 * Warnings by the term they concern; a warning whose term is not a row of the table (null, or a
 * covariate's name) is listed under the table.
 */
function splitWarnings(warnings, terms) {
  const byTerm = new Map();
  const general = [];
  for (const warning of warnings ?? []) {
    if (warning.term !== null && terms.has(warning.term)) {
      byTerm.set(warning.term, [...(byTerm.get(warning.term) ?? []), warning.message]);
    } else {
      general.push(warning);
    }
  }
  return { byTerm, general };
}

/** The term's cell: its name, and under it the warnings about it. */
function termCell(term, messages = []) {
  return {
    node: el('span', { className: 'term' },
      el('span', { className: 'term-name' }, term),
      messages.map((message) => el('span', { className: 'term-warning' }, el('span', { 'aria-hidden': 'true' }, '⚠ '), message))),
  };
}

/** A table of terms: term, ratio (CI), P, and extra cells per term; rows carry `data-term`. */
export function renderTermTable(table, { ratioName, confLevel, terms, warnings, extraHeader = [], extraCells = () => [] }) {
  const { byTerm, general } = splitWarnings(warnings, new Set(terms.map((term) => term.term)));
  fillTable(table,
    ['Term', ...extraHeader, `${ratioName} (${format.levelLabel(confLevel)} CI)`, 'P'],
    terms.map((term) => [
      termCell(term.term, byTerm.get(term.term)),
      ...extraCells(term),
      { text: format.ratioWithCi(term.hr, term.lower, term.upper), className: 'ratio' },
      { text: format.paperP(term.p), className: 'p' },
    ]));
  [...table.tBodies[0].rows].forEach((row, index) => {
    row.dataset.term = terms[index].term;
  });
  return general;
}

/** Lists warnings about no single term under a table. */
export function renderNotes(list, warnings) {
  clear(list);
  for (const warning of warnings) {
    list.append(el('li', {}, warning.term ? el('strong', {}, `${warning.term}: `) : null, warning.message));
  }
  list.hidden = warnings.length === 0;
}

export function createCoxPanel(context) {
  const ui = {
    section: $('cox-section'),
    form: $('cox-form'),
    time: $('cox-time'),
    event: $('cox-event'),
    eventValue: $('cox-event-value'),
    picker: $('cox-picker'),
    cutColumn: $('cut-column'),
    cutOperator: $('cut-operator'),
    cutValue: $('cut-value'),
    cutAdd: $('cut-add'),
    cutHint: $('cut-hint'),
    strata: $('cox-strata'),
    ties: $('cox-ties'),
    confLevel: $('cox-conf-level'),
    zph: $('cox-zph'),
    univariate: $('cox-univariate'),
    multivariable: $('cox-multivariable'),
    alert: $('cox-alert'),
    results: $('cox-results'),
    heading: $('cox-result-heading'),
    summaryLine: $('cox-summary'),
    table: $('cox-table'),
    notes: $('cox-notes'),
    footnote: $('cox-footnote'),
    zphWrap: $('zph-wrap'),
    zphTable: $('zph-table'),
    canvas: $('forest-canvas'),
    caption: $('forest-caption'),
    png: $('forest-png'),
    svg: $('forest-svg'),
    exportStatus: $('forest-status'),
  };
  const tracker = runTracker(ui.section, ui.alert);
  const state = {
    summary: null,
    rows: [], // the picker: { kind: 'column' | 'cut', name, checkbox, categorical?, reference?, levels? }
    cutCount: 0,
    kind: null, // 'multivariable' or 'univariate': the last model shown, re-run when a choice changes
    report: null,
    request: null, // the request of the report shown
    drawnWidth: 0,
  };
  const designListeners = [];

  // ------------------------------------------------------------ the picker

  function columnRow(column, index) {
    const { cell, input } = checkboxCell(`cox-cov-${index}`, column.name, {
      disabled: column.kind === 'categorical' && column.levels.length === 0,
      title: column.kind === 'categorical' && column.levels.length === 0 ? 'Too many different values to use as a covariate' : undefined,
    });
    const row = { kind: 'column', name: column.name, column, checkbox: input, levels: column.levels };
    const categoricalCell = el('td', {});
    if (column.kind === 'numeric') {
      row.categorical = el('input', { type: 'checkbox', 'aria-label': `Treat ${column.name} as categorical` });
      categoricalCell.append(row.categorical);
    } else {
      categoricalCell.append(el('span', { className: 'hint' }, 'yes'));
    }
    const referenceCell = el('td', {});
    if (column.levels.length > 0) {
      row.reference = el('select', { 'aria-label': `Reference level of ${column.name}` });
      setOptions(row.reference, column.levels.map((level) => ({ value: level, label: level })), column.levels[0]);
      referenceCell.append(row.reference);
    }
    row.element = el('tr', { 'data-covariate': column.name },
      cell, el('td', { className: `kind kind-${column.kind}` }, describeKind(column)), categoricalCell, referenceCell);
    return row;
  }

  function cutRow(written) {
    state.cutCount += 1;
    const { cell, input } = checkboxCell(`cox-cut-${state.cutCount}`, written, { checked: true });
    const remove = el('button', { type: 'button', className: 'small', 'aria-label': `Remove the cut-point ${written}` }, 'Remove');
    const row = { kind: 'cut', name: written, checkbox: input, levels: [] };
    row.element = el('tr', { 'data-covariate': written, className: 'cut' },
      cell, el('td', { className: 'kind' }, 'cut-point (yes/no)'), el('td', {}), el('td', {}, remove));
    remove.addEventListener('click', () => {
      state.rows = state.rows.filter((candidate) => candidate !== row);
      row.element.remove();
      ui.cutHint.textContent = `Removed ${written}.`;
      designChanged();
    });
    return row;
  }

  /** Enables a row's type controls only while it is ticked (and a reference only when categorical). */
  function syncRow(row) {
    const on = row.checkbox.checked;
    if (row.categorical) row.categorical.disabled = !on;
    if (row.reference) {
      const categorical = row.column?.kind === 'categorical' || row.categorical?.checked;
      row.reference.disabled = !on || !categorical;
    }
    row.element.classList.toggle('picked', on);
  }

  function buildPicker(summary, previous) {
    const body = ui.picker.tBodies[0];
    clear(body);
    state.rows = summary.columns.map(columnRow);
    const names = new Set(summary.columns.map((column) => column.name));
    for (const written of previous?.cuts ?? []) {
      if (names.has(cutColumnOf(written))) state.rows.push(cutRow(written));
    }
    for (const row of state.rows) {
      const wanted = previous ? previous.covariates.includes(row.name) : false;
      row.checkbox.checked = wanted && !row.checkbox.disabled;
      if (row.categorical) row.categorical.checked = previous?.categorical.includes(row.name) ?? false;
      const reference = previous?.references[row.name];
      if (row.reference && reference !== undefined && row.levels.includes(reference)) row.reference.value = reference;
      body.append(row.element);
      syncRow(row);
    }
    const numeric = summary.columns.filter((column) => column.kind === 'numeric');
    setOptions(ui.cutColumn, columnOptions(numeric), numeric[0]?.name);
    ui.cutAdd.disabled = numeric.length === 0;
  }

  function cutColumnOf(written) {
    return written.split(/[<>]=?/)[0].trim();
  }

  function addCutPoint() {
    const column = ui.cutColumn.value;
    const text = ui.cutValue.value.trim().replace(',', '.');
    const value = Number(text);
    if (!column) return;
    if (text === '' || !Number.isFinite(value)) {
      ui.cutHint.textContent = text === '' ? 'Type the value to cut at.' : `"${ui.cutValue.value}" is not a number.`;
      ui.cutValue.focus();
      return;
    }
    const written = `${column}${ui.cutOperator.value}${format.shortNumber(value)}`;
    const existing = state.rows.find((row) => row.name === written);
    if (existing) {
      existing.checkbox.checked = true;
      syncRow(existing);
      ui.cutHint.textContent = `${written} is already in the list; it is ticked.`;
    } else {
      const row = cutRow(written);
      state.rows.push(row);
      ui.picker.tBodies[0].append(row.element);
      syncRow(row);
      ui.cutHint.textContent = `Added ${column} ${OPERATOR_SYMBOLS[ui.cutOperator.value]} ${format.shortNumber(value)} as ${written}.`;
    }
    ui.cutValue.value = '';
    designChanged();
  }

  /** The covariates, categorical columns and reference levels ticked: the request's design fields. */
  function design() {
    const picked = state.rows.filter((row) => row.checkbox.checked);
    const reference = [];
    for (const row of picked) {
      const categorical = row.column?.kind === 'categorical' || row.categorical?.checked;
      if (categorical && row.reference && row.reference.value !== row.levels[0]) reference.push(`${row.name}=${row.reference.value}`);
    }
    return {
      covariates: picked.map((row) => row.name),
      categorical: picked.filter((row) => row.categorical?.checked).map((row) => row.name),
      reference,
    };
  }

  function designChanged() {
    for (const listener of designListeners) listener();
    if (state.kind) run(state.kind);
  }

  // ------------------------------------------------------------ choices kept across re-reads

  function choices() {
    if (!state.summary) return null;
    const references = {};
    for (const row of state.rows) if (row.reference) references[row.name] = row.reference.value;
    return {
      time: ui.time.value,
      event: ui.event.value,
      eventValue: ui.eventValue.value,
      strata: ui.strata.value,
      ...design(),
      cuts: state.rows.filter((row) => row.kind === 'cut').map((row) => row.name),
      references,
    };
  }

  function fillEventValues(selected) {
    const column = state.summary?.columns.find((candidate) => candidate.name === ui.event.value);
    setOptions(ui.eventValue, [{ value: '', label: 'automatic' }, ...(column?.levels ?? []).map((level) => ({ value: level, label: level }))], selected);
  }

  /** A file was loaded: fill the controls (keeping the user's choices when the same file was re-read). */
  function load(summary, { mapping, isExample, keep }) {
    const previous = keep ? choices() : null;
    tracker.reset();
    state.summary = summary;
    state.kind = null;
    state.report = null;
    ui.results.hidden = true;
    tracker.clearAlert();
    const names = new Set(summary.columns.map((column) => column.name));
    const keepName = (name, fallback) => (previous && names.has(previous[name]) ? previous[name] : fallback);
    const choose = [{ value: '', label: '(choose a column)' }];
    setOptions(ui.time, [...choose, ...columnOptions(summary.columns)], keepName('time', mapping.time));
    setOptions(ui.event, [...choose, ...columnOptions(summary.columns)], keepName('event', mapping.event));
    fillEventValues(previous ? previous.eventValue : mapping.event === ui.event.value ? mapping.eventValue : '');
    const strataColumns = summary.columns.filter((column) => column.levels.length >= 2);
    setOptions(ui.strata, [{ value: '', label: 'none' }, ...columnOptions(strataColumns)], previous?.strata ?? '');
    const startWith = previous ?? {
      covariates: isExample ? EXAMPLE_COVARIATES : [],
      categorical: [],
      cuts: isExample ? EXAMPLE_COVARIATES.filter((name) => /[<>]/.test(name)) : [],
      references: {},
    };
    buildPicker(summary, startWith);
    ui.section.hidden = false;
  }

  /** Hides the panel while a file is read (its choices stay, to be kept if the same file is re-read). */
  function hide() {
    tracker.reset();
    state.kind = null;
    ui.section.hidden = true;
  }

  // ------------------------------------------------------------ running the models

  function request(kind) {
    const wanted = {
      analysis: 'cox',
      time: ui.time.value,
      event: ui.event.value,
      ...design(),
      ties: ui.ties.value,
      conf_level: Number(ui.confLevel.value),
      univariate: kind === 'univariate',
      zph: kind === 'multivariable' && ui.zph.checked,
    };
    if (ui.eventValue.value !== '') wanted.event_value = ui.eventValue.value;
    if (ui.strata.value !== '') wanted.strata = ui.strata.value;
    return wanted;
  }

  async function run(kind) {
    if (!state.summary) return;
    const token = tracker.begin();
    const wanted = request(kind);
    if (!wanted.time || !wanted.event || wanted.covariates.length === 0) ui.results.hidden = true;
    if (!wanted.time || !wanted.event) {
      tracker.finish(token, 'error');
      tracker.showAlert('Cox regression:', 'choose the follow-up time and event columns.');
      return;
    }
    if (wanted.covariates.length === 0) {
      tracker.finish(token, 'error');
      tracker.showAlert('Cox regression:', 'tick at least one covariate.');
      return;
    }
    state.kind = kind;
    const report = await context.analyze(wanted);
    const failure = 'The Cox model could not be fitted:';
    if (!tracker.accept(token, report, ui.results, failure, () => { state.report = null; })) return;
    state.report = report;
    state.request = wanted;
    if (kind === 'univariate') renderScreen(report);
    else renderModel(report);
    ui.results.hidden = false;
    await drawForest();
    tracker.finish(token, 'ready');
  }

  function renderModel(report) {
    ui.heading.textContent = report.strata ? `Multivariable Cox model, stratified by ${report.strata}` : 'Multivariable Cox model';
    const lr = report.tests.likelihood_ratio;
    const concordance = report.concordance.estimate === null ? 'not estimable'
      : `${format.fixed(report.concordance.estimate, 3)}${report.concordance.se === null ? '' : ` (SE ${format.fixed(report.concordance.se, 3)})`}`;
    clear(ui.summaryLine);
    append(ui.summaryLine,
      el('span', { id: 'cox-n' }, `${format.count(report.n, 'patient')}, ${format.count(report.events, 'event')}`),
      report.n_dropped > 0 ? ` (${format.count(report.n_dropped, 'row')} with missing values left out)` : '',
      '. Concordance ', el('span', { id: 'cox-concordance' }, concordance),
      '. Likelihood ratio test ',
      el('span', { id: 'cox-lr' }, `χ² = ${format.statistic(lr.stat)} on ${lr.df} df, ${format.pValue(lr.p)}`), '.');
    const general = renderTermTable(ui.table, { ratioName: 'HR', confLevel: report.conf_level, terms: report.terms, warnings: report.warnings });
    if (!report.converged) general.push({ term: null, message: `The fit did not converge in ${report.iterations} iterations; the estimates may be unreliable.` });
    renderNotes(ui.notes, general);
    ui.footnote.textContent = `HR: hazard ratio, with ${format.levelLabel(report.conf_level)} Wald confidence interval and Wald test P `
      + `(R's coxph, ${TIES_NAMES[report.ties] ?? report.ties} ties). A categorical covariate's terms compare each level with the reference level; `
      + 'a cut-point compares patients meeting it with the others.' + mergedTimesNote(report.merged_times);
    renderZph(report.zph);
  }

  function renderZph(zph) {
    ui.zphWrap.hidden = !zph;
    if (!zph) return;
    const row = (name, entry, className) => [
      { text: name, className },
      { text: format.statistic(entry.chisq), className: 'num' },
      { text: String(entry.df), className: 'num' },
      format.paperP(entry.p),
    ];
    fillTable(ui.zphTable, ['Covariate', { text: 'χ²', className: 'num' }, { text: 'df', className: 'num' }, 'P'],
      [...zph.terms.map((term) => row(term.term, term, '')), row('Global', zph.global, 'global')]);
  }

  function renderScreen(report) {
    ui.heading.textContent = 'Univariate screen: each covariate in a model of its own';
    const fitted = report.models.filter((model) => !model.error);
    const failed = report.models.filter((model) => model.error);
    clear(ui.summaryLine);
    append(ui.summaryLine, `${format.count(report.models.length, 'covariate')} screened`,
      failed.length > 0 ? `; ${failed.length} could not be fitted (below)` : '', '.');
    const terms = [];
    const warnings = [];
    const models = new Map();
    for (const model of fitted) {
      for (const term of model.terms) {
        terms.push(term);
        models.set(term, model);
      }
      warnings.push(...model.warnings.map((warning) => ({ term: warning.term ?? model.covariates.join(', '), message: warning.message })));
    }
    const general = renderTermTable(ui.table, {
      ratioName: 'HR',
      confLevel: state.request.conf_level,
      terms,
      warnings,
      extraHeader: [{ text: 'Patients (events)', className: 'num' }],
      extraCells: (term) => [{ text: `${models.get(term).n} (${models.get(term).events})`, className: 'num' }],
    });
    renderNotes(ui.notes, [
      ...general,
      ...failed.map((model) => ({ term: model.covariate, message: `not fitted: ${model.error.message}` })),
    ]);
    ui.footnote.textContent = 'Each row is a Cox model with that covariate alone (R\'s coxph); HR with its Wald confidence interval and P. '
      + 'Patients and events differ between rows when covariates have missing values.';
    ui.zphWrap.hidden = true;
  }

  // ------------------------------------------------------------ the forest plot

  function forestTerms() {
    const report = state.report;
    if (!report) return [];
    return report.univariate ? report.models.flatMap((model) => model.terms ?? []) : report.terms;
  }

  function forestOptions() {
    return {
      width: figure.figureWidth(ui.canvas.parentElement, { min: 640 }),
      height: figure.forestHeight(forestTerms().length),
      scale: 1,
    };
  }

  async function drawForest() {
    if (!state.report) return;
    const options = forestOptions();
    const failure = await figure.drawOnCanvas(ui.canvas, state.report, options);
    state.drawnWidth = options.width;
    if (failure) {
      tracker.showAlert('The forest plot could not be drawn:', failure.error.message);
      return;
    }
    const terms = forestTerms();
    const estimated = terms.filter((term) => term.hr !== null).length;
    ui.canvas.setAttribute('aria-label',
      `Forest plot of ${format.count(estimated, 'hazard ratio')} with confidence intervals on a log scale`
      + `${state.report.univariate ? ', one model per covariate' : ''}. The numbers are in the table above.`);
    const confLevel = state.request.conf_level;
    ui.caption.textContent = `${state.report.univariate ? 'Univariate screen' : 'Multivariable model'}: hazard ratios `
      + `(squares) with ${format.levelLabel(confLevel)} confidence intervals; the vertical line marks HR = 1.`
      + `${context.isExample() ? ' Simulated example data, not real patients.' : ''}`;
  }

  async function exportForest(kind) {
    if (!state.report) return;
    ui.exportStatus.textContent = `Writing the ${kind.toUpperCase()}…`;
    const name = state.report.univariate ? 'forest-univariate' : 'forest';
    const options = forestOptions();
    const failure = kind === 'png'
      ? await figure.exportPng(state.report, options, context.stem(), name)
      : await figure.exportSvg(state.report, options, context.stem(), name);
    ui.exportStatus.textContent = failure ? `The ${kind.toUpperCase()} could not be written: ${failure}` : `${kind.toUpperCase()} saved.`;
  }

  // ------------------------------------------------------------ events

  ui.form.addEventListener('submit', (event) => event.preventDefault());
  ui.univariate.addEventListener('click', () => run('univariate'));
  ui.multivariable.addEventListener('click', () => run('multivariable'));
  ui.cutAdd.addEventListener('click', addCutPoint);
  ui.cutValue.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      addCutPoint();
    }
  });
  ui.event.addEventListener('change', () => fillEventValues(''));
  ui.form.addEventListener('change', (event) => {
    if ([ui.cutColumn, ui.cutOperator, ui.cutValue].includes(event.target)) return;
    const row = state.rows.find((candidate) => [candidate.checkbox, candidate.categorical, candidate.reference].includes(event.target));
    if (row) {
      syncRow(row);
      designChanged();
    } else if (state.kind) {
      run(state.kind);
    }
  });
  ui.png.addEventListener('click', () => exportForest('png'));
  ui.svg.addEventListener('click', () => exportForest('svg'));
  window.addEventListener('resize', debounce(() => {
    if (state.report && !ui.results.hidden && forestOptions().width !== state.drawnWidth) drawForest();
  }, 150));

  return {
    load,
    hide,
    design,
    /** Calls `listener` whenever the ticked covariates, their types or references change. */
    onDesignChange(listener) {
      designListeners.push(listener);
    },
  };
}
