# -----------------------------------------------------------------------------
# Shared helpers of the reference fixture generators (generate.R,
# generate_cox.R, generate_competing.R, generate_table1.R). Each of them does
#   source("tests/reference/common.R")
# from the repository root, right after loading its packages. Nothing here
# depends on a particular analysis.
#
#   ref_dir, data_dir, fix_dir   tests/reference and its data/ and fixtures/
#                                (both created when missing)
#   clear_fixtures(pattern, except)  remove the fixtures/*.json a script owns
#   fixture_versions(pkgs)       R version and package versions, in that order
#   csv_path(file)               data/<file>; require_data(files) stops when
#                                one of them has not been written yet
#   num, scalar, arr, int        non-finite numbers -> NA -> JSON null
#   q, fname                     quoted-list and formula-name text
#   level_order(x)               the CLI's level order
#   levels_code(lv, numeric)     the c(...) contents for factor(levels = )
#   parse_covariate(spec)        `col` or cut-point `col>=v`
#   covariate_levels(x, col, reference)  a categorical covariate's levels
#   covariate_args(...)          --covariates / --categorical / --reference
#   run(code, env, tag, try)     evaluate recorded R code (see below)
#   read_code, keep_complete_code  the r_call lines that read and filter a CSV
#   write_fixture(...)           write one fixture JSON
#   report_written(pattern, what)  the closing "wrote N ... fixtures" line
#   jasa1_per_patient()          survival::jasa1 back to one row per patient
#   median_rows(fit), stratum_index(s, fit)  survfit medians; a summary's strata
#   km_steps(st, r)              rows of summary(fit, censored = TRUE) as `steps`
#   sd_stats(sd)                 survdiff's chisq, df and p
#   loglog_ci(f, v)              cuminc's log(-log) interval (z975 = qnorm(0.975))
# -----------------------------------------------------------------------------

ref_dir <- file.path("tests", "reference")
data_dir <- file.path(ref_dir, "data")
fix_dir <- file.path(ref_dir, "fixtures")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(fix_dir, showWarnings = FALSE, recursive = TRUE)

# Removes this script's old fixtures (pattern: a regex on the file name), and
# only those: the other scripts' fixtures stay (`except`: a regex of names that
# match `pattern` but another script owns, e.g. km_start_* beside km_*).
clear_fixtures <- function(pattern, except = NULL) {
  files <- list.files(fix_dir, pattern = pattern)
  if (!is.null(except)) files <- files[!grepl(except, files)]
  unlink(file.path(fix_dir, files))
}

# The R version and the versions of `pkgs` (in the order given), as written in
# every fixture ("r_version", "packages").
fixture_versions <- function(pkgs) {
  list(
    r_version = R.version.string,
    packages = setNames(lapply(pkgs, function(p) as.character(packageVersion(p))), pkgs)
  )
}

csv_path <- function(file) file.path(data_dir, file)

# Data files written by generate.R that a later script only reads.
require_data <- function(files) {
  for (f in files) {
    if (!file.exists(csv_path(f))) stop(csv_path(f), " is missing: run generate.R first")
  }
}

# Non-finite numbers (NA, NaN, Inf) become NA, which is written as JSON null.
num <- function(x) {
  x <- as.numeric(unname(x))
  x[!is.finite(x)] <- NA_real_
  x
}
scalar <- function(x) num(x)[1]
arr <- function(x) I(num(x))                       # always a JSON array
int <- function(x) as.integer(unname(x))[1]
q <- function(x) paste(sprintf("'%s'", x), collapse = ", ")

# A name as it must be written in a formula.
fname <- function(x) if (make.names(x) == x) x else paste0("`", x, "`")

# Level order of the CLI (groups, causes, categorical variables and
# covariates): numeric order when every level reads as a number, else
# alphabetical ignoring case, ties broken by the exact characters. Levels are
# taken from the non-missing values and returned as text (numbers as R prints
# them). byte_order = TRUE sorts the text levels in plain byte order instead
# (generate.R's Kaplan-Meier / log-rank groups).
level_order <- function(x, byte_order = FALSE) {
  u <- unique(as.character(x[!is.na(x)]))
  v <- suppressWarnings(as.numeric(u))
  if (all(!is.na(v))) u[order(v)]
  else if (byte_order) sort(u, method = "radix")
  else u[order(tolower(u), u, method = "radix")]
}

