#!/usr/bin/env Rscript
# -----------------------------------------------------------------------------
# survkit golden fixtures for landmark analyses (`--landmark T`, with or
# without `--exposure-time`) on km, logrank and cif: Anderson, Cain & Gelber
# (1983), Dafni (2011).
#
# survival has no landmark function; a landmark analysis in R is a subset and
# a time shift, which is what every fixture's r_call records:
#   d <- d[d$futime > T, ]; d$futime <- d$futime - T
#   d$exposed <- factor(!is.na(d$txtime) & d$txtime <= T, c(FALSE, TRUE),
#                       c('unexposed', 'exposed'))
# then survfit / survdiff / cuminc on d. Conventions (src/analysis/landmark.rs):
# kept when the follow-up time is > T (an event or censoring at or before T
# leaves the patient out), the clock restarts at T, and exposed at T when the
# exposure time is present and <= T (tmerge's tdc rule read at T).
#
# What it does
#   1. Writes tests/reference/data/myeloid.csv: survival's myeloid (646
#      patients of an AML trial; times in days) with the competing endpoint
#      built from its columns: rel_time = the relapse time (rltime) when there
#      is one, else futime; rel_status = 1 relapse, 2 death without relapse,
#      0 censored alive without relapse. (rltime < futime on every row.)
#   2. Landmarks at 100 and 365 days with the transplant time txtime as the
#      exposure: km and logrank of futime/death and cif of
#      rel_time/rel_status, by exposure state at the landmark; and km by trt
#      at 365 days (a landmark without an exposure). Each case also records
#      the selection: n_before, n_kept, n_excluded_event (an event, of any
#      cause for cif, at or before T), n_excluded_censored, n_exposed.
#      At 100 days three patients are transplanted exactly at 100 (exposed);
#      at 365 days one patient's follow-up ends exactly at 365 (left out).
#
# How to run (from the repository root):
#   Rscript tests/reference/generate_landmark.R
# Needs survival, cmprsk and jsonlite. Idempotent: it rewrites myeloid.csv and
# removes only fixtures/landmark_*.json before writing them again.
# -----------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
  library(jsonlite)
})

if (!file.exists(file.path("tests", "reference", "common.R"))) {
  stop("run this script from the repository root: Rscript tests/reference/generate_landmark.R")
}
source("tests/reference/common.R")
clear_fixtures("^landmark_.*\\.json$")
versions <- fixture_versions(c("survival", "cmprsk", "jsonlite"))

# =============================================================================
# 1. Data
# =============================================================================

m <- survival::myeloid
stopifnot(all(is.na(m$rltime) | m$rltime < m$futime))
myeloid <- data.frame(
  id = m$id, trt = m$trt, futime = m$futime, death = m$death, txtime = m$txtime,
  rltime = m$rltime,
  rel_time = ifelse(is.na(m$rltime), m$futime, m$rltime),
  rel_status = ifelse(!is.na(m$rltime), 1, ifelse(m$death == 1, 2, 0))
)
write.csv(myeloid, csv_path("myeloid.csv"), row.names = FALSE, na = "")

# =============================================================================
# 2. Helpers
# =============================================================================

# The r_call lines that read myeloid.csv and apply the landmark T to `time`
# (with `exposure`, the exposure state at T as d$exposed), and the selection
# the report must give. `event_of`: the R expression of "an event" on d0.
landmark_data <- function(time, event_of, landmark, exposure = NULL) {
  env <- new.env()
  code <- run(read_code("myeloid.csv", var = "d0"), env)
  d0 <- env$d0
  T <- format(landmark)
  code <- c(code, run(c(
    sprintf("d <- d0[d0$%s > %s, ]", time, T),
    sprintf("d$%s <- d$%s - %s", time, time, T)
  ), env))
  if (!is.null(exposure)) {
    code <- c(code, run(sprintf(
      "d$exposed <- factor(!is.na(d$%s) & d$%s <= %s, c(FALSE, TRUE), c('unexposed', 'exposed'))",
      exposure, exposure, T), env))
  }
  out_before <- with(d0, d0[[time]] <= landmark)
  ev <- eval(parse(text = event_of), d0)
  selection <- list(landmark = landmark, n_before = nrow(d0), n_kept = nrow(env$d),
                    n_excluded_event = int(sum(out_before & ev)),
                    n_excluded_censored = int(sum(out_before & !ev)))
  if (!is.null(exposure)) {
    selection$exposure_time <- exposure
    selection$n_exposed <- int(sum(env$d$exposed == "exposed"))
  }
  stopifnot(selection$n_kept + selection$n_excluded_event + selection$n_excluded_censored == nrow(d0))
  list(env = env, code = code, selection = selection)
}

