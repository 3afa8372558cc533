#!/usr/bin/env bash
# Runs every test: the engine's unit, doc and golden tests against R; the CLI's; the Wasm
# binding's in headless Chromium; and the page's end-to-end tests. Does its own set-up first,
# idempotently (Chromium, ChromeDriver, wasm-bindgen, playwright-core).
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"

scripts/setup.sh test

echo "== native: unit, doc, golden (against R), CLI and property tests"
# The dev profile: the release profile aborts on panic (for Wasm), and a test build beside it
# would compile every dependency twice into the same files.
cargo test
echo "== the committed JSON Schema and TypeScript declarations (schema/) match the Rust types"
cargo test --features schema --test schema
echo "== clippy, warnings as errors (clippy.toml forbids exp/ln/powf outside estimate::distribution)"
cargo clippy --all-targets -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features web -- -D warnings
cargo build --release   # the CLI the end-to-end tests compare the page with

echo "== web build (size budget in wasm-pack.toml)"
scripts/build-web.sh

echo "== Wasm binding in headless Chromium"
WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/tests/web/webdriver.json" CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --target wasm32-unknown-unknown --no-default-features --features web --test web

echo "== the page, end to end, in headless Chromium"
node --test tests/e2e/
