#!/usr/bin/env bash
# Installs what survkit's build and tests need, idempotently: each step checks before it acts.
#   scripts/setup.sh web    the Rust Wasm target and the wasm-bindgen CLI matching Cargo.lock
#   scripts/setup.sh test   the above, plus Debian's Chromium and ChromeDriver and npm's playwright-core and
#                           typescript (which checks schema/survkit.d.ts)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
need="${1:-web}"

say() { printf 'setup: %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

if [ "$need" = test ] && ! cargo clippy --version >/dev/null 2>&1; then
    say "adding clippy (the test command runs it with warnings as errors)"
    rustup component add clippy
fi

# The wasm-bindgen CLI must be exactly the version Cargo.lock pins for the wasm-bindgen crate.
locked=$(awk '/^name = "wasm-bindgen"$/ { getline; sub(/version = "/, ""); sub(/"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$locked" ]; then
    say "installing wasm-bindgen-cli $locked (about 3 minutes, once per machine)"
    # No --locked: the registry here lacks one of the tool's locked dependencies.
    cargo install wasm-bindgen-cli --version "$locked"
fi

[ "$need" = "test" ] || exit 0

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q chromium chromium-driver
fi

if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/typescript ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing playwright-core and typescript from package-lock.json (playwright-core downloads no browser)"
    npm ci --no-audit --no-fund
fi
