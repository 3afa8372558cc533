#!/usr/bin/env Rscript
# -----------------------------------------------------------------------------
# survkit golden fixtures for competing risks (`survkit cif`, `survkit finegray`)
# from R's `cmprsk` (cuminc, timepoints, crr).
#
# What it does
#   1. Writes the data sets used only by these cases to tests/reference/data/:
#      competing.csv (simulated), mgus2.csv (survival::mgus2 with the competing
#      event columns) and relapse.csv (text status codes). The single-cause
#      cases reuse aml.csv as generate.R wrote it; this script only reads it.
#   2. Reads every CSV back (R sees exactly what the CLI reads), drops the rows
#      the CLI drops, runs cuminc / timepoints / crr and writes one JSON fixture
#      per case to tests/reference/fixtures/cif_<case>.json or
#      finegray_<case>.json, with the CLI arguments, the R code evaluated (as
#      text, in "r_call"), the R and package versions and the expected CLI JSON
#      output ("expected").
#
# How to run (from the repository root):
#   Rscript tests/reference/generate_competing.R
# Needs R with `survival`, `cmprsk` and `jsonlite`. Idempotent: it rewrites its
# own data files and removes and rewrites fixtures/cif_*.json and
# fixtures/finegray_*.json only. aml.csv must exist (run generate.R first).
# Helpers shared with the other generators are in common.R.
#
# Status coding (that of the CLI)
#   The value given by --censor-value (default 0) means censored; every other
#   value is a cause. Causes are ordered numerically when all are numbers, else
#   alphabetically ignoring case; groups likewise. Rows missing time, status,
#   group, strata or a covariate are dropped (n_dropped).
#
# Covariate rules for finegray (those of `survkit cox`, see generate_cox.R)
#   - `col>=v` (also >, <, <=) is the 0/1 term as.numeric(col >= v), named as
#     written.
#   - A text column, or a numeric one named in --categorical, gives one 0/1 term
#     `col=level` per non-reference level, levels ordered numerically when all
#     are numbers, else alphabetically ignoring case (ties by exact characters);
#     the reference is the first level unless --reference col=level.
#   - Any other column is one numeric term named by the column.
#   The matrix handed to crr as cov1 is built column by column with those names.
# -----------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
  library(jsonlite)
})

if (!file.exists(file.path("tests", "reference", "common.R"))) {
  stop("run this script from the repository root: Rscript tests/reference/generate_competing.R")
}
source("tests/reference/common.R")
clear_fixtures("^(cif|finegray)_.*\\.json$")
versions <- fixture_versions(c("survival", "cmprsk", "jsonlite"))
require_data("aml.csv")

# =============================================================================
# 1. Datasets
# =============================================================================

# competing: simulated in the style of cmprsk's examples. 300 rows; two latent
# exponential event times (cause-specific hazards depend on the covariates) and
# a uniform censoring time; times rounded to 2 decimals, which ties some of
# them, plus ties placed on purpose at t = 2.5 (cause 1 twice, cause 2, a
# censoring) and at t = 7.25 (cause 2 tied with a censoring).
#   grp2   control / treated (2 missing)      dose   5 / 10 / 20 (numeric)
#   center east / west (stratum)              x1     numeric, 2 decimals (1 missing)
#   age    integer 30..80                     stage  local / Regional / distant
set.seed(20261127)
n_cp <- 300
grp2 <- sample(c("control", "treated"), n_cp, replace = TRUE)
dose <- sample(c(5, 10, 20), n_cp, replace = TRUE)
center <- sample(c("east", "west"), n_cp, replace = TRUE)
x1 <- round(rnorm(n_cp), 2)
age <- round(runif(n_cp, 30, 80))
stage <- sample(c("local", "Regional", "distant"), n_cp, replace = TRUE,
                prob = c(0.4, 0.35, 0.25))
