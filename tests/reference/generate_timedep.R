#!/usr/bin/env Rscript
# -----------------------------------------------------------------------------
# survkit golden fixtures for the time-dependent exposure analyses: the
# Mantel-Byar test (`survkit mantel-byar`).
#
# What it does
#   1. Writes the data files below to tests/reference/data/: survival's jasa1
#      flattened to one row per patient with its transplant time, the example
#      cohort (examples/cart_haplo_simulated.csv) with its transplant time in
#      months, and a small synthetic file with ties at the exposure times.
#   2. Reads every CSV back, splits each patient at the exposure time with
#      `tmerge` (tdc), fits `coxph(Surv(tstart, tstop, event) ~ exposed,
#      ties = "exact")` and takes its score test (`fit$score`, at beta = 0),
#      which is the Mantel-Byar statistic. Observed and expected per state are
#      computed from the split data by a direct loop over the event times, and
#      the loop's (O - E)^2 / V is checked against coxph's score test.
#
# How to run (from the repository root):
#   Rscript tests/reference/generate_timedep.R
# Needs `survival` and `jsonlite`. Idempotent: removes only
# fixtures/mantel_byar_*.json and rewrites its own data files.
# -----------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

if (!file.exists(file.path("tests", "reference", "common.R"))) {
  stop("run this script from the repository root: Rscript tests/reference/generate_timedep.R")
}
source("tests/reference/common.R")
clear_fixtures("^mantel_byar_.*\\.json$")
versions <- fixture_versions(c("survival", "jsonlite"))

# =============================================================================
# 1. Datasets
# =============================================================================

# jasa1: one row per (start, stop] interval; the patient's follow-up ends at
# the last stop, the event is the last interval's, and the transplant time is
# the start of the interval with transplant == 1 (0 for patient 3,
# transplanted on the day of acceptance).
jasa_flat <- jasa1_per_patient()
write.csv(jasa_flat, csv_path("jasa1_patients.csv"), row.names = FALSE, na = "")

# The example cohort: OS in months (as in the file) and the transplant time in
# months from the CAR-T infusion, (hsct_date - car_t_date) / 30.4375, written
# with 17 significant digits so the CLI reads R's doubles.
cart <- read.csv(file.path("examples", "cart_haplo_simulated.csv"), stringsAsFactors = FALSE,
                 na.strings = c("", "NA"))
hsct <- as.numeric(as.Date(cart$hsct_date) - as.Date(cart$car_t_date)) / 30.4375
cart_out <- data.frame(patient_id = cart$patient_id, os_months = cart$os_months,
                       os_event = cart$os_event, lfs_months = cart$lfs_months,
                       lfs_event = cart$lfs_event,
                       hsct_months = ifelse(is.na(hsct), "", formatC(hsct, digits = 17, format = "g")))
write.csv(cart_out, csv_path("cart_hsct.csv"), row.names = FALSE, na = "", quote = FALSE)

# Ties at the exposure time: integer times 1..10, exposures that equal the
# patient's own event time (unexposed at it), other patients' event times,
# time 0 (exposed from the start), times after the end of follow-up (never
# exposed while followed) and empty cells (never exposed).
set.seed(20261204)
n_tie <- 60
tie_time <- sample(1:10, n_tie, replace = TRUE)
tie_event <- rbinom(n_tie, 1, 0.7)
tie_exposure <- sample(c(NA, 0:10), n_tie, replace = TRUE)
tie_exposure[1:4] <- tie_time[1:4]          # at the own event/censoring time
tie_event[1:3] <- 1
tie_exposure[5:6] <- 0                       # exposed from the start
tie_exposure[7:8] <- tie_time[7:8] + 3       # after the end of follow-up
ties_td <- data.frame(time = tie_time, event = tie_event, exposure = tie_exposure)
write.csv(ties_td, csv_path("mantel_byar_ties.csv"), row.names = FALSE, na = "")

