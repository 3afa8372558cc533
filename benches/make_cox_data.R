#!/usr/bin/env Rscript
# Deterministic benchmark data for benches/cox.sh.
#
# Writes benches/data/cox_1e6.csv (benches/data/ is gitignored):
#   time     days, 2 decimals (~300,000 distinct values, so some times tie); exponential with a
#            proportional-hazards rate (median ~ 900 days at the reference), capped by uniform
#            administrative censoring on (0, 3200) days
#   status   1 = event, 0 = censored (about 30% censored)
#   age      years, 1 decimal, normal(62, 10)            log HR  0.03 per year
#   sex      0/1, P(1) = 0.45                            log HR  0.35
#   marker   3 decimals, log-normal(0, 0.5)              log HR  0.5 per unit
#   treated  0/1, P(1) = 0.5                             log HR -0.4
#   score    whole numbers 0-10                          log HR  0.08 per point
# 1,000,000 data rows, fixed seed. Skipped when the file already exists with the right number
# of rows.
#
# Usage: Rscript benches/make_cox_data.R [OUT] [ROWS]
# Run from the repository root: reading the arguments, the row check, the seed set-up and the
# CSV writing are shared with the other generators in benches/common.R.

if (file.exists(file.path("benches", "common.R"))) source("benches/common.R") else
  stop("run this script from the repository root: Rscript benches/make_cox_data.R")
out <- arg_or(1, "benches/data/cox_1e6.csv")
n   <- as.integer(arg_or(2, 1000000L))
prepare_output(out, n, seed = 20240602L)

age     <- round(rnorm(n, 62, 10), 1)
sex     <- rbinom(n, 1, 0.45)
marker  <- round(rlnorm(n, 0, 0.5), 3)
treated <- rbinom(n, 1, 0.5)
score   <- sample(0:10, n, replace = TRUE)

log_hr <- 0.03 * (age - 62) + 0.35 * sex + 0.5 * (marker - 1.13) - 0.4 * treated +
  0.08 * (score - 5)
event_time  <- rexp(n, exp(log_hr) / 900)
censor_time <- runif(n, 0, 3200)
status <- as.integer(event_time <= censor_time)
# Two decimals; a time that rounds to 0 is bumped to the smallest positive value.
time   <- pmax(round(pmin(event_time, censor_time), 2), 0.01)

d <- data.frame(time = sprintf("%.2f", time), status = status, age = sprintf("%.1f", age),
                sex = sex, marker = sprintf("%.3f", marker), treated = treated, score = score)
write_bench_csv(d, out)
message(sprintf("wrote %s: %d rows, %.1f%% censored, %d distinct times", out, n,
                100 * mean(status == 0), length(unique(time))))
