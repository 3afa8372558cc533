// The engine's thread. It holds the loaded file as a Wasm `Session`, parsed once, so changing a
// choice on the page runs the analysis again without reading the file again. Everything that
// comes back is the engine's JSON text, passed through untouched.
//
// Messages in:  { id, type: 'init', module }          module: a compiled WebAssembly.Module
//               { id, type: 'load', source, read }    source: a File/Blob or text; read: {delimiter, decimal, na}
//               { id, type: 'analyze-loaded', request }                 request: JSON text
//               { id, type: 'render-loaded', request, format }          format: 'text' | 'csv' | 'html'
//               { id, type: 'set-derived', derived }                    derived: JSON text (a study's `derived`)
//               { id, type: 'check-study', study }                      study: JSON text
//               { id, type: 'endpoints', derived, format }              format: 'json' | 'csv'
//               { id, type: 'analyze', text, request }                  one-off, leaves the session alone;
//                                                                       text: a string or the file's bytes
// Messages out: { id, type: 'progress', phase: 'reading' | 'parsing', bytes, done }
//                                                    done: bytes read so far (while reading)
//               { id, type: 'result', json, ms, memoryBytes }
//                                                    json: the engine's JSON text (a result, {"text"} for
//                                                    render-loaded, or an error); memoryBytes: the size
//                                                    of the engine's memory afterwards
//               { id, type: 'fatal', message }       the engine stopped; the page starts a new worker

import init, { Session, analyze, analyze_file } from './pkg/survkit.js';

let session = null;
let memory = null; // the engine's WebAssembly.Memory: its size goes with each result, for the benches

/**
 * A file is read in slices of this many bytes, each copied into the engine: the whole file is then
 * held once (in the engine), not twice, and the page hears how far reading has got.
 */
const SLICE_BYTES = 4 * 1024 * 1024;

/**
 * Copies a file's bytes into the session a slice at a time, telling `onSlice(bytesSoFar)` after
 * each. A byte stream reads every slice into the same buffer, so reading leaves no garbage behind;
 * where the browser has none, each slice is its own ArrayBuffer.
 */
async function readInto(target, file, onSlice) {
  let reader = null;
  try {
    reader = file.stream().getReader({ mode: 'byob' });
  } catch {
    reader = null;
  }
  if (!reader) {
    for (let start = 0; start < file.size; start += SLICE_BYTES) {
      const slice = new Uint8Array(await file.slice(start, start + SLICE_BYTES).arrayBuffer());
      target.push_bytes(slice);
      onSlice(start + slice.length);
    }
    return;
  }
  let buffer = new ArrayBuffer(SLICE_BYTES);
  let done = 0;
  for (;;) {
    // Fill the buffer (a stream gives smaller pieces), then hand it over whole.
    let filled = 0;
    let finished = false;
    while (filled < buffer.byteLength) {
      const piece = await reader.read(new Uint8Array(buffer, filled));
      if (piece.value) buffer = piece.value.buffer;
      if (piece.done) {
        finished = true;
        break;
      }
      filled += piece.value.byteLength;
    }
    if (filled > 0) {
      target.push_bytes(new Uint8Array(buffer, 0, filled));
      done += filled;
      onSlice(done);
    }
    if (finished) return;
  }
}

function errorJson(message) {
  return JSON.stringify({ error: { message, row: null, column: null } });
}

async function handle(message) {
  const { id, type } = message;
  const started = performance.now();
  const reply = (json) => self.postMessage({
    id, type: 'result', json, ms: performance.now() - started, memoryBytes: memory?.buffer.byteLength ?? 0,
  });
  switch (type) {
    case 'init':
      ({ memory } = await init({ module_or_path: message.module }));
      session = new Session();
      reply('{}');
      return;
    case 'load': {
      const read = JSON.stringify(message.read ?? {});
      if (typeof message.source === 'string') {
        self.postMessage({ id, type: 'progress', phase: 'parsing', bytes: message.source.length });
        reply(session.load(message.source, read));
        return;
      }
      // The file's bytes, decoded by the engine as the CLI decodes them (UTF-8, UTF-16 or
      // Windows-1252): File.text() would replace every byte that is not UTF-8.
      const file = message.source;
      self.postMessage({ id, type: 'progress', phase: 'reading', bytes: file.size, done: 0 });
      session.begin_bytes(file.size);
      await readInto(session, file, (done) => {
        self.postMessage({ id, type: 'progress', phase: 'reading', bytes: file.size, done });
      });
      self.postMessage({ id, type: 'progress', phase: 'parsing', bytes: file.size });
      reply(session.finish_bytes(read));
      return;
    }
    case 'analyze-loaded':
      reply(session.analyze(message.request));
      return;
    case 'render-loaded':
      reply(session.render(message.request, message.format));
      return;
    case 'set-derived':
      reply(session.set_derived(message.derived));
      return;
    case 'endpoints':
      reply(session.endpoints(message.derived, message.format));
      return;
    case 'check-study':
      reply(session.check_study(message.study));
      return;
    case 'analyze':
      reply(typeof message.text === 'string' ? analyze(message.text, message.request) : analyze_file(message.text, message.request));
      return;
    default:
      reply(errorJson(`the engine does not know the message "${type}"`));
  }
}

// Messages are handled one at a time, in order: a later analysis never overtakes a load.
let queue = Promise.resolve();
self.addEventListener('message', (event) => {
  const message = event.data;
  queue = queue.then(async () => {
    try {
      await handle(message);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      if (error instanceof WebAssembly.RuntimeError || message.type === 'init') {
        // A trap (a panic aborts) leaves the module unusable: say so, and let the page restart us.
        self.postMessage({ id: message.id, type: 'fatal', message: text });
      } else {
        self.postMessage({ id: message.id, type: 'result', json: errorJson(text), ms: 0 });
      }
    }
  });
});
