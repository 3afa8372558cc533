#!/usr/bin/env Rscript
# Times R's estimation alone on the benchmark CSV, for benches/km_logrank.sh.
#
# read.csv is NOT timed. The timed block is exactly what survkit's CLI runs do:
#   Kaplan-Meier by group, S(t) at the landmarks 1 and 2, and the log-rank test.
# Prints one machine-readable line per repeat: r_seconds=<elapsed>, then
# r_best_seconds=<min elapsed>, r_best_cpu_seconds=<min user+sys>, and the R and
# survival versions for the report.
#
# Usage: Rscript benches/time_r_km.R [CSV] [REPEATS]

suppressPackageStartupMessages(library(survival))

args    <- commandArgs(trailingOnly = TRUE)
path    <- if (length(args) >= 1) args[[1]] else "benches/data/km_1e6.csv"
repeats <- if (length(args) >= 2) as.integer(args[[2]]) else 3L

d <- read.csv(path)  # not timed
stopifnot(is.numeric(d$time), all(d$status %in% c(0L, 1L)))

landmarks <- c(1, 2)
stopifnot(all(landmarks > min(d$time)), all(landmarks < max(d$time)))

elapsed <- cpu <- numeric(repeats)
for (i in seq_len(repeats)) {
  invisible(gc())  # start each repeat from a collected heap, outside the timer
  timing <- system.time({
    fit <- survfit(Surv(time, status) ~ group, data = d)
    s   <- summary(fit, times = landmarks)
    t   <- survdiff(Surv(time, status) ~ group, data = d)
  }, gcFirst = FALSE)
  elapsed[i] <- timing[["elapsed"]]
  cpu[i]     <- timing[["user.self"]] + timing[["sys.self"]]
  cat(sprintf("r_seconds=%.3f\n", elapsed[i]))
}
cat(sprintf("r_best_seconds=%.3f\n", min(elapsed)))
# user + sys of the process: unlike elapsed, not inflated by other work on the machine.
cat(sprintf("r_best_cpu_seconds=%.3f\n", min(cpu)))
cat(sprintf("r_version=%s\n", paste(R.version$major, R.version$minor, sep = ".")))
cat(sprintf("survival_version=%s\n", as.character(packageVersion("survival"))))
# Sanity values, to eyeball against survkit's JSON.
cat(sprintf("r_chisq=%.6f\n", t$chisq))
cat(sprintf("r_surv_at_landmarks=%s\n", paste(sprintf("%.6f", s$surv), collapse = ",")))
