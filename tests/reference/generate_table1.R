#!/usr/bin/env Rscript
# -----------------------------------------------------------------------------
# survkit golden fixtures for the descriptive "Table 1" (`survkit table1`).
#
# What it does
#   1. Writes the data sets used by the table1 cases to tests/reference/data/:
#      colon.csv (survival::colon, one row per patient), pbc.csv
#      (survival::pbc, all 418 rows; trt is missing on rows 313-418),
#      table1_sparse.csv (synthetic, sparse cells), tea.csv (Fisher's
#      tea-tasting experiment as 8 rows) and table1_many_levels.csv
#      (synthetic, a 12-level variable: Fisher tables too large to enumerate).
#   2. Reads every CSV back (so R sees exactly what the CLI reads), computes
#      the per-group summaries and tests with base R (`stats`) and writes one
#      JSON fixture per case to tests/reference/fixtures/table1_<case>.json,
#      with the CLI arguments, the R code evaluated (as text, in "r_call"), the
#      R and package versions, any R warning ("r_warning"), the fields left out
#      because R stopped with an error ("note") and the expected CLI JSON
#      output ("expected").
#
# How to run (from the repository root):
#   Rscript tests/reference/generate_table1.R
# Needs R with `survival` and `jsonlite`. Idempotent: it rewrites its own five
# data files and removes and rewrites fixtures/table1_*.json only. It reads no
# file written by the other scripts. Helpers shared with the other generators
# are in common.R.
#
# Rules of `survkit table1` reproduced here
#   - Rows whose group is missing are dropped before anything else (also before
#     deciding whether a variable is categorical and which levels it has).
#   - Groups: levels of the group column, numeric order when every level reads
#     as a number, else alphabetical ignoring case (ties by the exact
#     characters). Same order for the levels of a categorical variable.
#   - A variable is categorical when it is text, named in --categorical, or
#     numeric with at most 5 distinct non-missing values; else continuous.
#   - Categorical: counts per level per group (missing values excluded),
#     percents = 100 * count / (non-missing n of the group). The test runs on
#     the level x group table (all groups as columns, even an empty one; the
#     rows are the levels present). No test when that table has < 2 rows.
#       chisq  = chisq.test(tab, correct = FALSE)
#       yates  = chisq.test(tab)                      (2 x 2 tables only)
#       fisher = fisher.test(tab, workspace = 2e8)    (p only)
#       auto   = fisher when any expected count < 5, else chisq; expected
#                counts are outer(rowSums(tab), colSums(tab)) / sum(tab).
#   - Fisher past survkit's enumeration budget (FISHER_EXACT_STEPS in
#     src/analysis/table1.rs; R's exact FEXACT often stops on such tables):
#     R's Monte Carlo p instead, draw for draw, with --seed N (default 1) and
#     --replicates B (default 2000):
#       set.seed(N); fisher.test(tab, simulate.p.value = TRUE, B = B)
#     set.seed is called immediately before each such fisher.test, separately
#     for the row and for each pair. The row (or pair entry) then carries
#     "simulated": {"replicates": B, "seed": N}; an exact one has no such key.
#     A table with 2 non-empty rows and 2 non-empty columns is never
#     simulated. Which tables go past the budget is survkit's decision, not
#     R's, so a case lists them itself (`simulate`, `simulate_pairs`). The
#     row's warning about it is not recorded: no fixture's "expected" has
#     "warnings" (the comparison checks only the fields present there).
#   - Continuous: per group n, n_missing, quantile(type = 7) quartiles, min,
#     max, mean, sd. Tests with the formula interface on the group factor:
#       welch    = t.test(x ~ g)                      (2 groups)
#       student  = t.test(x ~ g, var.equal = TRUE)    (2 groups)
#       wilcoxon = wilcox.test(x ~ g, exact = FALSE, correct = TRUE)
#       anova    = oneway.test(x ~ g, var.equal = TRUE)  (== summary(aov()))
#       kruskal  = kruskal.test(x ~ g)
#     The formula interface drops a group with no non-missing value (kruskal
#     and anova df count only the groups that have values).
#   - --pairwise: every pair of groups i < j in group order, p only.
#     Categorical: the same test (for auto: the test the row used) on
#     tab[, c(i, j)] without the levels absent from both groups; no p when
#     fewer than 2 levels remain. Continuous: the same test on the rows of the
#     two groups (anova -> student t, kruskal -> wilcoxon).
# -----------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

