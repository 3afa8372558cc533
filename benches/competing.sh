#!/usr/bin/env bash
# Competing-risks benchmark: cumulative incidence + Gray's test, and Fine-Gray regression,
# survkit vs R's cmprsk.
#
# 1. CIF + Gray's test on 1e6 rows (status 0/1/2, 3 groups): one `survkit cif --group` CLI
#    process (start, read and parse the CSV, estimate every cause in every group with its
#    variance, Gray's test per cause, print JSON to /dev/null), timed with /usr/bin/time, vs
#    `cuminc(time, status, group, cencode = 0)` timed inside R after read.csv.
#    Target: survkit / R <= 0.5. Also survkit's peak RSS.
# 2. Fine-Gray, cause 1, 3 covariates (age, sex, marker): one `survkit finegray` CLI process on
#    1e5 rows. Target: < 2 s. Beside it, survkit vs `crr(ftime, fstatus, cov1)` (defaults) on the
#    same 5e3 rows (survkit's ~20 ms there timed with bash's $EPOCHREALTIME, finer than
#    /usr/bin/time), and their coefficients, which must agree to 1e-6 relative. crr is not run on
#    1e5 rows (its time grows faster than n^2: hours); its time there is extrapolated from the
#    runs on 5,000 rows, by n^2 and by the exponent measured between 2,500 and 5,000 rows.
# 3. Fine-Gray in the page (< 4 s on the 1e5 rows): benches/finegray_page.mjs, run when
#    www/pkg/ (scripts/build-web.sh), node and node_modules/playwright-core are there.
# Best of 3 on every side, except that R stops repeating when one run takes over 60 s or the
# runs would pass R_BUDGET seconds.
#
# Writes benches/results/competing.json. Exits 0 even when a target is missed (the figures are
# the product); set BENCH_STRICT=1 to exit 1 on a miss.
#
# Usage: benches/competing.sh             (from anywhere; it works from the repo root)
#   RUNS=3        repeats per side (best is kept)
#   ROWS=1000000  rows of the CIF file; other sizes use benches/data/cif_<ROWS>.csv and write
#                 benches/results/competing_<ROWS>.json, so the committed result is kept
#   R_BUDGET=240  seconds R may spend on cuminc's repeats (crr gets the same again)
#   PAGE=auto     auto: run the page bench when its pieces are there; 0: skip it; 1: require it
#   WAIT_IDLE=60  seconds to wait for other work on the machine to settle before timing
#   SURVKIT_BIN=  a survkit binary built elsewhere (e.g. a profiling build): not rebuilt, and
#                 recorded as the commit SURVKIT_COMMIT (default "unknown")
#   BENCH_STRICT=0
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS="${RUNS:-3}"
ROWS="${ROWS:-1000000}"
R_BUDGET="${R_BUDGET:-240}"
PAGE="${PAGE:-auto}"
CIF_DATA="benches/data/cif_1e6.csv"
OUT="benches/results/competing.json"
if [[ "$ROWS" != 1000000 ]]; then   # a smaller or larger trial run keeps the committed result
    CIF_DATA="benches/data/cif_${ROWS}.csv"
    OUT="benches/results/competing_${ROWS}.json"
fi
FG_ROWS=100000
FG_SMALL_ROWS=5000
FG_SMALLER_ROWS=2500           # crr only, to see how its time grows with n
FG_DATA="benches/data/finegray_1e5.csv"
FG_SMALL_DATA="benches/data/finegray_5e3.csv"
COVARIATES="age,sex,marker"    # the order of time_r_competing.R's cov1
TARGET_CIF_RATIO=0.5
TARGET_FG_SECONDS=2
TARGET_PAGE_SECONDS=4
# Agreement with R asked of iterative fits (tests/common: ITERATIVE_RELATIVE).
AGREE_RELATIVE=1e-6

# --- tools -----------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
    if pgrep -x apt-get >/dev/null || pgrep -x apt >/dev/null || pgrep -x dpkg >/dev/null; then
        echo "error: /usr/bin/time is missing and apt is busy; install the Debian 'time' package and rerun" >&2
        exit 2
    fi
    echo "installing GNU time (/usr/bin/time) ..." >&2
    apt-get install -y -qq time >/dev/null
