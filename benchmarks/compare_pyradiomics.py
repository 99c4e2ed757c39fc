#!/usr/bin/env python3
"""Times PyRadiomics and this project's `radiomics extract` side by side, as whole processes, on the same cases.

Each round runs both tools once per case and setting, alternating which goes first, so that neither gains from
the other's cache state. Reports medians of wall time (process start, file loading and extraction included),
peak resident memory (from wait4), and the largest relative difference over every feature both tools report.
Called by benchmarks/compare-pyradiomics, which builds the tools and the cases.
"""
import argparse
import csv
import math
import os
import statistics
import subprocess
import sys
import time

# PyRadiomics' own parameter files from ../shared/data/pyradiomics, used unchanged (--shared to point elsewhere).
SHARED_SETTINGS = {
    # exampleCT.yaml: Original, LoG sigma 1-5 mm, Wavelet; B-spline resampling to 1 mm (1,218 features).
    "examplect": "exampleCT.yaml",
    # image_types/params.yaml: every built-in image type but LBP3D, no resampling (1,688 features).
    "image-types": "image_types/params.yaml",
}

SETTINGS = {
    # The mission subset of the issue: firstorder + shape + glcm + glrlm, binWidth 25, no resampling.
    "mission": "setting:\n  binWidth: 25\nfeatureClass:\n  firstorder:\n  shape:\n  glcm:\n  glrlm:\n",
    # Every class PyRadiomics computes on the original image (shape2D needs force2D and is left out).
    "all": "setting:\n  binWidth: 25\nfeatureClass:\n  firstorder:\n  shape:\n  glcm:\n  glrlm:\n  glszm:\n"
           "  gldm:\n  ngtdm:\n",
}


def run(command):
    """Wall seconds and peak RSS (MiB) of one process; fails loudly with its stderr."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def features(path):
    """Every feature value of a one-row CSV (diagnostics and the input columns left out)."""
    with open(path, newline="") as f:
        row = next(csv.DictReader(f))
    out = {}
    for key, value in row.items():
        if key.startswith("diagnostics_") or key in ("Image", "Mask") or "_" not in key:
            continue
        out[key] = float(value)
    return out


def largest_difference(ours, theirs):
    """Largest |a - b| / max(|a|, |b|) over the features both report (NaN on both sides counts as equal)."""
    worst, worst_key = 0.0, ""
    for key in theirs:
        if key not in ours:
            sys.exit(f"our output lacks {key}")
        a, b = ours[key], theirs[key]
        if math.isnan(a) and math.isnan(b):
            continue
        scale = max(abs(a), abs(b))
        d = 0.0 if a == b else (abs(a - b) / scale if scale > 0 else abs(a - b))
        if math.isnan(d):
            d = math.inf
        if d > worst:
            worst, worst_key = d, key
    return worst, worst_key, len(theirs)


def roi_voxels(path):
    with open(path, newline="") as f:
        return int(float(next(csv.DictReader(f))["diagnostics_roi_voxels"]))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--ours", required=True, help="the radiomics executable (release build)")
    p.add_argument("--pyradiomics", required=True, help="PyRadiomics' command line entry point")
    p.add_argument("--work", required=True, help="folder for parameter files and outputs")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--settings", nargs="+", default=list(SETTINGS), choices=list(SETTINGS) + list(SHARED_SETTINGS))
    p.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "pyradiomics"),
                   help="folder holding PyRadiomics' exampleCT.yaml and image_types/params.yaml")
    p.add_argument("cases", nargs="+", help="case folders holding image.nii and mask.nii")
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)

    rows = []
    for setting in a.settings:
        if setting in SHARED_SETTINGS:
            params = os.path.join(a.shared, SHARED_SETTINGS[setting])
        else:
            params = os.path.join(a.work, f"{setting}.yaml")
            with open(params, "w") as f:
                f.write(SETTINGS[setting])
        for case in a.cases:
            name = os.path.basename(case.rstrip("/"))
            image, mask = os.path.join(case, "image.nii"), os.path.join(case, "mask.nii")
            ours_csv = os.path.join(a.work, f"{name}-{setting}-ours.csv")
            theirs_csv = os.path.join(a.work, f"{name}-{setting}-pyradiomics.csv")
            commands = {
                "pyradiomics": [a.pyradiomics, image, mask, "--param", params, "-o", theirs_csv, "-f", "csv"],
                "ours": [a.ours, "extract", image, mask, "--params", params, "--format", "csv", "--output", ours_csv],
            }
            times = {"pyradiomics": [], "ours": []}
            peaks = {"pyradiomics": [], "ours": []}
            for r in range(a.rounds):
                order = ["pyradiomics", "ours"] if r % 2 == 0 else ["ours", "pyradiomics"]
                for tool in order:
                    t, m = run(commands[tool])
                    times[tool].append(t)
                    peaks[tool].append(m)
                print(f"  {setting} {name} round {r + 1}/{a.rounds}: pyradiomics {times['pyradiomics'][-1]:.3f} s, "
                      f"ours {times['ours'][-1]:.3f} s", file=sys.stderr, flush=True)
            diff, key, count = largest_difference(features(ours_csv), features(theirs_csv))
            py, us = statistics.median(times["pyradiomics"]), statistics.median(times["ours"])
            rows.append((setting, name, roi_voxels(ours_csv), py, us, py / us, max(peaks["pyradiomics"]),
                         max(peaks["ours"]), count, diff, key))

    print(f"\n{a.rounds} rounds, medians of whole-process wall time; peak RSS is the largest of the rounds.\n")
    print("| settings | case | ROI voxels | PyRadiomics s | ours s | ratio | PyRadiomics MiB | ours MiB | features | largest rel. difference |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for s, n, v, py, us, ratio, pm, om, count, diff, key in rows:
        where = f" ({key.removeprefix('original_')})" if diff > 0 else ""
        print(f"| {s} | {n} | {v} | {py:.3f} | {us:.3f} | {ratio:.1f}x | {pm:.0f} | {om:.0f} | {count} | {diff:.1e}{where} |")


if __name__ == "__main__":
    main()
