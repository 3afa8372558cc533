#!/usr/bin/env bash
# Hostile sizes (issue Step 7): what a user controls must never cost quadratic or cubic time.
# Each job is one whole CLI process (start, read, parse, analyse or refuse, print), timed with
# /usr/bin/time (elapsed s, peak RSS), best of RUNS; R beside it where R does the same job.
#
#   logrank_500_groups     20,000 rows in 500 groups (the limit), `survkit logrank`; R survdiff
#   logrank_10000_groups   20,000 rows in 10,000 groups (a patient id as the group): refused
#   cif_50_groups          20,000 rows in 50 groups (the limit of Gray's test), `survkit cif`;
#                          R cuminc
#   cox_100_levels         20,000 rows, a covariate of 100 levels (the limit), `survkit cox`; R coxph
#   header_16384_columns   16,384 columns (Excel's limit) x 100 rows, `survkit km` on two of them
#   header_100000_columns  100,000 columns: refused
#   cell_70000_characters  a group label of 70,000 characters, `survkit km --format text`
# Target: < 200 MB each; a job R also does no slower than R, any other < 2 s, a refusal < 0.5 s.
#
# Writes benches/results/hostile_sizes.json. Exits 0 when a target is missed (the figures are
# the product); BENCH_STRICT=1 exits 1 on a miss.
#
# Usage: benches/hostile_sizes.sh   RUNS=3 (repeats), WAIT_IDLE=60, SURVKIT_BIN= (see lib.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh

RUNS=${RUNS:-3}
DATA=benches/data/hostile
OUT=benches/results/hostile_sizes.json
require_cmd python3
require_cmd Rscript "R with survival and cmprsk"
require_gnu_time
bench_build
bench_tmp
mkdir -p "$DATA"

# --- data (deterministic) ----------------------------------------------------------------
python3 - "$DATA" <<'PY'
import os, random, sys
folder = sys.argv[1]
def write(name, header, rows):
    path = os.path.join(folder, name)
    if os.path.exists(path):
        return
    with open(path, "w") as out:
        out.write(",".join(header) + "\n")
        for row in rows:
            out.write(",".join(map(str, row)) + "\n")
random.seed(7)
def groups(n_rows, n_groups, status):
    for row in range(n_rows):
        yield (round(random.expovariate(0.1), 3), status(), f"g{row % n_groups}")
write("groups_500.csv", ["t", "e", "g"], groups(20000, 500, lambda: int(random.random() < 0.7)))
write("groups_10000.csv", ["t", "e", "g"], groups(20000, 10000, lambda: int(random.random() < 0.7)))
write("cif_50.csv", ["t", "s", "g"], groups(20000, 50, lambda: random.choice([0, 1, 2])))
write("levels_100.csv", ["t", "e", "level"], groups(20000, 100, lambda: int(random.random() < 0.7)))
write("columns_16384.csv", [f"c{i}" for i in range(1, 16385)],
      ([round(random.expovariate(0.1), 3), int(random.random() < 0.7)] + [1] * 16382 for _ in range(100)))
write("columns_100000.csv", [f"c{i}" for i in range(1, 100001)], ([1] * 100000 for _ in range(2)))
write("cell_70000.csv", ["t", "e", "g"], [(1, 1, "x" * 70000), (2, 0, "b"), (3, 1, "b")])
PY

# A refusal: the CLI must exit 1 (with its message); timed as one job.
refused() { "$BIN" "$@" 2>/dev/null && return 1; [[ $? -eq 1 ]]; }
export -f refused
export BIN

wait_for_idle
for _ in $(seq "$RUNS"); do
    timed_run logrank_500 /dev/null "$BIN" logrank --data "$DATA/groups_500.csv" --time t --event e --group g --format json
    timed_run logrank_10000 /dev/null bash -c 'refused logrank --data "$0" --time t --event e --group g' "$DATA/groups_10000.csv"
    timed_run cif_50 /dev/null "$BIN" cif --data "$DATA/cif_50.csv" --time t --status s --group g --format json
    timed_run cox_100 /dev/null "$BIN" cox --data "$DATA/levels_100.csv" --time t --event e --covariates level --format json
    timed_run columns_16384 /dev/null "$BIN" km --data "$DATA/columns_16384.csv" --time c1 --event c2 --format json
    timed_run columns_100000 /dev/null bash -c 'refused km --data "$0" --time c1 --event c2' "$DATA/columns_100000.csv"
    timed_run cell_70000 /dev/null "$BIN" km --data "$DATA/cell_70000.csv" --time t --event e --group g --format text
    timed_run r_logrank_500 /dev/null Rscript -e "library(survival); d <- read.csv('$DATA/groups_500.csv'); invisible(survdiff(Surv(t, e) ~ g, d))"
    timed_run r_cif_50 /dev/null Rscript -e "library(cmprsk); d <- read.csv('$DATA/cif_50.csv'); invisible(cuminc(d\$t, d\$s, d\$g))"
    timed_run r_cox_100 /dev/null Rscript -e "library(survival); d <- read.csv('$DATA/levels_100.csv'); invisible(coxph(Surv(t, e) ~ level, d))"
    timed_run r_columns_16384 /dev/null Rscript -e "library(survival); d <- read.csv('$DATA/columns_16384.csv'); invisible(survfit(Surv(c1, c2) ~ 1, d))"
done
busy_after=$(busy_percent)

# --- figures -------------------------------------------------------------------------------
job() { # NAME LABEL R_LABEL|- SECONDS_TARGET (used when R does not do the job)
    local secs kib r_secs=null pass
    secs=$(best "$2"); kib=$(maxkib "$2")
    if [[ "$3" != - ]]; then
        r_secs=$(best "$3")
        pass=$(at_most "$secs" "$r_secs")
    else
        pass=$(at_most "$secs" "$4")
    fi
    [[ "$pass" == true ]] && pass=$(at_most "$kib" 204800)
    printf '%-24s survkit %6s s %7s KiB   R %6s s   %s\n' "$1" "$secs" "$kib" "$r_secs" "$(verdict "$pass")" >&2
    echo "    \"$1\": { \"survkit_seconds\": $secs, \"survkit_peak_kib\": $kib, \"r_seconds\": $r_secs, \"pass\": $pass }"
    echo "$pass" >> "$tmp/passes"
}
{
    echo "{"
    json_head hostile_sizes
    echo "  \"runs\": $RUNS,"
    echo "  \"jobs\": {"
    {
        job logrank_500_groups logrank_500 r_logrank_500 2
        job logrank_10000_groups logrank_10000 - 0.5
        job cif_50_groups cif_50 r_cif_50 2
        job cox_100_levels cox_100 r_cox_100 2
        job header_16384_columns columns_16384 r_columns_16384 2
        job header_100000_columns columns_100000 - 0.5
        job cell_70000_characters cell_70000 - 2
    } | paste -sd, - | sed 's/,    "/,\n    "/g'
    echo "  }"
    echo "}"
} > "$OUT"
echo "wrote $OUT" >&2
# shellcheck disable=SC2046
strict_exit $(cat "$tmp/passes")
