#!/usr/bin/env Rscript
# -----------------------------------------------------------------------------
# survkit golden fixtures for `survkit simon-makuch`: Kaplan-Meier curves by a
# time-dependent exposure (Simon & Makuch 1984), as R estimates them on
# counting-process data.
#
# What it does
#   1. Writes three data files to tests/reference/data/ (one row per patient,
#      the exposure as a time from the origin, empty when never exposed):
#      jasa1_simon_makuch.csv (survival's jasa1 flattened back to one row per
#      patient), cart_hsct_simon_makuch.csv (the simulated CAR-T cohort of
#      examples/cart_haplo_simulated.csv with the transplant time in months)
#      and simon_makuch_edge.csv (a small synthetic file with every convention).
#   2. Reads each CSV back, splits it with tmerge (the follow-up with
#      event(time, status), the exposure with tdc(exposure)), fits
#      survfit(Surv(tstart, tstop, death) ~ exposed) and writes one fixture per
#      case to tests/reference/fixtures/simon_makuch_*.json.
#
# How to run (from the repository root):
#   Rscript tests/reference/generate_simon_makuch.R
# Needs `survival` and `jsonlite`. Idempotent: it rewrites its three data files
# and removes only fixtures/simon_makuch_*.json before writing them again.
# -----------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

if (!file.exists(file.path("tests", "reference", "common.R"))) {
  stop("run this script from the repository root: Rscript tests/reference/generate_simon_makuch.R")
}
source("tests/reference/common.R")
clear_fixtures("^(simon_makuch|km_start)_.*\\.json$")
versions <- fixture_versions(c("survival", "jsonlite"))

# =============================================================================
# 1. Datasets
# =============================================================================

# jasa1 (survival's Stanford heart transplant data, already split at the
# transplant) back to one row per patient: futime = the end of the last
# interval, death = its event, tx_time = the start of the transplanted interval
# (0 for the patients transplanted on the day of acceptance, empty when never
# transplanted). Splitting it again with tmerge must give jasa1 itself.
j <- survival::jasa1  # the split data, checked against below
flat <- jasa1_per_patient()
jasa1_patients <- data.frame(id = flat$id, futime = flat$futime, death = flat$death,
                             tx_time = flat$transplant_time, age = flat$age)
write.csv(jasa1_patients, csv_path("jasa1_simon_makuch.csv"), row.names = FALSE, na = "")
local({
  p <- read.csv(csv_path("jasa1_simon_makuch.csv"), na.strings = c("", "NA"))
  sp <- tmerge(p[, c("id", "futime", "death")], p, id = id, ev = event(futime, death))
  sp <- tmerge(sp, p[!is.na(p$tx_time), ], id = id, tx = tdc(tx_time))
  stopifnot(nrow(sp) == nrow(j), all(sp$tstart == j$start), all(sp$tstop == j$stop),
            all(sp$ev == j$event), all(sp$tx == j$transplant))
})

# The simulated CAR-T cohort: OS as the file has it, and the transplant time
# hsct_months = (hsct_date - car_t_date) / 30.4375, rounded to 4 decimals as the
# file's os_months is (empty when never transplanted).
cart <- read.csv(file.path("examples", "cart_haplo_simulated.csv"), na.strings = c("", "NA"),
                 stringsAsFactors = FALSE)
cart_hsct <- data.frame(
  patient_id = cart$patient_id,
  os_months = cart$os_months,
  os_event = cart$os_event,
  hsct_months = round(as.numeric(as.Date(cart$hsct_date) - as.Date(cart$car_t_date)) / 30.4375, 4)
)
stopifnot(sum(!is.na(cart_hsct$hsct_months)) > 10, all(cart_hsct$hsct_months > 0, na.rm = TRUE))
write.csv(cart_hsct, csv_path("cart_hsct_simon_makuch.csv"), row.names = FALSE, na = "")

# simon_makuch_edge: integer times with ties, and every convention: exposure at
# 0 (exposed from the start), at the end of follow-up and after it (never
# exposed while followed), empty (never exposed), at an event time of the other
# state, two patients exposed at the same time, an entry at a time when the
# exposed curve has an event, and a row with no follow-up time (dropped; its
# exposure is not looked at).
simon_makuch_edge <- data.frame(
  id = 1:16,
  time = c(5, 6, 3, 8, 4, 7, 2, 9, 6, 6, 10, 4, NA, 12, 8, 3),
  status = c(1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0),
  exposure = c(2, NA, NA, 3, 0, 7, 5, 3, 3, 1, 6, NA, 2, 6, 0, 1)
)
write.csv(simon_makuch_edge, csv_path("simon_makuch_edge.csv"), row.names = FALSE, na = "")

# =============================================================================
# 2. Simon-Makuch fixtures
# =============================================================================

