// The survival panel's figure: the Kaplan-Meier curves with the number-at-risk table, drawn by the
// engine from the `km` report and the figure form's settings; the curves in words for screen
// readers; the PNG and SVG downloads; and the figure as tables (every step of each curve).

import { clear, el, fillTable } from '../dom.js';
import * as figures from '../figure.js';
import * as format from '../format.js';
import { groupLabel, swatch } from '../result_helpers.js';

/** @typedef {import('../../../schema/survkit.d.ts').KmReport} KmReport */

/**
 * A sentence for the canvas's aria-label.
 * @param {KmReport} km
 */
function describe(km, logrank, unit) {
  const decimals = format.timeDecimalsOf(km);
  const word = unit && unit !== 'Time' ? ` ${unit.toLowerCase()}` : '';
  const curves = km.groups.map((group) => {
    const median = group.median.estimate === null ? 'median not reached' : `median ${format.time(group.median.estimate, decimals)}${word}`;
    return `${groupLabel(group.group)}: ${group.n} patients, ${group.events} events, ${median}`;
  });
  const kind = km.groups.length > 1 ? `${km.groups.length} Kaplan-Meier survival curves` : 'A Kaplan-Meier survival curve';
  const test = logrank && km.groups.length > 1 ? ` Log-rank ${format.pValue(logrank.p)}.` : '';
  return `${kind}. ${curves.join('; ')}.${test} The figure's numbers are in the table below it.`;
}

/**
 * The figure card. `current()` is what the results show (`{ km, logrank, unit, label }`, or null),
 * `stem()` the downloads' file name stem, `onFailure(error)` told when the engine cannot draw.
 */
export function createSurvivalFigure(ui, { current, stem, onFailure }) {
  const card = figures.createFigureCard(ui, {
    current,
    report: (shown) => shown.km,
    options: (settings, width, shown) => figures.figureOptions(settings, {
      width,
      groups: shown.km.groups.length,
      pValue: shown.logrank?.p ?? null,
      pLabel: 'Log-rank',
    }),
    drawn(shown) {
      ui.canvas.setAttribute('aria-label', describe(shown.km, shown.logrank, shown.unit));
      ui.figureDescription.textContent = shown.label;
      if (!performance.getEntriesByName('survkit:first-figure').length) performance.mark('survkit:first-figure');
    },
    name: 'kaplan-meier',
    stem,
    onFailure,
  });

  /** Shows the card for new results; the curves are drawn in a task of their own, after the tables are on the screen. */
  async function show() {
    const shown = current();
    ui.figureSection.hidden = false;
    if (ui.figureTableDetails.open) renderFigureTables(ui.figureTables, shown.km, shown.unit);
    else clear(ui.figureTables);
    // With a large file the tables and the figure each take a while; together they would hold the page up for longer.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await card.draw();
  }

  ui.figureTableDetails.addEventListener('toggle', () => {
    const shown = current();
    if (ui.figureTableDetails.open && shown && !ui.figureTables.hasChildNodes()) renderFigureTables(ui.figureTables, shown.km, shown.unit);
  });
  return {
    show,
    settings: card.settings,
    apply: card.apply,
    followUnit: card.followUnit,
  };
}

const STEP_ROWS_SHOWN = 2000;

/** The curves as tables: every distinct time of each group (summary(fit, censored = TRUE)). */
function renderFigureTables(container, km, unit) {
  clear(container);
  const decimals = Math.max(format.timeDecimalsOf(km), 2);
  const level = format.levelLabel(km.conf_level);
  for (const [index, group] of km.groups.entries()) {
    const steps = group.steps;
    const shown = Math.min(steps.time.length, STEP_ROWS_SHOWN);
    const table = el('table', { className: 'results steps' },
      el('caption', {}, swatch(index), `${groupLabel(group.group)}: survival at each time with an event or a censoring`));
    const rows = [];
    for (let row = 0; row < shown; row += 1) {
      rows.push([
        format.time(steps.time[row], decimals),
        { text: String(steps.n_risk[row]), className: 'num' },
        { text: String(steps.n_event[row]), className: 'num' },
        { text: String(steps.n_censor[row]), className: 'num' },
        { text: format.percent(steps.surv[row]), className: 'num' },
        { text: `${format.percent(steps.lower[row])}-${format.percent(steps.upper[row])}`, className: 'num' },
      ]);
    }
    fillTable(table,
      [`Time${unit && unit !== 'Time' ? ` (${unit.toLowerCase()})` : ''}`, { text: 'At risk', className: 'num' },
        { text: 'Events', className: 'num' }, { text: 'Censored', className: 'num' },
        { text: 'Survival, %', className: 'num' }, { text: `${level} CI, %`, className: 'num' }],
      rows);
    container.append(el('div', { className: 'table-scroll steps-scroll', tabIndex: 0, role: 'region', 'aria-label': `Steps of ${groupLabel(group.group)}` }, table));
    if (shown < steps.time.length) {
      container.append(el('p', { className: 'footnote' },
        `The first ${shown.toLocaleString('en-US')} of ${steps.time.length.toLocaleString('en-US')} times are shown; `,
        'the command-line tool writes them all (survkit km --format json).'));
    }
  }
}