fi
command -v Rscript >/dev/null || { echo "error: Rscript not found" >&2; exit 2; }
command -v python3 >/dev/null || { echo "error: python3 not found (it reads survkit's JSON)" >&2; exit 2; }

# --- build (a no-op when up to date) ---------------------------------------------------
if [[ -n "${SURVKIT_BIN:-}" ]]; then
    BIN="$SURVKIT_BIN"
    commit="${SURVKIT_COMMIT:-unknown}"
    [[ -x "$BIN" ]] || { echo "error: SURVKIT_BIN=$BIN is not an executable" >&2; exit 2; }
else
    BIN="target/release/survkit"
    echo "building survkit (release) ..." >&2
    cargo build --release --quiet --bin survkit
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    git diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || commit="$commit+dirty"
fi

# --- data ------------------------------------------------------------------------------
# ensure_data KIND FILE ROWS
ensure_data() {
    local lines=0
    [[ -f "$2" ]] && lines=$(wc -l < "$2")
    if [[ "$lines" -ne $(($3 + 1)) ]]; then
        echo "generating $2 ..." >&2
        Rscript benches/make_competing_data.R "$1" "$2" "$3"
    fi
}
ensure_data cif "$CIF_DATA" "$ROWS"
ensure_data finegray "$FG_DATA" "$FG_ROWS"
ensure_data finegray "$FG_SMALL_DATA" "$FG_SMALL_ROWS"

# --- survkit ---------------------------------------------------------------------------
# timed_run LABEL OUTFILE CMD... : runs CMD once under /usr/bin/time, stdout to OUTFILE, and
# appends "LABEL elapsed_s peak_rss_kib user_s sys_s" to $tmp/runs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timed_run() {
    local label=$1 out=$2; shift 2
    /usr/bin/time -o "$tmp/time" -f '%e %M %U %S' "$@" > "$out"
    read -r secs kib user sys < "$tmp/time"
    echo "$label $secs $kib $user $sys" >> "$tmp/runs"
}
# fine_run LABEL OUTFILE CMD... : for jobs of milliseconds (below /usr/bin/time's 10 ms
# resolution): elapsed from bash's $EPOCHREALTIME around the process, 4 decimals, and the peak
# RSS and CPU times of a second run under /usr/bin/time.
fine_run() {
    local label=$1 out=$2 t0 t1; shift 2
    t0=$EPOCHREALTIME
    "$@" > "$out"
    t1=$EPOCHREALTIME
    /usr/bin/time -o "$tmp/time" -f '%M %U %S' "$@" > /dev/null
    read -r kib user sys < "$tmp/time"
    awk -v l="$label" -v a="$t0" -v b="$t1" -v k="$kib" -v u="$user" -v s="$sys" \
        'BEGIN { printf "%s %.4f %s %s %s\n", l, b - a, k, u, s }' >> "$tmp/runs"
}

CIF=("$BIN" cif --data "$CIF_DATA" --time time --status status --group group --format json)
FG=("$BIN" finegray --data "$FG_DATA" --time time --status status --cause 1 --covariates "$COVARIATES" --format json)
FG_SMALL=("$BIN" finegray --data "$FG_SMALL_DATA" --time time --status status --cause 1 --covariates "$COVARIATES" --format json)

