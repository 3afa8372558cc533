// The engine's thread. It holds the loaded file as a Wasm `Session`, parsed once, so changing a
// choice on the page runs the analysis again without reading the file again. Everything that
// comes back is the engine's JSON text, passed through untouched.
//
// Messages in:  { id, type: 'init', module }          module: a compiled WebAssembly.Module
//               { id, type: 'load', source, read }    source: a File/Blob or text; read: {delimiter, decimal, na}
//               { id, type: 'analyze-loaded', request }                 request: JSON text
//               { id, type: 'render-loaded', request, format }          format: 'text' | 'csv' | 'html'
//               { id, type: 'analyze', text, request }                  one-off, leaves the session alone;
//                                                                       text: a string or the file's bytes
// Messages out: { id, type: 'progress', phase: 'reading' | 'parsing', bytes }
//               { id, type: 'result', json, ms }     json: the engine's JSON text (a result, {"text"} for
//                                                    render-loaded, or an error)
//               { id, type: 'fatal', message }       the engine stopped; the page starts a new worker

import init, { Session, analyze, analyze_file } from './pkg/survkit.js';

let session = null;

function errorJson(message) {
  return JSON.stringify({ error: { message, row: null, column: null } });
}

async function handle(message) {
  const { id, type } = message;
  const started = performance.now();
  const reply = (json) => self.postMessage({ id, type: 'result', json, ms: performance.now() - started });
  switch (type) {
    case 'init':
      await init({ module_or_path: message.module });
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
      self.postMessage({ id, type: 'progress', phase: 'reading', bytes: message.source.size });
      const bytes = new Uint8Array(await message.source.arrayBuffer());
      self.postMessage({ id, type: 'progress', phase: 'parsing', bytes: bytes.length });
      reply(session.load_bytes(bytes, read));
      return;
    }
    case 'analyze-loaded':
      reply(session.analyze(message.request));
      return;
    case 'render-loaded':
      reply(session.render(message.request, message.format));
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