if (!file.exists(file.path("tests", "reference", "common.R"))) {
  stop("run this script from the repository root: Rscript tests/reference/generate_table1.R")
}
source("tests/reference/common.R")
clear_fixtures("^table1_.*\\.json$")
versions <- fixture_versions(c("stats", "survival", "jsonlite"))
record_warnings <- TRUE     # run() collects R's warnings for "r_warning"

# =============================================================================
# 1. Datasets
# =============================================================================

# colon: one row per patient (etype == 2 is the death record). rx is text
# (Obs, Lev, Lev+5FU); nodes and differ have missing values (empty cells).
colon2 <- survival::colon[survival::colon$etype == 2, ]
stopifnot(nrow(colon2) == 929, !anyDuplicated(colon2$id))
write.csv(colon2, csv_path("colon.csv"), row.names = FALSE, na = "")

# pbc: all 418 rows. trt is missing on rows 313-418 (the patients outside the
# randomised trial), so the CLI's "drop rows with a missing group" rule leaves
# exactly survival::pbc[1:312, ]. sex is text (m / f).
stopifnot(!anyNA(survival::pbc$trt[1:312]), all(is.na(survival::pbc$trt[313:418])))
write.csv(survival::pbc, csv_path("pbc.csv"), row.names = FALSE, na = "")

# table1_sparse: synthetic, groups (column `site`) of 15 / 40 / 67 rows named so
# that the case-insensitive order (district, Rural, Urban) differs from byte
# order, plus 3 rows with a missing site. Columns:
#   sex          text F / M
#   diabetes     text no / yes; 2 "yes" in Rural
#   complication text none / minor / Major; Rural: no Major at all (a level
#                absent from one group), 0-3 minor; a missing-site row has
#                "Fatal", which must not become a level
#   grade        numeric 1 / 2 / 10 (numeric order differs from text order),
#                sparse in Rural, 2 missing values
#   likert       numeric 1..5 among rows with a site (5 distinct: categorical);
#                a missing-site row has 6 (would make 6 distinct values)
#   visits       integer 0..5 (6 distinct: continuous unless --categorical)
#   const        1 on every row (one level: no test)
#   biopsy       text neg / pos; missing on every Rural row
#   lab          numeric; missing on every Rural row
#   score        numeric, 1 decimal, a few missing values
#   site2        site with district made missing: a two-group column (Rural,
#                Urban) for the two-group tests
set.seed(20261127)
site <- rep(c("Rural", "district", "Urban"), times = c(15, 40, 67))
n_sp <- length(site)
rural <- site == "Rural"
sex <- sample(c("F", "M"), n_sp, replace = TRUE)
diabetes <- ifelse(runif(n_sp) < 0.3, "yes", "no")
diabetes[rural] <- c("yes", "yes", rep("no", 13))
complication <- sample(c("none", "minor", "Major"), n_sp, replace = TRUE, prob = c(0.6, 0.25, 0.15))
complication[rural] <- c("minor", "minor", "minor", rep("none", 12))
grade <- sample(c(1, 2, 10), n_sp, replace = TRUE, prob = c(0.55, 0.3, 0.15))
grade[rural] <- c(10, rep(2, 3), rep(1, 11))
grade[c(20, 90)] <- NA
likert <- sample(1:5, n_sp, replace = TRUE)
visits <- sample(0:5, n_sp, replace = TRUE)
const <- rep(1L, n_sp)
biopsy <- sample(c("neg", "pos"), n_sp, replace = TRUE, prob = c(0.7, 0.3))
biopsy[rural] <- NA
biopsy[c(30, 100)] <- NA
lab <- round(exp(rnorm(n_sp, 1, 0.5)), 2)
lab[rural] <- NA
lab[c(25, 77)] <- NA
score <- round(rnorm(n_sp, 50, 10) + 5 * (site == "Urban"), 1)
score[rural] <- round(score[rural])          # ties within Rural
score[c(3, 44, 110)] <- NA
sparse <- data.frame(site = site, sex = sex, diabetes = diabetes, complication = complication,
                     grade = grade, likert = likert, visits = visits, const = const,
                     biopsy = biopsy, lab = lab, score = score, stringsAsFactors = FALSE)
