// The page's shell: it loads the file into the engine, keeps the column mapping the panels share,
// and wires the panels (www/ui/*/panel.js) and the study buttons (www/ui/study.js) to the page.
// The engine (./engine.js) runs in a Web Worker; nothing here computes a statistic or checks a
// request: the engine does, and its errors are shown.
//
// Once the engine is ready, `window.survkit` is ./engine.js's API (`await window.survkit.analyze(text, request)`),
// `window.survkitReady` resolves to it, and a `survkit-ready` event is fired on `window`.

import * as engine from './engine.js';
import exampleCsv, { exampleFileName } from './pkg/example_data.js';
import { createCompetingPanel } from './ui/competing/panel.js';
import { createCoxPanel } from './ui/cox/panel.js';
import { clear, el, selectValue, setOptions } from './ui/dom.js';
import { createEndpointsSection } from './ui/endpoints/section.js';
import { fileStem } from './ui/figure.js';
import * as format from './ui/format.js';
import { guessMapping } from './ui/guess.js';
import { columnChoices, columnOptions, eventValueOptions, listOf, textOf } from './ui/panel_helpers.js';
import { renderPreview } from './ui/preview.js';
import { createStudyControls } from './ui/study.js';
import { createSurvivalPanel } from './ui/survival/panel.js';
import { createTable1Panel } from './ui/table1/panel.js';
import { createTimeDependentPanel } from './ui/timedep/panel.js';

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
  delimiter: $('delimiter-select'),
  decimal: $('decimal-select'),
  na: $('na-input'),
};

/** What is loaded. */
const state = {
  source: null, // the File, or the example's text
  fileName: '',
  isExample: false,
  summary: null,
  derived: [], // the derived columns (a study's, and the endpoints made from dates), made again when the file is read again
  loads: 0, // increases with every load and cancel; a file from an older load is dropped
};

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

function showError(title, message) {
  clear(ui.alert).append(el('p', { className: 'alert-lines' }, el('strong', {}, title), ' ', message));
  ui.alert.hidden = false;
}

function clearError() {
  clear(ui.alert);
  ui.alert.hidden = true;
}

// ---------------------------------------------------------------- the column mapping

/** @returns {import('./ui/panel_helpers.js').Mapping} */
function currentMapping() {
  return { time: ui.time.value, event: ui.event.value, eventValue: ui.eventValue.value, group: ui.group.value };
}

/** Sets the mapping (a study's endpoint); a column the file does not have leaves its choice as it is. */
function setMapping({ time, event, eventValue, group }) {
  selectValue(ui.time, time);
  selectValue(ui.event, event);
  setOptions(ui.eventValue, eventValueOptions(state.summary, ui.event.value), eventValue);
  selectValue(ui.group, group);
}

function fillMapping(summary, previous) {
  const guess = guessMapping(summary);
  const names = new Set(summary.columns.map((column) => column.name));
  const keep = (name, fallback) => (previous && names.has(previous[name]) ? previous[name] : fallback);
  setOptions(ui.time, columnChoices(summary), keep('time', guess.time ?? ''));
  setOptions(ui.event, columnChoices(summary), keep('event', guess.event ?? ''));
  const groupable = summary.columns.filter((column) => column.groupable);
  setOptions(ui.group, [{ value: '', label: 'none: one curve for all patients' }, ...columnOptions(groupable)],
    previous && (previous.group === '' || names.has(previous.group)) ? previous.group : guess.group ?? '');
  setOptions(ui.eventValue, eventValueOptions(summary, ui.event.value), previous?.eventValue ?? '');
}

// ---------------------------------------------------------------- the panels

/** What the panels may ask of the page: the loaded file's engine, and (the survival panel) the mapping and status. */
const panelContext = {
  analyze: (request) => engine.analyzeLoaded({ ...request, ...readOptions() }),
  render: (request, kind) => engine.renderLoaded({ ...request, ...readOptions() }, kind),
  stem: () => (state.isExample ? 'example-simulated' : fileStem(state.fileName)),
  isExample: () => state.isExample,
  fileName: () => state.fileName,
  mapping: currentMapping,
  setMapping,
  setStatus,
};
const survivalPanel = createSurvivalPanel(panelContext);
const coxPanel = createCoxPanel(panelContext);
const panels = [survivalPanel, coxPanel, createCompetingPanel(panelContext, coxPanel), createTable1Panel(panelContext),
  createTimeDependentPanel(panelContext)];

