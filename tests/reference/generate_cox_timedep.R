#!/usr/bin/env Rscript
# -----------------------------------------------------------------------------
# survkit golden fixtures for the Cox model with a time-dependent exposure
# (`survkit cox --exposure-time`) and on counting-process rows (`--start`).
#
# What it does
#   1. Writes to tests/reference/data/: survival's jasa1 as it is, one row per
#      (start, stop] interval (jasa1_intervals.csv), and the example cohort's
#      overall survival with its transplant time in months from CAR-T and two
#      fixed covariates (cart_hsct_covariates.csv). jasa1_patients.csv (one row
#      per patient) is written by generate_timedep.R.
#   2. For the exposure cases, splits each patient at the exposure with
#      `tmerge(..., exposed = tdc(exposure))` and fits
#      `coxph(Surv(tstart, tstop, ev) ~ exposed + ...)` (the exposure first);
#      for the start cases, fits `coxph(Surv(start, stop, event) ~ ...)` on the
#      file's rows. Writes coefficients, intervals, tests, log-likelihoods and
#      the concordance (summary(fit)), Efron and Breslow.
#
# How to run (from the repository root):
#   Rscript tests/reference/generate_cox_timedep.R
# Needs `survival` and `jsonlite`. Idempotent: removes only
# fixtures/cox_td_*.json and fixtures/cox_start_*.json.
# -----------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

if (!file.exists(file.path("tests", "reference", "common.R"))) {
  stop("run this script from the repository root: Rscript tests/reference/generate_cox_timedep.R")
}
source("tests/reference/common.R")
clear_fixtures("^cox_(td|start)_.*\\.json$")
versions <- fixture_versions(c("survival", "jsonlite"))
require_data("jasa1_patients.csv")

# =============================================================================
# 1. Datasets
# =============================================================================

j <- survival::jasa1
write.csv(j[, c("id", "start", "stop", "event", "transplant", "age", "surgery")],
          csv_path("jasa1_intervals.csv"), row.names = FALSE)

cart <- read.csv(file.path("examples", "cart_haplo_simulated.csv"), stringsAsFactors = FALSE,
                 na.strings = c("", "NA"))
hsct <- as.numeric(as.Date(cart$hsct_date) - as.Date(cart$car_t_date)) / 30.4375
cart_out <- data.frame(patient_id = cart$patient_id, os_months = cart$os_months,
                       os_event = cart$os_event,
                       hsct_months = ifelse(is.na(hsct), "", formatC(hsct, digits = 17, format = "g")),
                       age = cart$age, male = as.integer(cart$sex == "Male"),
                       ph_positive = as.integer(cart$ph_positive == "Yes"))
write.csv(cart_out, csv_path("cart_hsct_covariates.csv"), row.names = FALSE, na = "", quote = FALSE)

# =============================================================================
# 2. Fixtures
# =============================================================================

# The report's part that R gives, from a fitted coxph and its summary.
cox_expected <- function(fit, names, ties, n, n_dropped) {
  s <- summary(fit)
  cf <- s$coefficients
  ci <- s$conf.int
  stopifnot(nrow(cf) == length(names))
  test <- function(t) list(stat = scalar(t[["test"]]), df = int(t[["df"]]), p = scalar(t[["pvalue"]]))
  wald <- test(s$waldtest)
  wald$stat <- scalar(fit$wald.test)
  list(
    analysis = "cox", ties = ties, n = int(n), events = int(fit$nevent), n_dropped = int(n_dropped),
    terms = lapply(seq_along(names), function(i) list(
      term = names[i], coef = scalar(cf[i, "coef"]), se = scalar(cf[i, "se(coef)"]),
      hr = scalar(cf[i, "exp(coef)"]), lower = scalar(ci[i, 3]), upper = scalar(ci[i, 4]),
      z = scalar(cf[i, "z"]), p = scalar(cf[i, "Pr(>|z|)"]))),
    loglik = list(null = scalar(fit$loglik[1]), model = scalar(fit$loglik[2])),
    tests = list(likelihood_ratio = test(s$logtest), wald = wald, score = test(s$sctest)),
    concordance = list(estimate = scalar(s$concordance[["C"]]), se = scalar(s$concordance[["se(C)"]])),
    iterations = int(fit$iter), converged = TRUE)
}

