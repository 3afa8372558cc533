// The survival panel: Kaplan-Meier estimates, the log-rank test and median follow-up of the
// endpoint chosen in the page's column mapping (`analysis: "km"`, `"logrank"`, `"followup"`),
// and the Kaplan-Meier figure. It runs by itself whenever a choice changes. Its parts: ./form.js
// (the requests), ./results.js (the tables), ./figure.js (the figure).

import * as format from '../format.js';
import { timeUnit } from '../guess.js';
import { firstOfEach, runTracker, studyTitles, withoutLandmark } from '../panel_helpers.js';
import { createSurvivalFigure } from './figure.js';
import { applySurvivalRequests, guessTimes, mappingOf, survivalRequests } from './form.js';
import { showSurvivalResults } from './results.js';

/** @typedef {import('../panel_helpers.js').Panel} Panel */
/** @typedef {import('../panel_helpers.js').StudyEntry} StudyEntry */

const $ = (id) => document.getElementById(id);

function elements() {
  return {
    at: $('at-input'),
    confType: $('conf-type-select'),
    confLevel: $('conf-level-select'),
    adjust: $('adjust-select'),
    alert: $('survival-alert'),
    results: $('results-section'),
    simulatedNote: $('simulated-note'),
    droppedNote: $('dropped-note'),
    kmTable: $('km-table'),
    kmFootnote: $('km-footnote'),
    logrankBlock: $('logrank-block'),
    logrankLine: $('logrank-line'),
    logrankGroups: $('logrank-groups'),
    pairwiseWrap: $('pairwise-wrap'),
    pairwiseTable: $('pairwise-table'),
    followupLine: $('followup-line'),
    followupTable: $('followup-table'),
    followupWrap: $('followup-wrap'),
    figureSection: $('figure-section'),
    figureForm: $('figure-form'),
    canvas: $('km-canvas'),
    figureDescription: $('figure-description'),
    figureTables: $('figure-tables'),
    figureTableDetails: $('figure-table-details'),
    exportPng: $('export-png'),
    exportSvg: $('export-svg'),
    exportStatus: $('export-status'),
    xLabel: $('x-label-input'),
  };
}

/** The titles the panel gives its analyses in a study. */
function madeTitle(request) {
  const by = request.group ? ` by ${request.group}` : '';
  if (request.analysis === 'km') return `Kaplan-Meier: ${request.time}${by}`;
  if (request.analysis === 'logrank') return `Log-rank test: ${request.time}${by}`;
  return `Median follow-up: ${request.time}${by}`;
}

/**
 * The survival panel. Besides the panels' context it uses the page's column mapping
 * (`context.mapping()`, `context.setMapping(mapping)`), its status line (`context.setStatus`) and
 * the loaded file's name (`context.fileName()`); the page calls `mappingChanged()` when the user
 * changes the mapping.
 * @returns {Panel & { mappingChanged(): Promise<void> }}
 */
