// survkit's JavaScript API, the engine's wrapper: the engine in a Web Worker, figures on the
// page's thread. (./pkg/survkit.js is the generated binding this file wraps.)
//
//   import { analyze } from './www/engine.js';
//   const result = await analyze(csvText, { analysis: 'km', time: 'os_months', event: 'os_event', at: '12, 24' });
//
// `analyze` returns exactly what `survkit km ... --format json` prints for the same file and flags,
// parsed; errors come back as `{ error: { message, row, column } }` and are never thrown.
// Request fields are the CLI's flags with "-" turned into "_", and `analysis` is the subcommand.
//
// Nothing is fetched (the page's CSP has connect-src 'none'): the Wasm bytes arrive as an ES
// module of base64 text, are compiled once here, and the compiled module is handed to the worker.
// The worker holds the loaded file (`loadFile`, then `analyzeLoaded` and `renderLoaded` as often
// as the user likes);
// figures are drawn here because plotters measures text with the page's `document`.

import wasmBase64 from './pkg/survkit_wasm_inline.js';
import init, { draw_figure, figure_svg } from './pkg/survkit.js';

/** @typedef {import('../schema/survkit.d.ts').FileRequest} Request a request, with read options or not */
/** @typedef {import('../schema/survkit.d.ts').Study} Study */
/** @typedef {import('../schema/survkit.d.ts').TableSummary} TableSummary */
/** @typedef {import('../schema/survkit.d.ts').Report} Report */
/** @typedef {import('../schema/survkit.d.ts').FigureSettings} FigureSettings */
/**
 * One row with impossible dates, as src/error.rs's ImpossibleRow: its spreadsheet row, its patient
 * id (when the definition names an id column), the kind of problem and the dates that show it.
 * @typedef {{ row: number, id?: string | null, problem: string, detail: string }} ImpossibleRow
 */
/**
 * src/report/endpoints.rs's EndpointsReport: derived columns row by row.
 * @typedef {{ today: string, rows: number[], id?: { name: string, values: (string | null)[] } | null,
 *   columns: { name: string, unit?: string | null, values: (number | string | null)[] }[],
 *   excluded: { columns: string[], rows: ImpossibleRow[] }[], notices: string[] }} EndpointsReport
 */
/**
 * What every call answers instead of throwing.
 * @typedef {{ error: { message: string, row: number | null, column: string | null, cancelled?: boolean } }} EngineError
 */
/**
 * src/plot.rs's FigureOptions: a figure's settings without `show_p`, with its size and the test's p.
 * @typedef {Omit<FigureSettings, 'show_p'> & { width: number, height: number, scale: number,
 *   p_value?: number | null, p_label?: string }} FigureOptions
 */

const WORKER_URL = new URL('./worker.js', import.meta.url);

function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function errorResult(message) {
  return { error: { message, row: null, column: null } };
}

function parseResult(json) {
  try {
    return JSON.parse(json);
  } catch {
    return errorResult('the engine returned something that is not JSON');
  }
}

let compiled = null; // Promise<WebAssembly.Module>
function wasmModule() {
  compiled ??= WebAssembly.compile(decodeBase64(wasmBase64));
  return compiled;
}

let pageEngine = null; // Promise: the module instantiated on this thread, for figures
function pageReady() {
  pageEngine ??= wasmModule().then((module) => init({ module_or_path: module }));
  return pageEngine;
}

/** The worker, its pending requests, and what it had loaded (to reload after a crash). */
const engine = { worker: null, started: null, nextId: 1, pending: new Map(), loaded: null };

function failPending(message) {
  for (const { resolve } of engine.pending.values()) resolve({ json: JSON.stringify(errorResult(message)), ms: 0 });
  engine.pending.clear();
  announceActivity();
}

function stopWorker(reason) {
  engine.worker?.terminate();
  engine.worker = null;
  engine.started = null;
  failPending(reason);
}

/**
 * Fires `busy` when the engine starts working on a call and `idle` when no call is left, so the
 * page can offer Cancel for any long call (a Cox model or Table 1 on a large file), not only a load.
 */
export const activity = new EventTarget();
let wasBusy = false;
function announceActivity() {
  const isBusy = engine.pending.size > 0;
  if (isBusy !== wasBusy) {
    wasBusy = isBusy;
    activity.dispatchEvent(new Event(isBusy ? 'busy' : 'idle'));
  }
}