# A patient-level file with an exposure-time column, split by tmerge.
exposure_case <- function(name, file, time, event, exposure, covariates, exposure_name = NULL,
                          ties = "efron", strata = NULL) {
  env <- new.env()
  label <- if (is.null(exposure_name)) exposure else exposure_name
  rhs <- paste(c("exposed", covariates, if (!is.null(strata)) sprintf("strata(%s)", strata)),
               collapse = " + ")
  code <- c(
    read_code(file, "d0"),
    keep_complete_code(c(time, event, covariates, strata), "d0"),
    sprintf("d$id_ <- seq_len(nrow(d)); d$time_ <- d[[%s]]; d$event_ <- d[[%s]]; d$exp_ <- d[[%s]]",
            q(time), q(event), q(exposure)),
    # tdc at or after the end of follow-up is ignored by tmerge; NA is never exposed.
    "td <- tmerge(d, d, id = id_, ev = event(time_, event_))",
    "td <- tmerge(td, d, id = id_, exposed = tdc(exp_))",
    "td$exposed[is.na(td$exposed)] <- 0",
    sprintf("fit <- coxph(Surv(tstart, tstop, ev) ~ %s, data = td, ties = '%s')", rhs, ties)
  )
  run(code, env)
  fit <- env$fit
  expected <- cox_expected(fit, c(label, covariates), ties, nrow(env$d), nrow(env$d0) - nrow(env$d))
  expected$time_dependent <- list(
    exposure_time = exposure, exposure = label,
    n_exposed = length(unique(env$td$id_[env$td$exposed == 1])), intervals = int(fit$n))
  args <- c("cox", "--time", time, "--event", event, "--covariates", paste(covariates, collapse = ","),
            "--exposure-time", exposure)
  if (!is.null(exposure_name)) args <- c(args, "--exposure-name", exposure_name)
  if (ties != "efron") args <- c(args, "--ties", ties)
  if (!is.null(strata)) {
    args <- c(args, "--strata", strata)
    expected$strata <- strata
  }
  write_fixture(name, file, args, code, expected, "iterative")
  cat(sprintf("%-40s coef %s\n", name, paste(signif(coef(fit), 8), collapse = " ")))
}

# A landmark at `at`: the patients followed beyond it, their clock restarted there and their
# exposure status at it (exposure time at or before `at`) as a fixed first term.
landmark_case <- function(name, file, time, event, exposure, covariates, at, exposure_name = NULL,
                          ties = "efron") {
  env <- new.env()
  label <- if (is.null(exposure_name)) exposure else exposure_name
  code <- c(
    read_code(file, "d0"),
    keep_complete_code(c(time, event, covariates), "d0"),
    sprintf("lm <- d[d[[%s]] > %s, ]", q(time), format(at)),
    sprintf("lm$time_ <- lm[[%s]] - %s", q(time), format(at)),
    sprintf("lm$exposed <- as.integer(!is.na(lm[[%s]]) & lm[[%s]] <= %s)", q(exposure), q(exposure), format(at)),
    sprintf("fit <- coxph(Surv(time_, %s) ~ exposed + %s, data = lm, ties = '%s')", event,
            paste(covariates, collapse = " + "), ties)
  )
  run(code, env)
  d <- env$d; lm <- env$lm
  gone <- d[d[[time]] <= at, ]
  expected <- cox_expected(env$fit, c(label, covariates), ties, nrow(lm), nrow(env$d0) - nrow(d))
  expected$landmark <- list(
    landmark = at, n_before = nrow(d), n_kept = nrow(lm),
    n_excluded_event = sum(gone[[event]] == 1), n_excluded_censored = sum(gone[[event]] == 0),
    exposure_time = exposure, n_exposed = sum(lm$exposed))
  if (!is.null(exposure_name)) expected$landmark$exposure_name <- exposure_name
  args <- c("cox", "--time", time, "--event", event, "--covariates", paste(covariates, collapse = ","),
            "--landmark", format(at), "--exposure-time", exposure)
  if (!is.null(exposure_name)) args <- c(args, "--exposure-name", exposure_name)
  if (ties != "efron") args <- c(args, "--ties", ties)
  write_fixture(name, file, args, code, expected, "iterative")
  cat(sprintf("%-40s coef %s\n", name, paste(signif(coef(env$fit), 8), collapse = " ")))
}

