#!/usr/bin/env Rscript
# Deterministic benchmark data for benches/km_logrank.sh.
#
# Writes benches/data/km_1e6.csv (benches/data/ is gitignored):
#   time   positive, 3 decimals; exponential with a group-specific rate, capped by
#          uniform administrative censoring
#   status 1 = event, 0 = censored (about 30% censored)
#   group  three text levels: "control", "low_dose", "high_dose"
# 1,000,000 data rows, fixed seed. Skipped when the file already exists with the
# right number of rows.
#
# Usage: Rscript benches/make_data.R [OUT] [ROWS]
# Run from the repository root: reading the arguments, the row check, the seed set-up and the
# CSV writing are shared with the other generators in benches/common.R.

if (file.exists(file.path("benches", "common.R"))) source("benches/common.R") else
  stop("run this script from the repository root: Rscript benches/make_data.R")
out <- arg_or(1, "benches/data/km_1e6.csv")
n   <- as.integer(arg_or(2, 1000000L))
prepare_output(out, n, seed = 20240601L)

levels <- c("control", "low_dose", "high_dose")
group  <- sample(levels, n, replace = TRUE)
rate   <- c(control = 0.45, low_dose = 0.35, high_dose = 0.28)[group]
event_time  <- rexp(n, rate)
# Uniform(0, 9) administrative censoring gives ~30% censored overall.
censor_time <- runif(n, 0, 9)
time   <- pmin(event_time, censor_time)
status <- as.integer(event_time <= censor_time)
# Three decimals; a time that rounds to 0 is bumped to the smallest positive value.
time   <- pmax(round(time, 3), 0.001)

d <- data.frame(time = sprintf("%.3f", time), status = status, group = group)
write_bench_csv(d, out)
message(sprintf("wrote %s: %d rows, %.1f%% censored", out, n, 100 * mean(status == 0)))
