#!/usr/bin/env Rscript
# -----------------------------------------------------------------------------
# survkit golden fixtures for Cox regression (`survkit cox`) from R's `survival`.
#
# What it does
#   1. Writes the synthetic data sets used only by the Cox cases to
#      tests/reference/data/ (cox_ties.csv, cox_hard.csv). The other cases reuse
#      the CSVs written by generate.R (lung, veteran, ovarian); this script only
#      reads those.
#   2. Reads every CSV back, builds the design the way the CLI does (see
#      "Covariate rules" below), fits coxph (and cox.zph where asked) and writes
#      one JSON fixture per case to tests/reference/fixtures/cox_<case>.json,
#      with the CLI arguments, the R code evaluated (as text, in "r_call"), the
#      R and package versions, any R warning ("r_warning") and the expected CLI
#      JSON output ("expected").
#
# How to run (from the repository root):
#   Rscript tests/reference/generate_cox.R
# Needs R with `survival` and `jsonlite`. Idempotent: it rewrites its own data
# files and removes and rewrites fixtures/cox_*.json only. Run it after
# generate.R, which writes the CSVs it reads. Helpers shared with the other
# generators are in common.R.
#
# Covariate rules (those of `survkit cox`)
#   - A cut-point covariate written `col>=v` (also >, <, <=) is the 0/1 term
#     as.numeric(col >= v), named exactly as written.
#   - A non-numeric column, or a numeric one named in --categorical, is a
#     factor: one dummy term `col=level` per non-reference level, in level order.
#     Levels are ordered numerically when every level reads as a number, else
#     alphabetically ignoring case (ties broken by the exact characters). The
#     reference is the first level unless --reference col=level is given.
#   - Any other column is one numeric term named by the column.
#   - Rows missing any used column (time, event, covariates, strata) are dropped.
# -----------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

if (!file.exists(file.path("tests", "reference", "common.R"))) {
  stop("run this script from the repository root: Rscript tests/reference/generate_cox.R")
}
source("tests/reference/common.R")
clear_fixtures("^cox_.*\\.json$", except = "^cox_(td|start)_")
versions <- fixture_versions(c("survival", "jsonlite"))
record_warnings <- TRUE     # run() collects R's warnings for "r_warning"
require_data(c("lung.csv", "veteran.csv", "ovarian.csv", "near_ties.csv"))

# =============================================================================
# 1. Datasets
# =============================================================================

# cox_ties: 200 rows, integer times in 1..15 (1..14 in this draw), heavy ties (events tied with
# each other and with censorings). Covariates: grp (3 text levels in mixed case,
# so that case-insensitive order alpha < Beta < gamma differs from byte order),
# x (numeric, 1 decimal), trt (0/1); stratum site (north/south).
set.seed(20261127)
n_ct <- 200
grp <- sample(c("alpha", "Beta", "gamma"), n_ct, replace = TRUE)
x <- round(rnorm(n_ct, 50, 10), 1)
trt <- rbinom(n_ct, 1, 0.5)
site <- sample(c("north", "south"), n_ct, replace = TRUE)
lin <- c(alpha = 0, Beta = 0.5, gamma = -0.4)[grp] + 0.03 * (x - 50) + 0.6 * trt +
  0.3 * (site == "south")
t_event <- ceiling(rexp(n_ct, rate = 0.12 * exp(lin)))
t_cens <- sample(1:15, n_ct, replace = TRUE)
time <- pmin(t_event, t_cens, 15)
event <- as.integer(t_event <= pmin(t_cens, 15))
cox_ties <- data.frame(id = seq_len(n_ct), time = time, event = event, grp = grp, x = x,
                       trt = trt, site = site)
stopifnot(all(cox_ties$time >= 1 & cox_ties$time <= 15),
          max(table(cox_ties$time[cox_ties$event == 1])) >= 10)
write.csv(cox_ties, csv_path("cox_ties.csv"), row.names = FALSE)

# cox_hard: 40 rows, distinct times, for the degenerate fits.
#   sep:   every event has sep = 1 (sep = 0 only for censored rows) -> the
#          partial likelihood is monotone in the sep coefficient (beta -> +Inf).
#   x:     an ordinary numeric covariate.
#   const: the same value (1) on every row.
#   z1:    integers 0..10; z2 = 2 * z1 + 1 exactly (collinear with z1).
set.seed(20261127)
n_h <- 40
h_time <- sample(1:80, n_h)
h_status <- rbinom(n_h, 1, 0.6)
h_sep <- ifelse(h_status == 1, 1L, rbinom(n_h, 1, 0.4))
h_x <- round(rnorm(n_h), 2)
h_z1 <- sample(0:10, n_h, replace = TRUE)
cox_hard <- data.frame(time = h_time, status = h_status, sep = h_sep, x = h_x,
                       const = 1L, z1 = h_z1, z2 = 2L * h_z1 + 1L)