function post(message, onProgress) {
  const id = engine.nextId;
  engine.nextId += 1;
  return new Promise((resolve) => {
    const settle = (answer) => {
      resolve(answer);
      announceActivity();
    };
    engine.pending.set(id, { resolve: settle, onProgress });
    announceActivity();
    engine.worker.postMessage({ ...message, id });
  });
}

function onWorkerMessage(event) {
  const { id, type } = event.data;
  const waiting = engine.pending.get(id);
  if (!waiting) return;
  if (type === 'progress') {
    waiting.onProgress?.(event.data);
  } else if (type === 'fatal') {
    engine.pending.delete(id);
    waiting.resolve({ json: JSON.stringify(errorResult(`the engine stopped: ${event.data.message}`)), ms: 0 });
    stopWorker(`the engine stopped: ${event.data.message}`);
  } else {
    engine.pending.delete(id);
    waiting.resolve({ json: event.data.json, ms: event.data.ms, memoryBytes: event.data.memoryBytes });
  }
}

/** Starts the worker (again, after a crash) and gives it the compiled module and the loaded file. */
function startWorker() {
  engine.started ??= (async () => {
    const module = await wasmModule();
    engine.worker = new Worker(WORKER_URL, { type: 'module', name: 'survkit-engine' });
    engine.worker.addEventListener('message', onWorkerMessage);
    engine.worker.addEventListener('error', (event) => {
      event.preventDefault();
      stopWorker(`the engine could not run${event.message ? ` (${event.message})` : ''}`);
    });
    const answer = parseResult((await post({ type: 'init', module })).json);
    if (answer.error) throw new Error(answer.error.message);
    if (engine.loaded) await post({ type: 'load', ...engine.loaded });
  })();
  return engine.started;
}

async function callEngine(message, onProgress) {
  try {
    await startWorker();
  } catch (error) {
    engine.started = null;
    return { json: JSON.stringify(errorResult(`the engine could not start: ${error.message}`)), ms: 0 };
  }
  return post(message, onProgress);
}

function requestJson(request) {
  return typeof request === 'string' ? request : JSON.stringify(request ?? {});
}

/**
 * Timings (ms) of the last worker calls, and the size of the worker's Wasm memory after the last
 * one (bytes; it only grows), for the benches.
 */
export const timings = { load: null, analyses: [], memoryBytes: 0 };

/** Resolves when both the worker and the page's figure engine are ready. */
export async function ready() {
  await Promise.all([startWorker(), pageReady()]);
}

/**
 * One analysis of CSV text (or a file's bytes, a Uint8Array decoded as the CLI decodes them), in the
 * worker: the CLI's `--format json` output for the same request, parsed. Never throws; errors are
 * `{ error: { message, row, column } }`.
 * @param {string | Uint8Array | ArrayBuffer} csvText
 * @param {Request | string} request  the request, or its JSON text
 * @returns {Promise<Report | EngineError>}
 */
export async function analyze(csvText, request) {
  let text = csvText;
  if (text instanceof ArrayBuffer) text = new Uint8Array(text);
  if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
    return errorResult('analyze needs the CSV file as text, or its bytes as a Uint8Array');
  }
  const answer = await callEngine({ type: 'analyze', text, request: requestJson(request) });
  return parseResult(answer.json);
}

/**
 * Loads a file (a File/Blob, read in the worker, or text) into the worker's session and returns its
 * summary: `{ n_rows, delimiter, columns: [{ name, kind, n_missing, n_distinct, levels, numeric_cells, groupable }], preview }`.
 * `read` holds the file options `{ delimiter, decimal, na }`; `onProgress({ phase, bytes, done })` is
 * told when reading starts, after each slice read (`done` of `bytes`), and when parsing starts.
 * @param {File | Blob | string} source
 * @param {{ delimiter?: string, decimal?: string, na?: string[] }} read
 * @param {(progress: { phase: 'reading' | 'parsing', bytes: number, done: number }) => void} [onProgress]
 */
export async function loadFile(source, read = {}, onProgress = undefined) {
  engine.loaded = null;
  const answer = await callEngine({ type: 'load', source, read }, onProgress);
  const summary = parseResult(answer.json);
  if (!summary.error) engine.loaded = { source, read };
  timings.load = answer.ms;
  timings.analyses = [];
  timings.memoryBytes = answer.memoryBytes ?? 0;
  return summary;
}

