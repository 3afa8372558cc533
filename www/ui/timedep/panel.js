// The time-dependent exposure panel ("transplant as a time-dependent exposure"): Simon-Makuch
// curves (`analysis: "simon-makuch"`) with their figure, and the Mantel-Byar test (`analysis:
// "mantel-byar"`), of one endpoint with a column of exposure times, and with a landmark time the
// landmark analysis (`analysis: "km"` and `"logrank"` with `landmark` and `exposure_time`). It runs
// when asked (the run button, or a study), then again whenever a choice changes. Its parts: ./form.js (the requests),
// ./results.js (the tables), ./figure.js (the figure).

import * as format from '../format.js';
import { timeUnit } from '../guess.js';
import { byIds, firstOfEach, runTracker, studyTitles } from '../panel_helpers.js';
import { unitWord } from '../result_helpers.js';
import { createTimeDependentFigure } from './figure.js';
import { createTimeDependentForm } from './form.js';
import { exposureOf, renderLandmark, renderMantelByar, renderSimonMakuch } from './results.js';

/** @typedef {import('../panel_helpers.js').Panel} Panel */
/** @typedef {import('../panel_helpers.js').StudyEntry} StudyEntry */
/** @typedef {import('../../../schema/survkit.d.ts').Request} Request */

function elements() {
  const ids = {
    section: 'td-section', form: 'td-form', time: 'td-time', event: 'td-event', exposure: 'td-exposure', name: 'td-exposure-name',
    at: 'td-at', confType: 'td-conf-type', confLevel: 'td-conf-level', run: 'td-run', prompt: 'td-prompt', alert: 'td-alert',
    results: 'td-results', dropped: 'td-dropped', smTable: 'td-sm-table', smFootnote: 'td-sm-footnote', mbLine: 'td-mb-line',
    mbTable: 'td-mb-table', mbFootnote: 'td-mb-footnote', figureForm: 'td-figure-form', xLabel: 'td-x-label', figure: 'td-figure',
    canvas: 'td-canvas', caption: 'td-caption', exportPng: 'td-png', exportSvg: 'td-svg', exportStatus: 'td-export-status',
    landmark: 'td-landmark', landmarkAt: 'td-landmark-at', lmBlock: 'td-lm-block', lmNote: 'td-lm-note', lmTable: 'td-lm-table',
    lmHeading: 'td-lm-heading', lmFootnote: 'td-lm-footnote', lmLine: 'td-lm-line', lmGroups: 'td-lm-groups',
  };
  return byIds(ids);
}

function madeTitle(request) {
  const exposure = request.exposure_name || request.exposure_time;
  if (request.analysis === 'km') return `Kaplan-Meier from a landmark at ${request.landmark}: ${request.time} by ${exposure} before it`;
  if (request.analysis === 'logrank') return `Log-rank test from a landmark at ${request.landmark}: ${request.time} by ${exposure} before it`;
  if (request.analysis === 'simon-makuch') return `Simon-Makuch curves: ${request.time} by ${exposure} (time-dependent)`;
  return `Mantel-Byar test: ${request.time} by ${exposure} (time-dependent)`;
}

/**
 * Whether a study entry is the panel's: Simon-Makuch, Mantel-Byar, and a landmark km or logrank by
 * an exposure (the survival panel takes those without a landmark).
 * @param {StudyEntry} entry
 */
function takes(entry) {
  const request = /** @type {any} */ (entry.request);
  if (request.analysis !== 'km' && request.analysis !== 'logrank') return true;
  return request.landmark !== undefined && request.landmark !== null && Boolean(request.exposure_time);
}

/**
 * The panel. It uses the panels' context (`analyze`, `stem`, `isExample`, `fileName`).
 * @returns {Panel}
 */