stopifnot(all(cox_hard$sep[cox_hard$status == 1] == 1), any(cox_hard$sep == 0),
          !anyDuplicated(cox_hard$time))
write.csv(cox_hard, csv_path("cox_hard.csv"), row.names = FALSE)

# =============================================================================
# 2. Helpers
# =============================================================================

# num, scalar, int, q, fname, levels_code, parse_covariate, covariate_levels,
# covariate_args, run (collecting warnings in warnings_seen), read_code,
# keep_complete_code and write_fixture come from common.R.

# Fits one Cox model on env$d0 and returns list(code, expected, warnings).
#   covariates: CLI covariate specs; categorical: numeric columns made
#   categorical; reference: named character vector col = level.
fit_cox <- function(env, time, event, covariates, categorical = character(),
                    reference = character(), strata = NULL, ties = "efron",
                    conf_level = 0.95, zph = FALSE) {
  warnings_seen <<- character()
  specs <- lapply(covariates, parse_covariate)
  columns <- unique(vapply(specs, `[[`, "", "column"))
  vars <- unique(c(time, event, columns, strata))
  code <- run(keep_complete_code(vars), env)
  n_dropped <- nrow(env$d0) - nrow(env$d)

  r_names <- character()      # coefficient names R will give, in order
  our_names <- character()    # the CLI's term names, in the same order
  zph_names <- character()    # cox.zph table rows -> CLI names
  zph_ours <- character()
  rhs <- character()
  for (s in specs) {
    if (s$cut) {
      code <- c(code, run(sprintf("d[['%s']] <- as.numeric(d[['%s']] %s %s)",
                                  s$spec, s$column, s$op, format(s$value, digits = 15)), env))
      rhs <- c(rhs, fname(s$spec))
      r_names <- c(r_names, fname(s$spec)); our_names <- c(our_names, s$spec)
      zph_names <- c(zph_names, fname(s$spec)); zph_ours <- c(zph_ours, s$spec)
    } else if (!is.numeric(env$d[[s$column]]) || s$column %in% categorical) {
      col <- s$column
      lv <- covariate_levels(env$d[[col]], col, reference)
      code <- c(code, run(sprintf("d[['%s']] <- factor(d[['%s']], levels = c(%s))",
                                  col, col, levels_code(lv, is.numeric(env$d[[col]]))), env))
      stopifnot(identical(levels(env$d[[col]]), lv), !anyNA(env$d[[col]]))
      rhs <- c(rhs, fname(col))
      r_names <- c(r_names, paste0(fname(col), lv[-1]))
      our_names <- c(our_names, paste0(col, "=", lv[-1]))
      zph_names <- c(zph_names, fname(col)); zph_ours <- c(zph_ours, col)
    } else {
      rhs <- c(rhs, fname(s$column))
      r_names <- c(r_names, fname(s$column)); our_names <- c(our_names, s$column)
      zph_names <- c(zph_names, fname(s$column)); zph_ours <- c(zph_ours, s$column)
    }
  }
  if (!is.null(strata)) rhs <- c(rhs, sprintf("strata(%s)", fname(strata)))
  formula <- sprintf("Surv(%s, %s) ~ %s", fname(time), fname(event), paste(rhs, collapse = " + "))
  code <- c(code,
            run(sprintf("fit <- coxph(%s, data = d, ties = '%s')", formula, ties), env),
            run(sprintf("s <- summary(fit, conf.int = %s)", format(conf_level)), env),
            run("wald <- fit$wald.test", env))
  if (zph) code <- c(code, run("z <- cox.zph(fit, transform = 'km', terms = TRUE)$table", env))
  fit <- env$fit
  s <- env$s
  stopifnot(identical(names(coef(fit)), r_names))

  cf <- s$coefficients
  ci <- s$conf.int
  terms <- lapply(seq_along(r_names), function(i) list(
    term = our_names[i], coef = scalar(cf[i, "coef"]), se = scalar(cf[i, "se(coef)"]),
    hr = scalar(cf[i, "exp(coef)"]), lower = scalar(ci[i, 3]), upper = scalar(ci[i, 4]),
    z = scalar(cf[i, "z"]), p = scalar(cf[i, "Pr(>|z|)"])))
  # summary(fit)$coefficients gives se = 0 for an NA (aliased) coefficient: the
  # CLI reports null there.
  for (i in seq_along(terms)) if (is.na(terms[[i]]$coef)) terms[[i]]$se <- NA_real_
  test <- function(t) list(stat = scalar(t[["test"]]), df = int(t[["df"]]),
                           p = scalar(t[["pvalue"]]))
  # summary(fit)$waldtest rounds the statistic to 2 decimals (its p is from the
  # unrounded one): take the statistic from fit$wald.test.
  wald <- test(s$waldtest)
  wald$stat <- scalar(env$wald)
  stopifnot(isTRUE(all.equal(wald$p, pchisq(wald$stat, wald$df, lower.tail = FALSE),
                             tolerance = 1e-12)))
  ran_out <- any(grepl("Ran out of iterations", warnings_seen))
  expected <- list(
    analysis = "cox", ties = ties, n = int(fit$n), events = int(fit$nevent),
    n_dropped = int(n_dropped), terms = terms,
    loglik = list(null = scalar(fit$loglik[1]), model = scalar(fit$loglik[2])),
    tests = list(likelihood_ratio = test(s$logtest), wald = wald,
                 score = test(s$sctest)),
    concordance = list(estimate = scalar(s$concordance[["C"]]),
                       se = scalar(s$concordance[["se(C)"]])),
    iterations = int(fit$iter), converged = !ran_out)
  if (zph) {
    z <- env$z
    keep <- zph_names[match(rownames(z)[rownames(z) != "GLOBAL"], zph_names)]
    stopifnot(!anyNA(keep))
    expected$zph <- list(
      terms = lapply(keep, function(r) list(
        term = zph_ours[match(r, zph_names)], chisq = scalar(z[r, "chisq"]),
        df = int(z[r, "df"]), p = scalar(z[r, "p"]))),
      global = list(chisq = scalar(z["GLOBAL", "chisq"]), df = int(z["GLOBAL", "df"]),
                    p = scalar(z["GLOBAL", "p"])))
  }
  list(code = code, expected = expected, warnings = unique(warnings_seen))
}