# rows with a missing site: excluded from everything
extra <- data.frame(site = NA, sex = c("F", "M", "M"), diabetes = c("yes", "no", NA),
                    complication = c("Fatal", "none", "minor"), grade = c(1, 2, 10),
                    likert = c(6, 6, 2), visits = c(9, 0, 1), const = 1L,
                    biopsy = c("pos", "neg", "pos"), lab = c(99, 1.5, 2.5),
                    score = c(10, 90, 50), stringsAsFactors = FALSE)
sparse <- rbind(sparse, extra)
sparse <- sparse[sample(nrow(sparse)), ]
sparse <- cbind(id = seq_len(nrow(sparse)), sparse)
sparse$site2 <- ifelse(sparse$site == "district", NA, sparse$site)
kept <- sparse[!is.na(sparse$site), ]
stopifnot(
  all(table(kept$site)[c("Rural", "district", "Urban")] == c(15, 40, 67)),
  !any(kept$complication[kept$site == "Rural"] == "Major"),
  any(kept$complication == "Major"),
  length(unique(kept$likert)) == 5, length(unique(sparse$likert)) == 6,
  length(unique(kept$visits)) == 6,
  all(is.na(kept$biopsy[kept$site == "Rural"])), all(is.na(kept$lab[kept$site == "Rural"])),
  !any(kept$complication == "Fatal")
)
write.csv(sparse, csv_path("table1_sparse.csv"), row.names = FALSE, na = "")

# tea: Fisher's lady tasting tea (Agresti, Categorical Data Analysis, table
# 3.8): 8 cups, 4 with milk poured first; guesses 3 right in each row.
#             guess milk  guess tea
#   truth milk     3          1
#   truth tea      1          3
tea <- data.frame(
  cup = 1:8,
  truth = c("milk", "tea", "milk", "tea", "tea", "milk", "milk", "tea"),
  guess = c("milk", "tea", "milk", "milk", "tea", "tea", "milk", "tea"),
  stringsAsFactors = FALSE
)
stopifnot(identical(as.vector(table(tea$guess, tea$truth)), c(3L, 1L, 1L, 3L)))
write.csv(tea, csv_path("tea.csv"), row.names = FALSE)

# table1_many_levels: synthetic, 500 patients in 12 centres, for Fisher tables
# too large to enumerate exactly (survkit then gives R's Monte Carlo p).
# Columns:
#   arm     text control / treated, 260 / 240 rows
#   arm3    text control / high / low (CLI order): arm with the treated split
#           into two doses of 120 rows each
#   centre  text C01 .. C12, unequal sizes (C01 largest, C12 smallest);
#           treated patients lean towards the low-numbered centres, control
#           patients towards the high-numbered ones (an association with arm)
#   stage   text I / II / III, independent of everything (a 3 x 2 table small
#           enough for the exact test)
# No missing values.
set.seed(20260325)
n_ml <- 500
ml_arm <- sample(rep(c("control", "treated"), times = c(260, 240)))
ml_treated <- ml_arm == "treated"
ml_arm3 <- ml_arm
ml_arm3[ml_treated] <- sample(rep(c("low", "high"), each = 120))
centres <- sprintf("C%02d", 1:12)
centre_size <- c(90, 70, 60, 50, 45, 40, 35, 30, 25, 25, 20, 10)
centre_tilt <- seq(1.3, 1 / 1.3, length.out = 12)
ml_centre <- character(n_ml)
ml_centre[ml_treated] <- sample(centres, sum(ml_treated), replace = TRUE,
                                prob = centre_size * centre_tilt)
ml_centre[!ml_treated] <- sample(centres, sum(!ml_treated), replace = TRUE,
                                 prob = centre_size / centre_tilt)
ml_stage <- sample(c("I", "II", "III"), n_ml, replace = TRUE, prob = c(0.45, 0.35, 0.2))
many_levels <- data.frame(id = seq_len(n_ml), arm = ml_arm, arm3 = ml_arm3,
                          centre = ml_centre, stage = ml_stage, stringsAsFactors = FALSE)
stopifnot(
  all(table(many_levels$arm)[c("control", "treated")] == c(260, 240)),
  all(table(many_levels$arm3)[c("control", "high", "low")] == c(260, 120, 120)),
  identical(sort(unique(many_levels$centre)), centres),
  length(unique(as.vector(table(many_levels$centre)))) > 6,
  identical(sort(unique(many_levels$stage)), c("I", "II", "III"))
)
write.csv(many_levels, csv_path("table1_many_levels.csv"), row.names = FALSE)