lp1 <- 0.5 * x1 + 0.03 * (age - 55) + c(local = 0, Regional = 0.4, distant = 0.9)[stage] -
  0.5 * (grp2 == "treated") + 0.03 * (dose - 10)
lp2 <- -0.3 * x1 + 0.02 * (age - 55) + 0.3 * (grp2 == "treated") + 0.2 * (center == "west")
t1 <- rexp(n_cp, 0.08 * exp(lp1))
t2 <- rexp(n_cp, 0.05 * exp(lp2))
tc <- runif(n_cp, 1, 15)
time <- round(pmin(t1, t2, tc), 2)
status <- ifelse(tc <= pmin(t1, t2), 0, ifelse(t1 <= t2, 1, 2))
time[1:4] <- 2.5; status[1:4] <- c(1, 1, 2, 0)       # tie: two cause 1, one cause 2, a censoring
time[5:6] <- 7.25; status[5:6] <- c(2, 0)            # tie: cause 2 and a censoring
competing <- data.frame(id = seq_len(n_cp), time = time, status = status, grp2 = grp2,
                        dose = dose, center = center, x1 = x1, age = age, stage = stage)
competing$grp2[c(10, 20)] <- NA
competing$x1[30] <- NA
competing <- competing[sample(n_cp), ]
competing$id <- seq_len(n_cp)
stopifnot(sum(competing$time == 2.5) >= 4, sum(competing$time == 7.25) >= 2,
          all(c(0, 1, 2) %in% competing$status), all(competing$time > 0))
write.csv(competing, csv_path("competing.csv"), row.names = FALSE, na = "")

# mgus2: survival::mgus2 with the competing-risks coding of the survival
# package's vignette: progression (cause 1) versus death without progression
# (cause 2), time in months.
#   etime = ifelse(pstat == 0, futime, ptime); event = ifelse(pstat == 0, 2 * death, 1)
# hgb (13), creat (30) and mspike (11) have missing values (empty cells).
mgus2 <- survival::mgus2
mgus2$etime <- ifelse(mgus2$pstat == 0, mgus2$futime, mgus2$ptime)
mgus2$event <- ifelse(mgus2$pstat == 0, 2 * mgus2$death, 1)
write.csv(mgus2, csv_path("mgus2.csv"), row.names = FALSE, na = "")

# relapse: 90 rows, integer times 1..24 (many ties), status written as text:
# "censored", "relapse" or "death"; arm A / B; covariates score (numeric) and
# female (0/1).
set.seed(20261127)
n_rl <- 90
arm <- sample(c("A", "B"), n_rl, replace = TRUE)
score <- round(rnorm(n_rl, 10, 3), 1)
female <- rbinom(n_rl, 1, 0.5)
r1 <- rexp(n_rl, 0.05 * exp(0.6 * (arm == "B") + 0.1 * (score - 10)))
r2 <- rexp(n_rl, 0.03 * exp(-0.4 * female))
rc <- runif(n_rl, 3, 30)
rl_time <- pmax(1, ceiling(pmin(r1, r2, rc, 24)))
rl_status <- ifelse(rc <= pmin(r1, r2) | pmin(r1, r2) > 24, "censored",
                    ifelse(r1 <= r2, "relapse", "death"))
relapse <- data.frame(id = seq_len(n_rl), time = rl_time, status = rl_status, arm = arm,
                      score = score, female = female)
stopifnot(all(c("censored", "relapse", "death") %in% relapse$status))
write.csv(relapse, csv_path("relapse.csv"), row.names = FALSE)

