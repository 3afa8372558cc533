#!/usr/bin/env Rscript
# -----------------------------------------------------------------------------
# survkit golden fixtures from R's `survival` package.
#
# What it does
#   1. Exports the datasets used by the reference tests to tests/reference/data/
#      (lung, veteran, aml, ovarian from `survival`, plus small synthetic sets
#      built here: ties, flat_half, deadalive, and a ';' / decimal-comma copy of
#      lung).
#   2. Reads every CSV back (so R sees exactly the bytes the CLI will see), runs
#      survfit / survdiff on it and writes one JSON fixture per case to
#      tests/reference/fixtures/<case>.json. Each fixture holds the CLI
#      arguments, the R calls that were evaluated (as text, in "r_call"), the
#      R and package versions, and the expected CLI JSON output ("expected").
#
# How to run (from the repository root):
#   Rscript tests/reference/generate.R
# Needs R with the packages `survival` and `jsonlite`. The script is
# idempotent: it rewrites all data files and all its fixtures on every run
# (old fixtures/{km,logrank,followup}_*.json are removed first; the other
# scripts' fixtures are left alone). Helpers shared with the other generators
# are in common.R.
#
# The Rust tests never need R: they only read the committed CSV and JSON files.
# -----------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

if (!file.exists(file.path("tests", "reference", "common.R"))) {
  stop("run this script from the repository root: Rscript tests/reference/generate.R")
}
source("tests/reference/common.R")
clear_fixtures("^(km|logrank|followup)_.*\\.json$", except = "^km_start_")  # only this script's fixtures
versions <- fixture_versions(c("survival", "jsonlite"))

# =============================================================================
# 1. Datasets
# =============================================================================

write.csv(survival::lung, csv_path("lung.csv"), row.names = FALSE, na = "")
write.csv(survival::veteran, csv_path("veteran.csv"), row.names = FALSE, na = "NA")
write.csv(survival::aml[, c("time", "status", "x")], csv_path("aml.csv"), row.names = FALSE)
write.csv(survival::ovarian, csv_path("ovarian.csv"), row.names = FALSE)

# lung with ';' separators and decimal commas. Every lung column holds whole
# numbers, so an extra column `time_months` (time / 30.4375, rounded to 4
# decimals) is appended to make the decimal comma actually matter.
lung_sc <- survival::lung
lung_sc$time_months <- round(lung_sc$time / 30.4375, 4)
write.csv2(lung_sc, csv_path("lung_semicolon.csv"), row.names = FALSE, na = "")

# ties: synthetic, integer times 0..12 with heavy ties.
#   arm A, B, C: ordinary groups; D: no events at all; E: one observation (an event)
#   site: stratum with two levels
set.seed(20261127)
arm <- rep(c("A", "B", "C", "D", "E"), times = c(20, 20, 12, 7, 1))
n_ties <- length(arm)
time <- sample(0:12, n_ties, replace = TRUE)
event <- rbinom(n_ties, 1, c(A = 0.75, B = 0.6, C = 0.5, D = 0, E = 1)[arm])
site <- sample(c("north", "south"), n_ties, replace = TRUE)
time[c(1, 2, 21)] <- 0; event[c(1, 2, 21)] <- 1     # events at time 0 (A twice, B once)
time[41] <- 0; event[41] <- 0                         # a censoring at time 0 (C)
time[3] <- 4; event[3] <- 1                           # an event at t = 4 (A) ...
time[4] <- 4; event[4] <- 0                           # ... and a censoring tied with it (A)
time[22] <- 4; event[22] <- 0                         # ... and another one (B)
time[53:59] <- c(0, 3, 5, 7, 9, 12, 12)               # D: censored only, spans 0..12
time[60] <- 5; event[60] <- 1                         # E: the single observation
ties <- data.frame(id = seq_len(n_ties), time = time, event = event, arm = arm, site = site)
ties <- ties[sample(n_ties), ]
ties$id <- seq_len(n_ties)
stopifnot(sum(ties$event[ties$arm == "D"]) == 0, sum(ties$arm == "E") == 1,
          any(ties$time == 0 & ties$event == 1),
          any(ties$time == 4 & ties$event == 0), any(ties$time == 4 & ties$event == 1))