export function createSurvivalPanel(context) {
  const ui = elements();
  const tracker = runTracker(ui.results, ui.alert);
  const titles = studyTitles();
  const state = {
    summary: null,
    isExample: false,
    shown: null, // { km, logrank, followup, unit, label }: the reports on the screen
    good: null, // { km, logrank, followup }: the requests of the last run whose km report was shown
  };
  const figure = createSurvivalFigure(ui, {
    current: () => state.shown,
    stem: context.stem,
    onFailure: (failure) => tracker.showAlert('The figure could not be drawn:', failure.error.message),
  });

  /** Hides the results and their alert; `reason` becomes the results' `data-state`. */
  function hideResults(reason) {
    ui.results.hidden = true;
    ui.figureSection.hidden = true;
    tracker.reset(reason);
    tracker.clearAlert();
    state.shown = null;
  }

  /** Runs the three requests (the log-rank test only with groups) and shows their reports. */
  async function run(wanted) {
    const token = tracker.begin();
    const rows = state.summary.n_rows >= 10_000 ? ` ${format.count(state.summary.n_rows, 'row')}` : '';
    const slow = setTimeout(() => context.setStatus(`Analysing${rows}…`, true), 150);
    const started = performance.now();
    const [km, logrank, followup] = await Promise.all([
      context.analyze(wanted.km),
      wanted.logrank ? context.analyze(wanted.logrank) : null,
      context.analyze(wanted.followup),
    ]);
    clearTimeout(slow);
    if (!tracker.isCurrent(token)) return; // the user changed something meanwhile
    const fileName = context.fileName();
    if (km.error) {
      hideResults('error');
      context.setStatus(`${fileName} is loaded, but the analysis could not run.`);
      tracker.showAlert('The analysis could not run:', km.error.message);
      return;
    }
    const failed = [logrank, followup].find((report) => report?.error);
    if (failed) tracker.showAlert('Part of the analysis could not run:', failed.error.message);
    context.setStatus(`Analysed ${fileName} in ${Math.round(performance.now() - started)} ms.`);
    const ok = (report) => (report && !report.error ? report : null);
    state.good = { km: wanted.km, logrank: ok(logrank) && wanted.logrank, followup: ok(followup) && wanted.followup };
    await show(token, { km, logrank: ok(logrank), followup: ok(followup) });
  }

  async function show(token, reports) {
    const unit = timeUnit(state.good.km.time).label;
    const label = state.isExample
      ? 'Kaplan-Meier curves of the simulated example cohort (not real patients).'
      : `Kaplan-Meier curves of ${context.fileName()}.`;
    state.shown = { ...reports, unit, label };
    showSurvivalResults(ui, reports, { unit, summary: state.summary, isExample: state.isExample });
    ui.results.hidden = false;
    await figure.show();
    tracker.finish(token, 'ready');
  }

  /** Runs the requests of the mapping and the form, or says what is still to be chosen. */
  function analyse() {
    if (!state.summary) return Promise.resolve();
    const mapping = context.mapping();
    figure.followUnit(timeUnit(mapping.time).label);
    if (!mapping.time || !mapping.event) {
      hideResults('waiting');
      context.setStatus('Choose the follow-up time and event columns.');
      return Promise.resolve();
    }
    return run(survivalRequests(ui, mapping));
  }

  function load(summary, { isExample, keep }) {
    Object.assign(state, { summary, isExample, shown: null, good: null });
    if (!keep) guessTimes(ui, summary);
    return analyse();
  }

  /** Sets the mapping and the form from a study's km, logrank and followup entries, and runs them as written. */
  function apply(entries) {
    const { km, logrank, followup } = firstOfEach(entries);
    titles.remember(entries);
    context.setMapping(mappingOf((km ?? logrank ?? followup).request));
    applySurvivalRequests(ui, { km, logrank, followup });
    if (km?.figure) figure.apply(km.figure);
    const mapping = context.mapping();
    figure.followUnit(timeUnit(mapping.time).label);
    const made = survivalRequests(ui, mapping);
    return run({ km: km?.request ?? made.km, logrank: logrank?.request ?? made.logrank, followup: followup?.request ?? made.followup });
  }

  /** @returns {StudyEntry[]} */
  function entries() {
    if (!state.good) return [];
    return ['km', 'logrank', 'followup'].filter((kind) => state.good[kind]).map((kind) => {
      const request = state.good[kind];
      const entry = { title: titles.title(request, madeTitle(request)), request };
      return kind === 'km' ? { ...entry, figure: figure.settings() } : entry;
    });
  }

  for (const control of [ui.at, ui.confType, ui.confLevel, ui.adjust]) control.addEventListener('change', () => analyse());

  return {
    analyses: ['km', 'logrank', 'followup'],
    takes: withoutLandmark,
    load,
    hide: (reason = 'idle') => hideResults(reason),
    entries,
    apply,
    mappingChanged: analyse,
  };
}