# one_patient_group: 39 patients in a and b and one in c. In the first file c's patient is
# censored before every event; in the second c's patient has cause 1 before every other event.
# cuminc's covariance (crstm) then has less than full rank by qr() (tol 1e-7), and cuminc
# reports the statistic as -1: survkit gives no statistic (null) for those causes.
set.seed(2)
for (variant in c("censored_first", "cause1_first")) {
  n_op <- 40
  op <- data.frame(time = round(rexp(n_op) * 10, 1), status = sample(0:2, n_op, TRUE),
                   group = c(rep("a", 20), rep("b", 19), "c"))
  op$time[n_op] <- min(op$time[-n_op]) / 2
  op$status[n_op] <- if (variant == "censored_first") 0 else 1
  write.csv(op, csv_path(sprintf("one_patient_group_%s.csv", variant)), row.names = FALSE)
}

# =============================================================================
# 2. Helpers
# =============================================================================

# num, scalar, arr, int, q, level_order, levels_code, parse_covariate,
# covariate_levels, covariate_args, run, read_code, keep_complete_code and
# write_fixture come from common.R.

# A value as an R literal: numbers at full precision, text quoted.
lit <- function(x) if (is.numeric(x)) format(x, digits = 15) else sprintf("'%s'", x)

# =============================================================================
# 3. Cumulative incidence (cuminc)
# =============================================================================

# loglog_ci comes from common.R.

