#!/usr/bin/env Rscript
# Times R's time-dependent Cox fit alone, for benches/cox_time_dependent.sh.
#
# Not timed: read.csv and the split at the transplant,
#   td <- tmerge(d, d, id = id, ev = event(time, status)); td <- tmerge(td, d, id = id, tx = tdc(tx_time))
# Timed: the fit that `survkit cox --exposure-time tx_time` reproduces,
#   coxph(Surv(tstart, tstop, ev) ~ tx + age + sex + marker, data = td)     (ties = "efron")
# which computes its concordance too.
# Prints r_seconds=<elapsed> per repeat, then r_best_seconds, r_best_cpu_seconds, r_iterations,
# the versions, the split data's rows and the estimates to check against survkit's JSON.
#
# Usage: Rscript benches/time_r_cox_time_dependent.R [CSV] [REPEATS]

suppressPackageStartupMessages(library(survival))

args    <- commandArgs(trailingOnly = TRUE)
path    <- if (length(args) >= 1) args[[1]] else "benches/data/cox_td_1e6.csv"
repeats <- if (length(args) >= 2) as.integer(args[[2]]) else 3L

d <- read.csv(path, na.strings = "")  # not timed
d$id <- seq_len(nrow(d))
td <- tmerge(d[, c("id", "age", "sex", "marker")], d, id = id, ev = event(time, status))
td <- tmerge(td, d, id = id, tx = tdc(tx_time))
td$tx[is.na(td$tx)] <- 0

elapsed <- cpu <- numeric(repeats)
for (i in seq_len(repeats)) {
  invisible(gc())
  timing <- system.time({
    fit <- coxph(Surv(tstart, tstop, ev) ~ tx + age + sex + marker, data = td)
  }, gcFirst = FALSE)
  elapsed[i] <- timing[["elapsed"]]
  cpu[i]     <- timing[["user.self"]] + timing[["sys.self"]]
  cat(sprintf("r_seconds=%.3f\n", elapsed[i]))
}
cat(sprintf("r_best_seconds=%.3f\n", min(elapsed)))
cat(sprintf("r_best_cpu_seconds=%.3f\n", min(cpu)))
cat(sprintf("r_iterations=%d\n", fit$iter))
cat(sprintf("r_intervals=%d\n", fit$n))
cat(sprintf("r_version=%s\n", paste(R.version$major, R.version$minor, sep = ".")))
cat(sprintf("survival_version=%s\n", as.character(packageVersion("survival"))))
cat(sprintf("r_coef=%s\n", paste(sprintf("%.15g", coef(fit)), collapse = ",")))
cat(sprintf("r_loglik=%.15g\n", fit$loglik[2]))
cat(sprintf("r_concordance=%.15g\n", fit$concordance[["concordance"]]))
