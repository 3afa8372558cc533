// The competing-risks panel: cumulative incidence of every cause with Gray's test (`analysis:
// "cif"`), its figures (the cause of interest, and its competitor beside it), and the Fine-Gray
// model (`analysis: "finegray"`) on the covariates ticked in the Cox panel. Its parts: ./form.js
// (the requests), ./results.js (the tables), ./figure.js (the figures).

import { byIds, debounce, firstOfEach, listOf, runTracker, studyTitles, withoutLandmark } from '../panel_helpers.js';
import { timeUnit } from '../guess.js';
import {
  applyIncidenceFigureSettings, drawIncidenceFigures, exportIncidenceFigure, followTime, incidenceFigureSettings, incidenceFigureWidth,
} from './figure.js';
import { createCompetingForm } from './form.js';
import { renderCauses, renderFineGray } from './results.js';

/** @typedef {import('../panel_helpers.js').Panel} Panel */
/** @typedef {import('../panel_helpers.js').StudyEntry} StudyEntry */

const $ = (id) => document.getElementById(id);

function elements() {
  const ids = {
    section: 'cr-section', form: 'cr-form', time: 'cr-time', status: 'cr-status', censor: 'cr-censor', cause: 'cr-cause',
    names: 'cr-names', group: 'cr-group', at: 'cr-at', strata: 'cr-strata', confLevel: 'cr-conf-level', alert: 'cr-alert',
    prompt: 'cr-prompt', results: 'cr-results', dropped: 'cr-dropped', causes: 'cr-causes', footnote: 'cr-footnote',
    figureForm: 'cr-figure-form', competitor: 'cr-competitor', xLabel: 'cr-x-label', figures: 'cr-figures', canvas: 'cr-canvas',
    caption: 'cr-caption', competitorFigure: 'cr-figure-competitor', competitorCanvas: 'cr-canvas-competitor',
    competitorCaption: 'cr-caption-competitor', exportStatus: 'cr-export-status', fgBlock: 'fg-block', fgCovariates: 'fg-covariates',
    fgRun: 'fg-run', fgAlert: 'fg-alert', fgResults: 'fg-results', fgSummary: 'fg-summary', fgTable: 'fg-table', fgNotes: 'fg-notes',
    fgFootnote: 'fg-footnote',
  };
  return byIds(ids);
}

function madeTitle(request) {
  if (request.analysis === 'cif') return `Cumulative incidence: ${request.time}, ${request.status}${request.group ? ` by ${request.group}` : ''}`;
  return `Fine-Gray model of cause ${request.cause}: ${request.time}, ${request.status} (${listOf(request.covariates).join(', ')})`;
}

/**
 * The Fine-Gray block: the model of the form's cause of interest on the Cox panel's covariates,
 * re-fitted when a choice changes once it has been asked for.
 */
function createFineGrayBlock(ui, context, coxPanel, form) {
  const tracker = runTracker(ui.fgBlock, ui.fgAlert);
  const state = { asked: false, report: null, good: null };

  function updateCovariateHint() {
    const { covariates } = coxPanel.design();
    ui.fgCovariates.textContent = covariates.length === 0
      ? 'Tick the covariates in 5. Cox regression; the model is for the cause of interest chosen above.'
      : `Covariates ticked in 5. Cox regression: ${covariates.join(', ')}. The model is for the cause of interest chosen above.`;
  }

  /** Fits the form's model (or a study's request) and shows it. */
  async function run(wanted = form.fineGrayRequest(coxPanel.design())) {
    if (!form.hasFile()) return;
    const token = tracker.begin();
    state.asked = true;
    const report = await context.analyze(wanted);
    const failure = 'The Fine-Gray model could not be fitted:';
    if (!tracker.accept(token, report, ui.fgResults, failure, () => { state.report = null; })) return;
    Object.assign(state, { report, good: wanted });
    renderFineGray(ui, report, form.causeName);
    ui.fgResults.hidden = false;
    tracker.finish(token, 'ready');
  }

  ui.fgRun.addEventListener('click', () => run());
  coxPanel.onDesignChange(() => {
    updateCovariateHint();
    if (state.asked) run();
  });

  return {
    run,
    updateCovariateHint,
    /** Re-fits the model shown after a choice changed. */
    rerun: () => state.asked && run(),
    relabel: () => state.report && renderFineGray(ui, state.report, form.causeName),
    /** A new file (`reason` undefined), or the panel hidden while one is read. */
    reset(reason) {
      tracker.reset(reason);
      state.asked = false;
      if (reason !== undefined) return;
      Object.assign(state, { report: null, good: null });
      ui.fgResults.hidden = true;
      tracker.clearAlert();
      updateCovariateHint();
    },
    good: () => state.good,
  };
}