# time, status, group, strata: column names. censor: the censoring code as the
# CLI gets it (NULL = the default 0). at: --at times. rho: --rho (NULL = 0, not
# passed).
cif_case <- function(name, file, time, status, group = NULL, strata = NULL, at = NULL,
                     rho = NULL, censor = NULL, note = NULL, check = NULL) {
  env <- new.env()
  code <- run(read_code(file, "d0"), env)
  vars <- c(time, status, group, strata)
  code <- c(code, run(keep_complete_code(vars), env))
  d <- env$d
  n_dropped <- nrow(env$d0) - nrow(d)
  cens_val <- if (is.null(censor)) 0 else censor
  text_status <- !is.numeric(d[[status]])
  if (!text_status) cens_val <- as.numeric(cens_val)

  causes <- level_order(d[[status]][as.character(d[[status]]) != as.character(cens_val)])
  if (text_status) {
    # a factor with the CLI's cause order (the censoring level last): cuminc then
    # takes the causes in level order
    code <- c(code, run(sprintf("d$%s <- factor(d$%s, levels = c(%s))", status, status,
                                q(c(causes, cens_val))), env))
  }
  if (!is.null(group)) {
    lv <- level_order(d[[group]])
    code <- c(code, run(sprintf("d$%s <- factor(d$%s, levels = c(%s))", group, group,
                                levels_code(lv, is.numeric(d[[group]]))), env))
  } else {
    lv <- "1"      # cuminc's single group
  }
  ng <- length(lv)
  call <- sprintf("fit <- cuminc(d$%s, d$%s%s%s, rho = %s, cencode = %s)", time, status,
                  if (is.null(group)) "" else sprintf(", group = d$%s", group),
                  if (is.null(strata)) "" else sprintf(", strata = d$%s", strata),
                  if (is.null(rho)) "0" else format(rho), lit(cens_val))
  code <- c(code, run(call, env))
  fit <- env$fit
  curves <- fit[names(fit) != "Tests"]
  # cuminc's curves: causes outer, groups inner, named "<group> <cause>"
  stopifnot(length(curves) == length(causes) * ng,
            identical(names(curves), as.vector(t(outer(causes, lv, function(c, g) paste(g, c))))))

  d <- env$d
  grp_of <- if (is.null(group)) rep("1", nrow(d)) else as.character(d[[group]])
  st_chr <- as.character(d[[status]])
  # steps: every distinct time with an event of any cause in the group, from
  # timepoints(); at: timepoints() at the --at times
  step_times <- lapply(lv, function(g) sort(unique(as.numeric(d[[time]])[grp_of == g & st_chr != as.character(cens_val)])))
  names(step_times) <- lv
  code <- c(code, run(c(
    sprintf("ev <- d$%s != %s", status, lit(cens_val)),
    sprintf("steps <- lapply(seq_along(fit[names(fit) != 'Tests']), function(i) { g <- %s; timepoints(fit[i], sort(unique(d$%s[ev & %s]))) })",
            if (is.null(group)) "TRUE" else sprintf("(i - 1) %%%% %d + 1; g <- d$%s == levels(d$%s)[g]", ng, group, group),
            time, if (is.null(group)) "TRUE" else "g")), env))
  if (!is.null(at)) {
    code <- c(code, run(sprintf("at <- timepoints(fit, c(%s))", paste(as.character(at), collapse = ", ")),
                        env),
              run("z <- qnorm(0.975); s <- sqrt(at$var) / (at$est * log(at$est)); lower <- at$est^exp(-z * s); upper <- at$est^exp(z * s)", env))
    stopifnot(identical(as.numeric(colnames(env$at$est)), as.numeric(sort(unique(at)))))
  }
  tests <- fit$Tests

  out_causes <- lapply(seq_along(causes), function(ci) {
    groups <- lapply(seq_along(lv), function(gi) {
      k <- (ci - 1) * ng + gi
      cv <- curves[[k]]
      tp <- env$steps[[k]]
      stopifnot(identical(rownames(tp$est), names(curves)[k]),
                identical(as.numeric(colnames(tp$est)), step_times[[gi]]))
      f <- tp$est[1, ]
      v <- tp$var[1, ]
      # cross-check against cuminc's plotting vectors: time = (0, t1, t1, ...,
      # tk, tk, tmax); the value just after the j-th jump is at position 2j + 1
      if (length(cv$time) > 2) {     # (0, tmax) when the group has no event of the cause
        jump <- seq(3, length(cv$time) - 1, by = 2)
        stopifnot(all(cv$time[jump] == cv$time[jump - 1]))
        m <- match(cv$time[jump], step_times[[gi]])
        stopifnot(!anyNA(m), all(f[m] == cv$est[jump]), all(v[m] == cv$var[jump]))
      }
      in_g <- grp_of == lv[gi]
      out <- list(group = if (is.null(group)) NULL else lv[gi],
                  n = int(sum(in_g)), events = int(sum(in_g & st_chr == causes[ci])))
      if (!is.null(at)) {
        ea <- env$at$est[k, ]
        va <- env$at$var[k, ]
        ci_ <- loglog_ci(ea, va)
        ok <- !is.na(ci_$lower)
        stopifnot(isTRUE(all.equal(ci_$lower[ok], unname(env$lower[k, ok]), tolerance = 1e-14)),
                  isTRUE(all.equal(ci_$upper[ok], unname(env$upper[k, ok]), tolerance = 1e-14)))
        if (anyNA(ea)) stop(name, ": an --at time is beyond the data of group ", lv[gi])
        out$at <- lapply(seq_along(ea), function(j) list(
          time = scalar(sort(unique(at))[j]), cif = scalar(ea[j]), variance = scalar(va[j]),
          lower = scalar(ci_$lower[j]), upper = scalar(ci_$upper[j])))
      }
      out$steps <- list(time = arr(step_times[[gi]]), cif = arr(f), variance = arr(v))
      out
    })
    gray <- NULL
    if (!is.null(group)) {
      stopifnot(identical(rownames(tests)[ci], causes[ci]))
      df <- tests[ci, "df"]
      if (tests[ci, "stat"] == -1) {
        # cuminc's mark of a covariance of less than full rank (qr(v)$rank): no statistic
        gray <- list(stat = NA_real_, df = int(df), p = NA_real_)
      } else {
        stopifnot(tests[ci, "stat"] >= 0)
        p <- pchisq(tests[ci, "stat"], df, lower.tail = FALSE)
        stopifnot(abs(p - tests[ci, "pv"]) < 1e-14)
        gray <- list(stat = scalar(tests[ci, "stat"]), df = int(df), p = scalar(p))
      }
    }
    list(cause = causes[ci], groups = groups, gray = gray)
  })
  if (!is.null(check)) code <- c(code, check(env))

  args <- c("cif", "--time", time, "--status", status)
  if (!is.null(censor)) args <- c(args, "--censor-value", as.character(censor))
  if (!is.null(group)) args <- c(args, "--group", group)
  if (!is.null(at)) args <- c(args, "--at", paste(as.character(at), collapse = ","))
  if (!is.null(rho)) args <- c(args, "--rho", format(rho))
  if (!is.null(strata)) args <- c(args, "--strata", strata)
  expected <- list(analysis = "cif", n_dropped = int(n_dropped), causes = out_causes)
  write_fixture(name, file, args, code, expected, "closed_form", note = note)
}