// ---------------------------------------------------------------- loading

/** The file options as the engine reads them; the defaults are left out. */
function readOptions() {
  const options = {};
  if (ui.delimiter.value !== 'auto') options.delimiter = ui.delimiter.value;
  if (ui.decimal.value !== '.') options.decimal = ui.decimal.value;
  const na = ui.na.value.split(',').map((code) => code.trim()).filter(Boolean);
  if (na.length > 0) options.na = na;
  return options;
}

/** Sets the file options controls (an option the page does not list is added, for the engine to judge). */
function setReadOptions({ delimiter, decimal, na }) {
  const offer = (select, value) => {
    if (!selectValue(select, value)) select.append(el('option', { value, selected: true }, value));
  };
  const delimiters = { '\t': 'tab', '\\t': 'tab', comma: ',', semicolon: ';', '': 'auto' };
  offer(ui.delimiter, delimiters[textOf(delimiter)] ?? textOf(delimiter));
  offer(ui.decimal, textOf(decimal) || '.');
  ui.na.value = listOf(na).join(', ');
}

function setLoading(loading) {
  ui.fileInput.disabled = loading;
  ui.exampleButton.disabled = loading;
  ui.dropZone.classList.toggle('busy', loading);
}

/** Loads a file (or the example's text) into the engine, then shows the mapping and the panels. */
async function load(source, fileName, { isExample = false, keepMapping = false } = {}) {
  clearError();
  setLoading(true);
  const loadNumber = ++state.loads;
  const size = typeof source === 'string' ? new Blob([source]).size : source.size;
  setStatus(`Reading ${fileName} (${format.fileSize(size)})…`, true);
  const previous = keepMapping ? currentMapping() : null;
  for (const panel of panels) panel.hide('busy');
  const summary = await engine.loadFile(source, readOptions(), ({ phase, done }) => {
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
    for (const panel of panels) panel.hide('error');
    setStatus(`${fileName} could not be read.`);
    showError('The file could not be read:', summary.error.message);
    await study.dataLoaded();
    return;
  }
  Object.assign(state, { source, fileName, isExample, summary });
  if (!keepMapping) state.derived = [];
  setStatus(`Loaded ${fileName}: ${format.count(summary.n_rows, 'row')}, ${format.count(summary.columns.length, 'column')}.`);
  ui.fileLine.textContent = isExample
    ? `${fileName}: simulated example cohort, ${format.count(summary.n_rows, 'patient')} (not real people).`
    : `${fileName}: ${format.count(summary.n_rows, 'row')}, ${format.count(summary.columns.length, 'column')}, delimiter ${describeDelimiter(summary.delimiter)}.`;
  renderPreview(ui.previewTable, ui.warnings, summary);
  fillMapping(summary, previous);
  ui.mapping.hidden = false;
  const options = { mapping: currentMapping(), isExample, keep: keepMapping };
  await survivalPanel.load(summary, options);
  if (loadNumber !== state.loads) return;
  // The other panels start after the Kaplan-Meier results, so the first figure is not kept waiting.
  await Promise.all(panels.filter((panel) => panel !== survivalPanel).map((panel) => panel.load(summary, options)));
  if (loadNumber !== state.loads) return;
  // The engine starts each load without derived columns: a reload of the same file makes them
  // again (and shows them under Endpoints from dates).
  const remade = keepMapping && state.derived.length > 0 && (await study.remakeDerived());
  if (!remade) await endpointsSection.load(state.summary, keepMapping);
  await study.dataLoaded();
}

function describeDelimiter(delimiter) {
  return { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'bar' }[delimiter] ?? `"${delimiter}"`;
}

function loadFileObject(file) {
  if (!file) return;
  ui.fileInput.value = '';
  load(file, file.name);
}

/** Reads the loaded file again with the file options shown (the same file: the choices are kept). */
function reload() {
  return state.source ? load(state.source, state.fileName, { isExample: state.isExample, keepMapping: true }) : Promise.resolve();
}

/** Cancel: stops the engine, lets the file go and leaves the page ready for another file. */
function cancel() {
  state.loads += 1;
  engine.cancel();
  for (const panel of panels) panel.hide('cancelled');
  Object.assign(state, { source: null, fileName: '', isExample: false, summary: null });
  ui.mapping.hidden = true;
  clearError();
  setLoading(false);
  setStatus('Cancelled. Choose a file to load, or try the example data.');
  study.dataLoaded();
}

/**
 * Any engine call still running after a moment (a panel's Cox model, incidence or Table 1 on a
 * large file) shows Cancel too; the status line's own busy state (loading, the main analysis)
 * shows it at once.
 */
const SLOW_CALL_MS = 400;
let slowCall = 0;
engine.activity.addEventListener('busy', () => {
  clearTimeout(slowCall);
  slowCall = setTimeout(() => {
    ui.cancelButton.hidden = false;
  }, SLOW_CALL_MS);
});
engine.activity.addEventListener('idle', () => {
  clearTimeout(slowCall);
  if (!busy.timer) ui.cancelButton.hidden = true;
});

// ---------------------------------------------------------------- derived columns

/**
 * Adds derived columns (a study's, or the endpoints made from dates) to the loaded file in place
 * of those added before, and offers them in every panel; resolves to whether it worked. When the
 * engine refuses them, the page says why and keeps the columns it had.
 */
async function applyDerived(derived) {
  const previous = state.derived;
  if (derived.length === 0 && previous.length === 0) return true;
  const summary = await engine.setDerived(derived);
  if (summary.error) {
    showError('The derived columns could not be made:', summary.error.message);
    // The engine let the earlier ones go too: add them again.
    if (previous.length > 0) await engine.setDerived(previous);
    return false;
  }
  state.derived = derived;
  state.summary = summary;
  fillMapping(summary, currentMapping());
  const options = { mapping: currentMapping(), isExample: state.isExample, keep: true };
  for (const panel of panels) await panel.load(summary, options);
  await endpointsSection.load(summary, true);
  return true;
}

const endpointsSection = createEndpointsSection({
  derived: () => state.derived,
  setDerived: (derived) => {
    clearError();
    return applyDerived(derived);
  },
  endpoints: engine.endpoints,
  stem: panelContext.stem,
});

// ---------------------------------------------------------------- studies

const study = createStudyControls({
  panels,
  readOptions,
  /** Sets a study's file options; reads the file again when they changed. Resolves to whether a file is loaded. */
  async applyReadOptions(read) {
    const before = JSON.stringify(readOptions());
    setReadOptions(read);
    if (JSON.stringify(readOptions()) !== before) await reload();
    return state.summary !== null;
  },
  isLoaded: () => state.summary !== null,
  derived: () => state.derived,
  applyDerived,
  checkStudy: (candidate) => engine.checkStudy(candidate),
  stem: panelContext.stem,
  analyze: panelContext.analyze,
  showError,
});

// ---------------------------------------------------------------- events

function wireFile() {
  ui.fileInput.addEventListener('change', () => loadFileObject(ui.fileInput.files[0]));
  ui.cancelButton.addEventListener('click', cancel);
  ui.exampleButton.addEventListener('click', () => {
    // The example is a plain comma-separated file: read it with the default file options.
    setReadOptions({});
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
  // File options change how the text is read: read it again, so the preview and types follow.
  for (const control of [ui.delimiter, ui.decimal, ui.na]) control.addEventListener('change', reload);
}

function wireMapping() {
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    survivalPanel.mappingChanged();
  });
  ui.event.addEventListener('change', () => {
    setOptions(ui.eventValue, eventValueOptions(state.summary, ui.event.value), '');
  });
  for (const control of [ui.time, ui.event, ui.eventValue, ui.group]) {
    control.addEventListener('change', () => survivalPanel.mappingChanged());
  }
}

async function start() {
  clearError();
  setLoading(true);
  setStatus('Starting the calculator…', true);
  wireFile();
  wireMapping();
  try {
    await engine.ready();
  } catch (error) {
    setStatus('The calculator could not start.');
    showError('The calculator could not start:', `${error.message}. Try a current version of Firefox, Chrome, Edge or Safari.`);
    return;
  }
  setLoading(false);
  setStatus('Ready. Choose a CSV file, drop one here, or try the example data.');
  performance.mark('survkit:ready');
  window.survkit = engine;
  announceReady(engine);
  window.dispatchEvent(new CustomEvent('survkit-ready', { detail: engine }));
  await study.readFragment();
}

start();