# A file of (start, stop] rows.
start_case <- function(name, file, start, stop, event, covariates, ties = "efron") {
  env <- new.env()
  code <- c(
    read_code(file, "d0"),
    keep_complete_code(c(start, stop, event, covariates), "d0"),
    sprintf("fit <- coxph(Surv(%s, %s, %s) ~ %s, data = d, ties = '%s')", start, stop, event,
            paste(covariates, collapse = " + "), ties)
  )
  run(code, env)
  fit <- env$fit
  expected <- cox_expected(fit, covariates, ties, fit$n, nrow(env$d0) - nrow(env$d))
  expected$start <- start
  args <- c("cox", "--start", start, "--time", stop, "--event", event,
            "--covariates", paste(covariates, collapse = ","))
  if (ties != "efron") args <- c(args, "--ties", ties)
  write_fixture(name, file, args, code, expected, "iterative")
  cat(sprintf("%-40s coef %s\n", name, paste(signif(coef(fit), 8), collapse = " ")))
}

exposure_case("cox_td_jasa1_transplant_age_surgery", "jasa1_patients.csv", "futime", "death",
              "transplant_time", c("age", "surgery"), exposure_name = "transplant")
exposure_case("cox_td_jasa1_transplant_age_surgery_breslow", "jasa1_patients.csv", "futime", "death",
              "transplant_time", c("age", "surgery"), exposure_name = "transplant", ties = "breslow")
exposure_case("cox_td_jasa1_transplant_age_strata_surgery", "jasa1_patients.csv", "futime", "death",
              "transplant_time", "age", exposure_name = "transplant", strata = "surgery")
exposure_case("cox_td_cart_os_hsct_age_male_ph", "cart_hsct_covariates.csv", "os_months", "os_event",
              "hsct_months", c("age", "male", "ph_positive"))
exposure_case("cox_td_cart_os_hsct_age_male_ph_breslow", "cart_hsct_covariates.csv", "os_months",
              "os_event", "hsct_months", c("age", "male", "ph_positive"), ties = "breslow")
start_case("cox_start_jasa1_transplant_age_surgery", "jasa1_intervals.csv", "start", "stop", "event",
           c("transplant", "age", "surgery"))
start_case("cox_start_jasa1_transplant_age_surgery_breslow", "jasa1_intervals.csv", "start", "stop",
           "event", c("transplant", "age", "surgery"), ties = "breslow")

landmark_case("cox_td_landmark_jasa1_30_transplant_age_surgery", "jasa1_patients.csv", "futime", "death",
              "transplant_time", c("age", "surgery"), at = 30, exposure_name = "transplant")
landmark_case("cox_td_landmark_cart_os_2_hsct_age_male_ph", "cart_hsct_covariates.csv", "os_months",
              "os_event", "hsct_months", c("age", "male", "ph_positive"), at = 2, ties = "breslow")


# =============================================================================
# 3. survival's jasa from its dates: endpoints -> time-dependent Cox, Simon-Makuch, Mantel-Byar
# =============================================================================
# jasa (the Stanford heart transplant data) holds dates: acceptance, transplant, end of follow-up.
# The study tests/reference/data/jasa_dates_study.json derives the follow-up and the time to
# transplant in days from them (survkit's endpoints from dates), then runs the three analyses.
# R's figures come from the same dates: futime = fu.date - accept.dt, tx = tx.date - accept.dt.
# Left out: the one patient followed 0 days (tmerge refuses (0, 0]; jasa1 moves it to 0.5).
jd <- survival::jasa
jd <- jd[jd$fu.date > jd$accept.dt, ]
jasa_dates <- data.frame(id = seq_len(nrow(jd)), accept_dt = format(jd$accept.dt),
                         tx_dt = ifelse(is.na(jd$tx.date), "", format(jd$tx.date)),
                         death_dt = ifelse(jd$fustat == 1, format(jd$fu.date), ""),
                         fu_dt = format(jd$fu.date), age = formatC(jd$age, digits = 17, format = "g"),
                         surgery = jd$surgery)