# Other work on the machine inflates elapsed times (both sides, but not equally): note it.
# busy_percent: share of all CPUs busy over the next second (from /proc/stat).
busy_percent() {
    local a b
    a=$(head -1 /proc/stat); sleep 1; b=$(head -1 /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {
        n = split(a, x); split(b, y); total = 0
        for (i = 2; i <= n; i++) total += y[i] - x[i]
        idle = (y[5] - x[5]) + (y[6] - x[6])
        printf "%.0f", (total > 0) ? 100 * (total - idle) / total : 0 }'
}
# On a shared machine, wait (up to WAIT_IDLE seconds) for other work to settle.
WAIT_IDLE="${WAIT_IDLE:-60}"
busy_before=$(busy_percent)
waited=1
while (( busy_before > 10 && waited < WAIT_IDLE )); do
    (( waited == 1 )) && echo "CPUs ${busy_before}% busy with other work; waiting up to ${WAIT_IDLE}s ..." >&2
    busy_before=$(busy_percent)
    waited=$((waited + 1))
done
if (( busy_before > 10 )); then
    echo "warning: the CPUs were ${busy_before}% busy before timing (other work); elapsed times may be inflated" >&2
fi

# Warm the page cache once (untimed) so the first timed run is not a cold read.
cat "$CIF_DATA" "$FG_DATA" "$FG_SMALL_DATA" > /dev/null
echo "timing survkit cif and finegray, best of $RUNS ..." >&2
for ((i = 1; i <= RUNS; i++)); do
    timed_run cif /dev/null "${CIF[@]}"
    timed_run finegray "$tmp/fg.json" "${FG[@]}"
    fine_run finegray_small "$tmp/fg_small.json" "${FG_SMALL[@]}"
done
# One more cif run, untimed, for its Gray statistics.
"${CIF[@]}" > "$tmp/cif.json"

best()   { awk -v l="$1" '$1 == l { if (m == "" || $2 < m) m = $2 } END { print m }' "$tmp/runs"; }
maxkib() { awk -v l="$1" '$1 == l { if ($3 > m) m = $3 } END { print m }' "$tmp/runs"; }
mincpu() { awk -v l="$1" '$1 == l { c = $4 + $5; if (m == "" || c < m) m = c } END { printf "%.2f", m }' "$tmp/runs"; }
list()   { awk -v l="$1" -v c="$2" '$1 == l { printf "%s%s", s, $c; s = ", " }' "$tmp/runs"; }

cif_s=$(best cif);                 cif_cpu=$(mincpu cif);           cif_kib=$(maxkib cif)
fg_s=$(best finegray);             fg_cpu=$(mincpu finegray);       fg_kib=$(maxkib finegray)
fg_small_s=$(best finegray_small); fg_small_cpu=$(mincpu finegray_small)
cif_bytes=$((cif_kib * 1024))
cif_bpr=$(awk -v b="$cif_bytes" -v n="$ROWS" 'BEGIN { printf "%.1f", b / n }')

# Figures from survkit's JSON.
json_field() {  # json_field FILE PYTHON-EXPRESSION-ON-d
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
sk_gray_stat=$(json_field "$tmp/cif.json" '",".join(repr(c["gray"]["stat"]) for c in d["causes"])')
sk_gray_causes=$(json_field "$tmp/cif.json" '",".join(c["cause"] for c in d["causes"])')
sk_coef_small=$(json_field "$tmp/fg_small.json" '",".join(repr(t["coef"]) for t in d["terms"])')
sk_se_small=$(json_field "$tmp/fg_small.json" '",".join(repr(t["se"]) for t in d["terms"])')
sk_loglik_small=$(json_field "$tmp/fg_small.json" 'repr(d["loglik"])')
sk_converged_small=$(json_field "$tmp/fg_small.json" 'str(d["converged"]).lower()')
sk_iter_small=$(json_field "$tmp/fg_small.json" 'd["iterations"]')
sk_coef=$(json_field "$tmp/fg.json" '",".join(repr(t["coef"]) for t in d["terms"])')
sk_converged=$(json_field "$tmp/fg.json" 'str(d["converged"]).lower()')
sk_iter=$(json_field "$tmp/fg.json" 'd["iterations"]')

# --- R ---------------------------------------------------------------------------------
echo "timing R cuminc on $ROWS rows, best of up to $RUNS ..." >&2
Rscript benches/time_r_competing.R cuminc "$CIF_DATA" "$RUNS" "$R_BUDGET" > "$tmp/r_cuminc.out"
echo "timing R crr on $FG_SMALL_ROWS rows, best of up to $RUNS, and best of 2 on $FG_SMALLER_ROWS ..." >&2
Rscript benches/time_r_competing.R crr "$FG_SMALL_DATA" "$RUNS" "$R_BUDGET" "$FG_SMALLER_ROWS" > "$tmp/r_crr.out"
rval() { sed -n "s/^$2=//p" "$tmp/r_$1.out"; }
cuminc_s=$(rval cuminc r_best_seconds)
cuminc_cpu=$(rval cuminc r_best_cpu_seconds)
cuminc_n=$(rval cuminc r_runs)
cuminc_runs=$(rval cuminc r_seconds | paste -sd, - | sed 's/,/, /g')
r_gray_stat=$(rval cuminc r_gray_stat)
r_gray_causes=$(rval cuminc r_gray_causes)
crr_s=$(rval crr r_best_seconds)
crr_cpu=$(rval crr r_best_cpu_seconds)
crr_n=$(rval crr r_runs)
crr_runs=$(rval crr r_seconds | paste -sd, - | sed 's/,/, /g')
crr_smaller_s=$(rval crr r_smaller_seconds)
r_coef=$(rval crr r_coef)
r_se=$(rval crr r_se)
r_loglik=$(rval crr r_loglik)
r_converged=$(rval crr r_converged)
r_version=$(rval crr r_version)
cmprsk_version=$(rval crr cmprsk_version)

# --- page ------------------------------------------------------------------------------
page_json=null
page_ok=null
page_note="not run"
have_page=false
if [[ -f www/pkg/survkit_wasm_inline.js && -d node_modules/playwright-core && -f scripts/serve.mjs ]] \
    && command -v node >/dev/null && [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
    have_page=true
fi
if [[ "$PAGE" == 1 || ( "$PAGE" == auto && "$have_page" == true ) ]]; then
    echo "timing Fine-Gray in the page (benches/finegray_page.mjs) ..." >&2
    if RUNS="$RUNS" DATA="$FG_DATA" OUT="$tmp/page.json" node benches/finegray_page.mjs >&2; then
        page_json=$(cat "$tmp/page.json")
        page_s=$(json_field "$tmp/page.json" '"%.3f" % (d["best_ms"] / 1000)')
        page_ok=$(awk -v x="$page_s" -v t="$TARGET_PAGE_SECONDS" 'BEGIN { print (x < t) ? "true" : "false" }')
        page_note="best of $RUNS: ${page_s} s"
    else
        page_note="failed (see the messages above)"
    fi
elif [[ "$PAGE" == auto ]]; then
    page_note="skipped: needs www/pkg/ (scripts/build-web.sh), node, node_modules/playwright-core, scripts/serve.mjs and Chromium"
else
    page_note="skipped (PAGE=0)"
fi

# --- figures ---------------------------------------------------------------------------
busy_after=$(busy_percent)
ratio=$(awk -v s="$cif_s" -v r="$cuminc_s" 'BEGIN { printf "%.3f", s / r }')
cpu_ratio=$(awk -v s="$cif_cpu" -v r="$cuminc_cpu" 'BEGIN { printf "%.3f", s / r }')
ratio_ok=$(awk -v x="$ratio" -v t="$TARGET_CIF_RATIO" 'BEGIN { print (x <= t) ? "true" : "false" }')
fg_ok=$(awk -v x="$fg_s" -v t="$TARGET_FG_SECONDS" 'BEGIN { print (x < t) ? "true" : "false" }')
verdict() { case "$1" in true) echo PASS ;; false) echo MISS ;; *) echo "not measured" ;; esac; }
# Largest relative difference of a over b, element by element (comma-separated lists).
max_rel() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        n = split(a, x, ","); m = split(b, y, ","); if (n != m || n == 0) { print "nan"; exit }
        worst = 0
        for (i = 1; i <= n; i++) { d = x[i] - y[i]; if (d < 0) d = -d; s = (y[i] < 0) ? -y[i] : y[i]
            if (s > 0 && d / s > worst) worst = d / s }
        printf "%.1e", worst }'
}
coef_rel=$(max_rel "$sk_coef_small" "$r_coef")
se_rel=$(max_rel "$sk_se_small" "$r_se")
loglik_rel=$(max_rel "$sk_loglik_small" "$r_loglik")
gray_rel=$(max_rel "$sk_gray_stat" "$r_gray_stat")
agree_ok=$(awk -v x="$coef_rel" -v t="$AGREE_RELATIVE" 'BEGIN { print (x != "nan" && x + 0 <= t + 0) ? "true" : "false" }')
[[ "$sk_gray_causes" == "$r_gray_causes" ]] || gray_rel=nan
# crr on 1e5 rows, extrapolated from 5e3: by n^2, and by the exponent seen from 2,500 to 5,000 rows.
crr_exponent=$(awk -v a="$crr_smaller_s" -v b="$crr_s" -v n1="$FG_SMALLER_ROWS" -v n2="$FG_SMALL_ROWS" \
    'BEGIN { printf "%.2f", (a > 0) ? log(b / a) / log(n2 / n1) : 2 }')