write.csv(ties, csv_path("ties.csv"), row.names = FALSE)

# flat_half: group a has events at 1, 2, 3, 4, so S = 0.5 exactly on [2, 3);
# group b only drops to 0.8, so its median is not reached.
flat_half <- data.frame(
  time = c(1, 2, 3, 4, 1, 2, 3, 4, 5, 6),
  status = c(1, 1, 1, 1, 0, 1, 0, 0, 0, 0),
  group = rep(c("a", "b"), times = c(4, 6))
)
write.csv(flat_half, csv_path("flat_half.csv"), row.names = FALSE)

# deadalive: aml with a text event column in mixed case.
deadalive <- survival::aml[, c("time", "status", "x")]
dead_words <- c("Dead", "dead", "DEAD")
alive_words <- c("alive", "Alive")
deadalive$status <- ifelse(
  deadalive$status == 1,
  dead_words[(seq_len(nrow(deadalive)) %% 3) + 1],
  alive_words[(seq_len(nrow(deadalive)) %% 2) + 1]
)
write.csv(deadalive, csv_path("deadalive.csv"), row.names = FALSE)

# near_ties: times in months computed from days two ways, days / 30.4375 and
# (days / 365.25) * 12, which differ in the last bits for about a third of the
# days; plus 2 against sqrt(2)^2 (2.0000000000000004) and a chain 5, 5 + 0.9 tol,
# 5 + 1.8 tol (tol = sqrt(.Machine$double.eps)) whose ends are more than tol
# apart. R's timefix (aeqSurv) merges each run onto its smallest time. Times are
# written with 17 significant digits so that the CLI reads the very doubles R
# does. Columns: arm (A/B/C), x (numeric), trt (0/1) for the Cox cases.
set.seed(20261202)
n_nt <- 90
nt_candidates <- 1:730
nt_candidates <- nt_candidates[(nt_candidates / 365.25) * 12 != nt_candidates / 30.4375]
nt_days <- sample(sample(nt_candidates, 25), n_nt, replace = TRUE)
nt_route <- rbinom(n_nt, 1, 0.5)
nt_time <- ifelse(nt_route == 1, (nt_days / 365.25) * 12, nt_days / 30.4375)
tol <- sqrt(.Machine$double.eps)
nt_time <- c(nt_time, 2, sqrt(2)^2, 5, 5 + 0.9 * tol, 5 + 1.8 * tol)
near_ties <- data.frame(
  time = nt_time,
  status = c(rbinom(n_nt, 1, 0.6), 1, 1, 1, 0, 1),
  arm = c(sample(c("A", "B", "C"), n_nt, replace = TRUE), "A", "B", "A", "B", "C"),
  x = round(rnorm(n_nt + 5, 0, 1), 2),
  trt = rbinom(n_nt + 5, 1, 0.5)
)
near_ties <- near_ties[sample(nrow(near_ties)), ]
nt_fixed <- aeqSurv(Surv(near_ties$time, near_ties$status))[, 1]
stopifnot(sum(nt_fixed != near_ties$time) >= 10)
near_ties_out <- near_ties
near_ties_out$time <- sprintf("%.17g", near_ties$time)
write.csv(near_ties_out, csv_path("near_ties.csv"), row.names = FALSE, quote = FALSE)
stopifnot(identical(read.csv(csv_path("near_ties.csv"))$time, near_ties$time))

# aml_dummy: aml with a third group, Dummy, whose patients are all censored
# before the first event (at 5): in a pair with Dummy only one group has
# expected events, so survdiff gives chisq 0 on 0 df, p = 1. nothing_to_test
# keeps only Maintained and Dummy, so the whole test has nothing to test.
aml_dummy <- rbind(survival::aml[, c("time", "status", "x")],
                   data.frame(time = c(1, 2, 3, 4), status = 0, x = "Dummy"))
