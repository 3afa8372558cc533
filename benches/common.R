# -----------------------------------------------------------------------------
# Shared helpers of the benchmark data generators (make_data.R,
# make_cox_data.R, make_competing_data.R, table1_make_data.R). Each of them
# sources this file from the repository root, before reading its arguments:
#   if (file.exists(file.path("benches", "common.R"))) source("benches/common.R") else
#     stop("run this script from the repository root: Rscript benches/<script>.R")
# Nothing here draws a random number or depends on a particular data set.
#
#   arg_or(i, default)             the i-th command-line argument (text), or
#                                  `default` when there are fewer than i
#   count_rows(path)               data rows of a CSV (lines - 1 header line)
#   prepare_output(out, n, seed)   quit (status 0) when `out` already has n
#                                  rows; otherwise create its folder and set
#                                  the seed, with the RNG kinds fixed
#   write_bench_csv(d, out)        write.csv with no row names and no quotes
# -----------------------------------------------------------------------------

arg_or <- function(i, default) {
  args <- commandArgs(trailingOnly = TRUE)
  if (length(args) >= i) args[[i]] else default
}

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

# Skipped when the file is already there with the right number of rows, so a
# bench only pays for generation once. The RNG kinds are named so the data do
# not change with R's defaults.
prepare_output <- function(out, n, seed) {
  if (file.exists(out) && count_rows(out) == n) {
    message(sprintf("%s already has %d rows; not regenerating", out, n))
    quit(status = 0)
  }
  dir.create(dirname(out), recursive = TRUE, showWarnings = FALSE)
  set.seed(seed, kind = "Mersenne-Twister", normal.kind = "Inversion",
           sample.kind = "Rejection")
}

write_bench_csv <- function(d, out) {
  write.csv(d, out, row.names = FALSE, quote = FALSE)
}
