#!/usr/bin/env bash
# Step-1 benchmark: Kaplan-Meier + log-rank on 1e6 rows, 3 groups, survkit vs R.
#
# survkit's whole job = `survkit km` (two landmarks) + `survkit logrank`, each a full CLI
# process (start, read and parse the CSV, estimate, print JSON to /dev/null), timed with
# /usr/bin/time. R's time is the estimation alone (survfit + summary(times=) + survdiff),
# timed inside R after read.csv (benches/time_r_km.R). Best of 3 on both sides.
#
# Targets: survkit / R <= 0.25, and survkit peak RSS / rows < 200 bytes.
# Writes benches/results/km_logrank.json. Exits 0 even when a target is missed
# (the figures are the product); set BENCH_STRICT=1 to exit 1 on a miss.
#
# Usage: benches/km_logrank.sh            (from anywhere; it works from the repo root)
#   RUNS=3        repeats per side (best is kept)
#   ROWS=1000000  other sizes use benches/data/km_<ROWS>.csv, benches/results/km_logrank_<ROWS>.json
#   WAIT_IDLE=60  seconds to wait for other work on the machine to settle before timing
#   SURVKIT_BIN=  a survkit binary built elsewhere (e.g. a profiling build): not rebuilt, and
#                 recorded as the commit SURVKIT_COMMIT (default "unknown")
#   BENCH_STRICT=0
# Shared helpers (timing, idle wait, figures, JSON head): benches/lib.sh.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source benches/lib.sh

RUNS="${RUNS:-3}"
ROWS="${ROWS:-1000000}"
# a smaller or larger trial run keeps the committed result
DATA=$(for_rows 1000000 benches/data/km_1e6.csv "benches/data/km_${ROWS}.csv")
OUT=$(for_rows 1000000 benches/results/km_logrank.json "benches/results/km_logrank_${ROWS}.json")
TARGET_RATIO=0.25
TARGET_BYTES_PER_ROW=200

# --- tools -----------------------------------------------------------------------------
require_gnu_time
require_cmd Rscript

# --- build (a no-op when up to date) ---------------------------------------------------
bench_build

# --- data ------------------------------------------------------------------------------
ensure_data "$DATA" "$ROWS" Rscript benches/make_data.R "$DATA" "$ROWS"

# --- survkit ---------------------------------------------------------------------------
bench_tmp
KM=("$BIN" km --data "$DATA" --time time --event status --group group --at 1,2 --format json)
LR=("$BIN" logrank --data "$DATA" --time time --event status --group group --format json)

wait_for_idle

# Warm the page cache once (untimed) so the first timed run is not a cold read.
cat "$DATA" > /dev/null
echo "timing survkit, best of $RUNS ..." >&2
for ((i = 1; i <= RUNS; i++)); do
    timed_run km /dev/null "${KM[@]}"
    timed_run logrank /dev/null "${LR[@]}"
done

km_s=$(best km);           lr_s=$(best logrank)
km_kib=$(maxkib km);       lr_kib=$(maxkib logrank)
survkit_s=$(awk -v a="$km_s" -v b="$lr_s" 'BEGIN { printf "%.2f", a + b }')
km_cpu=$(mincpu km);       lr_cpu=$(mincpu logrank)
survkit_cpu=$(awk -v a="$km_cpu" -v b="$lr_cpu" 'BEGIN { printf "%.2f", a + b }')
peak_kib=$(( km_kib > lr_kib ? km_kib : lr_kib ))
peak_bytes=$(( peak_kib * 1024 ))

# --- R ---------------------------------------------------------------------------------
echo "timing R (survfit + summary(times=) + survdiff), best of $RUNS ..." >&2
Rscript benches/time_r_km.R "$DATA" "$RUNS" > "$tmp/r_km.out"
r_s=$(rval km r_best_seconds)
r_cpu=$(rval km r_best_cpu_seconds)
r_runs=$(rval_list km r_seconds)
r_version=$(rval km r_version)
surv_version=$(rval km survival_version)

# --- figures ---------------------------------------------------------------------------
ratio=$(ratio "$survkit_s" "$r_s")
cpu_ratio=$(ratio "$survkit_cpu" "$r_cpu")
busy_after=$(busy_percent)
km_ratio=$(ratio "$km_s" "$r_s")
bpr=$(per_row "$peak_bytes" "$ROWS")
ratio_ok=$(at_most "$ratio" "$TARGET_RATIO")
mem_ok=$(below "$bpr" "$TARGET_BYTES_PER_ROW")

cat <<SUMMARY

KM + log-rank, $ROWS rows, 3 groups ($DATA), best of $RUNS
  survkit km        ${km_s} s   peak RSS $((km_kib * 1024)) B
  survkit logrank   ${lr_s} s   peak RSS $((lr_kib * 1024)) B
  survkit total     ${survkit_s} s   (km + logrank, each a whole CLI process; CPU user+sys ${survkit_cpu} s)
  R estimation      ${r_s} s   (runs: ${r_runs}; read.csv not timed; CPU user+sys ${r_cpu} s)
  ratio survkit/R   ${ratio}   target <= ${TARGET_RATIO}   $(verdict "$ratio_ok")   (km alone: ${km_ratio}; CPU-time ratio: ${cpu_ratio})
  peak RSS / row    ${bpr} B   target < ${TARGET_BYTES_PER_ROW}   $(verdict "$mem_ok")
  CPUs busy with other work: ${busy_before}% just before timing, ${busy_after}% just after (of $(nproc))
SUMMARY

mkdir -p "$(dirname "$OUT")"
cat > "$OUT" <<JSON
{
$(json_head km_logrank)
  "r_version": "$r_version",
  "survival_version": "$surv_version",
  "data": "$DATA",
  "rows": $ROWS,
  "runs": $RUNS,
  "survkit": {
    "km_seconds": $km_s,
    "logrank_seconds": $lr_s,
    "total_seconds": $survkit_s,
    "km_cpu_seconds": $km_cpu,
    "logrank_cpu_seconds": $lr_cpu,
    "total_cpu_seconds": $survkit_cpu,
    "km_runs_seconds": [$(list km 2)],
    "logrank_runs_seconds": [$(list logrank 2)],
    "km_peak_rss_bytes": $((km_kib * 1024)),
    "logrank_peak_rss_bytes": $((lr_kib * 1024)),
    "peak_rss_bytes": $peak_bytes
  },
  "r": {
    "estimate_seconds": $r_s,
    "runs_seconds": [$r_runs],
    "estimate_cpu_seconds": $r_cpu
  },
  "ratio_survkit_over_r": $ratio,
  "ratio_km_only_over_r": $km_ratio,
  "ratio_cpu_seconds": $cpu_ratio,
  "peak_rss_bytes_per_row": $bpr,
  "targets": { "ratio_max": $TARGET_RATIO, "bytes_per_row_max": $TARGET_BYTES_PER_ROW },
  "pass": { "ratio": $ratio_ok, "memory": $mem_ok }
}
JSON
echo "wrote $OUT" >&2

strict_exit "$ratio_ok" "$mem_ok"
