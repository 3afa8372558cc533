// The Table 1 panel's results: the table, built with DOM calls from the cells the engine lays out
// (the report's `layout`, the same cells its text, CSV and HTML renderings print), its footnote,
// and "Copy table" and "Download CSV", which use those renderings; they never enter the page.

import { append, clear, download, el } from '../dom.js';
import * as format from '../format.js';

const TEST_NAMES = {
  chisq: "Pearson's chi-square test",
  yates: "chi-square test with Yates' continuity correction",
  fisher: "Fisher's exact test",
  // A row whose exact enumeration was past survkit's budget (its note gives the R call).
  'fisher-simulated': "Fisher's test with R's Monte Carlo p (simulate.p.value)",
  welch: "Welch's t test",
  student: "Student's t test",
  wilcoxon: 'Wilcoxon rank-sum (Mann-Whitney) test',
  anova: 'one-way ANOVA with equal variances (oneway.test, var.equal = TRUE)',
  'welch-anova': "Welch's one-way ANOVA (oneway.test)",
  kruskal: 'Kruskal-Wallis test',
};

/** The table's lines, a variable's warnings as a note under its last line. */
function renderLines(ui, report) {
  const { header, lines } = report.layout;
  const firstPairColumn = report.groups.length + 2;
  const byVariable = new Map(report.rows.map((row) => [row.variable, row]));
  const columnClass = (index) => (index === 0 ? '' : index >= firstPairColumn ? 'num pair' : 'num');
  clear(ui.table.tHead).append(el('tr', {}, header.map((text, index) => el('th', { scope: 'col', className: columnClass(index) }, text))));
  const body = clear(ui.table.tBodies[0]);
  lines.forEach((line, index) => {
    const [label, ...cells] = line.cells;
    body.append(el('tr', { className: line.level ? 'level' : 'variable', 'data-variable': line.variable },
      el('th', { scope: 'row' }, label),
      cells.map((text, cell) => el('td', { className: columnClass(cell + 1) }, text))));
    const { warnings } = byVariable.get(line.variable);
    const next = lines[index + 1];
    if (warnings.length > 0 && (!next || next.variable !== line.variable)) {
      body.append(el('tr', { className: 'row-note', 'data-variable': line.variable },
        el('td', { colSpan: header.length }, warnings.map((warning) => el('span', { className: 'note' }, `Note (${line.variable}): ${warning}`)))));
    }
  });
}

/** The table as the engine laid it out (report.layout), its caption and footnote: the page only places cells. */
export function renderTable(ui, report) {
  renderLines(ui, report);
  ui.caption.textContent = `Patient characteristics by ${report.group_variable}`
    + `${report.n_missing_group > 0 ? ` (${format.count(report.n_missing_group, 'row')} with no group left out)` : ''}`;
  const tests = new Map();
  for (const row of report.rows) {
    const test = row.simulated ? `${row.test}-simulated` : row.test;
    if (test) tests.set(test, [...(tests.get(test) ?? []), row.variable]);
  }
  clear(ui.footnote);
  append(ui.footnote, 'n (%) for categories (percent of the group\'s non-missing values); median (range) for numbers. ',
    tests.size > 0 ? `P: ${[...tests].map(([test, variables]) => `${TEST_NAMES[test] ?? test} (${variables.join(', ')})`).join('; ')}.` : '',
    report.layout.header.length > report.groups.length + 2 ? ' Pairwise P values are not adjusted for multiple comparisons.' : '');
}

/** Copies the engine's HTML and text renderings of `request` to the clipboard; says how it went in `ui.status`. */
export async function copyTable(ui, context, request) {
  if (!navigator.clipboard?.write || typeof ClipboardItem === 'undefined') {
    ui.status.textContent = 'This browser does not let the page use the clipboard: select the table and copy it, or use Download CSV.';
    return;
  }
  ui.status.textContent = 'Copying…';
  const rendered = (kind, type) => context.render(request, kind).then((answer) => {
    if (answer.error) throw new Error(answer.error.message);
    return new Blob([answer.text], { type });
  });
  try {
    // The item is made at once (within the click) from promises of the engine's renderings.
    await navigator.clipboard.write([new ClipboardItem({
      'text/html': rendered('html', 'text/html'),
      'text/plain': rendered('text', 'text/plain'),
    })]);
    ui.status.textContent = 'Table copied: paste it into your manuscript (formatted) or a text file (plain).';
  } catch (error) {
    ui.status.textContent = `The table could not be copied (${error.message || error.name}): select the table and copy it, or use Download CSV.`;
  }
}

/** Downloads the engine's CSV rendering of `request` as `<stem>-table1.csv`. */
export async function downloadCsv(ui, context, request) {
  const answer = await context.render(request, 'csv');
  if (answer.error) {
    ui.status.textContent = `The CSV could not be written: ${answer.error.message}`;
    return;
  }
  download(new Blob([answer.text], { type: 'text/csv' }), `${context.stem()}-table1.csv`);
  ui.status.textContent = 'CSV saved.';
}
