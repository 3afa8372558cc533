#!/usr/bin/env Rscript
# Times cmprsk on the competing-risks benchmark CSVs, for benches/competing.sh.
#
# read.csv is NOT timed. Two modes:
#
#   cuminc CSV [REPEATS] [BUDGET]
#     cuminc(time, status, group, cencode = 0): the cumulative incidence of every cause in
#     every group, its variance, and Gray's test for every cause; what one `survkit cif --group`
#     run computes.
#   crr CSV [REPEATS] [BUDGET] [SMALLER_ROWS]
#     crr(ftime, fstatus, cov1) with its default settings (failcode = 1, cencode = 0), cov1 the
#     matrix of age, sex, marker. With SMALLER_ROWS, also crr on the first SMALLER_ROWS rows
#     (best of 2; r_smaller_seconds=), so that the driver can estimate how crr's time grows with n.
#
# Repeats stop early, keeping the runs done, when one run took over 60 s or the next would
# take the total past BUDGET seconds (default 240): cuminc and crr get slow on large inputs.
#
# Prints one machine-readable line per repeat, r_seconds=<elapsed>, then r_runs=<count>,
# r_best_seconds=<min elapsed>, r_best_cpu_seconds=<min user+sys>, the R and cmprsk versions,
# and the figures to check survkit against (Gray's statistics, or crr's coefficients and
# standard errors, printed with 17 significant digits).
#
# Usage: Rscript benches/time_r_competing.R MODE CSV [REPEATS] [BUDGET] [SMALLER_ROWS]

suppressPackageStartupMessages(library(cmprsk))

args    <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2 || !args[[1]] %in% c("cuminc", "crr")) {
  stop("usage: time_r_competing.R cuminc|crr CSV [REPEATS] [BUDGET] [SMALLER_ROWS]")
}
mode    <- args[[1]]
path    <- args[[2]]
repeats <- if (length(args) >= 3) as.integer(args[[3]]) else 3L
budget  <- if (length(args) >= 4) as.numeric(args[[4]]) else 240
smaller <- if (length(args) >= 5) as.integer(args[[5]]) else 0L
SINGLE_RUN_LIMIT <- 60

d <- read.csv(path)  # not timed
stopifnot(is.numeric(d$time), all(d$status %in% c(0L, 1L, 2L)))
if (mode == "crr") cov1 <- as.matrix(d[, c("age", "sex", "marker")])

run_once <- function() {
  if (mode == "cuminc") cuminc(d$time, d$status, d$group, cencode = 0)
  else crr(d$time, d$status, cov1)
}

elapsed <- cpu <- numeric(0)
fit <- NULL
for (i in seq_len(repeats)) {
  invisible(gc())  # start each repeat from a collected heap, outside the timer
  timing <- system.time(fit <- run_once(), gcFirst = FALSE)
  elapsed[i] <- timing[["elapsed"]]
  cpu[i]     <- timing[["user.self"]] + timing[["sys.self"]]
  cat(sprintf("r_seconds=%.3f\n", elapsed[i]))
  flush(stdout())
  if (i < repeats && (elapsed[i] > SINGLE_RUN_LIMIT || sum(elapsed) + max(elapsed) > budget)) {
    message(sprintf("%s: stopping after %d run(s) (%.1f s each, budget %.0f s)", mode, i,
                    elapsed[i], budget))
    break
  }
}
cat(sprintf("r_runs=%d\n", length(elapsed)))
cat(sprintf("r_best_seconds=%.3f\n", min(elapsed)))
# user + sys of the process: unlike elapsed, not inflated by other work on the machine.
cat(sprintf("r_best_cpu_seconds=%.3f\n", min(cpu)))
cat(sprintf("r_version=%s\n", paste(R.version$major, R.version$minor, sep = ".")))
cat(sprintf("cmprsk_version=%s\n", as.character(packageVersion("cmprsk"))))

num <- function(x) paste(sprintf("%.17g", x), collapse = ",")
if (mode == "cuminc") {
  # Gray's test per cause, in cause order (rows of fit$Tests are named by cause).
  tests <- fit$Tests[order(as.numeric(rownames(fit$Tests))), , drop = FALSE]
  cat(sprintf("r_gray_causes=%s\n", paste(rownames(tests), collapse = ",")))
  cat(sprintf("r_gray_stat=%s\n", num(tests[, "stat"])))
  cat(sprintf("r_gray_df=%s\n", paste(tests[, "df"], collapse = ",")))
} else {
  cat(sprintf("r_converged=%s\n", tolower(as.character(fit$converged))))
  cat(sprintf("r_coef=%s\n", num(fit$coef)))
  cat(sprintf("r_se=%s\n", num(sqrt(diag(fit$var)))))
  cat(sprintf("r_loglik=%s\n", num(fit$loglik)))
  if (smaller > 0 && smaller < nrow(d)) {
    # How crr's time grows with n: one run on the first `smaller` rows.
    # Best of 2: a single short run is easily disturbed, and the exponent magnifies the error.
    s <- d[seq_len(smaller), ]
    small_elapsed <- small_cpu <- numeric(2)
    for (i in 1:2) {
      invisible(gc())
      timing <- system.time(crr(s$time, s$status, as.matrix(s[, c("age", "sex", "marker")])),
                            gcFirst = FALSE)
      small_elapsed[i] <- timing[["elapsed"]]
      small_cpu[i] <- timing[["user.self"]] + timing[["sys.self"]]
    }
    cat(sprintf("r_smaller_rows=%d\n", smaller))
    cat(sprintf("r_smaller_seconds=%.3f\n", min(small_elapsed)))
    cat(sprintf("r_smaller_cpu_seconds=%.3f\n", min(small_cpu)))
  }
}