# =============================================================================
# 2. Fixtures
# =============================================================================

mantel_byar_case <- function(name, file, time, event, exposure, exposure_name = NULL) {
  env <- new.env()
  code <- c(
    read_code(file, "d0"),
    keep_complete_code(c(time, event), "d0"),
    sprintf("d$id_ <- seq_len(nrow(d)); d$exp_ <- d[[%s]]", q(exposure)),
    sprintf("base <- data.frame(id_ = d$id_, time_ = d[[%s]], event_ = d[[%s]])", q(time), q(event)),
    # tdc at a time at or after the end of follow-up is ignored by tmerge (never
    # exposed while followed); NA is never exposed.
    "td <- tmerge(base, base, id = id_, ev = event(time_, event_))",
    "td <- tmerge(td, d, id = id_, exposed = tdc(exp_))",
    "td$exposed[is.na(td$exposed)] <- 0",
    "fit <- coxph(Surv(tstart, tstop, ev) ~ exposed, data = td, ties = 'exact')"
  )
  run(code, env)
  td <- env$td
  # Observed, expected and the hypergeometric variance per event time, from the
  # split data: at risk at s when tstart < s <= tstop.
  s_all <- sort(unique(td$tstop[td$ev == 1]))
  O1 <- 0; E1 <- 0; V <- 0; D <- 0
  for (s in s_all) {
    risk <- td$tstart < s & td$tstop >= s
    n <- sum(risk); n1 <- sum(risk & td$exposed == 1)
    dd <- sum(td$ev == 1 & td$tstop == s); d1 <- sum(td$ev == 1 & td$tstop == s & td$exposed == 1)
    O1 <- O1 + d1; E1 <- E1 + dd * n1 / n; D <- D + dd
    if (n > 1) V <- V + dd * (n - dd) * n1 * (n - n1) / (n^2 * (n - 1))
  }
  chisq <- (O1 - E1)^2 / V
  stopifnot(abs(chisq - env$fit$score) <= 1e-10 * max(1, chisq))
  p <- pchisq(chisq, 1, lower.tail = FALSE)
  label <- if (is.null(exposure_name)) exposure else exposure_name
  n_unexposed <- length(unique(td$id_[td$exposed == 0]))
  n_exposed <- length(unique(td$id_[td$exposed == 1]))
  expected <- list(
    analysis = "mantel-byar", chisq = scalar(env$fit$score), df = 1L, p = scalar(p),
    n = nrow(env$d), n_dropped = nrow(env$d0) - nrow(env$d), exposure = label,
    states = list(
      list(state = "unexposed", n = n_unexposed, observed = scalar(D - O1), expected = scalar(D - E1)),
      list(state = "exposed", n = n_exposed, observed = scalar(O1), expected = scalar(E1))
    )
  )
  args <- c("mantel-byar", "--time", time, "--event", event, "--exposure-time", exposure)
  if (!is.null(exposure_name)) args <- c(args, "--exposure-name", exposure_name)
  write_fixture(name, file, args,
                c(code, "fit$score  # the Mantel-Byar chi-square; observed/expected by a loop over the event times"),
                expected)
  cat(sprintf("%-36s chisq %.10g  p %.6g  (coxph score %.10g)\n", name, chisq, p, env$fit$score))
}

mantel_byar_case("mantel_byar_jasa1", "jasa1_patients.csv", "futime", "death", "transplant_time",
                 exposure_name = "transplant")
mantel_byar_case("mantel_byar_cart_os_by_hsct", "cart_hsct.csv", "os_months", "os_event", "hsct_months")
mantel_byar_case("mantel_byar_cart_lfs_by_hsct", "cart_hsct.csv", "lfs_months", "lfs_event", "hsct_months")
mantel_byar_case("mantel_byar_ties", "mantel_byar_ties.csv", "time", "event", "exposure")

report_written("^mantel_byar_.*\\.json$", "Mantel-Byar fixtures")