landmark_args <- function(landmark, exposure, group) {
  args <- c("--landmark", format(landmark))
  if (!is.null(exposure)) args <- c(args, "--exposure-time", exposure)
  if (!is.null(group)) args <- c(args, "--group", group)
  args
}

# =============================================================================
# 3. Kaplan-Meier and log-rank
# =============================================================================

km_landmark_case <- function(name, landmark, exposure = NULL, group = NULL, at = NULL) {
  ld <- landmark_data("futime", "d0$death == 1", landmark, exposure)
  env <- ld$env
  rhs <- if (!is.null(exposure)) "exposed" else group
  if (!is.null(group)) {
    code_g <- sprintf("d$%s <- factor(d$%s, levels = c(%s))", group, group,
                      q(level_order(env$d[[group]], byte_order = TRUE)))
    ld$code <- c(ld$code, run(code_g, env))
  }
  code <- c(ld$code,
            run(sprintf("fit <- survfit(Surv(futime, death) ~ %s, data = d, conf.type = 'log', conf.int = 0.95)", rhs), env),
            run("steps <- summary(fit, censored = TRUE)", env))
  fit <- env$fit
  lv <- levels(droplevels(env$d[[rhs]]))
  stopifnot(identical(names(fit$strata), paste0(rhs, "=", lv)))
  groups <- median_rows(fit)
  st <- env$steps
  si <- stratum_index(st, fit)
  if (!is.null(at)) {
    code <- c(code, run(sprintf("at <- summary(fit, times = c(%s))", paste(at, collapse = ", ")), env))
    sa <- env$at
    ai <- stratum_index(sa, fit)
  }
  for (k in seq_along(groups)) {
    g <- groups[[k]]
    out <- list(group = lv[k], n = g$n, events = g$events, median = g$median)
    if (!is.null(at)) {
      r <- which(ai == k)
      stopifnot(length(r) == length(at), all(sa$time[r] == at))
      out$at <- lapply(r, function(j) list(
        time = scalar(sa$time[j]), surv = scalar(sa$surv[j]), std_err = scalar(sa$std.err[j]),
        lower = scalar(sa$lower[j]), upper = scalar(sa$upper[j]), n_risk = scalar(sa$n.risk[j])))
    }
    out$steps <- km_steps(st, which(si == k))
    groups[[k]] <- out
  }
  args <- c("km", "--time", "futime", "--event", "death", landmark_args(landmark, exposure, group))
  if (!is.null(at)) args <- c(args, "--at", paste(at, collapse = ","))
  expected <- list(analysis = "km", conf_type = "log", conf_level = 0.95, n_dropped = 0L,
                   landmark = ld$selection, groups = groups)
  write_fixture(name, "myeloid.csv", args, code, expected)
}

logrank_landmark_case <- function(name, landmark, exposure) {
  ld <- landmark_data("futime", "d0$death == 1", landmark, exposure)
  env <- ld$env
  code <- c(ld$code, run("sd <- survdiff(Surv(futime, death) ~ exposed, data = d, rho = 0)", env))
  sd <- env$sd
  lv <- c("unexposed", "exposed")
  stopifnot(identical(names(sd$n), paste0("exposed=", lv)))
  stats <- sd_stats(sd)
  groups <- lapply(seq_along(lv), function(k) list(
    group = lv[k], n = int(sd$n[k]), observed = scalar(sd$obs[k]), expected = scalar(sd$exp[k])))
  args <- c("logrank", "--time", "futime", "--event", "death", landmark_args(landmark, exposure, NULL))
  expected <- list(analysis = "logrank", chisq = scalar(stats$chisq), df = int(stats$df),
                   p = scalar(stats$p), rho = 0, n_dropped = 0L, landmark = ld$selection,
                   groups = groups)
  write_fixture(name, "myeloid.csv", args, code, expected)
}

