#!/usr/bin/env bash
# survkit run (issue Step 8): the example study's ten analyses (examples/study.json: OS and LFS
# by group with pairwise log-rank, follow-up, relapse incidence with Gray's test, univariate and
# multivariable Cox with cox.zph, Fine-Gray, Table 1) on ROWS rows of the simulated cohort
# resampled, three ways:
#   run        one `survkit run --study --format json` process: one parse for all ten analyses
#   separate   the ten analyses as ten `survkit <analysis>` processes, each parsing the file
#   R          benches/time_r_study.R: the same analyses in R, estimation only (the read excluded)
# survkit best of RUNS, R once; elapsed seconds and peak RSS under /usr/bin/time. Writes benches/results/study_run.json.
# Exits 0 whatever the figures (they are the product).
#
# Usage: benches/study_run.sh   ROWS=20000 (cmprsk's crr is quadratic in n), RUNS=3, SURVKIT_BIN= (see lib.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh

ROWS=${ROWS:-20000}
RUNS=${RUNS:-3}
DATA=benches/data/study_${ROWS}.csv
OUT=benches/results/study_run.json
require_cmd python3
require_cmd Rscript "R with survival and cmprsk"
require_gnu_time
bench_build
bench_tmp
mkdir -p benches/data

# The cohort's rows drawn with replacement, times scaled by a factor in [0.9, 1.1] (seed 1), so
# the file has the study's columns and about ROWS distinct times.
ensure_data "$DATA" "$ROWS" python3 - "$ROWS" "$DATA" <<'PY'
import csv, random, sys
rows, out = int(sys.argv[1]), sys.argv[2]
random.seed(1)
with open("examples/cart_haplo_simulated.csv", newline="") as source:
    reader = csv.reader(source)
    header = next(reader)
    cohort = list(reader)
times = [header.index("os_months"), header.index("lfs_months")]
with open(out, "w", newline="") as target:
    writer = csv.writer(target)
    writer.writerow(header)
    for _ in range(rows):
        row = list(random.choice(cohort))
        factor = random.uniform(0.9, 1.1)
        for column in times:
            row[column] = f"{float(row[column]) * factor:.4f}"
        writer.writerow(row)
PY

# The study's analyses as separate CLI calls: its requests turned into flags.
python3 - examples/study.json > "$tmp/separate.txt" <<'PY'
import json, sys
study = json.load(open(sys.argv[1]))
for analysis in study["analyses"]:
    request = dict(analysis["request"])
    flags = [request.pop("analysis")]
    for field, value in request.items():
        flag = "--" + field.replace("_", "-")
        if value is True:
            flags.append(flag)
        elif isinstance(value, list):
            if field == "reference":
                for item in value:
                    flags += [flag, str(item)]
            else:
                flags += [flag, ",".join(str(item) for item in value)]
        else:
            flags += [flag, str(value)]
    print("\t".join(flags))
PY
# The separate calls cannot make the study's derived column: they use a file that has it.
python3 - "$DATA" "$tmp/derived.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as source, open(sys.argv[2], "w", newline="") as target:
    reader, writer = csv.reader(source), csv.writer(target)
    header = next(reader)
    writer.writerow(header + ["age_group"])
    age = header.index("age")
    for row in reader:
        writer.writerow(row + ["[-Inf,40)" if float(row[age]) < 40 else "[40,Inf)"])
PY
separate() {
    while IFS=$'\t' read -r -a flags; do
        "$BIN" "${flags[@]}" --data "$tmp/derived.csv" --format json > /dev/null
    done < "$tmp/separate.txt"
}
export -f separate
export BIN tmp

wait_for_idle
for _ in $(seq "$RUNS"); do
    timed_run run "$tmp/run.json" "$BIN" run --study examples/study.json --data "$DATA" --format json
    timed_run separate /dev/null bash -c separate
done
# R once: cmprsk's crr alone takes minutes at 2e4 rows.
Rscript benches/time_r_study.R "$DATA" > "$tmp/r.out"
echo "r $(sed -n 's/^seconds=//p' "$tmp/r.out") 0 0 0" >> "$tmp/runs"
busy_after=$(busy_percent)

run_s=$(best run); separate_s=$(best separate); r_s=$(best r)
survkit_chisq=$(python3 -c "import json,sys; d=json.load(open('$tmp/run.json')); print(repr(d['analyses'][1]['result']['chisq']))")
r_chisq=$(sed -n 's/^os_logrank_chisq=//p' "$tmp/r.out")
{
    echo "{"
    json_head study_run
    cat <<JSON
  "rows": $ROWS,
  "runs": $RUNS,
  "r_version": "$(sed -n 's/^r_version=//p' "$tmp/r.out")",
  "survkit_run": { "seconds": $run_s, "peak_rss_bytes": $(( $(maxkib run) * 1024 )), "runs_seconds": [$(list run 2)] },
  "survkit_separate_calls": { "seconds": $separate_s, "runs_seconds": [$(list separate 2)] },
  "r_estimation_only": { "seconds": $r_s, "finegray_seconds": $(sed -n 's/^finegray_seconds=//p' "$tmp/r.out"), "runs": 1 },
  "ratio_run_over_separate": $(ratio "$run_s" "$separate_s"),
  "ratio_run_over_r": $(ratio "$run_s" "$r_s"),
  "ratio_run_over_r_without_finegray": $(ratio "$run_s" "$(awk -v a="$r_s" -v b="$(sed -n 's/^finegray_seconds=//p' "$tmp/r.out")" 'BEGIN { print a - b }')"),
  "os_logrank_chisq": { "survkit": $survkit_chisq, "r": $r_chisq }
}
JSON
} > "$OUT"
cat "$OUT"
