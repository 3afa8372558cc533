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

args <- commandArgs(trailingOnly = TRUE)
out  <- if (length(args) >= 1) args[[1]] else "benches/data/km_1e6.csv"
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
set.seed(20240601L, kind = "Mersenne-Twister", normal.kind = "Inversion",
         sample.kind = "Rejection")

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
write.csv(d, out, row.names = FALSE, quote = FALSE)
message(sprintf("wrote %s: %d rows, %.1f%% censored", out, n, 100 * mean(status == 0)))