# =============================================================================
# 2. Helpers
# =============================================================================

# num, scalar, arr, int, q, fname, level_order, levels_code, run (warnings in
# warnings_seen, caught errors in notes_seen), read_code and write_fixture come
# from common.R.

# A variable name usable inside an R object name.
vname <- function(x) gsub("[^A-Za-z0-9]", "_", x)

# The R call of a categorical test on table object `tb`.
cat_test_code <- function(test, tb) {
  switch(test,
         chisq = sprintf("chisq.test(%s, correct = FALSE)", tb),
         yates = sprintf("chisq.test(%s)", tb),
         fisher = sprintf("fisher.test(%s, workspace = 2e8)", tb))
}

# The R call of a continuous test of `v` by group `g` on data frame `dat`.
cont_test_code <- function(test, v, g, dat) {
  f <- sprintf("%s ~ %s, data = %s", fname(v), fname(g), dat)
  switch(test,
         welch = sprintf("t.test(%s)", f),
         student = sprintf("t.test(%s, var.equal = TRUE)", f),
         wilcoxon = sprintf("wilcox.test(%s, exact = FALSE, correct = TRUE)", f),
         anova = sprintf("oneway.test(%s, var.equal = TRUE)", f),
         `welch-anova` = sprintf("oneway.test(%s)", f),
         kruskal = sprintf("kruskal.test(%s)", f))
}
# The line running Fisher's test with a Monte Carlo p on table `tb` into `obj`:
# set.seed on the same line, so that each simulated test restarts the stream
# (and unique() on the recorded code never drops a repeated set.seed).
fisher_sim_code <- function(obj, tb, seed, replicates) {
  sprintf("set.seed(%d); %s <- fisher.test(%s, simulate.p.value = TRUE, B = %d)",
          seed, obj, tb, replicates)
}

# The "simulated" object of a row or pair entry whose p was simulated; checks
# that p is a Monte Carlo p, (1 + k) / (B + 1) for a whole k in 0..B.
simulated_field <- function(p, seed, replicates) {
  k <- p * (replicates + 1) - 1
  stopifnot(abs(k - round(k)) < 1e-6, round(k) >= 0, round(k) <= replicates)
  list(replicates = int(replicates), seed = int(seed))
}

# A table survkit may simulate: more than 2 non-empty rows or columns (a 2 x 2
# table, after dropping empty rows and columns, is always exact).
simulable <- function(tb) sum(rowSums(tb) > 0) > 2 || sum(colSums(tb) > 0) > 2

pair_test <- c(welch = "welch", student = "student", wilcoxon = "wilcoxon",
               anova = "student", `welch-anova` = "welch", kruskal = "wilcoxon")

# The continuous test survkit shows for k groups when `test` is asked for: a
# two-group test stands aside for its k-group form with more than two groups
# (Welch's t -> Welch's ANOVA, Student's t -> ANOVA, Wilcoxon -> Kruskal-Wallis),
# and a k-group test is shown as its two-group form with two.
shown_continuous <- function(test, k) {
  if (k > 2) switch(test, welch = "welch-anova", student = "anova", wilcoxon = "kruskal", test)
  else switch(test, anova = "student", `welch-anova` = "welch", kruskal = "wilcoxon", test)
}

# Statistic, df and p of an htest for the JSON row.
test_fields <- function(test, h) {
  if (test == "fisher") {
    return(list(p = scalar(h$p.value), statistic = NA_real_, df = NA_real_))
  }
  df <- switch(test,
               chisq = , yates = , kruskal = , welch = , student = scalar(h$parameter),
               anova = , `welch-anova` = scalar(h$parameter[["num df"]]),
               wilcoxon = NA_real_)
  out <- list(p = scalar(h$p.value), statistic = scalar(h$statistic), df = df)
  if (test %in% c("anova", "welch-anova")) out$denominator_df <- scalar(h$parameter[["denom df"]])
  out
}

# =============================================================================
# 3. The table1 case
# =============================================================================

