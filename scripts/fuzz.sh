#!/usr/bin/env bash
# Coverage-guided fuzzing of CSV ingestion, JSON requests and every analysis (fuzz/README.md).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# e.g. `scripts/fuzz.sh 600 analyses` fuzzes the analyses for ten minutes.
#
# SECONDS_PER_TARGET defaults to 60; the targets default to all three (csv_ingestion,
# request_json, analyses), run one after the other. Set-up is idempotent: the pinned cargo-fuzz
# is installed when missing. libFuzzer needs nightly-only rustc flags; stable rustc accepts them
# with RUSTC_BOOTSTRAP=1, which this script sets for the fuzz build only.
#
# Each target fuzzes a scratch corpus, fuzz/target/corpus/<target>/ (seeded from the committed
# fuzz/corpus/<target>/ and fuzz/regressions/<target>/, and kept between runs; FUZZ_FRESH=1
# starts it again from the seeds), so the committed corpus stays small. It runs in libFuzzer's
# fork mode, which goes on after a crash: every crash, timeout or out-of-memory input is written
# to fuzz/artifacts/<target>/ and counted. The script prints per target the executions and
# findings, with each crash's panic message, then a Markdown table per target (executions, wall
# seconds, exec/s, crashes, timeouts, ooms, corpus units, coverage), and exits 1 on any finding.
#
# Environment: FUZZ_JOBS (parallel fuzzing processes, default 1), FUZZ_TIMEOUT (seconds one
# input may take, default 20), FUZZ_MAX_LEN (overrides each target's input size limit),
# FUZZ_FRESH=1 (reset the scratch corpora).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_FUZZ_VERSION=0.13.1
SECONDS_PER_TARGET=${1:-60}
shift || true
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=(csv_ingestion request_json analyses); fi
JOBS=${FUZZ_JOBS:-1}
TIMEOUT=${FUZZ_TIMEOUT:-20}

case "$SECONDS_PER_TARGET" in
    '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2 ;;
esac

max_len() {
    if [ -n "${FUZZ_MAX_LEN:-}" ]; then echo "$FUZZ_MAX_LEN"; return; fi
    case "$1" in
        csv_ingestion) echo 16384 ;; # room for huge cells and hundreds of columns
        request_json) echo 4096 ;;
        analyses) echo 8192 ;; # a few hundred rows: enough for every estimator's branches
        *) echo 4096 ;;
    esac
}

dictionary() {
    case "$1" in
        request_json) echo fuzz/dict/request_json.dict ;;
        *) echo fuzz/dict/csv.dict ;;
    esac
}

# --- set-up (idempotent) ------------------------------------------------------------------
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked \
        || cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi
if ! command -v c++ >/dev/null 2>&1; then
    echo "libfuzzer-sys builds libFuzzer with a C++ compiler: apt-get install g++" >&2
    exit 2
fi

# -s none: no sanitizer (the engine is safe Rust; a panic is the crash we look for).
# -a: debug assertions and overflow checks, as under `cargo test`.
FUZZ_FLAGS=(--fuzz-dir fuzz -s none -a)
export RUSTC_BOOTSTRAP=1
echo "== building the fuzz targets"
cargo fuzz build "${FUZZ_FLAGS[@]}"
BIN_DIR=fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release