# The inside of c(...) for factor(levels = ): bare numbers for a numeric
# column, quoted text otherwise.
levels_code <- function(lv, numeric) if (numeric) paste(lv, collapse = ", ") else q(lv)

# A covariate spec: `col`, or a cut-point `col>=v` (>=, <=, >, <).
parse_covariate <- function(spec) {
  m <- regmatches(spec, regexec("^([^<>=]+)(>=|<=|>|<)([^<>=]+)$", spec))[[1]]
  if (length(m) == 0) return(list(spec = spec, column = spec, cut = FALSE))
  list(spec = spec, column = m[2], op = m[3], value = as.numeric(m[4]), cut = TRUE)
}

# Levels of categorical covariate `col` (values x): level_order(), with the
# --reference level (reference: named vector col = level) moved first.
covariate_levels <- function(x, col, reference) {
  lv <- level_order(x)
  if (col %in% names(reference)) {
    ref <- reference[[col]]
    stopifnot(ref %in% lv)
    lv <- c(ref, setdiff(lv, ref))
  }
  lv
}

# The CLI arguments naming the covariates (cox, finegray).
covariate_args <- function(covariates, categorical, reference) {
  args <- c("--covariates", paste(covariates, collapse = ","))
  if (length(categorical)) args <- c(args, "--categorical", paste(categorical, collapse = ","))
  for (r in names(reference)) args <- c(args, "--reference", paste0(r, "=", reference[[r]]))
  args
}

# Evaluates code (character vector of lines) in env and returns the lines, for
# r_call. When `record_warnings` is TRUE (a script sets it), warnings are
# muffled and appended to `warnings_seen` (prefixed with "tag: " when a tag is
# given); otherwise they are left to R. With try = TRUE an error is caught: the
# message goes to `notes_seen` and NULL is returned (the code is not recorded
# as evaluated).
record_warnings <- FALSE
warnings_seen <- character()
notes_seen <- character()
run <- function(code, env, tag = NULL, try = FALSE) {
  ev <- function() {
    if (!record_warnings) return(eval(parse(text = paste(code, collapse = "\n")), envir = env))
    withCallingHandlers(
      eval(parse(text = paste(code, collapse = "\n")), envir = env),
      warning = function(w) {
        msg <- conditionMessage(w)
        if (!is.null(tag)) msg <- paste0(tag, ": ", msg)
        warnings_seen <<- c(warnings_seen, msg)
        invokeRestart("muffleWarning")
      })
  }
  if (!try) {
    ev()
    return(code)
  }
  ok <- tryCatch({ ev(); TRUE }, error = function(e) {
    notes_seen <<- c(notes_seen, sprintf("%s: R error '%s' in `%s`, field left out",
                                         tag, conditionMessage(e), paste(code, collapse = "; ")))
    FALSE
  })
  if (ok) code else NULL
}

# The r_call line that reads data/<file> into `var` (read.csv2 for sep = ";").
read_code <- function(file, var = "d", sep = ",") {
  sprintf("%s <- %s('%s', na.strings = c('', 'NA'), stringsAsFactors = FALSE)",
          var, if (sep == ",") "read.csv" else "read.csv2", csv_path(file))
}

# The r_call line keeping the rows of `from` complete in `vars`, as `d`.
keep_complete_code <- function(vars, from = "d0") {
  sprintf("d <- %s[complete.cases(%s[, c(%s)]), ]", from, from, q(vars))
}

# Writes fixtures/<name>.json. Needs `versions` (from fixture_versions()).
# warnings -> "r_warning" and note -> "note" (each de-duplicated and joined
# with " | "), only when there are any. Stops if a non-finite number slipped
# through as a string.
write_fixture <- function(name, data, args, r_call, expected, tolerance = "closed_form",
                          warnings = character(), note = character()) {
  fx <- list(
    name = name,
    r_call = paste(r_call, collapse = "; "),
    r_version = versions$r_version,
    packages = versions$packages,
    data = data,
    args = I(args),
    tolerance = tolerance
  )
  if (length(warnings)) fx$r_warning <- paste(unique(trimws(warnings)), collapse = " | ")
  if (length(note)) fx$note <- paste(unique(note), collapse = " | ")
  fx$expected <- expected
  path <- file.path(fix_dir, paste0(name, ".json"))
  write_json(fx, path, auto_unbox = TRUE, digits = NA, pretty = TRUE,
             na = "null", null = "null")
  txt <- readLines(path)
  bad <- grepl('"(Inf|-Inf|NaN|NA)"', txt)
  if (any(bad)) stop("non-finite value written as a string in ", path)
  invisible(path)
}