# seed / replicates: NULL passes no --seed / --replicates (the CLI's defaults
# 1 and 2000 apply, and R uses those). simulate: the variables whose row p
# survkit simulates; simulate_pairs: the pair entries it simulates, named
# "<variable> [<group a> vs <group b>]". Both record survkit's decision (its
# exact-enumeration budget), so the fixtures check it as well as the p.
table1_case <- function(name, file, group, vars, categorical = character(),
                        cat_test = NULL, cont_test = NULL, pairwise = FALSE,
                        seed = NULL, replicates = NULL, simulate = character(),
                        simulate_pairs = character()) {
  mc_seed <- if (is.null(seed)) 1L else as.integer(seed)
  mc_b <- if (is.null(replicates)) 2000L else as.integer(replicates)
  stopifnot(all(simulate %in% vars), pairwise || !length(simulate_pairs))
  pair_tags <- character()
  warnings_seen <<- character()
  notes_seen <<- character()
  env <- new.env()
  code <- run(read_code(file), env)
  code <- c(code, run(sprintf("d <- d[!is.na(d[['%s']]), ]", group), env))
  lv <- level_order(env$d[[group]])
  code <- c(code, run(sprintf("d[['%s']] <- factor(d[['%s']], levels = c(%s))",
                              group, group, q(lv)), env))
  gcol <- env$d[[group]]
  stopifnot(!anyNA(gcol), identical(levels(gcol), lv), length(lv) >= 2)
  code <- c(code, run(sprintf("n_g <- table(d[['%s']])", group), env))
  groups <- lapply(seq_along(lv), function(k) list(group = lv[k], n = int(env$n_g[k])))
  pairs <- if (length(lv) >= 2) combn(length(lv), 2) else matrix(integer(), 2, 0)

  rows <- list()
  for (v in vars) {
    x <- env$d[[v]]
    if (is.null(x)) stop(name, ": no column ", v)
    is_cat <- is.character(x) || v %in% categorical || length(unique(x[!is.na(x)])) <= 5
    tag <- v
    if (is_cat) {
      if (is.null(cat_test)) stop(name, ": categorical variable ", v, " needs cat_test")
      vl <- level_order(x)
      tb <- paste0("tab_", vname(v))
      code <- c(code, run(sprintf("%s <- table(factor(d[['%s']], levels = c(%s)), d[['%s']])",
                                  tb, v, levels_code(vl, is.numeric(x)), group), env, tag))
      pc <- paste0("pct_", vname(v))
      code <- c(code, run(sprintf("%s <- 100 * %s / rep(colSums(%s), each = nrow(%s))",
                                  pc, tb, tb, tb), env, tag))
      tab <- env[[tb]]
      pct <- env[[pc]]
      stopifnot(sum(tab) == sum(!is.na(x)), identical(rownames(tab), vl),
                identical(colnames(tab), lv))
      row <- list(variable = v, kind = "categorical")
      test <- cat_test
      if (test == "yates") stopifnot(nrow(tab) == 2, ncol(tab) == 2)
      if (nrow(tab) >= 2) {
        if (test == "auto") {
          ex <- paste0("exp_", vname(v))
          code <- c(code, run(sprintf("%s <- outer(rowSums(%s), colSums(%s)) / sum(%s)",
                                      ex, tb, tb, tb), env, tag))
          test <- if (any(env[[ex]] < 5)) "fisher" else "chisq"
        }
        ht <- paste0("test_", vname(v))
        sim <- v %in% simulate
        if (sim) stopifnot(test == "fisher", simulable(tab))
        cc <- run(if (sim) fisher_sim_code(ht, tb, mc_seed, mc_b)
                  else sprintf("%s <- %s", ht, cat_test_code(test, tb)), env, tag, try = TRUE)
        if (!is.null(cc)) {
          code <- c(code, cc)
          row <- c(row, list(test = test), test_fields(test, env[[ht]]))
          if (sim) row$simulated <- simulated_field(row$p, mc_seed, mc_b)
        }
      } else {
        notes_seen <<- c(notes_seen, sprintf(
          "%s: %d level(s), no test (fisher.test stops; chisq.test would turn the 1-row table into a goodness-of-fit test): test, p, statistic, df left out",
          v, nrow(tab)))
      }
      row$levels <- lapply(seq_along(vl), function(i) list(
        level = vl[i], counts = I(as.integer(tab[i, ])), percents = arr(pct[i, ])))
      if (pairwise) {
        row$pairwise <- lapply(seq_len(ncol(pairs)), function(j) {
          a <- pairs[1, j]; b <- pairs[2, j]
          out <- list(group_a = lv[a], group_b = lv[b])
          tp <- sprintf("tp_%s_%d_%d", vname(v), a, b)
          ptag <- sprintf("%s [%s vs %s]", v, lv[a], lv[b])
          pair_tags <<- c(pair_tags, ptag)
          code <<- c(code, run(sprintf("%s <- %s[, c(%d, %d), drop = FALSE]; %s <- %s[rowSums(%s) > 0, , drop = FALSE]",
                                       tp, tb, a, b, tp, tp, tp), env, ptag))
          if (nrow(env[[tp]]) < 2) {
            notes_seen <<- c(notes_seen, sprintf("%s: fewer than 2 levels, p left out", ptag))
            return(out)
          }
          pt <- sprintf("pt_%s_%d_%d", vname(v), a, b)
          sim <- ptag %in% simulate_pairs
          if (sim) stopifnot(test == "fisher", simulable(env[[tp]]))
          cc <- run(if (sim) fisher_sim_code(pt, tp, mc_seed, mc_b)
                    else sprintf("%s <- %s", pt, cat_test_code(test, tp)), env, ptag, try = TRUE)
          if (!is.null(cc)) {
            code <<- c(code, cc)
            out$p <- scalar(env[[pt]]$p.value)
            if (sim) out$simulated <- simulated_field(out$p, mc_seed, mc_b)
          }
          out
        })
      }
    } else {
      if (is.null(cont_test)) stop(name, ": continuous variable ", v, " needs cont_test")
      sm <- paste0("sum_", vname(v))
      code <- c(code, run(sprintf(paste0(
        "%s <- lapply(levels(d[['%s']]), function(k) { y <- d[['%s']][d[['%s']] == k]; ",
        "z <- y[!is.na(y)]; qs <- quantile(z, c(0.25, 0.5, 0.75), type = 7, names = FALSE); ",
        "list(n = length(z), n_missing = sum(is.na(y)), median = qs[2], q1 = qs[1], q3 = qs[3], ",
        "min = if (length(z)) min(z) else NA, max = if (length(z)) max(z) else NA, ",
        "mean = mean(z), sd = sd(z)) })"), sm, group, v, group), env, tag))
      s <- env[[sm]]
      gs <- lapply(seq_along(lv), function(k) {
        e <- s[[k]]
        list(group = lv[k], n = int(e$n), n_missing = int(e$n_missing),
             median = scalar(e$median), q1 = scalar(e$q1), q3 = scalar(e$q3),
             min = scalar(e$min), max = scalar(e$max), mean = scalar(e$mean),
             sd = scalar(e$sd))
      })
      row <- list(variable = v, kind = "continuous")
      ht <- paste0("test_", vname(v))
      row_test <- shown_continuous(cont_test, length(lv))
      cc <- run(sprintf("%s <- %s", ht, cont_test_code(row_test, v, group, "d")), env, tag,
                try = TRUE)
      if (is.null(cc)) {
        row$p <- NA_real_  # R stops: survkit gives no p either
      } else {
        code <- c(code, cc)
        row <- c(row, list(test = row_test), test_fields(row_test, env[[ht]]))
        if (row_test == "anova") {
          # cross-check: the one-way ANOVA table of aov() gives the same F and p
          code <- c(code, run(sprintf("aov_%s <- summary(aov(%s ~ %s, data = d))[[1]]",
                                      vname(v), fname(v), fname(group)), env, tag))
          a <- env[[paste0("aov_", vname(v))]]
          stopifnot(isTRUE(all.equal(a[["F value"]][1], row$statistic, tolerance = 1e-10)),
                    isTRUE(all.equal(a[["Pr(>F)"]][1], row$p, tolerance = 1e-10)),
                    a[["Df"]][1] == row$df)
        }
      }
      row$groups <- gs
      if (pairwise) {
        pt_name <- pair_test[[cont_test]]
        row$pairwise <- lapply(seq_len(ncol(pairs)), function(j) {
          a <- pairs[1, j]; b <- pairs[2, j]
          out <- list(group_a = lv[a], group_b = lv[b])
          ptag <- sprintf("%s [%s vs %s]", v, lv[a], lv[b])
          dp <- sprintf("d_%d_%d", a, b)
          code <<- c(code, run(sprintf("%s <- droplevels(d[d[['%s']] %%in%% c(%s), ])",
                                       dp, group, q(lv[c(a, b)])), env, ptag))
          pt <- sprintf("pt_%s_%d_%d", vname(v), a, b)
          cc <- run(sprintf("%s <- %s", pt, cont_test_code(pt_name, v, group, dp)), env, ptag,
                    try = TRUE)
          if (is.null(cc)) {
            out$p <- NA_real_  # R stops: survkit gives no p either
          } else {
            code <<- c(code, cc)
            out$p <- scalar(env[[pt]]$p.value)
          }
          out
        })
      }
    }
    rows[[length(rows) + 1]] <- row
  }

  args <- c("table1", "--group", group, "--vars", paste(vars, collapse = ","))
  if (length(categorical)) args <- c(args, "--categorical", paste(categorical, collapse = ","))
  if (!is.null(cat_test)) args <- c(args, "--categorical-test", cat_test)
  if (!is.null(cont_test)) args <- c(args, "--continuous-test", cont_test)
  if (pairwise) args <- c(args, "--pairwise")
  if (!is.null(seed)) args <- c(args, "--seed", mc_seed)
  if (!is.null(replicates)) args <- c(args, "--replicates", mc_b)
  stopifnot(all(simulate_pairs %in% pair_tags))
  expected <- list(analysis = "table1", groups = groups, rows = rows)
  write_fixture(name, file, args, unique(code), expected, warnings = warnings_seen,
                note = notes_seen)
  invisible(expected)
}

