#!/usr/bin/env bash
# Table 1 benchmark: baseline characteristics by group, survkit's whole CLI job.
#
# 1. Wide: 50 variables (25 numeric, 25 categorical) x 1e5 rows, `survkit table1
#    --categorical-test chisq --continuous-test welch`, by 3 groups (arm3) and by 2 (arm2): one
#    CLI process each (start, read and parse the CSV, describe every variable by group, one test
#    per variable, print JSON to /dev/null), timed with /usr/bin/time. Target: < 1 s each.
#    For context (no target), base R doing the same summaries and tests after read.csv
#    (benches/table1_time_r.R wide), and how far survkit's p-values are from R's.
# 2. Fisher: `survkit table1 --categorical-test fisher` on 500 rows, one categorical variable
#    with K = 5, 8 and 12 levels by 2 groups, the whole CLI job (so it includes process start;
#    the same file with --categorical-test chisq is timed too, as the floor of start + parse).
#    Target: < 50 ms, with a p-value. These jobs take milliseconds, below /usr/bin/time's 10 ms
#    resolution, so they are timed with bash's $EPOCHREALTIME around the process, best of
#    FISHER_RUNS. Beside it, R's fisher.test on the same table (time per call, read.csv not
#    timed). The first survkit run of each is guarded by FISHER_TIMEOUT; when it times out there
#    are no repeats. A run that ends without a p-value (null in the JSON) is a miss too. When
#    survkit's exact enumeration is past its budget, its p is R's Monte Carlo one: then it is
#    compared with (and timed beside) set.seed(1); fisher.test(tab, simulate.p.value = TRUE),
#    and the JSON records "survkit_simulated": true.
# 3. Fisher sweep: 57 2 x K tables over the same 500 rows (K = 2..20; even, skewed and
#    associated levels; benches/data/table1_fisher_sweep.csv), one `survkit table1 --vars V
#    --categorical-test fisher` job each, best of SWEEP_RUNS (each run under `timeout`, whose
#    own start is included). Target: the slowest table < 50 ms, with a p-value; the JSON counts
#    how many were exact and how many Monte Carlo.
# Best of 3 on every side (FISHER_RUNS for the millisecond jobs).
#
# Writes benches/results/table1.json. Exits 0 even when a target is missed (the figures are the
# product); set BENCH_STRICT=1 to exit 1 on a miss.
#
# Usage: benches/table1.sh                (from anywhere; it works from the repo root)
#   RUNS=3            repeats per side (best is kept)
#   ROWS=100000       rows of the wide file; other sizes use benches/data/table1_wide_<ROWS>.csv
#                     and write benches/results/table1_<ROWS>.json, so the committed result is kept
#   FISHER_RUNS=10    repeats of the millisecond Fisher and floor jobs
#   FISHER_TIMEOUT=30 seconds allowed to a survkit Fisher run
#   SWEEP_RUNS=3      repeats of each sweep job
#   WAIT_IDLE=60      seconds to wait for other work on the machine to settle before timing
#   SURVKIT_BIN=      a survkit binary built elsewhere (e.g. a profiling build): not rebuilt, and
#                     recorded as the commit SURVKIT_COMMIT (default "unknown")
#   BENCH_STRICT=0
# Shared helpers (timing, idle wait, figures, JSON head): benches/lib.sh.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source benches/lib.sh

RUNS="${RUNS:-3}"
ROWS="${ROWS:-100000}"
FISHER_TIMEOUT="${FISHER_TIMEOUT:-30}"
FISHER_RUNS="${FISHER_RUNS:-10}"
SWEEP_RUNS="${SWEEP_RUNS:-3}"
SWEEP_DATA=benches/data/table1_fisher_sweep.csv
# a smaller or larger trial run keeps the committed result
WIDE_DATA=$(for_rows 100000 benches/data/table1_wide_1e5.csv "benches/data/table1_wide_${ROWS}.csv")
OUT=$(for_rows 100000 benches/results/table1.json "benches/results/table1_${ROWS}.json")
FISHER_ROWS=500
FISHER_KS=(5 8 12)
TARGET_WIDE_SECONDS=1
TARGET_FISHER_SECONDS=0.05