# =============================================================================
# 4. Fine-Gray (crr)
# =============================================================================

finegray_case <- function(name, file, time, status, cause, covariates,
                          categorical = character(), reference = character(),
                          censor = NULL, conf_level = NULL, note = NULL, check = NULL) {
  env <- new.env()
  code <- run(read_code(file, "d0"), env)
  specs <- lapply(covariates, parse_covariate)
  columns <- unique(vapply(specs, `[[`, "", "column"))
  vars <- unique(c(time, status, columns))
  code <- c(code, run(keep_complete_code(vars), env))
  n_dropped <- nrow(env$d0) - nrow(env$d)
  d <- env$d
  cens_val <- if (is.null(censor)) 0 else censor
  if (is.numeric(d[[status]])) {
    cens_val <- as.numeric(cens_val)
    cause_val <- as.numeric(cause)
  } else {
    cause_val <- cause
  }
  stopifnot(any(as.character(d[[status]]) == as.character(cause_val)))

  cols <- character()       # R expressions, one per term
  terms <- character()      # the CLI's term names
  for (s in specs) {
    if (s$cut) {
      cols <- c(cols, sprintf("as.numeric(d[['%s']] %s %s)", s$column, s$op,
                              format(s$value, digits = 15)))
      terms <- c(terms, s$spec)
    } else if (!is.numeric(d[[s$column]]) || s$column %in% categorical) {
      col <- s$column
      lv <- covariate_levels(d[[col]], col, reference)
      for (l in lv[-1]) {
        cols <- c(cols, sprintf("as.numeric(d[['%s']] == %s)", col,
                                if (is.numeric(d[[col]])) l else sprintf("'%s'", l)))
        terms <- c(terms, paste0(col, "=", l))
      }
    } else {
      cols <- c(cols, sprintf("d[['%s']]", s$column))
      terms <- c(terms, s$column)
    }
  }
  cl <- if (is.null(conf_level)) 0.95 else conf_level
  crr_args <- sprintf("d$%s, d$%s, cov1 = X, failcode = %s, cencode = %s", time, status,
                      lit(cause_val), lit(cens_val))
  code <- c(code,
            run(sprintf("X <- cbind(%s)", paste(cols, collapse = ", ")), env),
            run(sprintf("colnames(X) <- c(%s)", q(terms)), env),
            run(sprintf("fit <- crr(%s)", crr_args), env),
            run("se <- sqrt(diag(fit$var)); zval <- fit$coef / se", env),
            run(sprintf("zc <- qnorm(1 - (1 - %s) / 2)", format(cl)), env),
            # crr has no iteration count: the number of Newton steps it took is
            # the smallest maxiter for which it reports convergence
            run(sprintf("iter <- which(sapply(0:10, function(m) crr(%s, maxiter = m)$converged))[1] - 1",
                        crr_args), env))
  fit <- env$fit
  stopifnot(identical(names(fit$coef), terms), isTRUE(fit$converged), fit$n.missing == 0,
            !is.na(env$iter))
  same <- crr(d[[time]], d[[status]], cov1 = env$X, failcode = cause_val, cencode = cens_val,
              maxiter = env$iter)
  stopifnot(isTRUE(same$converged), identical(same$coef, fit$coef))
  # Diagnostics (printed, not in the fixture): how far crr's stopping point is
  # from the maximum, and how clear-cut its stopping test was. crr stops at the
  # first iterate b with max |U(b)| * max(|b|, 1) < gtol * max(|loglik(b)|, 1);
  # `crit` is the left side over the right side at the returned b (< 1) and at
  # the iterate before it (> 1).
  tight <- crr(d[[time]], d[[status]], cov1 = env$X, failcode = cause_val, cencode = cens_val,
               gtol = 1e-13, maxiter = 100)
  rel <- max(abs(tight$coef - fit$coef) / pmax(abs(fit$coef), 1e-300))
  crit <- function(f) max(abs(f$score) * pmax(abs(f$coef), 1)) / (max(abs(f$loglik), 1) * 1e-6)
  before <- crr(d[[time]], d[[status]], cov1 = env$X, failcode = cause_val, cencode = cens_val,
                maxiter = env$iter - 1)
  cat(sprintf("%-42s iterations %d, stop test %.2g (previous %.2g), coef relative distance to the maximum %.1e\n",
              name, env$iter, crit(fit), if (env$iter > 0) crit(before) else NA, rel))

  if (!is.null(check)) code <- c(code, check(env))
  se <- env$se
  zval <- env$zval
  zc <- env$zc
  out_terms <- lapply(seq_along(terms), function(i) list(
    term = terms[i], coef = scalar(fit$coef[i]), se = scalar(se[i]), hr = scalar(exp(fit$coef[i])),
    lower = scalar(exp(fit$coef[i] - zc * se[i])), upper = scalar(exp(fit$coef[i] + zc * se[i])),
    z = scalar(zval[i]), p = scalar(2 * pnorm(-abs(zval[i])))))
  expected <- list(analysis = "finegray", cause = as.character(cause), n = int(fit$n),
                   n_dropped = int(n_dropped), terms = out_terms, loglik = scalar(fit$loglik),
                   iterations = int(env$iter), converged = isTRUE(fit$converged))

  args <- c("finegray", "--time", time, "--status", status, "--cause", as.character(cause))
  if (!is.null(censor)) args <- c(args, "--censor-value", as.character(censor))
  args <- c(args, covariate_args(covariates, categorical, reference))
  if (!is.null(conf_level)) args <- c(args, "--conf-level", format(conf_level))
  write_fixture(name, file, args, code, expected, "iterative", note = note)
}