crr_1e5_n2=$(awk -v t="$crr_s" -v n="$FG_ROWS" -v s="$FG_SMALL_ROWS" 'BEGIN { printf "%.0f", t * (n / s) ^ 2 }')
crr_1e5_fit=$(awk -v t="$crr_s" -v n="$FG_ROWS" -v s="$FG_SMALL_ROWS" -v k="$crr_exponent" 'BEGIN { printf "%.0f", t * (n / s) ^ k }')
small_speedup=$(awk -v s="$fg_small_s" -v r="$crr_s" 'BEGIN { printf "%.0f", r / s }')

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)

cat <<SUMMARY

Competing risks, survkit $commit vs R $r_version / cmprsk $cmprsk_version, best of $RUNS
1. CIF + Gray's test, $ROWS rows, status 0/1/2, 3 groups ($CIF_DATA)
  survkit cif       ${cif_s} s   (whole CLI process, JSON to /dev/null; runs: $(list cif 2); CPU user+sys ${cif_cpu} s)
  R cuminc          ${cuminc_s} s   (runs: ${cuminc_runs}; read.csv not timed; CPU user+sys ${cuminc_cpu} s)
  ratio survkit/R   ${ratio}   target <= ${TARGET_CIF_RATIO}   $(verdict "$ratio_ok")   (CPU-time ratio: ${cpu_ratio})
  peak RSS          ${cif_bytes} B (${cif_bpr} B per row)
  Gray's statistic  survkit ${sk_gray_stat}
                    R       ${r_gray_stat}   (largest relative difference ${gray_rel})
