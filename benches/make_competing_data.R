#!/usr/bin/env Rscript
# Deterministic benchmark data for benches/competing.sh (competing risks: cif, finegray).
#
# Two kinds of file (benches/data/ is gitignored):
#
#   cif       benches/data/cif_1e6.csv, for cumulative incidence + Gray's test
#     time    positive, 3 decimals (about 11,700 distinct values at 1e6 rows, so times tie)
#     status  0 = censored (~22%), 1 = cause 1 (~46%), 2 = cause 2 (~32%)
#     group   three text levels: "control", "low_dose", "high_dose"
#             Cause 1's hazard falls with the dose, cause 2's is the same in every group.
#
#   finegray  benches/data/finegray_1e5.csv and finegray_5e3.csv, for Fine-Gray with 3 covariates
#     time    positive, 3 decimals (some ties)
#     status  0 = censored, 1 = cause 1 (the cause of interest), 2 = cause 2
#     age     years, 1 decimal, normal(62, 10)     cause 1 log HR  0.02 per year, cause 2  0.04
#     sex     0/1, P(1) = 0.45                     cause 1 log HR  0.40,          cause 2 -0.20
#     marker  3 decimals, normal(0, 1)             cause 1 log HR  0.30,          cause 2  0
#   Two latent exponential times with these cause-specific hazards and a uniform(0, 8)
#   administrative censoring time; the first of the three is observed.
#
# Fixed seeds (one per kind). The 5e3 file is generated with the same seed as the 1e5 file,
# so it is the first 5,000 rows' worth of draws at that size, not a subset of the 1e5 file.
# Skipped when the file already exists with the right number of rows.
#
# Usage: Rscript benches/make_competing_data.R KIND [OUT] [ROWS]
#   KIND = cif (default OUT benches/data/cif_1e6.csv, ROWS 1000000)
#        | finegray (default OUT benches/data/finegray_1e5.csv, ROWS 100000)
# Run from the repository root: reading the arguments, the row check, the seed set-up and the
# CSV writing are shared with the other generators in benches/common.R.

if (file.exists(file.path("benches", "common.R"))) source("benches/common.R") else
  stop("run this script from the repository root: Rscript benches/make_competing_data.R")
kind <- arg_or(1, "cif")
if (!kind %in% c("cif", "finegray")) stop("KIND must be cif or finegray, not ", kind)
out <- arg_or(2, if (kind == "cif") "benches/data/cif_1e6.csv" else
                  "benches/data/finegray_1e5.csv")
n <- as.integer(arg_or(3, if (kind == "cif") 1000000L else 100000L))
prepare_output(out, n, seed = if (kind == "cif") 20240603L else 20240604L)

# The first of two latent exponential event times and a uniform censoring time, 3 decimals;
# a time that rounds to 0 is bumped to the smallest positive value.
observe <- function(rate1, rate2, censor_max) {
  t1 <- rexp(length(rate1), rate1)
  t2 <- rexp(length(rate2), rate2)
  tc <- runif(length(rate1), 0, censor_max)
  time <- pmin(t1, t2, tc)
  status <- ifelse(tc <= pmin(t1, t2), 0L, ifelse(t1 <= t2, 1L, 2L))
  list(time = pmax(round(time, 3), 0.001), status = status)
}

if (kind == "cif") {
  levels <- c("control", "low_dose", "high_dose")
  group <- sample(levels, n, replace = TRUE)
  rate1 <- unname(c(control = 0.30, low_dose = 0.22, high_dose = 0.16)[group])
  rate2 <- rep(0.15, n)
  o <- observe(rate1, rate2, 12)
  d <- data.frame(time = sprintf("%.3f", o$time), status = o$status, group = group)
} else {
  age <- round(rnorm(n, 62, 10), 1)
  sex <- rbinom(n, 1, 0.45)
  marker <- round(rnorm(n, 0, 1), 3)
  rate1 <- 0.20 * exp(0.02 * (age - 62) + 0.40 * sex + 0.30 * marker)
  rate2 <- 0.12 * exp(0.04 * (age - 62) - 0.20 * sex)
  o <- observe(rate1, rate2, 8)
  d <- data.frame(time = sprintf("%.3f", o$time), status = o$status,
                  age = sprintf("%.1f", age), sex = sex, marker = sprintf("%.3f", marker))
}
write_bench_csv(d, out)
message(sprintf("wrote %s: %d rows, %d distinct times, status 0/1/2 = %s%%", out, n,
                length(unique(d$time)),
                paste(sprintf("%.1f", 100 * tabulate(o$status + 1L, 3) / n), collapse = "/")))
