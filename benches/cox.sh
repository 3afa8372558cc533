#!/usr/bin/env bash
# Cox benchmark: 1e6 rows x 5 covariates, survkit vs R's coxph.
#
# survkit's whole job = one `survkit cox` CLI process (start, read and parse the CSV, fit by
# Newton-Raphson with Efron ties, concordance, print JSON), timed with /usr/bin/time. R's time
# is `coxph(Surv(time, status) ~ age + sex + marker + treated + score)` alone (Efron ties; the
# fit computes its concordance too), timed inside R after read.csv (benches/time_r_cox.R).
# Best of 3 on both sides. Also reports both fits' iteration counts, survkit's peak RSS, and
# how closely survkit's estimates agree with R's.
#
# Target: survkit / R <= 0.5.
#
# MODEL=time_dependent: 1e6 patients (about 40% transplanted while followed) with 3 fixed
# covariates, `survkit cox --exposure-time tx_time` (parse, split each follow-up at the
# transplant, fit on the (start, stop] rows) against `coxph(Surv(tstart, tstop, ev) ~ tx + age +
# sex + marker)` alone on data already split by tmerge (benches/time_r_cox_time_dependent.R;
# read.csv and tmerge not timed). Target <= 0.5 too (issue 13). Writes
# benches/results/cox_time_dependent.json.
# Writes benches/results/cox.json. Exits 0 even when the target is missed (the figures are the
# product); set BENCH_STRICT=1 to exit 1 on a miss.
#
# Usage: benches/cox.sh                   (from anywhere; it works from the repo root)
#   RUNS=3        repeats per side (best is kept)
#   ROWS=1000000  other sizes use benches/data/cox_<ROWS>.csv, benches/results/cox_<ROWS>.json
#   WAIT_IDLE=60  seconds to wait for other work on the machine to settle before timing
#   SURVKIT_BIN=  a survkit binary built elsewhere (e.g. a profiling build): not rebuilt, and
#                 recorded as the commit SURVKIT_COMMIT (default "unknown")
#   BENCH_STRICT=0
#   MODEL=fixed   or time_dependent (above)
# Shared helpers (timing, idle wait, figures, JSON head): benches/lib.sh.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source benches/lib.sh

RUNS="${RUNS:-3}"
ROWS="${ROWS:-1000000}"
MODEL="${MODEL:-fixed}"
case "$MODEL" in
    fixed)
        NAME=cox; DATA_STEM=cox; MAKE=benches/make_cox_data.R; TIME_R=benches/time_r_cox.R
        COVARIATES="age,sex,marker,treated,score"   # the order of time_r_cox.R's formula
        EXTRA=(); WHAT="$ROWS rows x 5 covariates"; SURVKIT_JOB="parse + fit + concordance" ;;
    time_dependent)
        NAME=cox_time_dependent; DATA_STEM=cox_td; MAKE=benches/make_cox_time_dependent_data.R
        TIME_R=benches/time_r_cox_time_dependent.R
        COVARIATES="age,sex,marker"   # after the exposure, the order of the R formula
        EXTRA=(--exposure-time tx_time --exposure-name tx)
        WHAT="$ROWS patients, transplant time-dependent + 3 covariates"
        SURVKIT_JOB="parse + split at the transplant + fit + concordance" ;;
    *) echo "MODEL is fixed or time_dependent, not $MODEL" >&2; exit 2 ;;
esac
# a smaller or larger trial run keeps the committed result
DATA=$(for_rows 1000000 "benches/data/${DATA_STEM}_1e6.csv" "benches/data/${DATA_STEM}_${ROWS}.csv")
OUT=$(for_rows 1000000 "benches/results/${NAME}.json" "benches/results/${NAME}_${ROWS}.json")
TARGET_RATIO=0.5
# Agreement with R asked of iterative fits (tests/common: ITERATIVE_RELATIVE).
AGREE_RELATIVE=1e-6

# --- tools -----------------------------------------------------------------------------
require_gnu_time
require_cmd Rscript

# --- build (a no-op when up to date) ---------------------------------------------------
bench_build

# --- data ------------------------------------------------------------------------------
ensure_data "$DATA" "$ROWS" Rscript "$MAKE" "$DATA" "$ROWS"

# --- survkit ---------------------------------------------------------------------------
bench_tmp
COX=("$BIN" cox --data "$DATA" --time time --event status --covariates "$COVARIATES" "${EXTRA[@]}" --format json)

wait_for_idle

# Warm the page cache once (untimed) so the first timed run is not a cold read.
cat "$DATA" > /dev/null
echo "timing survkit cox, best of $RUNS ..." >&2
for ((i = 1; i <= RUNS; i++)); do
    timed_run cox "$tmp/survkit.json" "${COX[@]}"