# --- tools -----------------------------------------------------------------------------
require_gnu_time
require_cmd Rscript
require_cmd python3 "it reads survkit's JSON"

# --- build (a no-op when up to date) ---------------------------------------------------
bench_build
"$BIN" table1 --help > /dev/null 2>&1 || { echo "error: $BIN has no table1 subcommand yet" >&2; exit 2; }

# --- data ------------------------------------------------------------------------------
ensure_data "$WIDE_DATA" "$ROWS" Rscript benches/table1_make_data.R wide "$WIDE_DATA" "$ROWS"
for k in "${FISHER_KS[@]}"; do
    ensure_data "benches/data/table1_fisher_k$k.csv" "$FISHER_ROWS" \
        Rscript benches/table1_make_data.R fisher "$k" "benches/data/table1_fisher_k$k.csv" "$FISHER_ROWS"
done
ensure_data "$SWEEP_DATA" "$FISHER_ROWS" Rscript benches/table1_make_data.R sweep "$SWEEP_DATA" "$FISHER_ROWS"
VARS=$(head -1 "$WIDE_DATA" | tr -d '\r' | cut -d, -f3-)   # every column but arm3, arm2
n_vars=$(tr ',' '\n' <<< "$VARS" | wc -l)

# --- survkit ---------------------------------------------------------------------------
# timed_run for the wide jobs; fine_run ($EPOCHREALTIME, no RSS or CPU figures) for the
# millisecond Fisher jobs. Both return the command's status.
bench_tmp
wide_cmd() { echo "$BIN table1 --data $WIDE_DATA --group $1 --vars $VARS --categorical-test chisq --continuous-test welch --format json"; }
fisher_cmd() { echo "$BIN table1 --data benches/data/table1_fisher_k$1.csv --group group --vars grade --categorical-test $2 --format json"; }

wait_for_idle

cat "$WIDE_DATA" benches/data/table1_fisher_k*.csv > /dev/null   # warm the page cache
echo "timing survkit table1 on $ROWS rows x $n_vars variables, best of $RUNS ..." >&2
for ((i = 1; i <= RUNS; i++)); do
    # shellcheck disable=SC2046  # the commands are words without spaces
    timed_run wide3 "$tmp/wide3.json" $(wide_cmd arm3)
    # shellcheck disable=SC2046
    timed_run wide2 "$tmp/wide2.json" $(wide_cmd arm2)
done

echo "timing survkit table1 --categorical-test fisher on $FISHER_ROWS rows, K = ${FISHER_KS[*]} ..." >&2
declare -A fisher_timed_out
for k in "${FISHER_KS[@]}"; do
    for ((i = 1; i <= FISHER_RUNS; i++)); do
        # shellcheck disable=SC2046
        fine_run "floor$k" /dev/null $(fisher_cmd "$k" chisq)
    done
    # The first run is guarded: a full enumeration of the tables may take hours.
    status=0
    # shellcheck disable=SC2046
    fine_run "fisher$k" "$tmp/fisher$k.json" timeout "$FISHER_TIMEOUT" $(fisher_cmd "$k" fisher) || status=$?
    if (( status == 124 )); then
        echo "  K = $k: no answer in ${FISHER_TIMEOUT} s; not repeated" >&2
        fisher_timed_out[$k]=true
        continue
    elif (( status != 0 )); then
        echo "error: survkit table1 --categorical-test fisher failed on K = $k (status $status)" >&2
        exit 1
    fi
    fisher_timed_out[$k]=false
    for ((i = 2; i <= FISHER_RUNS; i++)); do   # unguarded, so that timeout's own start is not timed
        # shellcheck disable=SC2046
        fine_run "fisher$k" "$tmp/fisher$k.json" $(fisher_cmd "$k" fisher)
    done
done