cli_args <- function(time, event, covariates, categorical, reference, strata, ties,
                     conf_level, zph, univariate) {
  args <- c("cox", "--time", time, "--event", event,
            covariate_args(covariates, categorical, reference))
  if (!is.null(strata)) args <- c(args, "--strata", strata)
  if (!is.null(ties)) args <- c(args, "--ties", ties)
  if (!is.null(conf_level)) args <- c(args, "--conf-level", format(conf_level))
  if (univariate) args <- c(args, "--univariate")
  if (zph) args <- c(args, "--zph")
  args
}

# One fixture. `ties` / `conf_level` NULL = the CLI default (efron / 0.95), not
# passed on the command line. `shape(expected, fit_result)` may trim `expected`
# for the degenerate cases.
cox_case <- function(name, file, covariates, time = "time", event = "status",
                     categorical = character(), reference = character(), strata = NULL,
                     ties = NULL, conf_level = NULL, zph = FALSE, univariate = FALSE,
                     shape = NULL, note = NULL) {
  env <- new.env()
  code <- run(read_code(file, "d0"), env)
  tt <- if (is.null(ties)) "efron" else ties
  cl <- if (is.null(conf_level)) 0.95 else conf_level
  fits <- if (univariate) {
    lapply(covariates, function(cv)
      fit_cox(env, time, event, cv, categorical, reference, strata, tt, cl, zph))
  } else {
    list(fit_cox(env, time, event, covariates, categorical, reference, strata, tt, cl, zph))
  }
  for (f in fits) code <- c(code, f$code)
  warns <- unique(unlist(lapply(fits, `[[`, "warnings")))
  expected <- if (univariate) {
    list(analysis = "cox", univariate = TRUE, models = lapply(fits, `[[`, "expected"))
  } else {
    fits[[1]]$expected
  }
  if (!is.null(shape)) expected <- shape(expected, env)
  args <- cli_args(time, event, covariates, categorical, reference, strata, ties,
                   conf_level, zph, univariate)
  write_fixture(name, file, args, code, expected, "iterative", warns, note)
}

# =============================================================================
# 3. Cases
# =============================================================================

# --- lung (status 1/2, 2 = event) ---
cox_case("cox_lung_age_sex", "lung.csv", c("age", "sex"))
cox_case("cox_lung_age_sex_breslow", "lung.csv", c("age", "sex"), ties = "breslow")
cox_case("cox_lung_age_sex_conf90", "lung.csv", c("age", "sex"), conf_level = 0.9)
cox_case("cox_lung_age_sex_ecog_categorical", "lung.csv", c("age", "sex", "ph.ecog"),
         categorical = "ph.ecog")
cox_case("cox_lung_age60_sex", "lung.csv", c("age>=60", "sex"))
cox_case("cox_lung_age_sex_strata_inst", "lung.csv", c("age", "sex"), strata = "inst")
cox_case("cox_lung_age_sex_zph", "lung.csv", c("age", "sex"), zph = TRUE)
cox_case("cox_lung_age_sex_ecog_categorical_zph", "lung.csv", c("age", "sex", "ph.ecog"),
         categorical = "ph.ecog", zph = TRUE)
