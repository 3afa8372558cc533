# shellcheck shell=bash
# Shared helpers of the bench drivers (km_logrank.sh, cox.sh, competing.sh, table1.sh).
# Sourced, not run: each driver does `set -euo pipefail`, changes to the repository root and
# then `source benches/lib.sh`. Nothing here runs on load; the helpers that set variables say
# which.
#
# Setup
#   for_rows DEFAULT_ROWS DEFAULT_PATH SIZED_PATH   prints DEFAULT_PATH when $ROWS is
#                            DEFAULT_ROWS, else SIZED_PATH (trial sizes keep committed results)
#   require_cmd NAME [WHY]   exits 2 when NAME is not on PATH
#   require_gnu_time         installs /usr/bin/time (Debian `time`) when missing and apt is idle
#   bench_build              sets BIN and commit: $SURVKIT_BIN as is (commit $SURVKIT_COMMIT,
#                            default "unknown"), else builds target/release/survkit (commit
#                            `git rev-parse --short HEAD`, "+dirty" when src/ or Cargo.* changed)
#   ensure_data FILE ROWS CMD...  runs CMD when FILE does not have ROWS data lines (+ header)
#   bench_tmp                sets tmp to a fresh directory removed on exit
# Timing (each run appends "LABEL elapsed_s peak_rss_kib user_s sys_s" to $tmp/runs)
#   timed_run LABEL OUTFILE CMD...        one run under /usr/bin/time, stdout to OUTFILE;
#                                         returns CMD's status (nothing recorded on failure)
#   fine_run [--rss] LABEL OUTFILE CMD... for jobs of milliseconds: elapsed from bash's
#                            $EPOCHREALTIME around the process (4 decimals); with --rss, the peak
#                            RSS and CPU times of a second run under /usr/bin/time, else 0 0 0
#   busy_percent             share of all CPUs busy over the next second (/proc/stat)
#   wait_for_idle            sets busy_before, after waiting up to $WAIT_IDLE (60) s for it <= 10%
# Figures
#   best LABEL / maxkib LABEL / mincpu LABEL / list LABEL COLUMN   from $tmp/runs: the smallest
#                            elapsed, the largest peak RSS (KiB), the smallest user+sys (%.2f),
#                            a column of every run as "a, b, c"
#   rval NAME KEY            KEY=value lines of $tmp/r_NAME.out (R's timers); rval_list joins
#                            them as "a, b, c"
#   json_field FILE EXPR     python3 EXPR on the JSON file loaded as d
#   ratio A B                A / B, 3 decimals; per_row BYTES ROWS: 1 decimal
#   max_rel A B              largest relative difference of list A from list B (comma-separated;
#                            "nan" when the lengths differ or are 0), as %.1e
#   at_most X T / below X T  true / false (at_most is false for "nan")
#   verdict true|false|*     PASS / MISS / not measured
#   json_head BENCH          the first lines of a results JSON: bench, date, machine (nproc, CPU
#                            model, busy_before / busy_after), survkit_commit
#   strict_exit PASS...      exit 1 when BENCH_STRICT=1 and any PASS is false

for_rows() {
    if [[ "$ROWS" == "$1" ]]; then echo "$2"; else echo "$3"; fi
}

require_cmd() {
    command -v "$1" >/dev/null || { echo "error: $1 not found${2:+ ($2)}" >&2; exit 2; }
}

require_gnu_time() {
    if [[ ! -x /usr/bin/time ]]; then
        if pgrep -x apt-get >/dev/null || pgrep -x apt >/dev/null || pgrep -x dpkg >/dev/null; then
            echo "error: /usr/bin/time is missing and apt is busy; install the Debian 'time' package and rerun" >&2
            exit 2
        fi
        echo "installing GNU time (/usr/bin/time) ..." >&2
        apt-get install -y -qq time >/dev/null
    fi
}

bench_build() {
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
}

ensure_data() {
    local file=$1 rows=$2 lines=0; shift 2
    [[ -f "$file" ]] && lines=$(wc -l < "$file")
    if [[ "$lines" -ne $((rows + 1)) ]]; then
        echo "generating $file ..." >&2
        "$@"
    fi
}

bench_tmp() {
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
}

