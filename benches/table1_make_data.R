#!/usr/bin/env Rscript
# Deterministic benchmark data for benches/table1.sh (benches/data/ is gitignored).
#
#   wide    benches/data/table1_wide_1e5.csv: 100,000 rows x (2 group columns + 50 variables)
#     arm3    group, 3 text levels: "placebo", "low_dose", "high_dose"
#     arm2    group, 2 text levels: "control", "treated"
#     num01..num25   25 numeric variables (all with far more than 5 distinct values): normal,
#                    log-normal, uniform, gamma, whole-number counts, some shifted by arm3;
#                    1 to 3 decimals; num05, num10, ... num25 have ~2% empty cells (missing)
#     cat01..cat20   20 text variables with 2 to 6 levels ("a".."f" prefixed by the variable's
#                    theme), level probabilities uneven and some shifted by arm3; cat04, cat08,
#                    ... cat20 have ~1% empty cells
#     cat21..cat25   5 numeric codes 0..k-1 with k = 2 to 5 levels (described as categories: at
#                    most 5 distinct numbers)
#   fisher  benches/data/table1_fisher_k<K>.csv: 500 rows, a 2 x K table
#     group   "A" (~250) / "B" (~250)
#     grade   K text levels "g1".."gK", probabilities uneven and different between the groups
#   sweep   benches/data/table1_fisher_sweep.csv: 500 rows, many 2 x K tables over one group
#     group   "A" (~250) / "B" (~250)
#     k02_flat .. k20_assoc   for K = 2..20, three variables with K text levels "l01".."lK":
#             _flat (even levels, no association), _skew (level sizes falling 1:K, no
#             association) and _assoc (uneven, B leaning to the high levels)
#
# Fixed seeds. Skipped when the file already exists with the right number of rows.
#
# Usage: Rscript benches/table1_make_data.R wide [OUT] [ROWS]
#        Rscript benches/table1_make_data.R fisher K [OUT] [ROWS]
#        Rscript benches/table1_make_data.R sweep [OUT] [ROWS]
# Run from the repository root: reading the arguments, the row check, the seed set-up and the
# CSV writing are shared with the other generators in benches/common.R.

if (file.exists(file.path("benches", "common.R"))) source("benches/common.R") else
  stop("run this script from the repository root: Rscript benches/table1_make_data.R")
kind <- arg_or(1, "wide")
if (kind == "wide") {
  out  <- arg_or(2, "benches/data/table1_wide_1e5.csv")
  n    <- as.integer(arg_or(3, 100000L))
  seed <- 20240609L
} else if (kind == "fisher") {
  k    <- as.integer(arg_or(2, 5L))
  out  <- arg_or(3, sprintf("benches/data/table1_fisher_k%d.csv", k))
  n    <- as.integer(arg_or(4, 500L))
  seed <- 20240610L + k
} else if (kind == "sweep") {
  out  <- arg_or(2, "benches/data/table1_fisher_sweep.csv")
  n    <- as.integer(arg_or(3, 500L))
  seed <- 20261127L
} else {
  stop("KIND must be wide, fisher or sweep, not ", kind)
}
prepare_output(out, n, seed)

if (kind == "fisher") {
  group <- sample(c("A", "B"), n, replace = TRUE)
  levels <- sprintf("g%d", seq_len(k))
  p_a <- rev(seq_len(k)) + 2          # uneven, falling with the level
  p_b <- p_a + c(rep(0, k - 2), 2, 3) # B leans to the last two levels
  grade <- character(n)
  grade[group == "A"] <- sample(levels, sum(group == "A"), replace = TRUE, prob = p_a)
  grade[group == "B"] <- sample(levels, sum(group == "B"), replace = TRUE, prob = p_b)
  d <- data.frame(group = group, grade = grade)
  write_bench_csv(d, out)
  message(sprintf("wrote %s: %d rows, 2 x %d table", out, n, k))
  quit(status = 0)
}

if (kind == "sweep") {
  group <- sample(c("A", "B"), n, replace = TRUE)
  d <- data.frame(group = group)
  for (k in 2:20) {
    levels <- sprintf("l%02d", seq_len(k))
    draw <- function(prob_a, prob_b) {
      x <- character(n)
      x[group == "A"] <- sample(levels, sum(group == "A"), replace = TRUE, prob = prob_a)
      x[group == "B"] <- sample(levels, sum(group == "B"), replace = TRUE, prob = prob_b)
      x
    }
    even <- rep(1, k)
    falling <- rev(seq_len(k))
    d[[sprintf("k%02d_flat", k)]] <- draw(even, even)
    d[[sprintf("k%02d_skew", k)]] <- draw(falling, falling)
    d[[sprintf("k%02d_assoc", k)]] <- draw(falling + 2, falling + 2 + seq_len(k) / 2)
  }
  write_bench_csv(d, out)
  message(sprintf("wrote %s: %d rows, %d 2 x K tables", out, n, ncol(d) - 1))
  quit(status = 0)
}

arm3 <- sample(c("placebo", "low_dose", "high_dose"), n, replace = TRUE)
arm2 <- ifelse(arm3 == "placebo", "control", "treated")
shift <- c(placebo = 0, low_dose = 0.05, high_dose = 0.12)[arm3]
with_missing <- function(x, share) { x[runif(length(x)) < share] <- NA; x }
fmt <- function(x, digits) ifelse(is.na(x), "", formatC(x, format = "f", digits = digits))

d <- data.frame(arm3 = arm3, arm2 = arm2)
for (j in 1:25) {
  x <- switch((j - 1) %% 5 + 1,
              rnorm(n, 50 + 10 * shift, 10),                  # e.g. age
              rlnorm(n, 1 + shift, 0.6),                      # a skewed lab value
              runif(n, 0, 100),                               # a score, no effect
              rgamma(n, shape = 2, rate = 0.5 / (1 + shift)), # a duration
              rpois(n, 8 + 4 * shift))                        # a count
  digits <- c(1, 3, 2, 1, 0)[(j - 1) %% 5 + 1]
  if (j %% 5 == 0) x <- with_missing(x, 0.02)
  d[[sprintf("num%02d", j)]] <- fmt(x, digits)
}
themes <- c("sex", "race", "stage", "smoker", "site")
for (j in 1:25) {
  k <- (j - 1) %% 5 + 2                                       # 2..6 levels
  if (j > 20) k <- min(k, 5)
  base <- rev(seq_len(k)) + 1
  # Each arm's probabilities; the first level gains a little with the dose in odd variables.
  x <- integer(n)
  for (a in c("placebo", "low_dose", "high_dose")) {
    p <- base
    if (j %% 2 == 1) p[1] <- p[1] * (1 + 2 * shift[[match(a, arm3)]])
    x[arm3 == a] <- sample.int(k, sum(arm3 == a), replace = TRUE, prob = p)
  }
  if (j <= 20) {
    labels <- paste0(themes[(j - 1) %% 5 + 1], "_", letters[seq_len(k)])
    x <- labels[x]
    if (j %% 4 == 0) x[runif(n) < 0.01] <- ""
    d[[sprintf("cat%02d", j)]] <- x
  } else {
    d[[sprintf("cat%02d", j)]] <- x - 1L                     # numeric codes 0..k-1
  }
}
write_bench_csv(d, out)
message(sprintf("wrote %s: %d rows, %d columns", out, n, ncol(d)))