/** @returns {Panel} */
export function createCompetingPanel(context, coxPanel) {
  const ui = elements();
  const tracker = runTracker(ui.section, ui.alert, ui.prompt);
  const form = createCompetingForm(ui);
  const fineGray = createFineGrayBlock(ui, context, coxPanel, form);
  const titles = studyTitles();
  const state = {
    report: null, // the cif report shown
    request: null,
    good: null, // the cif request of the last report shown
    drawnWidth: 0,
  };

  async function draw() {
    if (!state.report) return;
    const { width, failures } = await drawIncidenceFigures(ui, state.report, { causeName: form.causeName, isExample: context.isExample() });
    state.drawnWidth = width;
    for (const failure of failures) tracker.showAlert('The figure could not be drawn:', failure.error.message);
  }

  function showCauses() {
    renderCauses(ui, state.report, { causeOfInterest: ui.cause.value, causeName: form.causeName, unit: timeUnit(state.request.time).label });
  }

  /** Estimates the incidence of the form's request (or a study's) and shows it. */
  async function runIncidence(wanted) {
    const token = tracker.begin();
    const report = await context.analyze(wanted);
    const failure = 'The cumulative incidence could not be estimated:';
    if (!tracker.accept(token, report, ui.results, failure, () => { state.report = null; })) return;
    Object.assign(state, { report, request: wanted, good: wanted });
    showCauses();
    ui.results.hidden = false;
    await draw();
    tracker.finish(token, 'ready');
  }

  function analyse() {
    if (!form.hasFile()) return Promise.resolve();
    if (!ui.time.value || !ui.status.value) {
      const token = tracker.begin();
      ui.results.hidden = true;
      tracker.finish(token, 'idle');
      tracker.prompt('Choose the follow-up time and the status column: its values say which event happened first, or that the patient was censored.');
      return Promise.resolve();
    }
    return runIncidence(form.cifRequest());
  }

  function load(summary, options) {
    tracker.reset();
    Object.assign(state, { report: null, request: null, good: null });
    ui.results.hidden = true;
    tracker.clearAlert();
    form.load(summary, options);
    fineGray.reset();
    followTime(ui);
    ui.section.hidden = false;
    return analyse();
  }

  /** Hides the panel while a file is read (its choices stay, to be kept if the same file is re-read). */
  function hide(reason = 'idle') {
    tracker.reset(reason);
    fineGray.reset(reason);
    ui.section.hidden = true;
  }

  /** Sets the form from a study's `cif` and `finegray` entries and runs their requests as written. */
  async function apply(entries) {
    const { cif, finegray } = firstOfEach(entries);
    titles.remember(entries);
    form.apply({ cif, finegray });
    if (cif?.figure) applyIncidenceFigureSettings(ui, cif.figure);
    followTime(ui);
    fineGray.updateCovariateHint();
    await (cif ? runIncidence(cif.request) : analyse());
    if (finegray) await fineGray.run(finegray.request);
  }

  /** @returns {StudyEntry[]} */
  function entries() {
    const list = [];
    if (state.good) {
      const figure = incidenceFigureSettings(ui, ui.cause.value, form.causeName);
      list.push({ title: titles.title(state.good, madeTitle(state.good)), request: state.good, figure });
    }
    const fineGrayRequest = fineGray.good();
    if (fineGrayRequest) list.push({ title: titles.title(fineGrayRequest, madeTitle(fineGrayRequest)), request: fineGrayRequest });
    return list;
  }

  // ------------------------------------------------------------ events

  ui.form.addEventListener('submit', (event) => event.preventDefault());
  ui.figureForm.addEventListener('submit', (event) => event.preventDefault());
  ui.form.addEventListener('change', (event) => {
    if (!form.changed(event.target)) return; // a cause's name: relabelled on input
    if (event.target === ui.time) followTime(ui);
    analyse();
    fineGray.rerun();
  });
  const relabel = debounce(() => {
    form.fillCompetitor(ui.competitor.value);
    if (state.report) {
      showCauses();
      draw();
    }
    fineGray.relabel();
  }, 200);
  ui.names.addEventListener('input', relabel);
  ui.xLabel.addEventListener('input', () => {
    ui.xLabel.dataset.auto = 'false';
  });
  ui.figureForm.addEventListener('change', () => draw());
  const exportAs = (which, kind) => state.report
    && exportIncidenceFigure(ui, state.report, { which, kind, stem: context.stem(), causeName: form.causeName });
  $('cr-png').addEventListener('click', () => exportAs(0, 'png'));
  $('cr-svg').addEventListener('click', () => exportAs(0, 'svg'));
  $('cr-competitor-png').addEventListener('click', () => exportAs(1, 'png'));
  $('cr-competitor-svg').addEventListener('click', () => exportAs(1, 'svg'));
  window.addEventListener('resize', debounce(() => {
    if (state.report && !ui.results.hidden && incidenceFigureWidth(ui) !== state.drawnWidth) draw();
  }, 150));

  return { analyses: ['cif', 'finegray'], takes: withoutLandmark, load, hide, entries, apply };
}
