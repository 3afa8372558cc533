// The Cox regression panel: the univariate screen and the multivariable model of the covariates
// ticked in its picker (shared with the Fine-Gray model), the proportional-hazards test, and the
// forest plot. Its parts: ./form.js (the request), ./results.js (the tables), ./figure.js (the
// forest plot). The engine checks the request and the panel shows what it says.

import { debounce, firstOfEach, listOf, runTracker, studyTitles, withoutLandmark } from '../panel_helpers.js';
import { drawForest, exportForest, forestWidthChanged } from './figure.js';
import { createCoxForm } from './form.js';
import { renderModel, renderScreen } from './results.js';

/** @typedef {import('../panel_helpers.js').Panel} Panel */
/** @typedef {import('../panel_helpers.js').StudyEntry} StudyEntry */

const $ = (id) => document.getElementById(id);

function elements() {
  return {
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
    exposureTime: $('cox-exposure-time'),
    exposureName: $('cox-exposure-name'),
    start: $('cox-start'),
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
}

function madeTitle(request) {
  const model = request.univariate ? 'Univariate Cox screen' : 'Cox model';
  return `${model}: ${request.time} (${listOf(request.covariates).join(', ')})`;
}

/**
 * @returns {Panel & { design(): { covariates: string[], categorical: string[], reference: string[] },
 *   onDesignChange(listener: () => void): void }}
 */
export function createCoxPanel(context) {
  const ui = elements();
  const tracker = runTracker(ui.section, ui.alert);
  const titles = studyTitles();
  const state = {
    kind: null, // 'multivariable' or 'univariate': the last model asked for, re-run when a choice changes
    report: null, // the report shown
    request: null, // its request
    good: null, // the request of the last report shown
    drawnWidth: 0,
  };
  const designListeners = [];
  const form = createCoxForm(ui, {
    onDesignChange() {
      for (const listener of designListeners) listener();
      if (state.kind) run(state.kind);
    },
    onOptionChange() {
      if (state.kind) run(state.kind);
    },
  });

  /** Fits the model of `kind` (the form's request, or a study's) and shows it. */
  async function run(kind, wanted = form.request(kind)) {
    const token = tracker.begin();
    state.kind = kind;
    const report = await context.analyze(wanted);
    const failure = 'The Cox model could not be fitted:';
    if (!tracker.accept(token, report, ui.results, failure, () => { state.report = null; })) return;
    Object.assign(state, { report, request: wanted, good: wanted });
    if (report.univariate) renderScreen(ui, report, wanted.conf_level ?? 0.95);
    else renderModel(ui, report);
    ui.results.hidden = false;
    await draw();
    tracker.finish(token, 'ready');
  }

  async function draw() {
    if (!state.report) return;
    const confLevel = state.request.conf_level ?? 0.95;
    const { width, failure } = await drawForest(ui, state.report, { confLevel, isExample: context.isExample() });
    state.drawnWidth = width;
    if (failure) tracker.showAlert('The forest plot could not be drawn:', failure.error.message);
  }

  function load(summary, options) {
    tracker.reset();
    Object.assign(state, { kind: null, report: null, request: null, good: null });
    ui.results.hidden = true;
    tracker.clearAlert();
    form.load(summary, options);
    ui.section.hidden = false;
  }

  /** Hides the panel while a file is read (its choices stay, to be kept if the same file is re-read). */
  function hide(reason = 'idle') {
    tracker.reset(reason);
    state.kind = null;
    ui.section.hidden = true;
  }

  /** Sets the form from a study's `cox` entry and fits its request as written. */
  function apply(entries) {
    const { cox } = firstOfEach(entries);
    titles.remember(entries);
    const kind = form.apply(cox.request);
    for (const listener of designListeners) listener();
    return run(kind, cox.request);
  }

  /** @returns {StudyEntry[]} */
  function entries() {
    return state.good ? [{ title: titles.title(state.good, madeTitle(state.good)), request: state.good }] : [];
  }

  ui.univariate.addEventListener('click', () => run('univariate'));
  ui.multivariable.addEventListener('click', () => run('multivariable'));
  ui.png.addEventListener('click', () => state.report && exportForest(ui, state.report, 'png', context.stem()));
  ui.svg.addEventListener('click', () => state.report && exportForest(ui, state.report, 'svg', context.stem()));
  window.addEventListener('resize', debounce(() => {
    if (state.report && !ui.results.hidden && forestWidthChanged(ui, state.drawnWidth)) draw();
  }, 150));

  return {
    analyses: ['cox'],
    takes: withoutLandmark,
    load,
    hide,
    entries,
    apply,
    design: form.design,
    /** Calls `listener` whenever the ticked covariates, their types or references change. */
    onDesignChange(listener) {
      designListeners.push(listener);
    },
  };
}