echo "timing survkit table1 --categorical-test fisher on each 2 x K table of $SWEEP_DATA ..." >&2
read -r -a sweep_vars < <(head -1 "$SWEEP_DATA" | tr -d '\r' | cut -d, -f2- | tr ',' ' ')
sweep_worst=0; sweep_worst_var=""; sweep_exact=0; sweep_simulated=0; sweep_no_p=0
for v in "${sweep_vars[@]}"; do
    for ((i = 1; i <= SWEEP_RUNS; i++)); do
        fine_run "sweep_$v" "$tmp/sweep.json" timeout "$FISHER_TIMEOUT" "$BIN" table1 --data "$SWEEP_DATA" \
            --group group --vars "$v" --categorical-test fisher --format json
    done
    case $(json_field "$tmp/sweep.json" '"none" if d["rows"][0]["p"] is None else ("simulated" if d["rows"][0].get("simulated") else "exact")') in
        exact) sweep_exact=$((sweep_exact + 1)) ;;
        simulated) sweep_simulated=$((sweep_simulated + 1)) ;;
        *) sweep_no_p=$((sweep_no_p + 1)) ;;
    esac
    v_s=$(best "sweep_$v")
    if awk -v a="$v_s" -v b="$sweep_worst" 'BEGIN { exit !(a > b) }'; then sweep_worst=$v_s; sweep_worst_var=$v; fi
done
sweep_ok=$(below "$sweep_worst" "$TARGET_FISHER_SECONDS")
(( sweep_no_p == 0 )) || sweep_ok=false

wide3_s=$(best wide3); wide3_cpu=$(mincpu wide3); wide3_kib=$(maxkib wide3)
wide2_s=$(best wide2); wide2_cpu=$(mincpu wide2); wide2_kib=$(maxkib wide2)
sk_p3=$(json_field "$tmp/wide3.json" '",".join("nan" if r["p"] is None else repr(r["p"]) for r in d["rows"])')
sk_p2=$(json_field "$tmp/wide2.json" '",".join("nan" if r["p"] is None else repr(r["p"]) for r in d["rows"])')
sk_vars=$(json_field "$tmp/wide3.json" '",".join(r["variable"] for r in d["rows"])')
sk_tests3=$(json_field "$tmp/wide3.json" '",".join(sorted(set(r["kind"] + ":" + r["test"] for r in d["rows"])))')
sk_tests2=$(json_field "$tmp/wide2.json" '",".join(sorted(set(r["kind"] + ":" + r["test"] for r in d["rows"])))')

# --- R ---------------------------------------------------------------------------------
echo "timing R: the same summaries and tests in base R, best of $RUNS (context) ..." >&2
Rscript benches/table1_time_r.R wide "$WIDE_DATA" arm3 "$RUNS" > "$tmp/r_wide3.out"
Rscript benches/table1_time_r.R wide "$WIDE_DATA" arm2 "$RUNS" > "$tmp/r_wide2.out"
echo "timing R fisher.test ..." >&2
for k in "${FISHER_KS[@]}"; do
    Rscript benches/table1_time_r.R fisher "benches/data/table1_fisher_k$k.csv" "$RUNS" > "$tmp/r_fisher$k.out" 2> "$tmp/r_fisher$k.err"
done
r_version=$(rval wide3 r_version)

# --- figures ---------------------------------------------------------------------------
busy_after=$(busy_percent)
jnum() { [[ -n "$1" ]] && echo "$1" || echo null; }   # a JSON number, or null when empty

r_wide3_s=$(rval wide3 r_best_seconds); r_wide2_s=$(rval wide2 r_best_seconds)
p3_rel=$(max_rel "$sk_p3" "$(rval wide3 r_p)")
p2_rel=$(max_rel "$sk_p2" "$(rval wide2 r_p)")
[[ "$sk_vars" == "$(rval wide3 r_vars)" ]] || { p3_rel=nan; p2_rel=nan; }
wide3_ok=$(below "$wide3_s" "$TARGET_WIDE_SECONDS")
wide2_ok=$(below "$wide2_s" "$TARGET_WIDE_SECONDS")
ratio3=$(ratio "$wide3_s" "$r_wide3_s")
ratio2=$(ratio "$wide2_s" "$r_wide2_s")

