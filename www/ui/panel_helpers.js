// What the analysis panels (survival, Cox regression, competing risks, Table 1) share: a run
// counter so a late answer never overwrites a newer one, the panel's state for tests and screen
// readers, its alert box, the column pickers built from the load summary, requests without empty
// fields, and the titles an opened study gave its analyses.
//
// Every panel is built the same way: a form (its choices, which make its requests and are set from
// a study's), its results, and its figure when it has one; the panel wires them with a runTracker.

import { clear, el } from './dom.js';

/** @typedef {import('../../schema/survkit.d.ts').Request} Request */
/** @typedef {import('../../schema/survkit.d.ts').Report} Report */
/** @typedef {import('../../schema/survkit.d.ts').FigureSettings} FigureSettings */
/**
 * One analysis of a study: its title, its request (without the file options), and for an analysis
 * with a figure the figure's settings.
 * @typedef {import('../../schema/survkit.d.ts').Study['analyses'][number]} StudyEntry
 */
/**
 * The column mapping shared by the panels (the page's "2. Columns and options").
 * @typedef {{ time: string, event: string, eventValue: string, group: string }} Mapping
 */
/**
 * What every panel offers the page (app.js) and the study (study.js).
 * @typedef {object} Panel
 * @property {readonly string[]} analyses  the `analysis` values whose study entries it applies
 * @property {(entry: StudyEntry) => boolean} [takes]  of those, the entries it applies (all when absent)
 * @property {(summary: object, options: { mapping: Mapping, isExample: boolean, keep: boolean }) => Promise<void> | void} load
 *   a file was loaded: fill the form (keeping the choices when the same file was re-read) and run what runs by itself
 * @property {(state?: string) => void} hide  hides the panel while a file is read; `state` becomes its `data-state`
 * @property {() => StudyEntry[]} entries  the requests of its last successful run, with titles and figure settings
 * @property {(entries: StudyEntry[]) => Promise<void>} apply  sets the form from the entries' requests and runs them
 */

/**
 * A panel's runs. `begin()` marks the section busy and returns a token; `finish(token, state)`
 * returns false (and changes nothing) when a newer run has begun since. The section's
 * `data-state` is `idle`, `busy`, `ready` or `error`. Errors go to `alertBox` (role="alert");
 * what is still to be chosen goes quietly to `promptLine`.
 */
export function runTracker(section, alertBox, promptLine = null) {
  let run = 0;
  const tracker = {
    begin() {
      run += 1;
      section.dataset.state = 'busy';
      section.setAttribute('aria-busy', 'true');
      tracker.clearAlert();
      return run;
    },
    isCurrent(token) {
      return token === run;
    },
    finish(token, state) {
      if (token !== run) return false;
      section.dataset.state = state;
      section.removeAttribute('aria-busy');
      return true;
    },
    /** Drops whatever is running and sets the state (a new file, or choices that cannot run). */
    reset(state = 'idle') {
      run += 1;
      section.dataset.state = state;
      section.removeAttribute('aria-busy');
    },
    showAlert(title, message) {
      clear(alertBox).append(el('p', {}, el('strong', {}, title), ' ', message));
      alertBox.hidden = false;
    },
    clearAlert() {
      clear(alertBox);
      alertBox.hidden = true;
      if (promptLine) {
        promptLine.textContent = '';
        promptLine.hidden = true;
      }
    },
    /**
     * Takes an analysis result for run `token`: false when a newer run has started, or when the
     * engine returned an error (then `onFailure` runs, `results` are hidden and the alert says
     * `failure` and the engine's message); true when the caller should show the report.
     */
    accept(token, report, results, failure, onFailure) {
      if (!tracker.isCurrent(token)) return false;
      if (!report.error) return true;
      onFailure();
      results.hidden = true;
      tracker.finish(token, 'error');
      tracker.showAlert(failure, report.error.message);
      return false;
    },
    /** Says what is still to be chosen, without interrupting a screen reader. */
    prompt(text) {
      if (!promptLine) return;
      promptLine.textContent = text;
      promptLine.hidden = false;
    },
  };
  return tracker;
}