# One stratum of a survfit on (start, stop] rows (`starts`, `stops` its rows): n, events, the
# values at `at` (from `sa`, summary(fit, times = at)), the steps with their entries, and the
# risk set at every entry and exit.
entry_curve <- function(fit, k, stratum, starts, stops, st, sa, at, name) {
  r <- which(as.character(st$strata) == stratum)
  tt <- st$time[r]
  # Patients who join the risk set since the previous step: entered at a time
  # in [previous step, this step), so first at risk at this step.
  entry <- starts[starts > 0]
  previous <- c(0, tt[-length(tt)])
  n_enter <- sapply(seq_along(tt), function(i) sum(entry >= previous[i] & entry < tt[i]))
  stopifnot(sum(n_enter) == sum(entry < max(tt)))
  left <- c(0, (st$n.risk[r] - st$n.event[r] - st$n.censor[r])[-length(r)])
  stopifnot(all(st$n.risk[r] == left + n_enter + (seq_along(r) == 1) * sum(starts == 0)))
  # Every time at which the risk set changes (entries and exits), with the
  # number in it there: start < t <= stop.
  rt <- sort(unique(c(entry, stops)))
  rn <- sapply(rt, function(t) sum(starts < t & t <= stops))
  stopifnot(all(rn[match(tt, rt)] == st$n.risk[r]))
  rc <- ifelse(rt %in% tt, st$n.censor[r][match(rt, tt)], 0)
  out <- list(n = int(fit$n[k]), events = int(sum(st$n.event[r])))
  if (!is.null(at)) {
    a <- which(as.character(sa$strata) == stratum)
    if (length(a) != length(at) || any(sa$time[a] != at)) {
      stop(name, ": --at time beyond the last time of ", stratum)
    }
    out$at <- lapply(a, function(i) list(
      time = scalar(sa$time[i]), surv = scalar(sa$surv[i]),
      std_err = scalar(sa$std.err[i]), lower = scalar(sa$lower[i]),
      upper = scalar(sa$upper[i]), n_risk = scalar(sa$n.risk[i])))
  }
  out$steps <- list(
    time = arr(tt), n_risk = arr(st$n.risk[r]), n_event = arr(st$n.event[r]),
    n_censor = arr(st$n.censor[r]), n_enter = arr(n_enter), surv = arr(st$surv[r]),
    std_err = arr(st$std.err[r]), lower = arr(st$lower[r]), upper = arr(st$upper[r]))
  out$risk_set <- list(time = arr(rt), n_risk = arr(rn), n_censor = arr(rc))
  out
}

simon_makuch_case <- function(name, file, time, event, exposure, at = NULL,
                              conf_type = NULL, conf_level = NULL, exposure_name = NULL) {
  env <- new.env()
  code <- run(read_code(file, var = "d0"), env)
  raw_n <- nrow(env$d0)
  code <- c(code, run(keep_complete_code(c(time, event)), env))
  ct <- if (is.null(conf_type)) "log" else conf_type
  cl <- if (is.null(conf_level)) 0.95 else conf_level
  code <- c(code, run(c(
    "d$.id <- seq_len(nrow(d))",
    sprintf("sp <- tmerge(d[, c('.id', '%s', '%s')], d, id = .id, death = event(%s, %s))",
            time, event, time, event),
    sprintf("sp <- tmerge(sp, d[!is.na(d$%s), ], id = .id, exposed = tdc(%s))", exposure, exposure),
    "sp$exposed <- factor(sp$exposed, levels = 0:1, labels = c('unexposed', 'exposed'))",
    sprintf("fit <- survfit(Surv(tstart, tstop, death) ~ exposed, data = sp, conf.type = '%s', conf.int = %s)",
            ct, format(cl)),
    "steps <- summary(fit, censored = TRUE)"
  ), env))
  if (!is.null(at)) {
    code <- c(code, run(sprintf("at <- summary(fit, times = c(%s))",
                                paste(as.character(at), collapse = ", ")), env))
  }
  fit <- env$fit
  sp <- env$sp
  st <- env$steps
  d <- env$d
  states <- c("unexposed", "exposed")
  stopifnot(identical(names(fit$strata), paste0("exposed=", states)))
  out_states <- list()
  for (k in seq_along(states)) {
    rows <- sp[sp$exposed == states[k], ]
    out_states[[k]] <- c(list(state = states[k]),
                         entry_curve(fit, k, paste0("exposed=", states[k]), rows$tstart, rows$tstop,
                                     st, if (is.null(at)) NULL else env$at, at, name))
  }
  tx <- d[[exposure]]
  n_exposed <- sum(!is.na(tx) & tx < d[[time]])

  args <- c("simon-makuch", "--time", time, "--event", event, "--exposure-time", exposure)
  if (!is.null(exposure_name)) args <- c(args, "--exposure-name", exposure_name)
  if (!is.null(at)) args <- c(args, "--at", paste(as.character(at), collapse = ","))
  if (!is.null(conf_type)) args <- c(args, "--conf-type", conf_type)
  if (!is.null(conf_level)) args <- c(args, "--conf-level", format(conf_level))
  expected <- list(analysis = "simon-makuch", exposure_time = exposure,
                   conf_type = ct, conf_level = cl, n = int(nrow(d)), n_exposed = int(n_exposed),
                   n_dropped = int(raw_n - nrow(d)), states = out_states)
  if (!is.null(exposure_name)) expected$exposure_name <- exposure_name
  write_fixture(name, file, args, code, expected)
}