fisher_summary=""
fisher_json=""
fisher_pass_json=""
fisher_all_ok=true
for k in "${FISHER_KS[@]}"; do
    tables=$(rval "fisher$k" r_tables)
    floor_s=$(best "floor$k")
    r_s=$(rval "fisher$k" r_best_seconds)
    r_p=$(rval "fisher$k" r_p)
    r_err=$(rval "fisher$k" r_error)
    r_ws=$(rval "fisher$k" r_workspace)
    s=""; sk_p=""; sk_sim=false; p_rel=nan; ok=false
    r_sim_s=$(rval "fisher$k" r_sim_best_seconds)
    if [[ "${fisher_timed_out[$k]}" == true ]]; then
        sk_line="no answer in ${FISHER_TIMEOUT} s (timed out, not repeated)"
    else
        s=$(best "fisher$k")
        sk_p=$(json_field "$tmp/fisher$k.json" '"" if d["rows"][0]["p"] is None else repr(d["rows"][0]["p"])')
        sk_warn=$(json_field "$tmp/fisher$k.json" '"; ".join(d["rows"][0]["warnings"])')
        sk_sim=$(json_field "$tmp/fisher$k.json" '"true" if d["rows"][0].get("simulated") else "false"')
        if [[ "$sk_sim" == true ]]; then   # compare with R's Monte Carlo p, not the exact one
            r_p=$(rval "fisher$k" r_sim_p)
        fi
        if [[ -z "$sk_p" ]]; then
            sk_line="${s} s (runs: $(list "fisher$k" 2)) but NO p-value (null; warnings: ${sk_warn:-none})"
        else
            [[ -n "$r_p" ]] && p_rel=$(max_rel "$sk_p" "$r_p")
            ok=$(below "$s" "$TARGET_FISHER_SECONDS")
            how=""
            [[ "$sk_sim" != true ]] || how=", Monte Carlo: past the exact budget"
            sk_line="${s} s (runs: $(list "fisher$k" 2); whole CLI job incl. process start; p = ${sk_p}${how})"
        fi
    fi
    [[ "$ok" == true ]] || fisher_all_ok=false
    if [[ -n "$r_err" ]]; then
        r_exact="fails, ${r_err%%(*}(also with workspace ${r_ws})"
    else
        r_exact="$(awk -v x="$r_s" 'BEGIN { printf "%.1f", 1000 * x }') ms per call with workspace ${r_ws}, p = $(rval "fisher$k" r_p)"
    fi
    if [[ "$sk_sim" == true ]]; then
        r_line="set.seed(1); fisher.test(tab, simulate.p.value = TRUE): $(awk -v x="$r_sim_s" 'BEGIN { printf "%.1f", 1000 * x }') ms per call (p = ${r_p}; relative difference from survkit ${p_rel}); exact: ${r_exact}"
    elif [[ -n "$r_err" ]]; then
        r_line="fisher.test fails: ${r_err%%(*}(also with workspace ${r_ws})"
    else
        r_line="$(awk -v x="$r_s" 'BEGIN { printf "%.1f", 1000 * x }') ms per call (workspace ${r_ws}; read.csv not timed; p = ${r_p}; relative difference from survkit ${p_rel})"
    fi
    fisher_summary+="  K = $k ($tables tables with these margins)
    survkit fisher    ${sk_line}   target < ${TARGET_FISHER_SECONDS} s   $(verdict "$ok")
    survkit chisq     ${floor_s} s   (the same job with chi-square: the floor of process start + parse)
    R                 ${r_line}
"
    fisher_json+="${fisher_json:+,
}    \"k$k\": {
      \"data\": \"benches/data/table1_fisher_k$k.csv\",
      \"rows\": $FISHER_ROWS,
      \"levels\": $k,
      \"tables_with_margins\": $tables,
      \"survkit_seconds\": $(jnum "$s"),
      \"survkit_runs_seconds\": [$(list "fisher$k" 2)],
      \"survkit_timed_out\": ${fisher_timed_out[$k]},
      \"timeout_seconds\": $FISHER_TIMEOUT,
      \"survkit_p\": $(jnum "$sk_p"),
      \"survkit_simulated\": $sk_sim,
      \"survkit_chisq_floor_seconds\": $floor_s,
      \"r_seconds_per_call\": $(jnum "$r_s"),
      \"r_workspace\": $(jnum "$r_ws"),
      \"r_error\": $([[ -n "$r_err" ]] && echo "\"${r_err//\"/}\"" || echo null),
      \"r_p\": $(jnum "$r_p"),
      \"r_simulated_seconds_per_call\": $(jnum "$r_sim_s"),
      \"p_relative_difference\": \"$p_rel\"
    }"
    fisher_pass_json+=", \"fisher_k$k\": $ok"