# =============================================================================
# 5. Cases
# =============================================================================

# --- cif: simulated (causes 1 and 2, censoring 0) ---
# --at 0.01 is before the first event (cif 0: null limits)
cif_case("cif_competing_overall", "competing.csv", "time", "status", at = c(0.01, 2.5, 5, 10))
cif_case("cif_one_patient_group_censored_first", "one_patient_group_censored_first.csv", "time",
         "status", group = "group")
cif_case("cif_one_patient_group_cause1_first", "one_patient_group_cause1_first.csv", "time",
         "status", group = "group")
cif_case("cif_competing_by_grp2", "competing.csv", "time", "status", group = "grp2")
cif_case("cif_competing_by_grp2_at", "competing.csv", "time", "status", group = "grp2",
         at = c(1, 2.5, 5, 10))
cif_case("cif_competing_by_dose", "competing.csv", "time", "status", group = "dose",
         at = c(2.5, 7.25))
cif_case("cif_competing_by_dose_rho1", "competing.csv", "time", "status", group = "dose",
         rho = 1)
cif_case("cif_competing_by_grp2_strata_center", "competing.csv", "time", "status",
         group = "grp2", strata = "center")
cif_case("cif_competing_by_dose_strata_center_rho1", "competing.csv", "time", "status",
         group = "dose", strata = "center", rho = 1)

