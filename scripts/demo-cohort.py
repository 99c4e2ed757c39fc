#!/usr/bin/env python3
"""Writes a simulated HCC cohort for trying `radiomics model` (no real patients).

clinical.csv: case_id, vascularization_type, afp, ggt, albumin, bilirubin, tumor_size_cm, refractory, os_months,
death. The outcome is drawn from the published p-TACE logistic model (see ../shared/docs/DOMAIN.md), so a model
fitted on it should find AUC about 0.75-0.8. Overall survival after TACE (months, death 1 / censored 0) is
exponential with a hazard that rises with the same linear predictor and with ALBI grade, censored by loss to
follow-up and at 60 months; it is drawn from a second generator, so the other columns do not depend on it. Standard library only; seeded, so the output is the same on
every machine.

usage: scripts/demo-cohort.py OUTPUT.csv [N] [SEED]
"""
import math
import random
import sys


def grade(value, cuts):
    return 1 + sum(value > c for c in cuts)


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 2024
    rng, survival = random.Random(seed), random.Random(seed + 1)
    rows = ["case_id,vascularization_type,afp,ggt,albumin,bilirubin,tumor_size_cm,refractory,os_months,death"]
    for i in range(1, n + 1):
        vtype = rng.choices([1, 2, 3, 4], [0.25, 0.3, 0.25, 0.2])[0]
        afp = round(math.exp(rng.gauss(3.5, 2.5)), 1)
        ggt = round(math.exp(rng.gauss(4.4, 0.8)))
        albumin = round(rng.gauss(38, 5), 1)
        bilirubin = round(math.exp(rng.gauss(2.8, 0.5)), 1)
        size = round(max(0.8, rng.lognormvariate(1.4, 0.5)), 1)
        albi = 0.66 * math.log10(bilirubin) - 0.085 * albumin
        albi_grade = grade(albi, [-2.60, -1.39])
        afp_grade, ggt_grade = grade(afp, [80, 4000]), grade(ggt, [50, 75, 135])
        eta = (-5.242 + 1.327 * (vtype >= 3) + 0.936 * (albi_grade >= 2) + 0.531 * (size > 5)
               + 0.783 * (afp_grade == 2) + 1.217 * (afp_grade == 3)
               + 0.259 * (ggt_grade == 2) + 0.526 * (ggt_grade == 3) + 0.935 * (ggt_grade == 4))
        # The published intercept belongs to the p-TACE training cohort; shift it so that
        # about a quarter of this cohort is refractory.
        p = 1 / (1 + math.exp(-(eta + 1.5)))
        y = 1 if rng.random() < p else 0
        death = survival.expovariate(0.02 * math.exp(0.5 * (eta + 1.5) + 0.4 * (albi_grade - 1)))
        censor = min(60.0, survival.expovariate(1 / 80))
        rows.append(f"SIM-{i:04d},{vtype},{afp},{ggt},{albumin},{bilirubin},{size},{y},{round(min(death, censor), 1) + 0.1:.1f},{int(death <= censor)}")
    with open(out, "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
