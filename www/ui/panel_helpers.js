// What the analysis panels (Cox regression, competing risks, Table 1) share: a run counter so a
// late answer never overwrites a newer one, the panel's state for tests and screen readers, its
// alert box, and the column pickers built from the load summary.

import { clear, el } from './dom.js';

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

/** `[{ value, label }]` of columns, for a select. */
export function columnOptions(columns) {
  return columns.map((column) => ({ value: column.name, label: column.name }));
}

/** Columns that can split patients into groups: 2 to 20 listed levels. */
export function groupableColumns(summary) {
  return summary.columns.filter((column) => column.n_distinct >= 2 && column.levels.length >= 2);
}

/** A column's type in words, as the picker shows it. */
export function describeKind(column) {
  if (column.kind === 'numeric') return column.levels.length > 0 ? `numeric, ${column.n_distinct} values` : 'numeric';
  if (column.levels.length === 0) return 'text, more than 20 values';
  return `categorical, ${column.levels.length} level${column.levels.length === 1 ? '' : 's'}`;
}

/** The landmark times typed in a box, or `{ error }`. */
export function parseTimes(text) {
  const times = [];
  for (const piece of text.split(/[,;\s]+/).filter(Boolean)) {
    const number = Number(piece);
    if (!Number.isFinite(number) || number < 0) return { error: `"${piece}" is not a time; give times of 0 or more, such as 12, 24` };
    times.push(number);
  }
  return { times };
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