# --- cif: mgus2, progression (1) versus death (2), months ---
cif_case("cif_mgus2_by_sex", "mgus2.csv", "etime", "event", group = "sex", at = c(120, 240))

# --- cif: text status codes, censor value "censored" ---
cif_case("cif_relapse_by_arm", "relapse.csv", "time", "status", group = "arm",
         censor = "censored", at = c(6, 12))
cif_case("cif_relapse_overall", "relapse.csv", "time", "status", censor = "censored")

# --- cif: a single cause (aml: status 1 = event, 0 = censored) ---
# With no competing event the cumulative incidence is 1 - Kaplan-Meier; checked
# here against survfit at every step (the variance is cuminc's, not Greenwood's).
km_check <- function(group) function(env) {
  code <- run(c(
    sprintf("km <- survfit(Surv(time, status) ~ %s, data = d)", group),
    "km_s <- summary(km)",
    "stopifnot(isTRUE(all.equal(unname(unlist(lapply(steps, function(tp) tp$est[1, ]))), 1 - km_s$surv, tolerance = 1e-12)))"),
    env)
  code
}
single_note <- "single cause: cif = 1 - Kaplan-Meier (checked against survfit); the variance is cuminc's, which is not Greenwood's"
# --at 45: the last time of group Nonmaintained, an event taking its cif to 1
# (null limits).
cif_case("cif_aml_by_x", "aml.csv", "time", "status", group = "x", at = c(12, 24, 45),
         note = single_note, check = km_check("x"))
cif_case("cif_aml_overall", "aml.csv", "time", "status", at = c(12, 24, 48),
         note = single_note, check = km_check("1"))

# --- finegray: simulated ---
finegray_case("finegray_competing_numeric", "competing.csv", "time", "status", 1,
              c("x1", "age"))
finegray_case("finegray_competing_stage", "competing.csv", "time", "status", 1,
              c("x1", "age", "stage"))
finegray_case("finegray_competing_stage_ref_local", "competing.csv", "time", "status", 1,
              c("x1", "age", "stage"), reference = c(stage = "local"))
finegray_case("finegray_competing_age60_x1", "competing.csv", "time", "status", 1,
              c("age>=60", "x1"))
finegray_case("finegray_competing_cause2", "competing.csv", "time", "status", 2,
              c("x1", "age", "stage"))
finegray_case("finegray_competing_dose_categorical", "competing.csv", "time", "status", 1,
              c("dose", "x1", "grp2"), categorical = "dose", conf_level = 0.9)

# --- finegray: mgus2 (hgb has 13 missing values) ---
finegray_case("finegray_mgus2_age_sex_hgb", "mgus2.csv", "etime", "event", 1,
              c("age", "sex", "hgb"))
finegray_case("finegray_mgus2_age_sex_hgb_cause2", "mgus2.csv", "etime", "event", 2,
              c("age", "sex", "hgb"))

# --- finegray: text status codes ---
finegray_case("finegray_relapse_arm_score", "relapse.csv", "time", "status", "relapse",
              c("arm", "score", "female"), censor = "censored")

# --- finegray: a single cause (no competing event): fitted to convergence, the
# coefficient is Cox's with Breslow ties (checked; crr's default stopping point
# is 2e-6 away); the standard error is crr's sandwich ---
finegray_case("finegray_aml_x", "aml.csv", "time", "status", 1, "x",
              note = "no competing event: crr fitted to convergence equals coxph(ties = 'breslow') (checked); se is crr's sandwich, not coxph's",
              check = function(env) run(
                "stopifnot(isTRUE(all.equal(unname(crr(d$time, d$status, cov1 = X, gtol = 1e-13, maxiter = 100)$coef), unname(coef(coxph(Surv(time, status) ~ x, data = d, ties = 'breslow'))), tolerance = 1e-10)))",
                env))

report_written("^(cif|finegray)_.*\\.json$", "competing-risks fixtures")