cox_case("cox_lung_age_sex_strata_inst_zph", "lung.csv", c("age", "sex"), strata = "inst",
         zph = TRUE)
cox_case("cox_lung_univariate", "lung.csv", c("age", "sex", "ph.ecog"), univariate = TRUE)
cox_case("cox_lung_univariate_ecog_categorical", "lung.csv", c("age", "sex", "ph.ecog"),
         categorical = "ph.ecog", univariate = TRUE)

# --- veteran (celltype is text: adeno, large, smallcell, squamous) ---
cox_case("cox_veteran_trt_celltype_karno", "veteran.csv", c("trt", "celltype", "karno"))
cox_case("cox_veteran_trt_celltype_karno_ref_squamous", "veteran.csv",
         c("trt", "celltype", "karno"), reference = c(celltype = "squamous"))
cox_case("cox_veteran_trt_celltype_karno_zph", "veteran.csv",
         c("trt", "celltype", "karno"), zph = TRUE)
cox_case("cox_veteran_trt_celltype_karno_breslow", "veteran.csv",
         c("trt", "celltype", "karno"), ties = "breslow")

# --- ovarian ---
cox_case("cox_ovarian_rx_age", "ovarian.csv", c("rx", "age"), time = "futime",
         event = "fustat")
cox_case("cox_ovarian_rx_categorical_resid_age", "ovarian.csv", c("rx", "resid.ds", "age"),
         time = "futime", event = "fustat", categorical = "rx")

# --- heavy ties (synthetic) ---
ties_cov <- c("grp", "x", "trt")
cox_case("cox_ties_efron", "cox_ties.csv", ties_cov, event = "event", ties = "efron")

# --- near_ties (generate.R): months from days two ways; coxph's timefix merges them ---
cox_case("cox_near_ties_efron_zph", "near_ties.csv", c("arm", "x", "trt"), zph = TRUE)
cox_case("cox_near_ties_breslow_zph", "near_ties.csv", c("arm", "x", "trt"), ties = "breslow",
         zph = TRUE)
cox_case("cox_ties_breslow", "cox_ties.csv", ties_cov, event = "event", ties = "breslow")
cox_case("cox_ties_strata_site", "cox_ties.csv", ties_cov, event = "event", strata = "site")
cox_case("cox_ties_strata_site_breslow", "cox_ties.csv", ties_cov, event = "event",
         strata = "site", ties = "breslow")
cox_case("cox_ties_zph", "cox_ties.csv", ties_cov, event = "event", zph = TRUE)
cox_case("cox_ties_breslow_zph", "cox_ties.csv", ties_cov, event = "event", ties = "breslow",
         zph = TRUE)
cox_case("cox_ties_ref_gamma_x_cut", "cox_ties.csv", c("grp", "x>50", "trt"), event = "event",
         reference = c(grp = "gamma"))

# --- hard cases ---
# (a) Monotone likelihood: every event has sep = 1. R stops when the log
# likelihood has converged while beta_sep is still climbing; its coefficient and
# standard error are arbitrary (where the iteration stopped), so the sep term
# keeps only its name. Kept: x's term (its estimate has converged), n, events,
# the log likelihoods, the likelihood-ratio and score tests (the score test is at
# beta = 0), the concordance (it only depends on the order of the linear
# predictor, which beta_sep dominates: sep first, then x) and the iteration
# count (R's log likelihood criterion is met at iteration 19 whatever iter.max).
# Dropped: the Wald test (it uses the arbitrary se of sep) and `converged` (R
# does not flag the fit as unconverged; survkit may).
cox_case("cox_hard_separation", "cox_hard.csv", c("sep", "x"),
         note = "sep separates: every event has sep = 1; R's sep coefficient is where the iteration stopped (not checked)",
         shape = function(e, env) {
           stopifnot(e$terms[[1]]$term == "sep", e$terms[[1]]$coef > 5)
           e$terms[[1]] <- list(term = "sep")
           e$tests$wald <- NULL
           e$converged <- NULL
           e
         })
# (b) A constant covariate: R gives NA for its coefficient (the column is
# singular); the other term is fitted as if alone. R prints se 0 for the NA
# coefficient; the fixture has null (see fit_cox). R gives no warning.
cox_case("cox_hard_constant", "cox_hard.csv", c("x", "const"),
         shape = function(e, env) {
           stopifnot(is.na(e$terms[[2]]$coef))
           e
         })
# (c) Collinear covariates: z2 = 2 z1 + 1, R gives NA for z2 (the later one).
cox_case("cox_hard_collinear", "cox_hard.csv", c("x", "z1", "z2"),
         shape = function(e, env) {
           stopifnot(is.na(e$terms[[3]]$coef), !is.na(e$terms[[2]]$coef))
           e
         })

report_written("^cox_.*\\.json$", "cox fixtures")
