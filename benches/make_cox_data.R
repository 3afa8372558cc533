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

args <- commandArgs(trailingOnly = TRUE)
out  <- if (length(args) >= 1) args[[1]] else "benches/data/cox_1e6.csv"
n    <- if (length(args) >= 2) as.integer(args[[2]]) else 1000000L

count_rows <- function(path) {
  # Data rows = lines - 1 header line; counted in chunks to keep memory flat.
  con <- file(path, "r")
  on.exit(close(con))
  lines <- 0L
  repeat {
    chunk <- readLines(con, n = 200000L)
    if (length(chunk) == 0L) break
    lines <- lines + length(chunk)
  }
  lines - 1L
}

if (file.exists(out) && count_rows(out) == n) {
  message(sprintf("%s already has %d rows; not regenerating", out, n))
  quit(status = 0)
}

dir.create(dirname(out), recursive = TRUE, showWarnings = FALSE)
set.seed(20240602L, kind = "Mersenne-Twister", normal.kind = "Inversion",
         sample.kind = "Rejection")

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
write.csv(d, out, row.names = FALSE, quote = FALSE)
message(sprintf("wrote %s: %d rows, %.1f%% censored, %d distinct times", out, n,
                100 * mean(status == 0), length(unique(time))))