write.csv(aml_dummy, csv_path("aml_dummy.csv"), row.names = FALSE)
write.csv(aml_dummy[aml_dummy$x %in% c("Maintained", "Dummy"), ], csv_path("nothing_to_test.csv"),
          row.names = FALSE)

# =============================================================================
# 2. Helpers
# =============================================================================

# num, scalar, arr, int, q, level_order, run, read_code, keep_complete_code and
# write_fixture come from common.R.

# Loads a data file into a new environment as `d`, with the factor conversions
# and row filtering the CLI does, and records the code used.
#   vars: columns used (time, event, group, strata); rows with a missing value
#         in any of them are dropped (n_dropped).
#   event_code: optional line that recodes the event column (e.g. text events).
load_data <- function(file, vars, factors = character(), event_code = NULL,
                      sep = ",") {
  env <- new.env()
  code <- read_code(file, sep = sep)
  run(code, env)
  raw_n <- nrow(env$d)
  code <- c(code, run(keep_complete_code(vars, from = "d"), env))
  if (!is.null(event_code)) code <- c(code, run(event_code, env))
  for (f in factors) {
    # group levels: numeric, else plain byte order (taken from the rows kept)
    lv <- level_order(env$d[[f]], byte_order = TRUE)
    fc <- sprintf("d$%s <- factor(d$%s, levels = c(%s))", f, f, q(lv))
    code <- c(code, run(fc, env))
  }
  list(env = env, code = code, n_dropped = raw_n - nrow(env$d))
}

# median_rows and stratum_index come from common.R.

# =============================================================================
# 3. Kaplan-Meier
# =============================================================================

# time, event, group: column names; event_expr: event as written inside Surv().
km_case <- function(name, file, time, event, group = NULL, at = NULL,
                    conf_type = NULL, conf_level = NULL, event_code = NULL,
                    event_value_arg = NULL, sep = ",",
                    extra_args = character(), timefix = TRUE) {
  vars <- c(time, event, group)
  ld <- load_data(file, vars, factors = group, event_code = event_code, sep = sep)
  ct <- if (is.null(conf_type)) "log" else conf_type
  cl <- if (is.null(conf_level)) 0.95 else conf_level
  rhs <- if (is.null(group)) "1" else group
  fit_code <- sprintf("fit <- survfit(Surv(%s, %s) ~ %s, data = d, conf.type = '%s', conf.int = %s%s)",
                      time, event, rhs, ct, format(cl), if (timefix) "" else ", timefix = FALSE")
  code <- c(ld$code, run(fit_code, ld$env),
            run("tab <- summary(fit)$table", ld$env),
            run("steps <- summary(fit, censored = TRUE)", ld$env))
  fit <- ld$env$fit
  lv <- if (is.null(group)) NULL else levels(ld$env$d[[group]])
  if (!is.null(group)) stopifnot(identical(names(fit$strata), paste0(group, "=", lv)))

  groups <- median_rows(fit)
  st <- ld$env$steps
  si <- stratum_index(st, fit)
  if (!is.null(at)) {
    code <- c(code, run(sprintf("at <- summary(fit, times = c(%s))",
                                paste(as.character(at), collapse = ", ")), ld$env))
    sa <- ld$env$at
    ai <- stratum_index(sa, fit)
  }
  for (k in seq_along(groups)) {
    g <- groups[[k]]
    out <- list(group = if (is.null(group)) NULL else lv[k],
                n = g$n, events = g$events, median = g$median)
    if (!is.null(at)) {
      r <- which(ai == k)
      if (length(r) != length(at) || any(sa$time[r] != at)) {
        stop(name, ": --at time beyond the last time of group ", k)
      }
      out$at <- lapply(r, function(j) list(
        time = scalar(sa$time[j]), surv = scalar(sa$surv[j]),
        std_err = scalar(sa$std.err[j]), lower = scalar(sa$lower[j]),
        upper = scalar(sa$upper[j]), n_risk = scalar(sa$n.risk[j])))
    }
    out$steps <- km_steps(st, which(si == k))
    groups[[k]] <- out
  }

  args <- c("km", "--time", time, "--event", event)
  if (!is.null(event_value_arg)) args <- c(args, "--event-value", event_value_arg)
  if (!is.null(group)) args <- c(args, "--group", group)
  if (!is.null(at)) args <- c(args, "--at", paste(as.character(at), collapse = ","))
  if (!is.null(conf_type)) args <- c(args, "--conf-type", conf_type)
  if (!is.null(conf_level)) args <- c(args, "--conf-level", format(conf_level))
  if (!timefix) args <- c(args, "--timefix", "false")
  args <- c(args, extra_args)

  expected <- list(analysis = "km", conf_type = ct, conf_level = cl,
                   n_dropped = int(ld$n_dropped), groups = groups)
  write_fixture(name, file, args, code, expected)
}

