// A table of regression terms, shared by the Cox and Fine-Gray results: term, ratio with its
// interval, P, and the engine's warnings under the term they concern.

import { clear, el, fillTable } from './dom.js';
import * as format from './format.js';

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

/**
 * A table of terms: term, ratio (CI), P, and extra cells per term; rows carry `data-term`.
 * Returns the warnings about no single row, for `renderNotes`.
 */
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

/** The note a fit that did not converge adds to a model's warnings. */
export function convergenceWarning(report) {
  return report.converged ? [] : [{ term: null, message: `The fit did not converge in ${report.iterations} iterations; the estimates may be unreliable.` }];
}