export function createTimeDependentPanel(context) {
  const ui = elements();
  const tracker = runTracker(ui.section, ui.alert, ui.prompt);
  const form = createTimeDependentForm(ui);
  const titles = studyTitles();
  const studyFigures = new Map(); // request JSON -> an opened study's figure settings of an analysis drawn nowhere here
  const state = {
    summary: null,
    asked: false, // run once (the button or a study): a changed choice runs again
    shown: null, // { simonMakuch, mantelByar, caption }: the reports on the screen
    good: null, // { simonMakuch, mantelByar, landmarkKm, landmarkLogrank }: the requests of the reports shown
  };
  const figure = createTimeDependentFigure(ui, {
    current: () => state.shown,
    stem: context.stem,
    onFailure: (failure) => tracker.showAlert('The figure could not be drawn:', failure.error.message),
  });

  /** Runs the requests (a study's as written, or the form's) and shows their reports. */
  async function run(wanted) {
    const token = tracker.begin();
    state.asked = true;
    const [simonMakuch, mantelByar, landmarkKm, landmarkLogrank] = await Promise.all([
      context.analyze(wanted.simonMakuch),
      context.analyze(wanted.mantelByar),
      wanted.landmarkKm ? context.analyze(wanted.landmarkKm) : null,
      wanted.landmarkLogrank ? context.analyze(wanted.landmarkLogrank) : null,
    ]);
    const failure = 'The Simon-Makuch curves could not be estimated:';
    if (!tracker.accept(token, simonMakuch, ui.results, failure, () => { state.shown = null; })) return;
    if (mantelByar.error) tracker.showAlert('The Mantel-Byar test could not run:', mantelByar.error.message);
    const test = mantelByar.error ? null : mantelByar;
    const landmark = showLandmark(landmarkKm, landmarkLogrank, timeUnit(wanted.simonMakuch.time).label);
    state.good = {
      simonMakuch: wanted.simonMakuch,
      mantelByar: test && wanted.mantelByar,
      landmarkKm: landmark.km && wanted.landmarkKm,
      landmarkLogrank: landmark.logrank && wanted.landmarkLogrank,
    };
    const caption = `Simon-Makuch curves by ${exposureOf(simonMakuch)}`
      + `${context.isExample() ? ', simulated example cohort (not real patients).' : ` of ${context.fileName()}.`}`;
    state.shown = { simonMakuch, mantelByar: test, caption };
    const unit = timeUnit(wanted.simonMakuch.time).label;
    const dropped = simonMakuch.n_dropped;
    ui.dropped.hidden = dropped === 0;
    ui.dropped.textContent = dropped === 0 ? ''
      : `${format.count(dropped, 'row')} with a missing time or event ${dropped === 1 ? 'was' : 'were'} left out.`;
    renderSimonMakuch(ui.smTable, ui.smFootnote, simonMakuch, unit, state.summary);
    ui.mbLine.hidden = !test;
    ui.mbTable.hidden = !test;
    if (test) renderMantelByar(ui.mbLine, ui.mbTable, ui.mbFootnote, test, state.summary);
    else ui.mbFootnote.textContent = '';
    ui.results.hidden = false;
    await new Promise((resolve) => setTimeout(resolve, 0)); // the tables first, then the figure in a task of its own
    await figure.draw();
    tracker.finish(token, 'ready');
  }

  /**
   * Shows the landmark analysis (or hides it when none was asked for); a failure goes to the alert.
   * @returns {{ km: boolean, logrank: boolean }} which of the two reports are shown
   */
  function showLandmark(km, logrank, unit) {
    const failed = [km, logrank].find((report) => report?.error);
    if (failed) tracker.showAlert('The landmark analysis could not run:', failed.error.message);
    const shownKm = Boolean(km && !km.error);
    const shownLogrank = shownKm && Boolean(logrank && !logrank.error);
    ui.lmBlock.hidden = !shownKm;
    if (shownKm) {
      const word = unitWord(unit);
      ui.lmHeading.textContent = `Landmark analysis at ${format.shortNumber(km.landmark.landmark)}${word ? ` ${word}` : ''}`;
      renderLandmark({ note: ui.lmNote, table: ui.lmTable, footnote: ui.lmFootnote, line: ui.lmLine, groups: ui.lmGroups },
        { km, logrank: shownLogrank ? logrank : null }, unit, state.summary);
    }
    return { km: shownKm, logrank: shownLogrank };
  }

  /** Runs the form's requests, or says what is still to be chosen. */
  function analyse() {
    if (!form.hasFile()) return Promise.resolve();
    figure.followUnit(timeUnit(ui.time.value).label);
    if (!form.complete()) {
      const token = tracker.begin();
      ui.results.hidden = true;
      state.shown = null;
      tracker.finish(token, 'idle');
      tracker.prompt('Choose the follow-up time, the event and the column of exposure times (from the same origin, '
        + 'in the same unit; empty when never exposed). Make it from dates under 2. Columns and options.');
      return Promise.resolve();
    }
    return run(form.requests());
  }

  function load(summary, options) {
    tracker.reset();
    tracker.clearAlert();
    Object.assign(state, { summary, shown: null, good: null });
    if (!options.keep) state.asked = false;
    ui.results.hidden = true;
    form.load(summary, options);
    figure.followUnit(timeUnit(ui.time.value).label);
    ui.section.hidden = false;
    return state.asked ? analyse() : Promise.resolve();
  }

  function hide(reason = 'idle') {
    tracker.reset(reason);
    ui.section.hidden = true;
  }

  /**
   * Sets the form from a study's `simon-makuch`, `mantel-byar` and landmark `km` and `logrank`
   * entries and runs their requests as written.
   */
  function apply(entries) {
    const first = firstOfEach(entries);
    const simonMakuch = first['simon-makuch'];
    const mantelByar = first['mantel-byar'];
    const landmarkKm = first.km;
    const landmarkLogrank = first.logrank;
    titles.remember(entries);
    studyFigures.clear();
    if (landmarkKm?.figure) studyFigures.set(JSON.stringify(landmarkKm.request), landmarkKm.figure);
    form.apply({ simonMakuch, mantelByar, landmarkKm, landmarkLogrank });
    if (simonMakuch?.figure) figure.apply(simonMakuch.figure);
    figure.followUnit(timeUnit(ui.time.value).label);
    const made = form.requests();
    return run({
      simonMakuch: simonMakuch?.request ?? made.simonMakuch,
      mantelByar: mantelByar?.request ?? made.mantelByar,
      landmarkKm: landmarkKm?.request ?? made.landmarkKm,
      landmarkLogrank: landmarkLogrank?.request ?? made.landmarkLogrank,
    });
  }

  /** @returns {StudyEntry[]} */
  function entries() {
    if (!state.good) return [];
    const list = [];
    const { simonMakuch, mantelByar } = state.good;
    list.push({ title: titles.title(simonMakuch, madeTitle(simonMakuch)), request: simonMakuch, figure: figure.settings() });
    if (mantelByar) list.push({ title: titles.title(mantelByar, madeTitle(mantelByar)), request: mantelByar });
    for (const request of [state.good.landmarkKm, state.good.landmarkLogrank].filter(Boolean)) {
      const figureSettings = studyFigures.get(JSON.stringify(request));
      list.push({ title: titles.title(request, madeTitle(request)), request, ...(figureSettings ? { figure: figureSettings } : {}) });
    }
    return list;
  }

  ui.form.addEventListener('submit', (event) => event.preventDefault());
  ui.form.addEventListener('change', (event) => {
    form.changed(event.target);
    if (state.asked) analyse();
  });
  ui.run.addEventListener('click', () => analyse());

  return { analyses: ['simon-makuch', 'mantel-byar', 'km', 'logrank'], takes, load, hide, entries, apply };
}