simon_makuch_case("simon_makuch_jasa1", "jasa1_simon_makuch.csv", "futime", "death", "tx_time",
                  at = c(30, 100, 365, 1000), exposure_name = "transplant")
simon_makuch_case("simon_makuch_jasa1_loglog_conf90", "jasa1_simon_makuch.csv", "futime", "death", "tx_time",
                  conf_type = "log-log", conf_level = 0.9)
simon_makuch_case("simon_makuch_jasa1_plain", "jasa1_simon_makuch.csv", "futime", "death", "tx_time",
                  conf_type = "plain")
simon_makuch_case("simon_makuch_cart_os", "cart_hsct_simon_makuch.csv", "os_months", "os_event", "hsct_months",
                  at = c(3, 6, 12, 24), exposure_name = "HSCT")
simon_makuch_case("simon_makuch_edge", "simon_makuch_edge.csv", "time", "status", "exposure",
                  at = c(0, 1, 2.5, 3, 6.5))

# Kaplan-Meier on a file of (start, stop] rows: survfit(Surv(start, stop, event) ~ group), with
# the median of print(fit); `n_enter` and `risk_set` beside each group's steps.
km_start_case <- function(name, file, start, stop, event, group = NULL, at = NULL) {
  env <- new.env()
  code <- run(read_code(file, var = "d0"), env)
  code <- c(code, run(keep_complete_code(c(start, stop, event, group)), env))
  rhs <- if (is.null(group)) "1" else group
  code <- c(code, run(c(
    sprintf("fit <- survfit(Surv(%s, %s, %s) ~ %s, data = d)", start, stop, event, rhs),
    "steps <- summary(fit, censored = TRUE)"
  ), env))
  if (!is.null(at)) {
    code <- c(code, run(sprintf("at <- summary(fit, times = c(%s))", paste(as.character(at), collapse = ", ")), env))
  }
  fit <- env$fit
  d <- env$d
  levels <- if (is.null(group)) list(NULL) else as.list(level_order(d[[group]]))
  medians <- median_rows(fit)
  groups <- lapply(seq_along(levels), function(k) {
    in_group <- if (is.null(group)) rep(TRUE, nrow(d)) else as.character(d[[group]]) == levels[[k]]
    stratum <- if (is.null(group)) NULL else paste0(group, "=", levels[[k]])
    st <- env$steps
    if (is.null(stratum)) st$strata <- factor(rep("all", length(st$time)))
    sa <- env$at
    if (!is.null(sa) && is.null(stratum)) sa$strata <- factor(rep("all", length(sa$time)))
    curve <- entry_curve(fit, k, if (is.null(stratum)) "all" else stratum, d[[start]][in_group],
                         d[[stop]][in_group], st, sa, at, name)
    n_enter <- curve$steps$n_enter
    curve$steps$n_enter <- NULL
    c(list(group = if (is.null(group)) NULL else levels[[k]], n = curve$n, events = curve$events,
           median = medians[[k]]$median),
      if (!is.null(at)) list(at = curve$at),
      list(steps = curve$steps, n_enter = n_enter, risk_set = curve$risk_set))
  })
  args <- c("km", "--start", start, "--time", stop, "--event", event)
  if (!is.null(group)) args <- c(args, "--group", group)
  if (!is.null(at)) args <- c(args, "--at", paste(as.character(at), collapse = ","))
  expected <- list(analysis = "km", conf_type = "log", conf_level = 0.95,
                   n_dropped = int(nrow(env$d0) - nrow(d)), start = start, groups = groups)
  write_fixture(name, file, args, code, expected)
}

require_data("jasa1_intervals.csv")  # written by generate_cox_timedep.R
km_start_case("km_start_jasa1_by_surgery", "jasa1_intervals.csv", "start", "stop", "event",
              group = "surgery", at = c(30, 100, 365))
km_start_case("km_start_jasa1_by_transplant", "jasa1_intervals.csv", "start", "stop", "event",
              group = "transplant")
km_start_case("km_start_jasa1_overall", "jasa1_intervals.csv", "start", "stop", "event", at = c(100, 365))

report_written("^(simon_makuch|km_start)_.*\\.json$", "Simon-Makuch and delayed-entry Kaplan-Meier fixtures")