# =============================================================================
# 4. Cases
# =============================================================================

colon_vars <- c("sex", "age", "obstruct", "nodes", "differ", "extent")
pbc_vars <- c("age", "sex", "ascites", "bili", "albumin", "stage")
sparse_vars <- c("sex", "diabetes", "complication", "grade", "likert", "visits", "const",
                 "biopsy", "lab", "score")

# --- colon by rx (3 groups) ---
table1_case("table1_colon_chisq_kruskal", "colon.csv", "rx", colon_vars,
            cat_test = "chisq", cont_test = "kruskal")
table1_case("table1_colon_chisq_kruskal_pairwise", "colon.csv", "rx", colon_vars,
            cat_test = "chisq", cont_test = "kruskal", pairwise = TRUE)
table1_case("table1_colon_fisher_anova_pairwise", "colon.csv", "rx", colon_vars,
            cat_test = "fisher", cont_test = "anova", pairwise = TRUE)
table1_case("table1_colon_auto_kruskal", "colon.csv", "rx", colon_vars,
            cat_test = "auto", cont_test = "kruskal")
# Welch's t asked for with 3 groups: Welch's ANOVA, oneway.test's default; pairs by Welch's t
table1_case("table1_colon_chisq_welch_pairwise", "colon.csv", "rx", colon_vars,
            cat_test = "chisq", cont_test = "welch", pairwise = TRUE)