2. Fine-Gray, cause 1, covariates ${COVARIATES}
  survkit, ${FG_ROWS} rows   ${fg_s} s   target < ${TARGET_FG_SECONDS} s   $(verdict "$fg_ok")   (runs: $(list finegray 2); CPU ${fg_cpu} s; peak RSS $((fg_kib * 1024)) B; ${sk_iter} iterations, converged ${sk_converged})
  survkit, ${FG_SMALL_ROWS} rows    ${fg_small_s} s   (whole CLI process, timed with \$EPOCHREALTIME; runs: $(list finegray_small 2))
  R crr, ${FG_SMALL_ROWS} rows      ${crr_s} s   (runs: ${crr_runs}; read.csv not timed; CPU ${crr_cpu} s): crr / survkit = ${small_speedup}x
  R crr, ${FG_SMALLER_ROWS} rows      ${crr_smaller_s} s   (best of 2; first rows of the same file): time grows as n^${crr_exponent}
  R crr, ${FG_ROWS} rows     not run; estimated ${crr_1e5_n2} s by n^2 (${crr_1e5_fit} s by n^${crr_exponent})
  coefficients, ${FG_SMALL_ROWS} rows
    survkit  ${sk_coef_small}   (${sk_iter_small} iterations, converged ${sk_converged_small})
    R crr    ${r_coef}   (converged ${r_converged})
    largest relative difference ${coef_rel}   target <= ${AGREE_RELATIVE}   $(verdict "$agree_ok")   (se ${se_rel}, loglik ${loglik_rel})
  survkit coefficients, ${FG_ROWS} rows: ${sk_coef}
3. Fine-Gray in the page, ${FG_ROWS} rows: ${page_note}   target < ${TARGET_PAGE_SECONDS} s   $(verdict "$page_ok")
CPUs busy with other work: ${busy_before}% just before timing, ${busy_after}% just after (of $(nproc))
SUMMARY

