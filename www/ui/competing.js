// The competing-risks panel: cumulative incidence of every cause with Gray's test (`analysis:
// "cif"`), its figures (the cause of interest, and its competitor beside it), and the Fine-Gray
// model (`analysis: "finegray"`) on the covariates ticked in the Cox panel. The names typed for
// the causes only label headings and axes; the engine sees the status values.

import { append, clear, el, fillTable, setOptions } from './dom.js';
import * as figure from './figure.js';
import * as format from './format.js';
import { guessMapping, timeUnit, words } from './guess.js';
import { renderNotes, renderTermTable } from './cox.js';
import { columnOptions, debounce, groupableColumns, parseTimes, runTracker } from './panel_helpers.js';
import { groupLabel } from './results.js';

const $ = (id) => document.getElementById(id);

/** The example cohort: leukaemia-free survival, relapse (1) against non-relapse mortality (2). */
const EXAMPLE = {
  time: 'lfs_months',
  status: 'relapse_status',
  censor: '0',
  cause: '1',
  names: { 1: 'Relapse', 2: 'Non-relapse mortality' },
  group: 'group',
};

const STATUS_WORDS = ['status', 'cause', 'causes', 'competing', 'cr', 'crstatus', 'fstatus', 'event', 'outcome'];
const AT_RISK_ROW = 18; // as src/plot.rs lays out the number-at-risk table

/** A status column: 3 to 8 values (censored and at least two causes), named like a status. */
function guessStatus(summary) {
  let best = null;
  let bestScore = 0;
  for (const column of summary.columns) {
    if (column.levels.length < 3 || column.levels.length > 8) continue;
    let score = words(column.name).some((part) => STATUS_WORDS.includes(part)) ? 2 : 0;
    if (score > 0 && column.levels.includes('0')) score += 1;
    if (score > bestScore) {
      best = column;
      bestScore = score;
    }
  }
  return best?.name ?? '';
}