# =============================================================================
# 4. Cumulative incidence of relapse and of death without relapse
# =============================================================================

cif_landmark_case <- function(name, landmark, exposure, at = NULL) {
  ld <- landmark_data("rel_time", "d0$rel_status != 0", landmark, exposure)
  env <- ld$env
  code <- c(ld$code, run("fit <- cuminc(d$rel_time, d$rel_status, group = d$exposed, rho = 0, cencode = 0)", env))
  fit <- env$fit
  d <- env$d
  causes <- c("1", "2")
  lv <- c("unexposed", "exposed")
  curves <- fit[names(fit) != "Tests"]
  stopifnot(identical(names(curves), as.vector(t(outer(causes, lv, function(c, g) paste(g, c))))))
  step_times <- lapply(lv, function(g) sort(unique(d$rel_time[d$exposed == g & d$rel_status != 0])))
  code <- c(code, run(c(
    "ev <- d$rel_status != 0",
    "steps <- lapply(seq_along(fit[names(fit) != 'Tests']), function(i) { g <- d$exposed == levels(d$exposed)[(i - 1) %% 2 + 1]; timepoints(fit[i], sort(unique(d$rel_time[ev & g]))) })"
  ), env))
  if (!is.null(at)) {
    code <- c(code, run(sprintf("at <- timepoints(fit, c(%s))", paste(at, collapse = ", ")), env))
  }
  tests <- fit$Tests
  out_causes <- lapply(seq_along(causes), function(ci) {
    groups <- lapply(seq_along(lv), function(gi) {
      k <- (ci - 1) * length(lv) + gi
      tp <- env$steps[[k]]
      stopifnot(identical(as.numeric(colnames(tp$est)), step_times[[gi]]))
      in_g <- d$exposed == lv[gi]
      out <- list(group = lv[gi], n = int(sum(in_g)), events = int(sum(in_g & d$rel_status == ci)))
      if (!is.null(at)) {
        ea <- env$at$est[k, ]
        va <- env$at$var[k, ]
        stopifnot(!anyNA(ea))
        interval <- loglog_ci(ea, va)
        out$at <- lapply(seq_along(ea), function(j) list(
          time = scalar(at[j]), cif = scalar(ea[j]), variance = scalar(va[j]),
          lower = scalar(interval$lower[j]), upper = scalar(interval$upper[j])))
      }
      out$steps <- list(time = arr(step_times[[gi]]), cif = arr(tp$est[1, ]), variance = arr(tp$var[1, ]))
      out
    })
    stopifnot(identical(rownames(tests)[ci], causes[ci]), tests[ci, "stat"] >= 0)
    p <- pchisq(tests[ci, "stat"], tests[ci, "df"], lower.tail = FALSE)
    list(cause = causes[ci], groups = groups,
         gray = list(stat = scalar(tests[ci, "stat"]), df = int(tests[ci, "df"]), p = scalar(p)))
  })
  args <- c("cif", "--time", "rel_time", "--status", "rel_status", landmark_args(landmark, exposure, NULL))
  if (!is.null(at)) args <- c(args, "--at", paste(at, collapse = ","))
  expected <- list(analysis = "cif", n = int(nrow(d)), n_dropped = 0L, landmark = ld$selection,
                   causes = out_causes)
  write_fixture(name, "myeloid.csv", args, code, expected)
}

# =============================================================================
# 5. The fixtures
# =============================================================================

for (landmark in c(100, 365)) {
  km_landmark_case(sprintf("landmark_km_myeloid_%d_by_txtime", landmark), landmark, exposure = "txtime",
                   at = c(365, 730))
  logrank_landmark_case(sprintf("landmark_logrank_myeloid_%d_by_txtime", landmark), landmark, "txtime")
  cif_landmark_case(sprintf("landmark_cif_myeloid_%d_by_txtime", landmark), landmark, "txtime",
                    at = c(180, 365))
}
km_landmark_case("landmark_km_myeloid_365_by_trt", 365, group = "trt", at = c(365))

report_written("^landmark_.*\\.json$", "landmark fixtures")