/**
 * A panel's elements by the ids given: `byIds({ form: 'cr-form' })` -> `{ form: <the element> }`.
 * @param {Record<string, string>} ids
 * @returns {Record<string, any>} each a form control, table or other element, as its id says
 */
export function byIds(ids) {
  return Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, document.getElementById(id)]));
}

/** `[{ value, label }]` of columns, for a select. */
export function columnOptions(columns) {
  return columns.map((column) => ({ value: column.name, label: column.name }));
}

/** Every column, after "(choose a column)". */
export function columnChoices(summary) {
  return [{ value: '', label: '(choose a column)' }, ...columnOptions(summary.columns)];
}

/** `[{ value, label }]` of a column's levels. */
export function levelOptions(levels) {
  return levels.map((level) => ({ value: level, label: level }));
}

/** "The value that means an event": automatic, or one of the event column's values. */
export function eventValueOptions(summary, eventColumn) {
  const column = summary?.columns.find((candidate) => candidate.name === eventColumn);
  return [{ value: '', label: 'automatic' }, ...levelOptions(column?.levels ?? [])];
}

/** A column's type in words, as the picker shows it. */
export function describeKind(column) {
  if (column.kind === 'numeric') return column.levels.length > 0 ? `numeric, ${column.n_distinct} values` : 'numeric';
  if (column.levels.length === 0) return 'text, more than 20 values';
  return `categorical, ${column.levels.length} level${column.levels.length === 1 ? '' : 's'}`;
}

/** A checkbox with its label in one table cell; `id` must be unique on the page. */
export function checkboxCell(id, label, { checked = false, disabled = false, title } = {}) {
  const input = el('input', { type: 'checkbox', id, checked, disabled });
  const cell = el('td', { className: 'pick' }, el('span', { className: 'field check' }, input, el('label', { htmlFor: id, title }, label)));
  return { cell, input };
}

/** Calls `fn` at most once per `ms` after the last call. */
export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * A request without the fields left empty (undefined, null, '' or []): a field the user did not
 * fill is omitted, so the engine applies its default (or says what is missing).
 * @template {object} T
 * @param {T} request
 * @returns {T}
 */
export function omitEmpty(request) {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined && value !== null && value !== ''
    && !(Array.isArray(value) && value.length === 0)));
}

/** A request's list field as an array: `["a", "b"]`, or the text `"a, b"` as the engine reads it. */
export function listOf(value) {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return String(value).split(',').map((piece) => piece.trim()).filter(Boolean);
}

/** A request's value (text, a number or absent) as a select's value: `1` -> "1", absent -> "". */
export function textOf(value) {
  return value === undefined || value === null ? '' : String(value);
}

/** A request's `at` as the text box shows it: `[12, 24]` or `"12,24"` -> "12, 24". */
export function timesText(value) {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * A panel's `takes` for study entries without a landmark: the panels that offer no landmark leave
 * a landmark analysis to the panel that shows it (or to the study, kept as written).
 * @param {StudyEntry} entry
 */
export function withoutLandmark(entry) {
  const landmark = /** @type {any} */ (entry.request).landmark;
  return landmark === undefined || landmark === null;
}

/** The first entry of each analysis: `{ km: entry, logrank: entry }`. */
export function firstOfEach(entries) {
  const first = {};
  for (const entry of entries) first[entry.request?.analysis] ??= entry;
  return first;
}

/**
 * The titles an opened study gave its analyses, kept while the request shown is the study's own;
 * any other request gets the title the panel makes for it.
 */
export function studyTitles() {
  const given = new Map(); // request JSON -> title
  return {
    remember(entries) {
      given.clear();
      for (const entry of entries) if (entry.title) given.set(JSON.stringify(entry.request), entry.title);
    },
    title(request, made) {
      return given.get(JSON.stringify(request)) ?? made;
    },
  };
}