export function createCompetingPanel(context, coxPanel) {
  const ui = {
    section: $('cr-section'),
    form: $('cr-form'),
    time: $('cr-time'),
    status: $('cr-status'),
    censor: $('cr-censor'),
    cause: $('cr-cause'),
    names: $('cr-names'),
    group: $('cr-group'),
    at: $('cr-at'),
    strata: $('cr-strata'),
    confLevel: $('cr-conf-level'),
    alert: $('cr-alert'),
    results: $('cr-results'),
    dropped: $('cr-dropped'),
    causes: $('cr-causes'),
    footnote: $('cr-footnote'),
    figureForm: $('cr-figure-form'),
    competitor: $('cr-competitor'),
    xLabel: $('cr-x-label'),
    figures: $('cr-figures'),
    canvas: $('cr-canvas'),
    caption: $('cr-caption'),
    competitorFigure: $('cr-figure-competitor'),
    competitorCanvas: $('cr-canvas-competitor'),
    competitorCaption: $('cr-caption-competitor'),
    exportStatus: $('cr-export-status'),
    fgBlock: $('fg-block'),
    fgCovariates: $('fg-covariates'),
    fgRun: $('fg-run'),
    fgAlert: $('fg-alert'),
    fgResults: $('fg-results'),
    fgSummary: $('fg-summary'),
    fgTable: $('fg-table'),
    fgNotes: $('fg-notes'),
    fgFootnote: $('fg-footnote'),
  };
  const tracker = runTracker(ui.section, ui.alert, $('cr-prompt'));
  const fgTracker = runTracker(ui.fgBlock, ui.fgAlert);
  const state = {
    summary: null,
    isExample: false,
    report: null, // the cif result shown
    request: null,
    nameInputs: new Map(), // status value -> its name box
    fgShown: false,
    fg: null, // the finegray result shown
    drawnWidth: 0,
  };

  // ------------------------------------------------------------ the causes and their names

  function statusLevels() {
    return state.summary?.columns.find((column) => column.name === ui.status.value)?.levels ?? [];
  }

  function causeLevels() {
    return statusLevels().filter((level) => level !== ui.censor.value);
  }

  /** The name the user gave a cause, or "Cause 2". */
  function causeName(cause) {
    const typed = state.nameInputs.get(cause)?.value.trim();
    return typed || `Cause ${cause}`;
  }

  function fillCensor(selected) {
    const levels = statusLevels();
    const fallback = levels.includes('0') ? '0' : levels[0] ?? '';
    setOptions(ui.censor, levels.map((level) => ({ value: level, label: level })), levels.includes(selected) ? selected : fallback);
  }

  function fillCauses(selected, names = {}) {
    const causes = causeLevels();
    setOptions(ui.cause, causes.map((level) => ({ value: level, label: level })), causes.includes(selected) ? selected : causes[0]);
    // One name box per cause, keeping what was typed for a cause still offered.
    const typed = new Map([...state.nameInputs].map(([cause, input]) => [cause, input.value]));
    for (const field of ui.names.querySelectorAll('.field')) field.remove();
    state.nameInputs.clear();
    causes.forEach((cause, index) => {
      const id = `cr-name-${index}`;
      const input = el('input', { type: 'text', id, autocomplete: 'off', placeholder: `Cause ${cause}`, 'data-cause': cause });
      input.value = names[cause] ?? typed.get(cause) ?? '';
      state.nameInputs.set(cause, input);
      ui.names.append(el('div', { className: 'field' }, el('label', { htmlFor: id }, `Name of cause ${cause}`), input));
    });
    ui.names.hidden = causes.length === 0;
    fillCompetitor('');
  }

  function fillCompetitor(selected) {
    const others = causeLevels().filter((level) => level !== ui.cause.value);
    setOptions(ui.competitor, others.map((level) => ({ value: level, label: `${level}: ${causeName(level)}` })), selected);
    ui.competitor.disabled = others.length === 0;
  }

  // ------------------------------------------------------------ loading a file

  function choices() {
    if (!state.summary) return null;
    return {
      time: ui.time.value,
      status: ui.status.value,
      censor: ui.censor.value,
      cause: ui.cause.value,
      names: Object.fromEntries([...state.nameInputs].map(([cause, input]) => [cause, input.value])),
      group: ui.group.value,
      at: ui.at.value,
      strata: ui.strata.value,
    };
  }

  function load(summary, { mapping, isExample, keep }) {
    const previous = keep ? choices() : null;
    tracker.reset();
    fgTracker.reset();
    Object.assign(state, { summary, isExample, report: null, request: null, fgShown: false, fg: null });
    ui.results.hidden = true;
    ui.fgResults.hidden = true;
    tracker.clearAlert();
    fgTracker.clearAlert();
    const names = new Set(summary.columns.map((column) => column.name));
    const example = isExample && names.has(EXAMPLE.time) && names.has(EXAMPLE.status);
    const start = previous ?? {
      time: example ? EXAMPLE.time : mapping.time,
      status: example ? EXAMPLE.status : guessStatus(summary),
      censor: example ? EXAMPLE.censor : '0',
      cause: example ? EXAMPLE.cause : '',
      names: example ? EXAMPLE.names : {},
      group: example ? EXAMPLE.group : mapping.group ?? guessMapping(summary).group ?? '',
      at: mapping.at,
      strata: '',
    };
    const choose = [{ value: '', label: '(choose a column)' }];
    setOptions(ui.time, [...choose, ...columnOptions(summary.columns)], start.time ?? '');
    const statusColumns = summary.columns.filter((column) => column.levels.length >= 2);
    setOptions(ui.status, [...choose, ...columnOptions(statusColumns)], start.status);
    fillCensor(start.censor);
    state.nameInputs.clear();
    fillCauses(start.cause, start.names);
    const groups = [{ value: '', label: 'none: all patients together' }, ...columnOptions(groupableColumns(summary))];
    setOptions(ui.group, groups, start.group ?? '');
    setOptions(ui.strata, [{ value: '', label: 'none' }, ...columnOptions(groupableColumns(summary))], start.strata);
    ui.at.value = start.at;
    updateAxisLabel();
    ui.section.hidden = false;
    updateCovariateHint();
    return analyse();
  }

  /** Hides the panel while a file is read (its choices stay, to be kept if the same file is re-read). */
  function hide() {
    tracker.reset();
    fgTracker.reset();
    state.fgShown = false;
    ui.section.hidden = true;
  }

  function updateAxisLabel() {
    if (!ui.xLabel.value || ui.xLabel.dataset.auto !== 'false') {
      ui.xLabel.value = timeUnit(ui.time.value).label;
      ui.xLabel.dataset.auto = 'true';
    }
  }

  // ------------------------------------------------------------ cumulative incidence

  function request() {
    const wanted = {
      analysis: 'cif',
      time: ui.time.value,
      status: ui.status.value,
      censor_value: ui.censor.value,
      at: parseTimes(ui.at.value).times ?? [],
      conf_level: Number(ui.confLevel.value),
    };
    if (ui.group.value !== '') wanted.group = ui.group.value;
    if (ui.strata.value !== '') wanted.strata = ui.strata.value;
    return wanted;
  }

  async function analyse() {
    if (!state.summary) return;
    const token = tracker.begin();
    if (!ui.time.value || !ui.status.value) {
      ui.results.hidden = true;
      tracker.finish(token, 'idle');
      tracker.prompt('Choose the follow-up time and the status column: its values say which event happened first, or that the patient was censored.');
      return;
    }
    const times = parseTimes(ui.at.value);
    if (times.error) {
      ui.results.hidden = true;
      tracker.finish(token, 'error');
      tracker.showAlert('Incidence at times:', times.error);
      return;
    }
    const wanted = request();
    const report = await context.analyze(wanted);
    const failure = 'The cumulative incidence could not be estimated:';
    if (!tracker.accept(token, report, ui.results, failure, () => { state.report = null; })) return;
    state.report = report;
    state.request = wanted;
    renderCauses();
    ui.results.hidden = false;
    await drawFigures();
    tracker.finish(token, 'ready');
  }

  /** The causes in display order: the cause of interest first. */
  function orderedCauses() {
    const causes = state.report?.causes ?? [];
    const chosen = causes.find((entry) => entry.cause === ui.cause.value);
    return chosen ? [chosen, ...causes.filter((entry) => entry !== chosen)] : causes;
  }

  function renderCauses() {
    const report = state.report;
    const unit = timeUnit(state.request.time).label;
    const word = unit !== 'Time' ? unit.toLowerCase() : '';
    clear(ui.causes);
    ui.dropped.hidden = report.n_dropped === 0;
    ui.dropped.textContent = report.n_dropped === 0 ? ''
      : `${format.count(report.n_dropped, 'row')} with a missing time, status or group ${report.n_dropped === 1 ? 'was' : 'were'} left out.`;
    orderedCauses().forEach((entry, index) => {
      const headingId = `cr-cause-heading-${index}`;
      const block = el('section', { className: 'result-block cause-block', 'data-cause': entry.cause, 'aria-labelledby': headingId });
      block.append(el('h3', { id: headingId },
        causeName(entry.cause), ' ',
        el('span', { className: 'cause-code' }, `(status ${entry.cause}${entry.cause === ui.cause.value ? ', the cause of interest' : ''})`)));
      if (entry.gray) {
        block.append(el('p', { className: 'test-line' },
          `Gray's test: χ² = ${format.statistic(entry.gray.stat)} on ${entry.gray.df} df, `,
          el('strong', { className: 'gray-p' }, format.pValue(entry.gray.p)),
          report.strata ? ` (stratified by ${report.strata})` : '',
          entry.gray.note ? `. ${entry.gray.note}.` : ''));
      }
      const landmarks = entry.groups[0]?.at.map((at) => at.time) ?? [];
      const table = el('table', { className: 'results cif-table' }, el('thead'), el('tbody'));
      fillTable(table,
        ['Group', { text: 'Patients', className: 'num' }, { text: 'Events', className: 'num' },
          ...landmarks.map((time) => (word ? `At ${format.shortNumber(time)} ${word}` : `At t = ${format.shortNumber(time)}`))],
        entry.groups.map((group) => [
          groupLabel(group.group),
          { text: String(group.n), className: 'num' },
          { text: String(group.events), className: 'num' },
          ...group.at.map((at) => ({ text: format.incidenceWithCi(at.cif, at.lower, at.upper, report.conf_level), className: 'landmark' })),
        ]));
      [...table.tBodies[0].rows].forEach((row, rowIndex) => {
        row.dataset.group = groupLabel(entry.groups[rowIndex].group);
      });
      block.append(el('div', { className: 'table-scroll', tabIndex: 0, role: 'region', 'aria-labelledby': headingId }, table));
      ui.causes.append(block);
    });
    ui.footnote.textContent = `Cumulative incidence (Aalen-Johansen, R's cmprsk::cuminc) with ${format.levelLabel(report.conf_level)} `
      + 'confidence intervals (log-log transform). Events: events of that cause. A percentage without an interval: no event of that cause yet.';
  }

  // ------------------------------------------------------------ figures

  function figureSettings() {
    const form = ui.figureForm.elements;
    const xMax = Number(form.x_max.value);
    return {
      showCi: form.show_ci.checked,
      showCensor: form.show_censor_ticks.checked,
      showAtRisk: form.show_at_risk.checked,
      showP: form.show_p.checked,
      percent: form.percent.checked,
      sideBySide: form.side_by_side.checked && !ui.competitor.disabled && ui.competitor.value !== '',
      xLabel: form.x_label.value.trim() || 'Time',
      xMax: form.x_max.value.trim() !== '' && Number.isFinite(xMax) && xMax > 0 ? xMax : null,
    };
  }

  function figureOptions(cause, width, settings) {
    const entry = state.report.causes.find((candidate) => candidate.cause === cause);
    const groups = entry?.groups.length ?? 1;
    const plotHeight = Math.round(width * (settings.sideBySide ? 0.72 : 0.6));
    const tableHeight = settings.showAtRisk ? Math.ceil(AT_RISK_ROW * (groups + 1.6)) : 0;
    const p = entry?.gray?.p;
    return {
      width,
      height: plotHeight + tableHeight,
      scale: 1,
      title: null,
      x_label: settings.xLabel,
      y_label: `Cumulative incidence of ${causeName(cause)}`,
      show_ci: settings.showCi,
      show_censor_ticks: settings.showCensor,
      show_at_risk: settings.showAtRisk,
      p_value: settings.showP && groups > 1 && p !== null && p !== undefined ? p : null,
      p_label: "Gray's test",
      break_every: null,
      x_max: settings.xMax,
      cause,
      percent: settings.percent,
    };
  }

  function figureWidths(settings) {
    if (!settings.sideBySide) return figure.figureWidth(ui.figures);
    // Two canvases (and their 1 px borders) and the 16 px gap in one row.
    const available = ui.figures.clientWidth || 900;
    return Math.max(320, Math.min(880, Math.floor((available - 16) / 2) - 4));
  }

  /** The figures shown: the cause of interest, and the competitor when side by side. */
  function shownFigures(settings = figureSettings()) {
    const width = figureWidths(settings);
    const shown = [{ cause: ui.cause.value, canvas: ui.canvas, caption: ui.caption }];
    if (settings.sideBySide) shown.push({ cause: ui.competitor.value, canvas: ui.competitorCanvas, caption: ui.competitorCaption });
    return shown.map((entry) => ({ ...entry, options: figureOptions(entry.cause, width, settings) }));
  }

  async function drawFigures() {
    if (!state.report) return;
    const settings = figureSettings();
    ui.figures.classList.toggle('side-by-side', settings.sideBySide);
    ui.competitorFigure.hidden = !settings.sideBySide;
    const shown = shownFigures(settings);
    state.drawnWidth = shown[0].options.width;
    for (const { cause, canvas, caption, options } of shown) {
      const failure = await figure.drawOnCanvas(canvas, state.report, options);
      if (failure) {
        tracker.showAlert('The figure could not be drawn:', failure.error.message);
        continue;
      }
      const entry = state.report.causes.find((candidate) => candidate.cause === cause);
      const groups = entry?.groups.map((group) => `${groupLabel(group.group)} (${group.events} events)`) ?? [];
      const test = options.p_value !== null ? ` Gray's test ${format.pValue(options.p_value)}.` : '';
      canvas.setAttribute('aria-label',
        `Cumulative incidence of ${causeName(cause)}: ${groups.length} curve${groups.length === 1 ? '' : 's'}, ${groups.join('; ')}.${test} `
        + 'The numbers at the chosen times are in the tables above.');
      caption.textContent = `Cumulative incidence of ${causeName(cause)} (status ${cause})`
        + `${state.isExample ? ', simulated example cohort (not real patients).' : '.'}`;
    }
  }

  async function exportFigure(which, kind) {
    const entry = shownFigures().find((_, index) => index === which);
    if (!state.report || !entry) return;
    ui.exportStatus.textContent = `Writing the ${kind.toUpperCase()}…`;
    const name = `cumulative-incidence-cause-${figure.fileStem(entry.cause)}`;
    const failure = kind === 'png'
      ? await figure.exportPng(state.report, entry.options, context.stem(), name)
      : await figure.exportSvg(state.report, entry.options, context.stem(), name);
    ui.exportStatus.textContent = failure ? `The ${kind.toUpperCase()} could not be written: ${failure}` : `${kind.toUpperCase()} saved.`;
  }

  // ------------------------------------------------------------ Fine-Gray

  function updateCovariateHint() {
    const { covariates } = coxPanel.design();
    ui.fgCovariates.textContent = covariates.length === 0
      ? 'Tick the covariates in 5. Cox regression; the model is for the cause of interest chosen above.'
      : `Covariates ticked in 5. Cox regression: ${covariates.join(', ')}. The model is for the cause of interest chosen above.`;
  }

  async function runFineGray() {
    if (!state.summary) return;
    const token = fgTracker.begin();
    const design = coxPanel.design();
    if (!ui.time.value || !ui.status.value || !ui.cause.value || design.covariates.length === 0) ui.fgResults.hidden = true;
    if (!ui.time.value || !ui.status.value || !ui.cause.value) {
      fgTracker.finish(token, 'error');
      fgTracker.showAlert('Fine-Gray model:', 'choose the time, the status column and the cause of interest above.');
      return;
    }
    if (design.covariates.length === 0) {
      fgTracker.finish(token, 'error');
      fgTracker.showAlert('Fine-Gray model:', 'tick at least one covariate in 5. Cox regression.');
      return;
    }
    state.fgShown = true;
    const wanted = {
      analysis: 'finegray',
      time: ui.time.value,
      status: ui.status.value,
      censor_value: ui.censor.value,
      cause: ui.cause.value,
      ...design,
      conf_level: Number(ui.confLevel.value),
    };
    const report = await context.analyze(wanted);
    const failure = 'The Fine-Gray model could not be fitted:';
    if (!fgTracker.accept(token, report, ui.fgResults, failure, () => { state.fg = null; })) return;
    state.fg = report;
    renderFineGray();
    ui.fgResults.hidden = false;
    fgTracker.finish(token, 'ready');
  }

  function renderFineGray() {
    const report = state.fg;
    clear(ui.fgSummary);
    append(ui.fgSummary,
      `Subdistribution hazards of ${causeName(report.cause)} (status ${report.cause}): `,
      el('span', { id: 'fg-n' }, `${format.count(report.n, 'patient')}, ${format.count(report.events, 'event')} of this cause`),
      `, ${report.competing} competing, ${report.censored} censored`,
      report.n_dropped > 0 ? `; ${format.count(report.n_dropped, 'row')} with missing values left out` : '', '.');
    const general = renderTermTable(ui.fgTable, { ratioName: 'SHR', confLevel: report.conf_level, terms: report.terms, warnings: report.warnings });
    if (!report.converged) general.push({ term: null, message: `The fit did not converge in ${report.iterations} iterations; the estimates may be unreliable.` });
    renderNotes(ui.fgNotes, general);
    ui.fgFootnote.textContent = `SHR: subdistribution hazard ratio (Fine-Gray model, R's cmprsk::crr), with ${format.levelLabel(report.conf_level)} `
      + 'confidence interval and P from the robust (sandwich) variance. Patients with a competing event stay in the risk set.';
  }

  // ------------------------------------------------------------ events

  ui.form.addEventListener('submit', (event) => event.preventDefault());
  ui.figureForm.addEventListener('submit', (event) => event.preventDefault());
  ui.form.addEventListener('change', (event) => {
    if (event.target.dataset.cause !== undefined) return; // a cause's name: relabelled on input
    if (event.target === ui.status) {
      fillCensor('');
      fillCauses('');
    } else if (event.target === ui.censor) {
      fillCauses(ui.cause.value);
    } else if (event.target === ui.cause) {
      fillCompetitor(ui.competitor.value);
    } else if (event.target === ui.time) {
      updateAxisLabel();
    }
    analyse();
    if (state.fgShown) runFineGray();
  });
  const relabel = debounce(() => {
    fillCompetitor(ui.competitor.value);
    if (state.report) {
      renderCauses();
      drawFigures();
    }
    if (state.fg) renderFineGray();
  }, 200);
  ui.names.addEventListener('input', relabel);
  ui.xLabel.addEventListener('input', () => {
    ui.xLabel.dataset.auto = 'false';
  });
  ui.figureForm.addEventListener('change', () => drawFigures());
  ui.fgRun.addEventListener('click', () => runFineGray());
  $('cr-png').addEventListener('click', () => exportFigure(0, 'png'));
  $('cr-svg').addEventListener('click', () => exportFigure(0, 'svg'));
  $('cr-competitor-png').addEventListener('click', () => exportFigure(1, 'png'));
  $('cr-competitor-svg').addEventListener('click', () => exportFigure(1, 'svg'));
  coxPanel.onDesignChange(() => {
    updateCovariateHint();
    if (state.fgShown) runFineGray();
  });
  window.addEventListener('resize', debounce(() => {
    if (state.report && !ui.results.hidden && shownFigures()[0].options.width !== state.drawnWidth) drawFigures();
  }, 150));

  return { load, hide };
}