# --- pbc by stage (4 groups) and by edema (3 groups): Welch's ANOVA by name ---
table1_case("table1_pbc_by_stage_welch_anova", "pbc.csv", "stage",
            c("age", "bili", "albumin", "chol", "sex"), cat_test = "chisq",
            cont_test = "welch-anova", pairwise = TRUE)
table1_case("table1_pbc_by_edema_welch_anova", "pbc.csv", "edema", c("age", "bili", "platelet"),
            cont_test = "welch-anova")

# --- pbc by trt (2 groups; rows with missing trt are dropped) ---
table1_case("table1_pbc_chisq_welch", "pbc.csv", "trt", pbc_vars,
            cat_test = "chisq", cont_test = "welch")
table1_case("table1_pbc_chisq_student", "pbc.csv", "trt", pbc_vars,
            cat_test = "chisq", cont_test = "student")
table1_case("table1_pbc_chisq_wilcoxon_pairwise", "pbc.csv", "trt", pbc_vars,
            cat_test = "chisq", cont_test = "wilcoxon", pairwise = TRUE)
table1_case("table1_pbc_yates", "pbc.csv", "trt", c("sex", "ascites", "bili"),
            cat_test = "yates", cont_test = "welch")
table1_case("table1_pbc_fisher", "pbc.csv", "trt", c("sex", "ascites", "stage", "albumin"),
            cat_test = "fisher", cont_test = "wilcoxon")
table1_case("table1_pbc_auto_edema", "pbc.csv", "trt", c("edema", "stage", "ascites"),
            cat_test = "auto")

# --- synthetic sparse set by site (15 / 40 / 67) ---
table1_case("table1_sparse_chisq_kruskal", "table1_sparse.csv", "site", sparse_vars,
            cat_test = "chisq", cont_test = "kruskal")
