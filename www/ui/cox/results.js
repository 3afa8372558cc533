// The Cox panel's results: the multivariable model (its terms, concordance, likelihood ratio test
// and cox.zph) or the univariate screen (one model per covariate). Every number comes from the
// engine's JSON (`analysis: "cox"`); this module only lays it out.

import { append, clear, el, fillTable } from '../dom.js';
import * as format from '../format.js';
import { mergedTimesNote } from '../result_helpers.js';
import { convergenceWarning, renderNotes, renderTermTable } from '../term_table.js';

const TIES_NAMES = { efron: 'Efron', breslow: 'Breslow' };

/** The multivariable model: summary line, terms with their warnings, footnote and cox.zph. */
export function renderModel(ui, report) {
  ui.heading.textContent = report.strata ? `Multivariable Cox model, stratified by ${report.strata}` : 'Multivariable Cox model';
  const lr = report.tests.likelihood_ratio;
  const concordance = report.concordance.estimate === null ? 'not estimable'
    : `${format.fixed(report.concordance.estimate, 3)}${report.concordance.se === null ? '' : ` (SE ${format.fixed(report.concordance.se, 3)})`}`;
  clear(ui.summaryLine);
  append(ui.summaryLine,
    el('span', { id: 'cox-n' }, `${format.count(report.n, report.start ? '(start, stop] row' : 'patient')}, ${format.count(report.events, 'event')}`),
    report.time_dependent
      ? el('span', { id: 'cox-time-dependent' }, `; ${report.time_dependent.exposure} is time-dependent (${report.time_dependent.n_exposed} exposed while followed, `
        + `${format.count(report.time_dependent.intervals, '(start, stop] interval')})`)
      : '',
    report.n_dropped > 0 ? ` (${format.count(report.n_dropped, 'row')} with missing values left out)` : '',
    '. Concordance ', el('span', { id: 'cox-concordance' }, concordance),
    '. Likelihood ratio test ',
    el('span', { id: 'cox-lr' }, `χ² = ${format.statistic(lr.stat)} on ${lr.df} df, ${format.pValue(lr.p)}`), '.');
  const general = renderTermTable(ui.table, { ratioName: 'HR', confLevel: report.conf_level, terms: report.terms, warnings: report.warnings });
  renderNotes(ui.notes, [...general, ...convergenceWarning(report)]);
  ui.footnote.textContent = `HR: hazard ratio, with ${format.levelLabel(report.conf_level)} Wald confidence interval and Wald test P `
    + `(R's coxph, ${TIES_NAMES[report.ties] ?? report.ties} ties). A categorical covariate's terms compare each level with the reference level; `
    + 'a cut-point compares patients meeting it with the others.' + mergedTimesNote(report.merged_times);
  renderZph(ui, report.zph);
}

function renderZph(ui, zph) {
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

/** The univariate screen: every fitted model's terms with its patients and events, and the models that failed. */
export function renderScreen(ui, report, confLevel) {
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
    confLevel,
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