# --- one target ---------------------------------------------------------------------------
declare -A EXECS FINDINGS ROWS
status=0
for target in "${TARGETS[@]}"; do
    work=fuzz/target/corpus/$target
    artifacts=fuzz/artifacts/$target
    log=fuzz/target/logs/$target.log
    if [ "${FUZZ_FRESH:-0}" = 1 ]; then rm -rf "$work"; fi
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    for seeds in fuzz/corpus/$target fuzz/regressions/$target; do
        if [ -d "$seeds" ]; then cp -n "$seeds"/* "$work"/ 2>/dev/null || true; fi
    done
    marker=$(mktemp)
    echo "== $target: ${SECONDS_PER_TARGET}s, max_len $(max_len "$target"), log $log"
    started=$SECONDS
    set +e
    cargo fuzz run "${FUZZ_FLAGS[@]}" "$target" "$work" -- \
        -max_total_time="$SECONDS_PER_TARGET" \
        -max_len="$(max_len "$target")" \
        -timeout="$TIMEOUT" \
        -rss_limit_mb=2048 \
        -dict="$(dictionary "$target")" \
        -fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -print_final_stats=1 \
        >"$log" 2>&1
    rc=$?
    set -e
    wall=$((SECONDS - started))

    # Executions: fork mode's status lines "#N: cov: ..." count every child's units;
    # without fork mode, "#N DONE ..." or "stat::number_of_executed_units: N".
    execs=$(grep -aoE '^#[0-9]+|stat::number_of_executed_units: *[0-9]+' "$log" \
        | grep -oE '[0-9]+$' | sort -n | tail -1)
    execs=${execs:-0}
    # Findings: fork mode's "oom/timeout/crash: a/b/c", and the artifacts written in this run.
    counted=$(grep -aoE 'oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+' "$log" | tail -1 | sed 's/.*: //')
    counted=${counted:-0/0/0}
    new_artifacts=$(find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
        -newer "$marker" | sort)
    rm -f "$marker"
    n_new=$(printf '%s' "$new_artifacts" | grep -c . || true)
    IFS=/ read -r ooms timeouts crashes <<<"$counted"
    findings=$((ooms + timeouts + crashes))
    [ "$n_new" -gt "$findings" ] && findings=$n_new
    EXECS[$target]=$execs
    # Coverage and corpus size: the last status line's "cov: N" (edges) and "corp: N" (units).
    cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
    corpus=$(grep -aoE 'corp: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
    ROWS[$target]=$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$target" "$execs" "$wall" \
        "$((execs / (wall > 0 ? wall : 1)))" "$crashes" "$timeouts" "$ooms" "${corpus:-?}" "${cov:-?}")
    FINDINGS[$target]="$crashes crashes, $timeouts timeouts, $ooms ooms ($n_new new artifacts)"
    echo "   $target: $execs executions; ${FINDINGS[$target]}; libFuzzer exit $rc"
    if [ "$rc" -ne 0 ] && [ "$findings" -eq 0 ]; then
        echo "   libFuzzer failed without a finding; last lines of $log:"
        tail -20 "$log" | sed 's/^/     /'
        status=1
    fi
    if [ "$findings" -gt 0 ]; then
        status=1
        # The panic of each new crash (the first 20), to tell distinct bugs apart.
        printf '%s\n' "$new_artifacts" | grep crash- | head -20 | while read -r artifact; do
            message=$("$BIN_DIR/$target" "$artifact" 2>&1 | grep -a -A1 'panicked at' | head -2 | tr '\n' ' ')
            echo "   $artifact: ${message:-no panic message}"
        done
    fi
done

echo "== summary (${SECONDS_PER_TARGET}s per target)"
total=0
for target in "${TARGETS[@]}"; do
    printf '   %-14s %12s executions   %s\n' "$target" "${EXECS[$target]}" "${FINDINGS[$target]}"
    total=$((total + EXECS[$target]))
done
echo "   total          $total executions"
echo "== as a table (fuzz/README.md, \"Last run\")"
echo "| target | executions | wall s | exec/s | crashes | timeouts | ooms | corpus | cov |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for target in "${TARGETS[@]}"; do echo "${ROWS[$target]}"; done
if [ "$status" -ne 0 ]; then
    echo "Findings above: minimise each with 'RUSTC_BOOTSTRAP=1 cargo fuzz tmin --fuzz-dir fuzz -s none -a TARGET ARTIFACT'"
    echo "and save it as fuzz/regressions/TARGET/<what-it-is> (see fuzz/README.md)."
fi
exit "$status"