write.csv(jasa_dates, csv_path("jasa_dates.csv"), row.names = FALSE, quote = FALSE)
study_path <- csv_path("jasa_dates_study.json")
writeLines(toJSON(list(
  survkit_study = 1L, title = "survival's jasa from its dates",
  derived = list(
    list(kind = "time_to_event", time = "futime_days", event = "dead", origin = "accept_dt",
         events = I("death_dt"), censor = "fu_dt", unit = "days", id = "id"),
    list(kind = "time_to_exposure", name = "tx_days", origin = "accept_dt", exposure = "tx_dt",
         end = "fu_dt", unit = "days", id = "id")),
  analyses = list(
    list(title = "Transplant as a time-dependent covariate", request = list(
      analysis = "cox", time = "futime_days", event = "dead", covariates = I(c("age", "surgery")),
      exposure_time = "tx_days", exposure_name = "transplant")),
    list(title = "Simon-Makuch curves", request = list(
      analysis = "simon-makuch", time = "futime_days", event = "dead", exposure_time = "tx_days",
      at = I(c(100, 365)))),
    list(title = "Mantel-Byar test", request = list(
      analysis = "mantel-byar", time = "futime_days", event = "dead", exposure_time = "tx_days")))
), auto_unbox = TRUE, pretty = TRUE), study_path)

local({
  env <- new.env()
  code <- c(
    read_code("jasa_dates.csv", "d"),
    "d$futime <- as.numeric(as.Date(d$fu_dt) - as.Date(d$accept_dt)); d$dead <- as.integer(!is.na(d$death_dt))",
    "d$tx <- as.numeric(as.Date(d$tx_dt) - as.Date(d$accept_dt))",
    "td <- tmerge(d, d, id = id, ev = event(futime, dead))",
    "td <- tmerge(td, d, id = id, exposed = tdc(tx))",
    "td$exposed[is.na(td$exposed)] <- 0",
    "fit <- coxph(Surv(tstart, tstop, ev) ~ exposed + age + surgery, data = td)",
    "sm <- summary(survfit(Surv(tstart, tstop, ev) ~ exposed, data = td), times = c(100, 365))",
    "mb <- coxph(Surv(tstart, tstop, ev) ~ exposed, data = td, ties = 'exact')$score"
  )
  run(code, env)
  fit <- env$fit
  cox <- cox_expected(fit, c("transplant", "age", "surgery"), "efron", nrow(env$d), 0)
  cox$time_dependent <- list(exposure_time = "tx_days", exposure = "transplant",
                             n_exposed = length(unique(env$td$id[env$td$exposed == 1])),
                             intervals = int(fit$n))
  sm <- env$sm
  state_at <- function(k) {
    r <- which(as.integer(sm$strata) == k)
    lapply(r, function(i) list(time = scalar(sm$time[i]), surv = scalar(sm$surv[i]),
                               std_err = scalar(sm$std.err[i]), lower = scalar(sm$lower[i]),
                               upper = scalar(sm$upper[i]), n_risk = scalar(sm$n.risk[i])))
  }
  simon <- list(analysis = "simon-makuch", n = nrow(env$d),
                states = list(list(state = "unexposed", at = state_at(1)),
                              list(state = "exposed", at = state_at(2))))
  mantel <- list(analysis = "mantel-byar", chisq = scalar(env$mb), df = 1L,
                 p = scalar(pchisq(env$mb, 1, lower.tail = FALSE)), n = nrow(env$d))
  expected <- list(survkit_study = 1L, analyses = list(list(result = cox), list(result = simon),
                                                       list(result = mantel)))
  write_fixture("cox_td_jasa_from_dates_study", "jasa_dates.csv",
                c("run", "--study", study_path, "--today", "2026-12-04"), code, expected, "iterative")
  cat(sprintf("%-40s coef %s; Mantel-Byar %.6g\n", "cox_td_jasa_from_dates_study",
              paste(signif(coef(fit), 8), collapse = " "), env$mb))
})

report_written("^cox_(td|start)_.*\\.json$", "time-dependent Cox fixtures")