done

survkit_s=$(best cox)
survkit_cpu=$(mincpu cox)
peak_kib=$(maxkib cox)
peak_bytes=$((peak_kib * 1024))
survkit_runs=$(list cox 2)

# The figures of survkit's (pretty-printed) JSON.
sk_field() { sed -n "s/^ *\"$1\": \([^,]*\),\{0,1\}$/\1/p" "$tmp/survkit.json"; }
survkit_iterations=$(sk_field iterations)
survkit_converged=$(sk_field converged)
survkit_coef=$(sk_field coef | paste -sd, -)
survkit_concordance=$(sk_field estimate | head -1)
survkit_loglik=$(awk '/"loglik"/ { f = 1 } f && /"model"/ { gsub(/[",]/, ""); print $2; exit }' "$tmp/survkit.json")

# --- R ---------------------------------------------------------------------------------
echo "timing R coxph, best of $RUNS ..." >&2
Rscript "$TIME_R" "$DATA" "$RUNS" > "$tmp/r_cox.out"
r_s=$(rval cox r_best_seconds)
r_cpu=$(rval cox r_best_cpu_seconds)
r_runs=$(rval_list cox r_seconds)
r_iterations=$(rval cox r_iterations)
r_version=$(rval cox r_version)
surv_version=$(rval cox survival_version)
r_coef=$(rval cox r_coef)
r_loglik=$(rval cox r_loglik)
r_concordance=$(rval cox r_concordance)

# --- figures ---------------------------------------------------------------------------
busy_after=$(busy_percent)
ratio=$(ratio "$survkit_s" "$r_s")
cpu_ratio=$(ratio "$survkit_cpu" "$r_cpu")
bpr=$(per_row "$peak_bytes" "$ROWS")
ratio_ok=$(at_most "$ratio" "$TARGET_RATIO")
# Largest relative difference from R over the coefficients, the loglik and the concordance.
max_rel=$(max_rel "$survkit_coef,$survkit_loglik,$survkit_concordance" "$r_coef,$r_loglik,$r_concordance")
agree_ok=$(at_most "$max_rel" "$AGREE_RELATIVE")

cat <<SUMMARY

Cox, $WHAT ($DATA), Efron ties, best of $RUNS
  survkit cox       ${survkit_s} s   (whole CLI process: $SURVKIT_JOB; runs: ${survkit_runs}; CPU user+sys ${survkit_cpu} s)
  R coxph           ${r_s} s   (runs: ${r_runs}; read.csv not timed; CPU user+sys ${r_cpu} s)
  ratio survkit/R   ${ratio}   target <= ${TARGET_RATIO}   $(verdict "$ratio_ok")   (CPU-time ratio: ${cpu_ratio})
  iterations        survkit ${survkit_iterations} (converged: ${survkit_converged}), R ${r_iterations}
  peak RSS          ${peak_bytes} B (${bpr} B per row)
  agreement with R  largest relative difference ${max_rel} over coef, loglik, concordance   $(verdict "$agree_ok")
  CPUs busy with other work: ${busy_before}% just before timing, ${busy_after}% just after (of $(nproc))
SUMMARY

mkdir -p "$(dirname "$OUT")"
cat > "$OUT" <<JSON
{
$(json_head "$NAME")
  "r_version": "$r_version",
  "survival_version": "$surv_version",
  "data": "$DATA",
  "rows": $ROWS,
  "covariates": "$COVARIATES",
  "model": "$MODEL",
  "ties": "efron",
  "runs": $RUNS,
  "survkit": {
    "seconds": $survkit_s,
    "cpu_seconds": $survkit_cpu,
    "runs_seconds": [$survkit_runs],
    "peak_rss_bytes": $peak_bytes,
    "peak_rss_bytes_per_row": $bpr,
    "iterations": $survkit_iterations,
    "converged": $survkit_converged,
    "coef": [$survkit_coef],
    "loglik": $survkit_loglik,
    "concordance": $survkit_concordance
  },
  "r": {
    "seconds": $r_s,
    "cpu_seconds": $r_cpu,
    "runs_seconds": [$r_runs],
    "iterations": $r_iterations,
    "coef": [$r_coef],
    "loglik": $r_loglik,
    "concordance": $r_concordance
  },
  "ratio_survkit_over_r": $ratio,
  "ratio_cpu_seconds": $cpu_ratio,
  "max_relative_difference_from_r": "$max_rel",
  "targets": { "ratio_max": $TARGET_RATIO, "agreement_relative_max": $AGREE_RELATIVE },
  "pass": { "ratio": $ratio_ok, "agreement": $agree_ok }
}
JSON
echo "wrote $OUT" >&2

strict_exit "$ratio_ok" "$agree_ok"
