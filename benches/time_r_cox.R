#!/usr/bin/env Rscript
# Times R's Cox fit alone on the benchmark CSV, for benches/cox.sh.
#
# read.csv is NOT timed. The timed block is what `survkit cox` computes:
#   coxph(Surv(time, status) ~ age + sex + marker + treated + score)   (ties = "efron", R's default)
# In survival 3.x the fit object carries Harrell's concordance (fit$concordance), computed inside
# coxph, so the concordance is timed on both sides.
# Prints one machine-readable line per repeat: r_seconds=<elapsed>, then
# r_best_seconds=<min elapsed>, r_best_cpu_seconds=<min user+sys>, r_iterations=<fit$iter>,
# the R and survival versions, and the estimates to check against survkit's JSON.
#
# Usage: Rscript benches/time_r_cox.R [CSV] [REPEATS]

suppressPackageStartupMessages(library(survival))

args    <- commandArgs(trailingOnly = TRUE)
path    <- if (length(args) >= 1) args[[1]] else "benches/data/cox_1e6.csv"
repeats <- if (length(args) >= 2) as.integer(args[[2]]) else 3L

d <- read.csv(path)  # not timed
stopifnot(is.numeric(d$time), all(d$status %in% c(0L, 1L)))

elapsed <- cpu <- numeric(repeats)
for (i in seq_len(repeats)) {
  invisible(gc())  # start each repeat from a collected heap, outside the timer
  timing <- system.time({
    fit <- coxph(Surv(time, status) ~ age + sex + marker + treated + score, data = d)
  }, gcFirst = FALSE)
  elapsed[i] <- timing[["elapsed"]]
  cpu[i]     <- timing[["user.self"]] + timing[["sys.self"]]
  cat(sprintf("r_seconds=%.3f\n", elapsed[i]))
}
stopifnot(!is.null(fit$concordance))  # computed inside coxph, so it was timed
cat(sprintf("r_best_seconds=%.3f\n", min(elapsed)))
# user + sys of the process: unlike elapsed, not inflated by other work on the machine.
cat(sprintf("r_best_cpu_seconds=%.3f\n", min(cpu)))
cat(sprintf("r_iterations=%d\n", fit$iter))
cat(sprintf("r_version=%s\n", paste(R.version$major, R.version$minor, sep = ".")))
cat(sprintf("survival_version=%s\n", as.character(packageVersion("survival"))))
# Estimates, to check against survkit's JSON (same order as the covariates).
cat(sprintf("r_coef=%s\n", paste(sprintf("%.15g", coef(fit)), collapse = ",")))
cat(sprintf("r_se=%s\n", paste(sprintf("%.15g", sqrt(diag(fit$var))), collapse = ",")))
cat(sprintf("r_loglik=%.15g\n", fit$loglik[2]))
cat(sprintf("r_concordance=%.15g\n", fit$concordance[["concordance"]]))