mkdir -p "$(dirname "$OUT")"
cat > "$OUT" <<JSON
{
  "bench": "competing",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine": { "nproc": $(nproc), "cpu": "${cpu//\"/}", "busy_percent_before": $busy_before, "busy_percent_after": $busy_after },
  "survkit_commit": "$commit",
  "r_version": "$r_version",
  "cmprsk_version": "$cmprsk_version",
  "runs": $RUNS,
  "cif": {
    "data": "$CIF_DATA",
    "rows": $ROWS,
    "survkit": {
      "seconds": $cif_s,
      "cpu_seconds": $cif_cpu,
      "runs_seconds": [$(list cif 2)],
      "peak_rss_bytes": $cif_bytes,
      "peak_rss_bytes_per_row": $cif_bpr,
      "gray_stat": [$sk_gray_stat]
    },
    "r_cuminc": {
      "seconds": $cuminc_s,
      "cpu_seconds": $cuminc_cpu,
      "runs": $cuminc_n,
      "runs_seconds": [$cuminc_runs],
      "gray_stat": [$r_gray_stat]
    },
    "ratio_survkit_over_r": $ratio,
    "ratio_cpu_seconds": $cpu_ratio,
    "gray_max_relative_difference": "$gray_rel"
  },
  "finegray": {
    "covariates": "$COVARIATES",
    "cause": 1,
    "survkit_1e5": {
      "data": "$FG_DATA",
      "rows": $FG_ROWS,
      "seconds": $fg_s,
      "cpu_seconds": $fg_cpu,
      "runs_seconds": [$(list finegray 2)],
      "peak_rss_bytes": $((fg_kib * 1024)),
      "iterations": $sk_iter,
      "converged": $sk_converged,
      "coef": [$sk_coef]
    },
    "small": {
      "data": "$FG_SMALL_DATA",
      "rows": $FG_SMALL_ROWS,
      "survkit_seconds": $fg_small_s,
      "survkit_cpu_seconds": $fg_small_cpu,
      "survkit_runs_seconds": [$(list finegray_small 2)],
      "crr_seconds": $crr_s,
      "crr_cpu_seconds": $crr_cpu,
      "crr_runs": $crr_n,
      "crr_runs_seconds": [$crr_runs],
      "crr_over_survkit": $small_speedup,
      "survkit_coef": [$sk_coef_small],
      "crr_coef": [$r_coef],
      "survkit_se": [$sk_se_small],
      "crr_se": [$r_se],
      "survkit_loglik": $sk_loglik_small,
      "crr_loglik": $r_loglik,
      "coef_max_relative_difference": "$coef_rel",
      "se_max_relative_difference": "$se_rel",
      "loglik_relative_difference": "$loglik_rel"
    },
    "crr_growth": {
      "rows": $FG_SMALLER_ROWS,
      "seconds": $crr_smaller_s,
      "exponent_from_${FG_SMALLER_ROWS}_to_${FG_SMALL_ROWS}": $crr_exponent,
      "estimated_seconds_1e5_by_n2": $crr_1e5_n2,
      "estimated_seconds_1e5_by_measured_exponent": $crr_1e5_fit,
      "note": "crr is not run on 1e5 rows; these are extrapolations from the 5e3 runs"
    }
  },
  "page": $page_json,
  "page_note": "$page_note",
  "targets": {
    "cif_ratio_max": $TARGET_CIF_RATIO,
    "finegray_1e5_seconds_max": $TARGET_FG_SECONDS,
    "finegray_page_seconds_max": $TARGET_PAGE_SECONDS,
    "agreement_relative_max": $AGREE_RELATIVE
  },
  "pass": { "cif_ratio": $ratio_ok, "finegray_1e5": $fg_ok, "finegray_agreement": $agree_ok, "finegray_page": $page_ok }
}
JSON
echo "wrote $OUT" >&2

if [[ "${BENCH_STRICT:-0}" == 1 && ( "$ratio_ok" != true || "$fg_ok" != true || "$agree_ok" != true || "$page_ok" == false ) ]]; then
    exit 1
fi
