// The page's shell: it moves the file and the user's choices into the engine and the results onto
// the screen. The engine (./engine.js) runs in a Web Worker; nothing here computes a statistic.
//
// Once the engine is ready, `window.survkit` is ./engine.js's API (`await window.survkit.analyze(text, request)`),
// `window.survkitReady` resolves to it, and a `survkit-ready` event is fired on `window`.

import exampleCsv, { exampleFileName } from './pkg/example_data.js';
import * as survkit from './engine.js';
import { createCompetingPanel } from './ui/competing.js';
import { createCoxPanel } from './ui/cox.js';
import { clear, el, setOptions } from './ui/dom.js';
import * as figure from './ui/figure.js';
import * as format from './ui/format.js';
import { guessMapping, timeUnit } from './ui/guess.js';
import { renderFigureTables, renderFollowUp, renderKm, renderLogRank, renderPreview } from './ui/results.js';
import { createTable1Panel } from './ui/table1.js';

let announceReady;
window.survkitReady = new Promise((resolve) => {
  announceReady = resolve;
});

const $ = (id) => document.getElementById(id);
const ui = {
  fileInput: $('file-input'),
  dropZone: $('drop-zone'),
  exampleButton: $('example-button'),
  statusText: $('status-text'),
  progress: $('progress'),
  cancelButton: $('cancel-button'),
  alert: $('alert'),
  mapping: $('mapping-section'),
  fileLine: $('file-line'),
  previewTable: $('preview-table'),
  warnings: $('column-warnings'),
  form: $('mapping-form'),
  time: $('time-select'),
  event: $('event-select'),
  eventValue: $('event-value-select'),
  group: $('group-select'),
  at: $('at-input'),
  confType: $('conf-type-select'),
  confLevel: $('conf-level-select'),
  adjust: $('adjust-select'),
  delimiter: $('delimiter-select'),
  decimal: $('decimal-select'),
  na: $('na-input'),
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

/** What is loaded and what was last computed. */
const state = {
  source: null, // the File, or the example's text
  fileName: '',
  isExample: false,
  summary: null,
  unit: 'Time',
  run: 0, // increases with every analysis; a result from an older run is dropped
  loads: 0, // increases with every load and cancel; a file from an older load is dropped
  km: null,
  logrank: null,
  drawnWidth: 0,
};

// ---------------------------------------------------------------- the analysis panels

/** What the panels (Cox, competing risks, Table 1) may ask of the page: the loaded file's engine. */
const panelContext = {
  analyze: (request) => survkit.analyzeLoaded({ ...request, ...readOptions() }),
  render: (request, kind) => survkit.renderLoaded({ ...request, ...readOptions() }, kind),
  stem: () => (state.isExample ? 'example-simulated' : figure.fileStem(state.fileName)),
  isExample: () => state.isExample,
};
const coxPanel = createCoxPanel(panelContext);
const panels = [coxPanel, createCompetingPanel(panelContext, coxPanel), createTable1Panel(panelContext)];

// ---------------------------------------------------------------- status and errors

/** While the engine works: when it started, and the timer that shows how long it has taken. */
const busy = { since: 0, timer: 0, text: '' };

function showBusyText() {
  const seconds = (performance.now() - busy.since) / 1000;
  ui.statusText.textContent = seconds < 1 ? busy.text : `${busy.text} ${format.fixed(seconds, 1)} s`;
}

/**
 * The status line. While busy it shows the time taken so far, a progress bar (with `fraction`
 * done when it is known) and the Cancel button.
 */
function setStatus(text, isBusy = false, fraction = null) {
  ui.progress.hidden = !isBusy;
  ui.cancelButton.hidden = !isBusy;
  if (fraction === null) ui.progress.removeAttribute('value');
  else ui.progress.value = fraction;
  if (!isBusy) {
    clearInterval(busy.timer);
    busy.timer = 0;
    ui.statusText.textContent = text;
    return;
  }
  if (!busy.timer) {
    busy.since = performance.now();
    busy.timer = setInterval(showBusyText, 250);
  }
  busy.text = text;
  showBusyText();
}

/**
 * Any engine call still running after a moment (a panel's Cox model, incidence or Table 1 on a
 * large file) shows Cancel too; the status line's own busy state (loading, the main analysis)
 * shows it at once.
 */
const SLOW_CALL_MS = 400;
let slowCall = 0;
survkit.activity.addEventListener('busy', () => {
  clearTimeout(slowCall);
  slowCall = setTimeout(() => {
    ui.cancelButton.hidden = false;
  }, SLOW_CALL_MS);
});
survkit.activity.addEventListener('idle', () => {
  clearTimeout(slowCall);
  if (!busy.timer) ui.cancelButton.hidden = true;
});

/** Cancel: stops the engine, lets the file go and leaves the page ready for another file. */
function cancel() {
  state.run += 1;
  state.loads += 1;
  survkit.cancel();
  for (const panel of panels) panel.hide();
  Object.assign(state, { source: null, fileName: '', isExample: false, summary: null });
  ui.mapping.hidden = true;
  hideResults('cancelled');
  ui.results.removeAttribute('aria-busy');
  clearError();
  setLoading(false);
  setStatus('Cancelled. Choose a file to load, or try the example data.');
}

function showError(title, message) {
  clear(ui.alert).append(el('p', {}, el('strong', {}, title), ' ', message));
  ui.alert.hidden = false;
}

function clearError() {
  clear(ui.alert);
  ui.alert.hidden = true;
}

// ---------------------------------------------------------------- loading

function readOptions() {
  const options = {};
  if (ui.delimiter.value !== 'auto') options.delimiter = ui.delimiter.value;
  if (ui.decimal.value !== '.') options.decimal = ui.decimal.value;
  const na = ui.na.value.split(',').map((code) => code.trim()).filter(Boolean);
  if (na.length > 0) options.na = na;
  return options;
}

function setLoading(loading) {
  ui.fileInput.disabled = loading;
  ui.exampleButton.disabled = loading;
  ui.dropZone.classList.toggle('busy', loading);
}

/** Loads a file (or the example's text) into the engine, then shows the mapping and the results. */
async function load(source, fileName, { isExample = false, keepMapping = false } = {}) {
  clearError();
  setLoading(true);
  state.run += 1; // an analysis still running for the previous file is dropped
  const loadNumber = ++state.loads;
  ui.results.dataset.state = 'busy';
  const size = typeof source === 'string' ? new Blob([source]).size : source.size;
  setStatus(`Reading ${fileName} (${format.fileSize(size)})…`, true);
  const previous = keepMapping ? currentMapping() : null;
  for (const panel of panels) panel.hide();
  const summary = await survkit.loadFile(source, readOptions(), ({ phase, done }) => {
    if (loadNumber !== state.loads) return;
    if (phase === 'reading' && done > 0 && size > 0) {
      setStatus(`Reading ${fileName}: ${format.fileSize(done)} of ${format.fileSize(size)}…`, true, done / size);
    } else if (phase === 'parsing') {
      setStatus(`Parsing ${format.fileSize(size)}…`, true);
    }
  });
  if (loadNumber !== state.loads) return; // cancelled, or another file was chosen meanwhile
  setLoading(false);
  if (summary.error) {
    state.summary = null;
    ui.mapping.hidden = true;
    hideResults('error');
    setStatus(`${fileName} could not be read.`);
    showError('The file could not be read:', summary.error.message);
    return;
  }
  Object.assign(state, { source, fileName, isExample, summary });
  setStatus(`Loaded ${fileName}: ${format.count(summary.n_rows, 'row')}, ${format.count(summary.columns.length, 'column')}.`);
  ui.fileLine.textContent = isExample
    ? `${fileName}: simulated example cohort, ${format.count(summary.n_rows, 'patient')} (not real people).`
    : `${fileName}: ${format.count(summary.n_rows, 'row')}, ${format.count(summary.columns.length, 'column')}, delimiter ${describeDelimiter(summary.delimiter)}.`;
  renderPreview(ui.previewTable, ui.warnings, summary);
  fillMapping(summary, previous);
  ui.mapping.hidden = false;
  await analyse();
  if (loadNumber !== state.loads) return;
  // The panels start after the Kaplan-Meier results, so the first figure is not kept waiting.
  const mapping = currentMapping();
  await Promise.all(panels.map((panel) => panel.load(summary, { mapping, isExample, keep: keepMapping })));
}

function describeDelimiter(delimiter) {
  return { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'bar' }[delimiter] ?? `"${delimiter}"`;
}

function loadFileObject(file) {
  if (!file) return;
  ui.fileInput.value = '';
  load(file, file.name);
}

// ---------------------------------------------------------------- the column mapping

function currentMapping() {
  return {
    time: ui.time.value,
    event: ui.event.value,
    eventValue: ui.eventValue.value,
    group: ui.group.value,
    at: ui.at.value,
  };
}

function columnOptions(columns) {
  return columns.map((column) => ({ value: column.name, label: column.name }));
}

function fillMapping(summary, previous) {
  const guess = guessMapping(summary);
  const names = new Set(summary.columns.map((column) => column.name));
  const keep = (name, fallback) => (previous && names.has(previous[name]) ? previous[name] : fallback);
  const choose = [{ value: '', label: '(choose a column)' }];
  setOptions(ui.time, [...choose, ...columnOptions(summary.columns)], keep('time', guess.time ?? ''));
  setOptions(ui.event, [...choose, ...columnOptions(summary.columns)], keep('event', guess.event ?? ''));
  const groupable = summary.columns.filter((column) => column.n_distinct >= 2 && column.levels.length >= 2);
  setOptions(ui.group, [{ value: '', label: 'none: one curve for all patients' }, ...columnOptions(groupable)],
    previous && (previous.group === '' || names.has(previous.group)) ? previous.group : guess.group ?? '');
  fillEventValues(previous?.eventValue ?? '');
  if (!previous) ui.at.value = guess.at.join(', ');
  updateUnit();
}

/** The event column's values, for "the value that means an event". */
function fillEventValues(selected = '') {
  const column = state.summary?.columns.find((candidate) => candidate.name === ui.event.value);
  const levels = column?.levels ?? [];
  setOptions(ui.eventValue, [
    { value: '', label: 'automatic' },
    ...levels.map((level) => ({ value: level, label: level })),
  ], selected);
}

/** The time unit guessed from the time column's name: the axis label and the tables' wording. */
function updateUnit() {
  const unit = timeUnit(ui.time.value);
  if (!ui.xLabel.value || ui.xLabel.dataset.auto === 'true') {
    ui.xLabel.value = unit.label;
    ui.xLabel.dataset.auto = 'true';
  }
  state.unit = unit.label;
}

/** The landmark times typed by the user, or an error message. */
function landmarkTimes() {
  const pieces = ui.at.value.split(/[,;\s]+/).filter(Boolean);
  const times = [];
  for (const piece of pieces) {
    const number = Number(piece);
    if (!Number.isFinite(number) || number < 0) return { error: `"${piece}" is not a time; give times of 0 or more, such as 12, 24` };
    times.push(number);
  }
  return { times };
}

// ---------------------------------------------------------------- the analyses

/** The engine requests for the current choices: the CLI's flags as JSON. */
function requests() {
  const base = { time: ui.time.value, event: ui.event.value, ...readOptions() };
  if (ui.eventValue.value !== '') base.event_value = ui.eventValue.value;
  const confidence = { conf_type: ui.confType.value, conf_level: Number(ui.confLevel.value) };
  const group = ui.group.value === '' ? {} : { group: ui.group.value };
  const { times } = landmarkTimes();
  return {
    km: { analysis: 'km', ...base, ...group, at: times, ...confidence },
    logrank: ui.group.value === '' ? null : { analysis: 'logrank', ...base, ...group, pairwise: true, adjust: ui.adjust.value },
    followup: { analysis: 'followup', ...base, ...group, conf_level: confidence.conf_level },
  };
}

function hideResults(reason) {
  ui.results.hidden = true;
  ui.figureSection.hidden = true;
  ui.results.dataset.state = reason;
  state.km = null;
  state.logrank = null;
}

async function analyse() {
  if (!state.summary) return;
  const run = ++state.run;
  clearError();
  if (!ui.time.value || !ui.event.value) {
    hideResults('waiting');
    setStatus('Choose the follow-up time and event columns.');
    return;
  }
  const landmarks = landmarkTimes();
  if (landmarks.error) {
    hideResults('error');
    showError('Survival at times:', landmarks.error);
    return;
  }
  ui.results.dataset.state = 'busy';
  ui.results.setAttribute('aria-busy', 'true');
  const started = performance.now();
  const size = state.summary.n_rows >= 10_000 ? ` ${format.count(state.summary.n_rows, 'row')}` : '';
  const slow = setTimeout(() => setStatus(`Analysing${size}…`, true), 150);
  const wanted = requests();
  const [km, logrank, followup] = await Promise.all([
    survkit.analyzeLoaded(wanted.km),
    wanted.logrank ? survkit.analyzeLoaded(wanted.logrank) : null,
    survkit.analyzeLoaded(wanted.followup),
  ]);
  clearTimeout(slow);
  if (run !== state.run) return; // the user changed something meanwhile
  ui.results.removeAttribute('aria-busy');
  const failed = [km, logrank, followup].find((result) => result?.error);
  if (km.error) {
    hideResults('error');
    setStatus(`${state.fileName} is loaded, but the analysis could not run.`);
    showError('The analysis could not run:', km.error.message);
    return;
  }
  if (failed) showError('Part of the analysis could not run:', failed.error.message);
  setStatus(`Analysed ${state.fileName} in ${Math.round(performance.now() - started)} ms.`);
  showResults(km, logrank?.error ? null : logrank, followup.error ? null : followup);
}

function showResults(km, logrank, followup) {
  state.km = km;
  state.logrank = logrank;
  ui.simulatedNote.hidden = !state.isExample;
  const dropped = km.n_dropped;
  ui.droppedNote.hidden = dropped === 0;
  ui.droppedNote.textContent = dropped === 0 ? ''
    : `${format.count(dropped, 'row')} with a missing time, event or group ${dropped === 1 ? 'was' : 'were'} left out.`;
  renderKm(ui.kmTable, ui.kmFootnote, km, state.unit, state.summary);
  ui.logrankBlock.hidden = !logrank;
  if (logrank) {
    renderLogRank({ line: ui.logrankLine, groupsTable: ui.logrankGroups, pairwiseWrap: ui.pairwiseWrap, pairwiseTable: ui.pairwiseTable }, logrank);
  }
  if (followup) {
    renderFollowUp(ui.followupLine, ui.followupTable, ui.followupWrap, followup, state.unit, format.timeDecimalsOf(km), km.conf_level);
  } else {
    ui.followupLine.textContent = 'Not available for these choices.';
    ui.followupWrap.hidden = true;
  }
  ui.results.hidden = false;
  ui.figureSection.hidden = false;
  if (ui.figureTableDetails.open) renderFigureTables(ui.figureTables, km, state.unit);
  else clear(ui.figureTables);
  // The figure is drawn in a task of its own, after the tables are on the screen: with a large
  // file each of the two takes a while, and together they would hold the page up for longer.
  new Promise((resolve) => setTimeout(resolve, 0)).then(drawFigure).then(() => {
    ui.results.dataset.state = 'ready';
  });
}

// ---------------------------------------------------------------- the figure

function currentFigureOptions() {
  return figure.figureOptions(ui.figureForm, {
    width: figure.figureWidth(ui.canvas.parentElement),
    groups: state.km?.groups.length ?? 1,
    pValue: state.logrank?.p ?? null,
  });
}

async function drawFigure() {
  if (!state.km) return;
  const options = currentFigureOptions();
  const failure = await figure.drawOnCanvas(ui.canvas, state.km, options);
  state.drawnWidth = options.width;
  if (failure) {
    showError('The figure could not be drawn:', failure.error.message);
    return;
  }
  const description = figure.describe(state.km, state.logrank, state.unit);
  ui.canvas.setAttribute('aria-label', description);
  ui.figureDescription.textContent = state.isExample
    ? 'Kaplan-Meier curves of the simulated example cohort (not real patients).'
    : `Kaplan-Meier curves of ${state.fileName}.`;
  if (!performance.getEntriesByName('survkit:first-figure').length) performance.mark('survkit:first-figure');
}

async function exportFigure(kind) {
  if (!state.km) return;
  ui.exportStatus.textContent = `Writing the ${kind.toUpperCase()}…`;
  const stem = state.isExample ? 'example-simulated' : figure.fileStem(state.fileName);
  const options = currentFigureOptions();
  const failure = kind === 'png'
    ? await figure.exportPng(state.km, options, stem)
    : await figure.exportSvg(state.km, options, stem);
  ui.exportStatus.textContent = failure ? `The ${kind.toUpperCase()} could not be written: ${failure}` : `${kind.toUpperCase()} saved.`;
}

// ---------------------------------------------------------------- events

function wire() {
  ui.fileInput.addEventListener('change', () => loadFileObject(ui.fileInput.files[0]));
  ui.cancelButton.addEventListener('click', cancel);
  ui.exampleButton.addEventListener('click', () => {
    // The example is a plain comma-separated file: read it with the default file options.
    ui.delimiter.value = 'auto';
    ui.decimal.value = '.';
    ui.na.value = '';
    load(exampleCsv, exampleFileName, { isExample: true });
  });

  // Drag and drop onto the drop zone; a file dropped elsewhere must not make the browser open it.
  for (const type of ['dragenter', 'dragover']) {
    ui.dropZone.addEventListener(type, (event) => {
      event.preventDefault();
      ui.dropZone.classList.add('dragging');
    });
  }
  ui.dropZone.addEventListener('dragleave', () => ui.dropZone.classList.remove('dragging'));
  ui.dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    ui.dropZone.classList.remove('dragging');
    if (!ui.fileInput.disabled) loadFileObject(event.dataTransfer?.files[0]);
  });
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => event.preventDefault());

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    analyse();
  });
  ui.figureForm.addEventListener('submit', (event) => event.preventDefault());
  ui.time.addEventListener('change', () => {
    updateUnit();
    analyse();
  });
  ui.event.addEventListener('change', () => {
    fillEventValues('');
    analyse();
  });
  for (const control of [ui.eventValue, ui.group, ui.at, ui.confType, ui.confLevel, ui.adjust]) {
    control.addEventListener('change', () => analyse());
  }
  // File options change how the text is read: read it again, so the preview and types follow.
  for (const control of [ui.delimiter, ui.decimal, ui.na]) {
    control.addEventListener('change', () => {
      if (state.source) load(state.source, state.fileName, { isExample: state.isExample, keepMapping: true });
    });
  }

  ui.xLabel.addEventListener('input', () => {
    ui.xLabel.dataset.auto = 'false';
  });
  ui.figureForm.addEventListener('change', () => drawFigure());
  ui.exportPng.addEventListener('click', () => exportFigure('png'));
  ui.exportSvg.addEventListener('click', () => exportFigure('svg'));
  ui.figureTableDetails.addEventListener('toggle', () => {
    if (ui.figureTableDetails.open && state.km && !ui.figureTables.hasChildNodes()) {
      renderFigureTables(ui.figureTables, state.km, state.unit);
    }
  });

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (state.km && figure.figureWidth(ui.canvas.parentElement) !== state.drawnWidth) drawFigure();
    }, 150);
  });
}

async function start() {
  clearError();
  setLoading(true);
  setStatus('Starting the calculator…', true);
  wire();
  try {
    await survkit.ready();
  } catch (error) {
    setStatus('The calculator could not start.');
    showError('The calculator could not start:', `${error.message}. Try a current version of Firefox, Chrome, Edge or Safari.`);
    return;
  }
  setLoading(false);
  setStatus('Ready. Choose a CSV file, drop one here, or try the example data.');
  performance.mark('survkit:ready');
  window.survkit = survkit;
  announceReady(survkit);
  window.dispatchEvent(new CustomEvent('survkit-ready', { detail: survkit }));
}

start();