/**
 * Stops whatever the engine is doing (reading, parsing or analysing a file) by ending its worker;
 * every call still waiting resolves to `{ error: { message: 'cancelled', cancelled: true } }`.
 * The loaded file is let go, so the next call starts a fresh engine with nothing loaded: load a
 * file again. Returns whether anything was running.
 */
export function cancel() {
  const running = engine.pending.size > 0;
  engine.loaded = null;
  if (engine.worker || engine.started) {
    engine.worker?.terminate();
    engine.worker = null;
    engine.started = null;
    for (const { resolve } of engine.pending.values()) {
      resolve({ json: JSON.stringify({ error: { message: 'cancelled', row: null, column: null, cancelled: true } }), ms: 0 });
    }
    engine.pending.clear();
    announceActivity();
  }
  return running;
}

/**
 * Runs an analysis on the loaded file (re-parsed only when delimiter, decimal or na change).
 * @param {Request | string} request
 * @returns {Promise<Report | EngineError>}
 */
export async function analyzeLoaded(request) {
  const answer = await callEngine({ type: 'analyze-loaded', request: requestJson(request) });
  timings.analyses.push(answer.ms);
  timings.memoryBytes = answer.memoryBytes ?? timings.memoryBytes;
  return parseResult(answer.json);
}

/**
 * The analysis of the loaded file as the CLI's `--format text|csv|html` prints it: `{ text }`, or
 * `{ error }`. CSV and HTML exist for Table 1 (`analysis: 'table1'`), to copy into a manuscript.
 * @param {Request | string} request
 * @param {'text' | 'csv' | 'html'} format
 * @returns {Promise<{ text: string } | EngineError>}
 */
export async function renderLoaded(request, format) {
  const answer = await callEngine({ type: 'render-loaded', request: requestJson(request), format: String(format) });
  return parseResult(answer.json);
}

/**
 * Adds a study's derived columns to the loaded file (replacing those added before): the table's
 * summary with them, or `{ error }`. Loading a file starts without derived columns.
 * @param {Study['derived']} derived
 * @returns {Promise<TableSummary | EngineError>}
 */
export async function setDerived(derived) {
  const answer = await callEngine({ type: 'set-derived', derived: JSON.stringify(derived ?? []) });
  return parseResult(answer.json);
}

/**
 * Derived columns on the loaded file, row by row, as `survkit endpoints --format json|csv` writes
 * them, without adding them to the session: the report (`{ today, rows, id, columns, excluded,
 * notices }`, `excluded` listing the rows left out for impossible dates), `{ text }` for 'csv',
 * or `{ error }`.
 * @param {Study['derived']} derived
 * @param {'json' | 'csv'} format
 * @returns {Promise<EndpointsReport | { text: string } | EngineError>}
 */
export async function endpoints(derived, format) {
  const answer = await callEngine({ type: 'endpoints', derived: JSON.stringify(derived ?? []), format: String(format) });
  return parseResult(answer.json);
}

/**
 * Reads a study and checks it against the loaded file: `{ study, problems }` (every problem, each
 * naming its analysis and field), or `{ error }` when it is not a study.
 * @param {Study} study
 * @returns {Promise<{ study: Study, problems: string[] } | EngineError>}
 */
export async function checkStudy(study) {
  const answer = await callEngine({ type: 'check-study', study: JSON.stringify(study) });
  return parseResult(answer.json);
}

function figureArgs(report, options) {
  return [typeof report === 'string' ? report : JSON.stringify(report), JSON.stringify(options ?? {})];
}

/**
 * Draws a `km`, `cif`, `cox` or `finegray` result onto a canvas (on this thread); returns null, or `{ error }`.
 * The canvas's pixel size becomes `options.width * options.scale` by `options.height * options.scale`.
 * @param {HTMLCanvasElement} canvas
 * @param {Report | string} report
 * @param {FigureOptions} options
 * @returns {Promise<EngineError | null>}
 */
export async function drawFigure(canvas, report, options) {
  await pageReady();
  const answer = draw_figure(canvas, ...figureArgs(report, options));
  return answer ? parseResult(answer) : null;
}

/**
 * The same figure as an SVG document: `{ svg }`, or `{ error }`.
 * @param {Report | string} report
 * @param {FigureOptions} options
 * @returns {Promise<{ svg: string } | EngineError>}
 */
export async function figureSvg(report, options) {
  await pageReady();
  return parseResult(figure_svg(...figureArgs(report, options)));
}
