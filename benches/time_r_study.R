# The example study's ten analyses (examples/study.json) in R on the same CSV, timed without
# the file read: what `survkit run` computes. Prints key=value lines for benches/study_run.sh.
#   Rscript benches/time_r_study.R FILE
suppressPackageStartupMessages({ library(survival); library(cmprsk) })
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
d$age_group <- cut(d$age, c(-Inf, 40, Inf), right = FALSE)
d$group <- relevel(factor(d$group), ref = "No transplant")
started <- proc.time()[["elapsed"]]
pairs <- function(time, event) {
  levels <- levels(d$group)
  p <- c()
  for (a in 1:(length(levels) - 1)) for (b in (a + 1):length(levels)) {
    rows <- d$group %in% levels[c(a, b)]
    test <- survdiff(Surv(time[rows], event[rows]) ~ d$group[rows])
    p <- c(p, pchisq(test$chisq, length(test$n) - 1, lower.tail = FALSE))
  }
  p.adjust(p, "holm")
}
os <- summary(survfit(Surv(os_months, os_event) ~ group, data = d), times = c(12, 24))
os_test <- survdiff(Surv(os_months, os_event) ~ group, data = d); os_pairs <- pairs(d$os_months, d$os_event)
lfs <- summary(survfit(Surv(lfs_months, lfs_event) ~ group, data = d), times = c(12, 24))
lfs_test <- survdiff(Surv(lfs_months, lfs_event) ~ group, data = d); lfs_pairs <- pairs(d$lfs_months, d$lfs_event)
follow <- survfit(Surv(os_months, 1 - os_event) ~ group, data = d)
cif <- cuminc(d$lfs_months, d$relapse_status, d$group, cencode = 0)
uni <- lapply(c("group", "age_group", "sex", "ph_positive", "prior_allo_hsct", "bm_blasts_pct"), function(v)
  coxph(as.formula(paste("Surv(lfs_months, lfs_event) ~", v)), data = d))
multi <- coxph(Surv(lfs_months, lfs_event) ~ group + ph_positive + bm_blasts_pct, data = d)
zph <- cox.zph(multi, transform = "km")
x <- model.matrix(~ group + ph_positive + bm_blasts_pct, data = d)[, -1]
fine_gray_started <- proc.time()[["elapsed"]]
fg <- crr(d$lfs_months, d$relapse_status, x, failcode = 1, cencode = 0)
fine_gray <- proc.time()[["elapsed"]] - fine_gray_started
cat_test <- function(v) { t <- table(d[[v]], d$group); e <- suppressWarnings(chisq.test(t, correct = FALSE)$expected)
  if (any(e < 5)) fisher.test(t)$p.value else chisq.test(t, correct = FALSE)$p.value }
t1 <- c(sapply(c("sex", "age_group", "ph_positive", "prior_allo_hsct"), cat_test),
        sapply(c("age", "relapses_before_cart", "bm_blasts_pct", "cart_dose_1e6_per_kg"),
               function(v) kruskal.test(d[[v]], d$group)$p.value))
elapsed <- proc.time()[["elapsed"]] - started
cat(sprintf("seconds=%.3f\n", elapsed))
cat(sprintf("finegray_seconds=%.3f\n", fine_gray))
cat(sprintf("os_logrank_chisq=%.17g\n", os_test$chisq))
cat(sprintf("finegray_coef=%.12g\n", fg$coef))
cat(sprintf("r_version=%s\n", paste(R.version$major, R.version$minor, sep = ".")))