table1_case("table1_sparse_fisher_kruskal_pairwise", "table1_sparse.csv", "site", sparse_vars,
            cat_test = "fisher", cont_test = "kruskal", pairwise = TRUE)
table1_case("table1_sparse_auto_anova_pairwise", "table1_sparse.csv", "site", sparse_vars,
            cat_test = "auto", cont_test = "anova", pairwise = TRUE)
table1_case("table1_sparse_welch_anova", "table1_sparse.csv", "site", sparse_vars,
            cat_test = "chisq", cont_test = "welch-anova")
table1_case("table1_sparse_chisq_pairwise", "table1_sparse.csv", "site",
            c("complication", "grade", "biopsy", "const", "score"),
            cat_test = "chisq", cont_test = "kruskal", pairwise = TRUE)
# visits by site is 6 x 3 with n = 122: its exact enumeration is past survkit's budget (and R's
# default workspace stops on it too; fisher.test(tab, workspace = 2e8) gives 0.4673), so survkit
# gives R's Monte Carlo p (see the rules above; regenerate if FISHER_EXACT_STEPS changes).
table1_case("table1_sparse_categorical_visits", "table1_sparse.csv", "site",
            c("visits", "score", "lab"), categorical = "visits",
            cat_test = "fisher", cont_test = "kruskal", simulate = "visits")
# numeric group column 1 / 2 / 10 (numeric order), two rows with missing grade
table1_case("table1_sparse_by_grade", "table1_sparse.csv", "grade",
            c("score", "sex", "complication"), cat_test = "auto", cont_test = "kruskal",
            pairwise = TRUE)
# two groups (site2: Rural / Urban), Rural empty for `lab` and `biopsy`
table1_case("table1_sparse_site2_fisher_welch", "table1_sparse.csv", "site2",
            c("score", "lab", "diabetes", "biopsy", "complication"), cat_test = "fisher",
            cont_test = "welch")
table1_case("table1_sparse_site2_chisq_student_pairwise", "table1_sparse.csv", "site2",
            c("score", "lab", "diabetes", "biopsy", "complication"), cat_test = "chisq",
            cont_test = "student", pairwise = TRUE)
table1_case("table1_sparse_site2_yates_wilcoxon", "table1_sparse.csv", "site2",
            c("score", "lab", "diabetes", "sex"), cat_test = "yates", cont_test = "wilcoxon")

# --- Fisher's tea tasting ---
table1_case("table1_tea_fisher", "tea.csv", "truth", "guess", cat_test = "fisher")
table1_case("table1_tea_yates", "tea.csv", "truth", "guess", cat_test = "yates")
table1_case("table1_tea_chisq", "tea.csv", "truth", "guess", cat_test = "chisq")
table1_case("table1_tea_auto", "tea.csv", "truth", "guess", cat_test = "auto")

# --- synthetic 12-level set (table1_many_levels.csv): Monte Carlo Fisher ---
# centre by arm is a 12 x 2 table with n = 500, past survkit's exact budget
# (FISHER_EXACT_STEPS, as below): simulated with --seed 42 --replicates 3000.
# stage (3 x 2) stays exact, and its row has no "simulated".
table1_case("table1_many_levels_fisher_simulated", "table1_many_levels.csv", "arm",
            c("centre", "stage"), cat_test = "fisher", seed = 42, replicates = 3000,
            simulate = "centre")
# centre by arm3 (12 x 3) with --pairwise and the default seed 1 and B = 2000
# (no --seed / --replicates given). Which of the 12 x 2 pair tables are
# simulated records survkit's exact-enumeration budget (FISHER_EXACT_STEPS in
# src/analysis/table1.rs), as the CLI reported it (the pair entries carrying
# "simulated" in `survkit table1 --data tests/reference/data/table1_many_levels.csv
# --group arm3 --vars centre --categorical-test fisher --pairwise --format json`):
# regenerate this list (and the fixture) if that budget changes.
table1_case("table1_many_levels_fisher_simulated_pairwise", "table1_many_levels.csv", "arm3",
            "centre", cat_test = "fisher", pairwise = TRUE, simulate = "centre",
            simulate_pairs = c("centre [control vs high]", "centre [control vs low]"))

tea_p <- fromJSON(file.path(fix_dir, "table1_tea_fisher.json"))$expected$rows$p
stopifnot(abs(tea_p - 17 / 35) < 1e-12, round(tea_p, 4) == 0.4857)

report_written("^table1_.*\\.json$", "table1 fixtures")
