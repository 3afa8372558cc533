#!/usr/bin/env Rscript
# R's side of benches/table1.sh. read.csv is NOT timed. Two modes:
#
#   fisher CSV [REPEATS]
#     fisher.test(table(grade, group)) on a 2 x K file from table1_make_data.R. One call takes
#     milliseconds, so each repeat times a batch of calls and reports the time per call; best of
#     REPEATS. When FEXACT fails with its default workspace (error 7: 2 x K tables with n = 500
#     can be too large for it), one more try with workspace = 2e7; if that fails too, r_error=.
#     Also prints r_tables=, the number of tables with the observed margins (what a
#     full enumeration visits), counted exactly by dynamic programming; and, timed the same
#     way, the Monte Carlo p that survkit gives when the exact enumeration is past its budget:
#     set.seed(1); fisher.test(tab, simulate.p.value = TRUE, B = 2000) (r_sim_p=,
#     r_sim_best_seconds=).
#
#   wide CSV GROUP [REPEATS]
#     Base R doing what one `survkit table1 --categorical-test chisq --continuous-test welch`
#     computes on the wide file, for context (no target): per continuous variable, by group, the
#     count, missing count, median, quartiles, range, mean and sd, and the test (Welch's t.test
#     for 2 groups; for 3 groups the one-way ANOVA F test, oneway.test(var.equal = TRUE), which is
#     what survkit shows then); per categorical variable, by group, the counts, percents and
#     missing counts, and chisq.test(correct = FALSE). Best of REPEATS. Prints the p-values in
#     variable order (r_p=) to compare with survkit's.
#
# Usage: Rscript benches/table1_time_r.R fisher CSV [REPEATS]
#        Rscript benches/table1_time_r.R wide CSV GROUP [REPEATS]

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2 || !args[[1]] %in% c("fisher", "wide")) {
  stop("usage: table1_time_r.R fisher CSV [REPEATS] | wide CSV GROUP [REPEATS]")
}
mode <- args[[1]]
path <- args[[2]]

cat(sprintf("r_version=%s\n", paste(R.version$major, R.version$minor, sep = ".")))
num <- function(x) paste(sprintf("%.17g", x), collapse = ",")

if (mode == "fisher") {
  repeats <- if (length(args) >= 3) as.integer(args[[3]]) else 3L
  d <- read.csv(path)
  tab <- table(d$grade, d$group)
  # The number of 2 x K tables with these margins: ways to fill the first column.
  counts <- as.numeric(rowSums(tab))
  first <- sum(tab[, 1])
  ways <- c(1, rep(0, first))
  for (c in counts) {
    new <- rep(0, first + 1)
    for (s in which(ways > 0) - 1) {
      top <- min(c, first - s)
      new[s + 0:top + 1] <- new[s + 0:top + 1] + ways[s + 1]
    }
    ways <- new
  }
  cat(sprintf("r_k=%d\nr_n=%d\nr_tables=%.0f\n", nrow(tab), sum(tab), ways[first + 1]))
  # Calls per batch: enough for ~0.2 s, from one timed call; best of `repeats` batches.
  per_call_seconds <- function(call) {
    one <- system.time(call())[["elapsed"]]
    batch <- max(1L, min(1000L, as.integer(ceiling(0.2 / max(one, 1e-4)))))
    min(vapply(seq_len(repeats), function(i) {
      system.time(for (j in seq_len(batch)) call())[["elapsed"]] / batch
    }, numeric(1)))
  }
  simulated <- function() {
    set.seed(1)
    fisher.test(tab, simulate.p.value = TRUE, B = 2000)$p.value
  }
  cat(sprintf("r_sim_p=%s\nr_sim_best_seconds=%.6f\n", num(simulated()), per_call_seconds(simulated)))
  workspace <- 200000L  # fisher.test's default
  p <- tryCatch(fisher.test(tab)$p.value, error = function(e) e)
  if (inherits(p, "error")) {
    message("fisher.test: ", conditionMessage(p), "; trying workspace = 2e7")
    workspace <- 2e7
    p <- tryCatch(fisher.test(tab, workspace = workspace)$p.value, error = function(e) e)
  }
  cat(sprintf("r_workspace=%.0f\n", workspace))
  if (inherits(p, "error")) {
    cat(sprintf("r_error=%s\n", gsub("[\n\"]", " ", conditionMessage(p))))
    quit(status = 0)
  }
  best <- per_call_seconds(function() fisher.test(tab, workspace = workspace))
  cat(sprintf("r_best_seconds=%.6f\nr_p=%s\n", best, num(p)))
  quit(status = 0)
}

group_col <- args[[3]]
repeats <- if (length(args) >= 4) as.integer(args[[4]]) else 3L
d <- read.csv(path, na.strings = c("", "NA"))  # not timed
vars <- setdiff(names(d), c("arm3", "arm2"))
g <- factor(d[[group_col]])
# survkit describes a numeric column with at most 5 distinct values as categories.
is_cat <- vapply(vars, function(v) !is.numeric(d[[v]]) || length(unique(na.omit(d[[v]]))) <= 5,
                 logical(1))

one_table <- function() {
  p <- numeric(length(vars))
  for (i in seq_along(vars)) {
    x <- d[[vars[[i]]]]
    if (is_cat[[i]]) {
      tab <- table(x, g)
      pct <- prop.table(tab, 2)
      miss <- tapply(is.na(x), g, sum)
      p[i] <- suppressWarnings(chisq.test(tab, correct = FALSE))$p.value
    } else {
      s <- tapply(x, g, function(v) {
        v <- v[!is.na(v)]
        c(length(v), quantile(v, c(0, 0.25, 0.5, 0.75, 1), names = FALSE), mean(v), sd(v))
      })
      miss <- tapply(is.na(x), g, sum)
      p[i] <- if (nlevels(g) == 2) t.test(x ~ g)$p.value else oneway.test(x ~ g, var.equal = TRUE)$p.value
    }
  }
  p
}

elapsed <- cpu <- numeric(repeats)
for (i in seq_len(repeats)) {
  invisible(gc())
  timing <- system.time(p <- one_table(), gcFirst = FALSE)
  elapsed[i] <- timing[["elapsed"]]
  cpu[i] <- timing[["user.self"]] + timing[["sys.self"]]
  cat(sprintf("r_seconds=%.3f\n", elapsed[i]))
}
cat(sprintf("r_best_seconds=%.3f\nr_best_cpu_seconds=%.3f\n", min(elapsed), min(cpu)))
cat(sprintf("r_vars=%s\n", paste(vars, collapse = ",")))
cat(sprintf("r_p=%s\n", num(p)))
