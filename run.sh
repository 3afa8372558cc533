#!/usr/bin/env bash
# Builds the page and serves it on http://127.0.0.1:${PORT:-8000}/ until interrupted.
# Set-up (the Wasm target, the pinned wasm-bindgen CLI) is done here too, once per machine.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh web
scripts/build-web.sh
exec node scripts/serve.mjs --port "${PORT:-8000}"