done

cat <<SUMMARY

Table 1, survkit $commit vs R $r_version, best of $RUNS
1. $ROWS rows x $n_vars variables (25 numeric, 25 categorical), chisq + welch ($WIDE_DATA)
  3 groups  survkit ${wide3_s} s   target < ${TARGET_WIDE_SECONDS} s   $(verdict "$wide3_ok")   (whole CLI job; runs: $(list wide3 2); CPU ${wide3_cpu} s; peak RSS $((wide3_kib * 1024)) B; tests ${sk_tests3})
            base R  ${r_wide3_s} s (same summaries and tests, read.csv not timed; context): survkit/R ${ratio3}; p-values' largest relative difference ${p3_rel}
  2 groups  survkit ${wide2_s} s   target < ${TARGET_WIDE_SECONDS} s   $(verdict "$wide2_ok")   (runs: $(list wide2 2); CPU ${wide2_cpu} s; peak RSS $((wide2_kib * 1024)) B; tests ${sk_tests2})
            base R  ${r_wide2_s} s: survkit/R ${ratio2}; p-values' largest relative difference ${p2_rel}
2. Fisher's exact test, $FISHER_ROWS rows, 2 groups x K levels
${fisher_summary}3. Fisher sweep, ${#sweep_vars[@]} 2 x K tables (K = 2..20), 500 rows ($SWEEP_DATA)
    slowest ${sweep_worst} s (${sweep_worst_var}; whole CLI job incl. process start and timeout's)   target < ${TARGET_FISHER_SECONDS} s   $(verdict "$sweep_ok")
    exact ${sweep_exact}, Monte Carlo ${sweep_simulated}, no p-value ${sweep_no_p}
CPUs busy with other work: ${busy_before}% just before timing, ${busy_after}% just after (of $(nproc))
SUMMARY

mkdir -p "$(dirname "$OUT")"
cat > "$OUT" <<JSON
{
$(json_head table1)
  "r_version": "$r_version",
  "runs": $RUNS,
  "wide": {
    "data": "$WIDE_DATA",
    "rows": $ROWS,
    "variables": $n_vars,
    "categorical_test": "chisq",
    "continuous_test": "welch",
    "groups_3": {
      "group": "arm3",
      "survkit_seconds": $wide3_s,
      "survkit_cpu_seconds": $wide3_cpu,
      "survkit_runs_seconds": [$(list wide3 2)],
      "survkit_peak_rss_bytes": $((wide3_kib * 1024)),
      "survkit_tests": "$sk_tests3",
      "base_r_seconds": $r_wide3_s,
      "ratio_survkit_over_base_r": $ratio3,
      "p_max_relative_difference": "$p3_rel"
    },
    "groups_2": {
      "group": "arm2",
      "survkit_seconds": $wide2_s,
      "survkit_cpu_seconds": $wide2_cpu,
      "survkit_runs_seconds": [$(list wide2 2)],
      "survkit_peak_rss_bytes": $((wide2_kib * 1024)),
      "survkit_tests": "$sk_tests2",
      "base_r_seconds": $r_wide2_s,
      "ratio_survkit_over_base_r": $ratio2,
      "p_max_relative_difference": "$p2_rel"
    }
  },
  "fisher": {
$fisher_json
  },
  "fisher_sweep": {
    "data": "$SWEEP_DATA",
    "tables": ${#sweep_vars[@]},
    "slowest_seconds": $sweep_worst,
    "slowest_variable": "$sweep_worst_var",
    "exact": $sweep_exact,
    "monte_carlo": $sweep_simulated,
    "no_p_value": $sweep_no_p
  },
  "targets": { "wide_seconds_max": $TARGET_WIDE_SECONDS, "fisher_seconds_max": $TARGET_FISHER_SECONDS },
  "pass": { "wide_3_groups": $wide3_ok, "wide_2_groups": $wide2_ok$fisher_pass_json, "fisher_sweep": $sweep_ok }
}
JSON
echo "wrote $OUT" >&2

strict_exit "$wide3_ok" "$wide2_ok" "$fisher_all_ok" "$sweep_ok"