# =============================================================================
# 4. Log-rank (survdiff)
# =============================================================================

adjust_method <- c(none = "none", holm = "holm", bonferroni = "bonferroni", bh = "BH")

# sd_stats comes from common.R.

logrank_case <- function(name, file, time, event, group, strata = NULL, rho = NULL,
                         adjust = NULL, timefix = TRUE) {
  vars <- c(time, event, group, strata)
  ld <- load_data(file, vars, factors = group)
  r <- if (is.null(rho)) 0 else rho
  rhs <- group
  if (!is.null(strata)) rhs <- sprintf("%s + strata(%s)", group, strata)
  tf <- if (timefix) "" else ", timefix = FALSE"
  sd_code <- sprintf("sd <- survdiff(Surv(%s, %s) ~ %s, data = d, rho = %s%s)",
                     time, event, rhs, format(r), tf)
  code <- c(ld$code, run(sd_code, ld$env))
  sd <- ld$env$sd
  lv <- levels(ld$env$d[[group]])
  stopifnot(identical(names(sd$n), paste0(group, "=", lv)))
  stats <- sd_stats(sd)
  obs <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
  ex <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
  groups <- lapply(seq_along(lv), function(k) list(
    group = lv[k], n = int(sd$n[k]), observed = scalar(obs[k]), expected = scalar(ex[k])))

  expected <- list(analysis = "logrank", chisq = scalar(stats$chisq), df = int(stats$df),
                   p = scalar(stats$p), rho = r, n_dropped = int(ld$n_dropped),
                   groups = groups)

  if (!is.null(adjust)) {
    pw_code <- c(
      "lv <- levels(d$%G%)",
      "pairs <- combn(length(lv), 2)",
      "pw <- lapply(seq_len(ncol(pairs)), function(j) survdiff(Surv(%T%, %E%) ~ %R%, data = droplevels(d[d$%G% %in% lv[pairs[, j]], ]), rho = %RHO%%TF%))",
      "p_adj <- p.adjust(sapply(pw, function(x) pchisq(x$chisq, sum(rowSums(as.matrix(x$exp)) > 0) - 1, lower.tail = FALSE)), method = '%M%')"
    )
    pw_code <- gsub("%G%", group, pw_code, fixed = TRUE)
    pw_code <- gsub("%T%", time, pw_code, fixed = TRUE)
    pw_code <- gsub("%E%", event, pw_code, fixed = TRUE)
    pw_code <- gsub("%R%", rhs, pw_code, fixed = TRUE)
    pw_code <- gsub("%RHO%", format(r), pw_code, fixed = TRUE)
    pw_code <- gsub("%TF%", tf, pw_code, fixed = TRUE)
    pw_code <- gsub("%M%", adjust_method[[adjust]], pw_code, fixed = TRUE)
    code <- c(code, run(pw_code, ld$env))
    pairs <- ld$env$pairs
    pw <- ld$env$pw
    p_adj <- ld$env$p_adj
    expected$pairwise <- lapply(seq_len(ncol(pairs)), function(j) {
      s <- sd_stats(pw[[j]])
      stopifnot(identical(names(pw[[j]]$n), paste0(group, "=", lv[pairs[, j]])))
      list(group_a = lv[pairs[1, j]], group_b = lv[pairs[2, j]],
           chisq = scalar(s$chisq), df = int(s$df), p = scalar(s$p), p_adjusted = scalar(p_adj[j]))
    })
  }

  args <- c("logrank", "--time", time, "--event", event, "--group", group)
  if (!is.null(strata)) args <- c(args, "--strata", strata)
  if (!is.null(rho)) args <- c(args, "--rho", format(rho))
  if (!is.null(adjust)) args <- c(args, "--pairwise", "--adjust", adjust)
  if (!timefix) args <- c(args, "--timefix", "false")
  write_fixture(name, file, args, code, expected)
}