# The closing line: how many fixtures matching `pattern` there are now.
report_written <- function(pattern, what = "fixtures") {
  cat("wrote", length(list.files(fix_dir, pattern = pattern)), what, "to", fix_dir, "\n")
}

# survival::jasa1 (the Stanford heart transplant data, split at the transplant) back to one row
# per patient: futime = the end of the last interval, death = its event, transplant_time = the
# start of the transplanted interval (0 when transplanted on the day of acceptance, NA when
# never), and the patient's age and surgery. Used by generate_timedep.R and
# generate_simon_makuch.R.
jasa1_per_patient <- function() {
  j <- survival::jasa1
  do.call(rbind, lapply(unique(j$id), function(i) {
    r <- j[j$id == i, ]
    tx <- r$start[r$transplant == 1]
    data.frame(id = i, futime = max(r$stop), death = r$event[which.max(r$stop)],
               transplant_time = if (length(tx)) min(tx) else NA_real_,
               age = r$age[1], surgery = r$surgery[1])
  }))
}

# --- Shared by the Kaplan-Meier, log-rank and cumulative-incidence generators
# (generate.R, generate_competing.R, generate_landmark.R).

# Medians from summary(fit)$table (a matrix with one row per group).
median_rows <- function(fit) {
  tab <- summary(fit)$table
  if (is.null(dim(tab))) tab <- t(as.matrix(tab))
  lcl <- grep("LCL$", colnames(tab))
  ucl <- grep("UCL$", colnames(tab))
  stopifnot(length(lcl) == 1, length(ucl) == 1)
  lapply(seq_len(nrow(tab)), function(i) list(
    n = int(tab[i, "records"]),
    events = int(tab[i, "events"]),
    median = list(estimate = scalar(tab[i, "median"]),
                  lower = scalar(tab[i, lcl]),
                  upper = scalar(tab[i, ucl]))
  ))
}

# Index of the stratum of each row of a summary.survfit object.
stratum_index <- function(s, fit) {
  if (is.null(fit$strata)) return(rep(1L, length(s$time)))
  match(as.character(s$strata), names(fit$strata))
}

# The rows r of summary(fit, censored = TRUE) as a report's `steps`.
km_steps <- function(st, r) {
  list(time = arr(st$time[r]), n_risk = arr(st$n.risk[r]), n_event = arr(st$n.event[r]),
       n_censor = arr(st$n.censor[r]), surv = arr(st$surv[r]), std_err = arr(st$std.err[r]),
       lower = arr(st$lower[r]), upper = arr(st$upper[r]))
}

# chisq, df and p of a survdiff object. df as survdiff itself uses it: the
# number of groups with expected > 0 (summed over strata), minus 1.
sd_stats <- function(sd) {
  e <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
  df <- sum(e > 0) - 1
  p <- pchisq(sd$chisq, df, lower.tail = FALSE)
  if (!is.null(sd$pvalue)) stopifnot(isTRUE(all.equal(p, sd$pvalue, tolerance = 1e-12)))
  list(chisq = sd$chisq, df = df, p = p)
}

z975 <- qnorm(0.975)

# log(-log) interval for a cumulative incidence F with variance v:
# F^exp(-+ z sqrt(v) / (F log F)). F log F < 0 on (0, 1), so the "-" exponent
# is > 1 and gives the lower bound. null when F is 0 or 1 or v is NA.
loglog_ci <- function(f, v) {
  lo <- up <- rep(NA_real_, length(f))
  ok <- !is.na(f) & !is.na(v) & f > 0 & f < 1
  s <- sqrt(v[ok]) / (f[ok] * log(f[ok]))
  lo[ok] <- f[ok]^exp(-z975 * s)
  up[ok] <- f[ok]^exp(z975 * s)
  stopifnot(all(lo[ok] <= up[ok]))
  list(lower = lo, upper = up)
}
