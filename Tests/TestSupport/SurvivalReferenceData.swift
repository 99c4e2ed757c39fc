import Foundation

// Survival reference data and R survival's numbers on them.
//
// Data set A (40 cases, continuous times, 35 deaths) and B (60 cases, times in six-month steps: 43 of them at
// time 1, 51 deaths) come from the Python script below (random.seed(22); written here as they came out). The
// reference numbers were printed by the R script below with R 4.2.2 and survival 3.5.3 (Debian bookworm:
// `apt-get install r-base-core r-cran-survival`, then `Rscript ref.R` beside A.csv and B.csv); the fits were
// asked to converge far beyond R's default (coxph.control(eps = 1e-14)), so that both tools report the maximum
// itself and the tests can hold the numbers to 1e-6 relative.
/*
# Two fixed data sets for the Cox / Kaplan-Meier / log-rank / concordance tests (written into the test as literals).
import random, math
random.seed(22)
def dataset(n, integer_times):
    rows = []
    for i in range(n):
        age = round(random.gauss(62, 9), 1)
        afp = round(random.lognormvariate(3, 1.2), 2)
        grp = random.choice(["A", "B", "C"])
        eta = 0.04 * (age - 62) + 0.35 * math.log(afp) + (0.5 if grp == "B" else 0) + (-0.3 if grp == "C" else 0)
        t = random.expovariate(0.05 * math.exp(eta))
        c = random.uniform(5, 40)
        time, event = (t, 1) if t <= c else (c, 0)
        time = max(1, math.ceil(time / 6)) if integer_times else round(time, 3)
        rows.append((f"c{i+1:02d}", time, event, age, afp, grp))
    return rows
for name, rows in [("A", dataset(40, False)), ("B", dataset(60, True))]:
    with open(f"{name}.csv", "w") as f:
        f.write("case_id,time,event,age,afp,group\n")
        for r in rows: f.write(",".join(map(str, r)) + "\n")
*/
/*
library(survival)
options(digits = 17)
for (name in c("A", "B")) {
  d <- read.csv(paste0(name, ".csv"))
  for (ties in c("efron", "breslow")) {
    f <- coxph(Surv(time, event) ~ age + afp, data = d, ties = ties, control = coxph.control(eps = 1e-14, iter.max = 100, toler.chol = 1e-15))
    s <- summary(f)
    cat(sprintf("%s %s coef %.17g %.17g se %.17g %.17g loglik %.17g %.17g score %.17g wald %.17g lr %.17g\n", name, ties,
        coef(f)[1], coef(f)[2], sqrt(diag(vcov(f)))[1], sqrt(diag(vcov(f)))[2], f$loglik[1], f$loglik[2],
        f$score, f$wald.test, 2 * diff(f$loglik)))
    cc <- concordance(f)
    cat(sprintf("%s %s concordance %.17g counts %s\n", name, ties, cc$concordance, paste(cc$count[1:3], collapse = " ")))
  }
  sd <- survdiff(Surv(time, event) ~ group, data = d)
  cat(sprintf("%s logrank chisq %.17g obs %s exp %s\n", name, sd$chisq, paste(sd$obs, collapse = " "), paste(sprintf("%.17g", sd$exp), collapse = " ")))
  km <- survfit(Surv(time, event) ~ 1, data = d)
  s <- summary(km, censored = FALSE)
  cat(sprintf("%s km last-steps time %s surv %s stderr %s lower %s upper %s\n", name,
      paste(tail(s$time, 3), collapse = " "), paste(sprintf("%.17g", tail(s$surv, 3)), collapse = " "),
      paste(sprintf("%.17g", tail(s$std.err, 3)), collapse = " "), paste(sprintf("%.17g", tail(s$lower, 3)), collapse = " "),
      paste(sprintf("%.17g", tail(s$upper, 3)), collapse = " ")))
  q <- quantile(km, 0.5)
  cat(sprintf("%s km median %.17g lower %.17g upper %.17g\n", name, q$quantile, q$lower, q$upper))
}
# concordance variance (Efron fits): concordance(f)$var
for (name in c("A", "B")) {
  d <- read.csv(paste0(name, ".csv"))
  f <- coxph(Surv(time, event) ~ age + afp, data = d, control = coxph.control(eps = 1e-14, iter.max = 100, toler.chol = 1e-15))
  cat(sprintf("%s concordance var %.17g\n", name, concordance(f)$var))
}
# baseline cumulative hazard at x = 0
for (name in c("A", "B")) {
  d <- read.csv(paste0(name, ".csv"))
  for (ties in c("efron", "breslow")) {
    f <- coxph(Surv(time, event) ~ age + afp, data = d, ties = ties, control = coxph.control(eps = 1e-14, iter.max = 100, toler.chol = 1e-15))
    b <- basehaz(f, centered = FALSE)
    n <- nrow(b)
    cat(sprintf("%s %s basehaz times %s hazard %s\n", name, ties, paste(b$time[c(1, n %/% 2, n)], collapse = " "),
        paste(sprintf("%.17g", b$hazard[c(1, n %/% 2, n)]), collapse = " ")))
  }
}
# proportional-hazards test: cox.zph(fit)
for (name in c("A", "B")) {
  d <- read.csv(paste0(name, ".csv"))
  for (ties in c("efron", "breslow")) {
    f <- coxph(Surv(time, event) ~ age + afp, data = d, ties = ties, control = coxph.control(eps = 1e-14, iter.max = 100, toler.chol = 1e-15))
    z <- cox.zph(f)
    cat(sprintf("%s %s zph chisq %s p %s\n", name, ties, paste(sprintf("%.17g", z$table[, "chisq"]), collapse = " "),
        paste(sprintf("%.17g", z$table[, "p"]), collapse = " ")))
  }
}
# risk groups (data set A)
d <- read.csv("A.csv")
f <- coxph(Surv(time, event) ~ age + afp, data = d, control = coxph.control(eps = 1e-14, iter.max = 100, toler.chol = 1e-15))
lp <- as.vector(as.matrix(d[, c("age", "afp")]) %*% coef(f))
for (k in c(2, 3)) {
  cuts <- quantile(lp, (1:(k - 1)) / k)
  g <- findInterval(lp, cuts, left.open = TRUE) + 1
  sd <- survdiff(Surv(time, event) ~ g, data = d)
  q <- quantile(survfit(Surv(time, event) ~ g, data = d), 0.5)
  cat(sprintf("groups %d chisq %.17g n %s median %s lower %s upper %s\n", k, sd$chisq, paste(table(g), collapse = " "),
      paste(q$quantile, collapse = " "), paste(q$lower, collapse = " "), paste(q$upper, collapse = " ")))
}
*/
/*
# Uno's AUC (python3 -m venv /tmp/sk && /tmp/sk/bin/pip install scikit-survival; /tmp/sk/bin/python uno.py)
# Uno's time-dependent AUC by scikit-survival (cumulative_dynamic_auc) on data sets A and B, risk = the Efron fit's
# linear predictor (R's coefficients, SurvivalTests), censoring distribution from the same data.
import csv, numpy as np, sksurv
from sksurv.util import Surv
from sksurv.metrics import cumulative_dynamic_auc
beta = {"A": (0.028757988207972082, 0.0056186825349720543), "B": (0.0075359319513624481, 0.0011338543399501385)}
times = {"A": [1.0, 2.5, 5.0, 10.0], "B": [1.0, 2.0, 3.0]}
print("scikit-survival", sksurv.__version__, "numpy", np.__version__)
for name in "AB":
    rows = list(csv.DictReader(open(f"{name}.csv")))
    y = Surv.from_arrays(event=[r["event"] == "1" for r in rows], time=[float(r["time"]) for r in rows])
    risk = np.array([beta[name][0] * float(r["age"]) + beta[name][1] * float(r["afp"]) for r in rows])
    auc, mean = cumulative_dynamic_auc(y, y, risk, times[name])
    print(name, "times", times[name], "auc", [repr(a) for a in auc])
*/
/*
# Brier score and integrated Brier score by scikit-survival (/tmp/sk/bin/python brier.py; A.csv and B.csv are
# SurvivalReference.a and .b) (brier_score, integrated_brier_score) on data sets A and
# B, the censoring distribution from the same data; predicted survival S_i(t) = exp(-0.1 t exp(eta_i)), eta_i the
# Efron fit's linear predictor (R's coefficients, SurvivalTests). The IBS grid: the two ends and every distinct
# observed time strictly between them.
import csv, numpy as np, sksurv
from sksurv.util import Surv
from sksurv.metrics import brier_score, integrated_brier_score
beta = {"A": (0.028757988207972082, 0.0056186825349720543), "B": (0.0075359319513624481, 0.0011338543399501385)}
times = {"A": [1.0, 2.5, 5.0, 10.0], "B": [1.0, 2.0, 3.0]}
print("scikit-survival", sksurv.__version__, "numpy", np.__version__)
for name in "AB":
    rows = list(csv.DictReader(open(f"{name}.csv")))
    time = np.array([float(r["time"]) for r in rows])
    y = Surv.from_arrays(event=[r["event"] == "1" for r in rows], time=time)
    eta = np.array([beta[name][0] * float(r["age"]) + beta[name][1] * float(r["afp"]) for r in rows])
    surv = lambda ts: np.exp(-0.1 * np.outer(np.exp(eta), ts))
    _, bs = brier_score(y, y, surv(times[name]), times[name])
    lo, hi = times[name][0], times[name][-1]
    grid = sorted(set([lo, hi] + [t for t in time if lo < t < hi]))
    ibs = integrated_brier_score(y, y, surv(grid), grid)
    print(name, "brier", [repr(b) for b in bs], "ibs", repr(ibs), "grid", len(grid))
*/
/*
# Calibration (Rscript calib.R, R 4.2.2 + survival 3.5.3) at times 2.5 and 5 on data set A: the Efron fit of age + afp, three quantile groups (type 7) of the
# linear predictor (lower < lp <= upper), each group's mean of survfit(fit, newdata)'s S(t) and its Kaplan-Meier
# S(t) with the log 95% interval.
library(survival)
a <- read.csv("A.csv")
fit <- coxph(Surv(time, event) ~ age + afp, data = a, ties = "efron")
lp <- as.vector(as.matrix(a[, c("age", "afp")]) %*% coef(fit))
q <- quantile(lp, probs = c(1/3, 2/3), type = 7)
grp <- cut(lp, breaks = c(-Inf, q, Inf), labels = FALSE)
sf <- survfit(fit, newdata = a)
cat(R.version.string, "survival", as.character(packageVersion("survival")), "\n")
for (t in c(2.5, 5)) {
  pred <- summary(sf, times = t)$surv
  km <- summary(survfit(Surv(time, event) ~ grp, data = a), times = t)
  cat("t", t, "cases", table(grp), "\n")
  cat("predicted", sprintf("%.17g", tapply(as.vector(pred), grp, mean)), "\n")
  cat("observed", sprintf("%.17g", km$surv), "\n")
  cat("lower", sprintf("%.17g", km$lower), "\n")
  cat("upper", sprintf("%.17g", km$upper), "\n")
}
*/
public enum SurvivalReference {
    public static let a = """
case_id,time,event,age,afp,group
c01,21.298,1,66.8,9.59,C
c02,4.293,1,60.7,6.15,A
c03,0.77,1,74.5,26.24,A
c04,0.69,1,56.3,25.39,C
c05,14.783,0,59.1,2.19,C
c06,0.299,1,67.0,4.34,B
c07,0.953,1,82.1,20.63,B
c08,5.293,1,66.1,4.55,B
c09,8.17,0,52.7,13.21,C
c10,0.343,1,55.6,17.66,B
c11,2.325,1,64.2,3.07,A
c12,3.852,1,68.3,12.65,B
c13,4.323,1,66.5,181.22,C
c14,7.856,1,63.9,6.9,C
c15,0.716,1,51.0,52.04,C
c16,0.095,1,62.1,47.22,A
c17,11.206,0,56.6,2.23,B
c18,2.209,1,55.9,6.84,C
c19,8.567,1,61.4,8.1,A
c20,6.34,0,80.0,16.01,C
c21,20.035,1,49.4,19.43,C
c22,8.43,1,74.2,10.26,B
c23,3.652,1,56.8,81.08,A
c24,4.735,1,59.7,3.2,A
c25,3.107,1,65.6,15.09,B
c26,0.104,1,78.1,1.85,C
c27,3.143,1,58.4,23.71,C
c28,7.471,1,57.7,21.76,C
c29,2.548,1,69.4,20.03,A
c30,16.494,1,70.4,9.5,A
c31,4.107,1,72.3,49.28,B
c32,0.668,1,65.7,25.56,A
c33,2.665,1,74.1,2.5,A
c34,2.903,1,66.0,27.81,C
c35,0.007,1,75.5,31.87,B
c36,8.946,0,56.8,6.37,A
c37,8.667,1,76.0,9.66,A
c38,11.291,1,52.7,40.26,B
c39,0.154,1,59.9,64.5,B
c40,0.829,1,73.1,42.25,B
"""
    public static let b = """
case_id,time,event,age,afp,group
c01,3,1,52.4,10.0,C
c02,1,1,71.4,26.65,C
c03,2,1,56.3,35.42,C
c04,1,1,64.3,26.37,A
c05,1,1,62.9,77.05,B
c06,1,1,75.7,110.85,B
c07,1,1,60.6,42.57,C
c08,1,1,80.1,27.13,B
c09,2,0,73.8,7.7,A
c10,2,0,60.5,24.76,C
c11,1,1,56.0,10.68,B
c12,1,1,49.1,19.29,C
c13,1,1,55.0,20.16,B
c14,1,1,69.4,47.61,A
c15,2,1,55.6,102.42,B
c16,1,1,56.4,74.7,C
c17,1,1,73.8,120.94,A
c18,1,1,77.6,97.15,B
c19,2,0,72.1,10.34,C
c20,2,1,63.8,5.74,A
c21,1,1,57.3,11.26,A
c22,1,1,65.2,36.15,B
c23,1,1,61.1,3.97,A
c24,1,1,53.4,199.76,B
c25,1,1,75.2,31.56,B
c26,2,0,52.3,33.27,A
c27,1,1,59.4,8.47,B
c28,2,1,65.5,42.88,A
c29,3,1,61.8,11.56,C
c30,2,0,66.6,58.67,C
c31,1,1,63.3,63.5,A
c32,1,0,67.1,12.39,A
c33,1,1,59.3,63.38,B
c34,1,1,48.6,192.08,A
c35,1,1,63.7,22.43,C
c36,1,1,64.5,76.82,B
c37,2,0,50.2,4.9,C
c38,1,1,61.4,7.53,A
c39,1,1,55.4,4.55,A
c40,1,1,56.7,77.08,B
c41,1,1,59.0,2.7,B
c42,1,1,65.5,56.32,C
c43,1,1,66.3,10.46,C
c44,1,1,65.0,4.89,B
c45,5,0,46.6,11.3,A
c46,1,1,66.7,45.63,B
c47,2,1,54.6,47.79,A
c48,2,1,67.7,54.02,B
c49,1,1,53.4,10.6,B
c50,1,1,74.4,13.46,B
c51,1,1,64.4,20.81,A
c52,3,1,72.7,3.69,A
c53,1,1,76.4,45.22,C
c54,1,1,58.9,31.12,A
c55,1,1,46.6,23.85,A
c56,1,1,67.1,32.25,A
c57,3,0,66.6,168.59,A
c58,1,1,64.4,29.84,C
c59,1,1,53.1,17.43,A
c60,1,1,48.9,25.5,A
"""
}