# =============================================================================
# 5. Follow-up (reverse Kaplan-Meier)
# =============================================================================

# event_expr: the event indicator as an R expression (1 = event).
followup_case <- function(name, file, time, event, event_expr, group = NULL) {
  vars <- c(time, event, group)
  ld <- load_data(file, vars, factors = group)
  code <- c(ld$code, run(sprintf(
    "fit0 <- survfit(Surv(%s, 1 - (%s)) ~ 1, data = d); tab0 <- summary(fit0)$table",
    time, event_expr), ld$env))
  d <- ld$env$d
  m0 <- median_rows(ld$env$fit0)[[1]]$median
  expected <- list(analysis = "followup", median = m0,
                   min = scalar(min(d[[time]])), max = scalar(max(d[[time]])))
  if (!is.null(group)) {
    code <- c(code, run(sprintf(
      "fitg <- survfit(Surv(%s, 1 - (%s)) ~ %s, data = d); tabg <- summary(fitg)$table",
      time, event_expr, group), ld$env))
    lv <- levels(d[[group]])
    stopifnot(identical(names(ld$env$fitg$strata), paste0(group, "=", lv)))
    mg <- median_rows(ld$env$fitg)
    expected$groups <- lapply(seq_along(lv), function(k) {
      tk <- d[[time]][d[[group]] == lv[k]]
      list(group = lv[k], median = mg[[k]]$median,
           min = scalar(min(tk)), max = scalar(max(tk)))
    })
  }
  args <- c("followup", "--time", time, "--event", event)
  if (!is.null(group)) args <- c(args, "--group", group)
  write_fixture(name, file, args, code, expected)
}

# =============================================================================
# 6. Cases
# =============================================================================

# --- km ---
km_case("km_lung_by_sex", "lung.csv", "time", "status", "sex", at = c(180, 365))
km_case("km_lung_overall", "lung.csv", "time", "status", at = 365)
km_case("km_lung_by_ph_ecog", "lung.csv", "time", "status", "ph.ecog", at = c(100, 118))
km_case("km_lung_by_sex_loglog", "lung.csv", "time", "status", "sex", at = c(180, 365),
        conf_type = "log-log")
km_case("km_lung_by_sex_plain", "lung.csv", "time", "status", "sex", at = c(180, 365),
        conf_type = "plain")
km_case("km_lung_by_sex_conf90", "lung.csv", "time", "status", "sex", at = c(180, 365),
        conf_level = 0.9)
km_case("km_veteran_by_celltype", "veteran.csv", "time", "status", "celltype", at = c(30, 90))
km_case("km_veteran_by_trt", "veteran.csv", "time", "status", "trt", at = 100)
km_case("km_aml_by_x", "aml.csv", "time", "status", "x", at = c(12, 24))
km_case("km_ovarian_by_rx", "ovarian.csv", "futime", "fustat", "rx", at = c(365, 730))
km_case("km_ties_by_arm_log", "ties.csv", "time", "event", "arm", at = c(0, 2, 5),
        conf_type = "log")
