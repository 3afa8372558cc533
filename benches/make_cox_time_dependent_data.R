#!/usr/bin/env Rscript
# Deterministic benchmark data for benches/cox_time_dependent.sh.
#
# Writes benches/data/cox_td_1e6.csv (benches/data/ is gitignored), one row per patient:
#   time      days, 2 decimals; events from a hazard that changes at the transplant, capped by
#             uniform administrative censoring on (0, 3200) days
#   status    1 = event, 0 = censored
#   tx_time   days to transplant, 2 decimals, about 40% of patients transplanted while followed;
#             empty when not transplanted before the end of follow-up
#   age       years, 1 decimal, normal(62, 10)      log HR  0.03 per year
#   sex       0/1, P(1) = 0.45                      log HR  0.35
#   marker    3 decimals, log-normal(0, 0.5)        log HR  0.5 per unit
#   (after transplant the log HR changes by -0.5)
# 1,000,000 data rows, fixed seed. Skipped when the file already exists with the right number
# of rows.
#
# Usage: Rscript benches/make_cox_time_dependent_data.R [OUT] [ROWS]

if (file.exists(file.path("benches", "common.R"))) source("benches/common.R") else
  stop("run this script from the repository root: Rscript benches/make_cox_time_dependent_data.R")
out <- arg_or(1, "benches/data/cox_td_1e6.csv")
n   <- as.integer(arg_or(2, 1000000L))
prepare_output(out, n, seed = 20261204L)

age    <- round(rnorm(n, 62, 10), 1)
sex    <- rbinom(n, 1, 0.45)
marker <- round(rlnorm(n, 0, 0.5), 3)
lp     <- 0.03 * (age - 62) + 0.35 * sex + 0.5 * (marker - 1.13)
rate   <- exp(lp) / 900
tx     <- round(rexp(n, 1 / 900), 2) + 0.01
before <- rexp(n, rate)
# Memoryless: past the transplant, the remaining time runs at the transplanted rate.
event_time <- ifelse(before <= tx, before, tx + rexp(n, rate * exp(-0.5)))
censor_time <- runif(n, 0, 3200)
status <- as.integer(event_time <= censor_time)
time   <- pmax(round(pmin(event_time, censor_time), 2), 0.01)
exposed <- tx < time

d <- data.frame(time = sprintf("%.2f", time), status = status,
                tx_time = ifelse(exposed, sprintf("%.2f", tx), ""),
                age = sprintf("%.1f", age), sex = sex, marker = sprintf("%.3f", marker))
write_bench_csv(d, out)
message(sprintf("wrote %s: %d rows, %.1f%% censored, %.1f%% transplanted while followed", out, n,
                100 * mean(status == 0), 100 * mean(exposed)))
