// The time-dependent exposure panel's figure: the Simon-Makuch curves with the number in the risk
// set per state under them, drawn by the engine from the `simon-makuch` report and the figure
// form's settings (the Mantel-Byar P printed on it); its description for screen readers, and its
// PNG and SVG downloads.

import * as figures from '../figure.js';
import * as format from '../format.js';
import { exposureOf, stateLabel } from './results.js';

/** @typedef {import('../../../schema/survkit.d.ts').SimonMakuchReport} SimonMakuchReport */
/** @typedef {import('../../../schema/survkit.d.ts').MantelByarReport} MantelByarReport */

/** @param {SimonMakuchReport} report */
function describe(report, mantelByar) {
  const exposure = exposureOf(report);
  const curves = report.states.map((state) => `${stateLabel(state.state, exposure)}: ${state.n} patients, ${state.events} events`);
  const test = mantelByar ? ` Mantel-Byar ${format.pValue(mantelByar.p)}.` : '';
  return `Simon-Makuch survival curves by ${exposure} as a time-dependent exposure. ${curves.join('; ')}.${test} `
    + 'The numbers at the chosen times are in the table above.';
}

/**
 * The figure. `current()` is what the results show (`{ simonMakuch, mantelByar, caption }`, or
 * null), `stem()` the downloads' file name stem, `onFailure(error)` told when the engine cannot draw.
 */
export function createTimeDependentFigure(ui, { current, stem, onFailure }) {
  return figures.createFigureCard(ui, {
    current,
    report: (shown) => shown.simonMakuch,
    /** @param {{ simonMakuch: SimonMakuchReport, mantelByar: MantelByarReport | null }} shown */
    options: (settings, width, shown) => figures.figureOptions(settings, {
      width,
      groups: shown.simonMakuch.states.length,
      pValue: shown.mantelByar?.p ?? null,
      pLabel: 'Mantel-Byar',
    }),
    drawn(shown) {
      ui.canvas.setAttribute('aria-label', describe(shown.simonMakuch, shown.mantelByar));
      ui.caption.textContent = shown.caption;
    },
    name: 'simon-makuch',
    stem,
    onFailure,
  });
}