km_case("km_ties_by_arm_loglog", "ties.csv", "time", "event", "arm", at = c(0, 2, 5),
        conf_type = "log-log")
km_case("km_ties_by_arm_plain", "ties.csv", "time", "event", "arm", at = c(0, 2, 5),
        conf_type = "plain")
km_case("km_flat_half_by_group", "flat_half.csv", "time", "status", "group", at = c(2, 2.5, 4))
km_case("km_deadalive_by_x", "deadalive.csv", "time", "status", "x", at = c(12, 24),
        event_code = "d$status <- as.integer(tolower(d$status) == 'dead')")
km_case("km_lung_semicolon_by_sex", "lung_semicolon.csv", "time_months", "status", "sex",
        at = c(6, 12), sep = ";",
        extra_args = c("--delimiter", ";", "--decimal", ","))

km_case("km_near_ties_by_arm", "near_ties.csv", "time", "status", "arm", at = c(2, 5, 12))
km_case("km_near_ties_overall", "near_ties.csv", "time", "status", at = 5)
km_case("km_near_ties_by_arm_exact", "near_ties.csv", "time", "status", "arm", at = c(2, 5, 12),
        timefix = FALSE)

# --- logrank ---
logrank_case("logrank_lung_by_sex", "lung.csv", "time", "status", "sex")
logrank_case("logrank_lung_by_ph_ecog_pairwise_holm", "lung.csv", "time", "status", "ph.ecog",
             adjust = "holm")
logrank_case("logrank_veteran_by_celltype_pairwise_holm", "veteran.csv", "time", "status",
             "celltype", adjust = "holm")
logrank_case("logrank_veteran_by_celltype_rho1", "veteran.csv", "time", "status", "celltype",
             rho = 1)
logrank_case("logrank_veteran_by_trt_strata_celltype", "veteran.csv", "time", "status", "trt",
             strata = "celltype")
logrank_case("logrank_aml_by_x", "aml.csv", "time", "status", "x")
logrank_case("logrank_ovarian_by_rx", "ovarian.csv", "futime", "fustat", "rx")
logrank_case("logrank_ties_by_arm", "ties.csv", "time", "event", "arm")
logrank_case("logrank_ties_by_arm_pairwise_bh", "ties.csv", "time", "event", "arm", adjust = "bh")
logrank_case("logrank_ties_by_arm_pairwise_bonferroni", "ties.csv", "time", "event", "arm",
             adjust = "bonferroni")
logrank_case("logrank_ties_by_arm_pairwise_none", "ties.csv", "time", "event", "arm",
             adjust = "none")
logrank_case("logrank_ties_by_arm_strata_site", "ties.csv", "time", "event", "arm",
             strata = "site")

logrank_case("logrank_near_ties_by_arm_pairwise_holm", "near_ties.csv", "time", "status", "arm",
             adjust = "holm")
logrank_case("logrank_near_ties_by_arm_rho1", "near_ties.csv", "time", "status", "arm", rho = 1)
# No log-rank case with timefix = FALSE: survival 3.5-3's survdiff passes its
# timefix argument on to model.frame, which stops ("variable lengths differ").
for (adjust in names(adjust_method)) {
  logrank_case(paste0("logrank_aml_dummy_pairwise_", adjust), "aml_dummy.csv", "time", "status", "x",
               adjust = adjust)
}
logrank_case("logrank_nothing_to_test", "nothing_to_test.csv", "time", "status", "x")

# --- followup ---
followup_case("followup_lung", "lung.csv", "time", "status", "status == 2")
followup_case("followup_lung_by_sex", "lung.csv", "time", "status", "status == 2", group = "sex")
followup_case("followup_veteran_by_trt", "veteran.csv", "time", "status", "status", group = "trt")
followup_case("followup_ties_by_arm", "ties.csv", "time", "event", "event", group = "arm")
followup_case("followup_near_ties_by_arm", "near_ties.csv", "time", "status", "status", group = "arm")

report_written("\\.json$")