timed_run() {
    local label=$1 out=$2 status=0 secs kib user sys; shift 2
    /usr/bin/time -o "$tmp/time" -f '%e %M %U %S' "$@" > "$out" || status=$?
    if (( status == 0 )); then
        read -r secs kib user sys < <(tail -1 "$tmp/time")
        echo "$label $secs $kib $user $sys" >> "$tmp/runs"
    fi
    return $status
}

fine_run() {
    local rss=false
    if [[ "$1" == --rss ]]; then rss=true; shift; fi
    local label=$1 out=$2 status=0 t0 t1 kib=0 user=0 sys=0; shift 2
    t0=$EPOCHREALTIME
    "$@" > "$out" || status=$?
    t1=$EPOCHREALTIME
    (( status == 0 )) || return $status
    if [[ "$rss" == true ]]; then
        /usr/bin/time -o "$tmp/time" -f '%M %U %S' "$@" > /dev/null || return
        read -r kib user sys < <(tail -1 "$tmp/time")
    fi
    awk -v l="$label" -v a="$t0" -v b="$t1" -v k="$kib" -v u="$user" -v s="$sys" \
        'BEGIN { printf "%s %.4f %s %s %s\n", l, b - a, k, u, s }' >> "$tmp/runs"
}

# Other work on the machine inflates elapsed times (both sides, but not equally): note it.
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
wait_for_idle() {
    local wait_idle="${WAIT_IDLE:-60}" waited=1
    busy_before=$(busy_percent)
    while (( busy_before > 10 && waited < wait_idle )); do
        (( waited == 1 )) && echo "CPUs ${busy_before}% busy with other work; waiting up to ${wait_idle}s ..." >&2
        busy_before=$(busy_percent)
        waited=$((waited + 1))
    done
    if (( busy_before > 10 )); then
        echo "warning: the CPUs were ${busy_before}% busy before timing (other work); elapsed times may be inflated" >&2
    fi
}

best()   { awk -v l="$1" '$1 == l { if (m == "" || $2 < m) m = $2 } END { print m }' "$tmp/runs"; }
maxkib() { awk -v l="$1" '$1 == l { if ($3 > m) m = $3 } END { print m }' "$tmp/runs"; }
mincpu() { awk -v l="$1" '$1 == l { c = $4 + $5; if (m == "" || c < m) m = c } END { printf "%.2f", m }' "$tmp/runs"; }
list()   { awk -v l="$1" -v c="$2" '$1 == l { printf "%s%s", s, $c; s = ", " }' "$tmp/runs"; }

rval()      { sed -n "s/^$2=//p" "$tmp/r_$1.out"; }
rval_list() { rval "$1" "$2" | paste -sd, - | sed 's/,/, /g'; }

json_field() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

ratio()   { awk -v s="$1" -v r="$2" 'BEGIN { printf "%.3f", s / r }'; }
per_row() { awk -v b="$1" -v n="$2" 'BEGIN { printf "%.1f", b / n }'; }

max_rel() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        n = split(a, x, ","); m = split(b, y, ","); if (n != m || n == 0) { print "nan"; exit }
        worst = 0
        for (i = 1; i <= n; i++) { d = x[i] - y[i]; if (d < 0) d = -d; s = (y[i] < 0) ? -y[i] : y[i]
            if (s > 0 && d / s > worst) worst = d / s }
        printf "%.1e", worst }'
}

at_most() { awk -v x="$1" -v t="$2" 'BEGIN { print (x != "" && x != "nan" && x + 0 <= t + 0) ? "true" : "false" }'; }
below()   { awk -v x="$1" -v t="$2" 'BEGIN { print (x != "" && x < t) ? "true" : "false" }'; }
verdict() { case "$1" in true) echo PASS ;; false) echo MISS ;; *) echo "not measured" ;; esac; }

json_head() {
    local cpu
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
    cat <<JSON
  "bench": "$1",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine": { "nproc": $(nproc), "cpu": "${cpu//\"/}", "busy_percent_before": $busy_before, "busy_percent_after": $busy_after },
  "survkit_commit": "$commit",
JSON
}

strict_exit() {
    [[ "${BENCH_STRICT:-0}" == 1 ]] || return 0
    local ok
    for ok in "$@"; do
        [[ "$ok" == false ]] && exit 1
    done
    return 0
}
