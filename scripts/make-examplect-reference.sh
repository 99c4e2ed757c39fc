#!/usr/bin/env bash
# PyRadiomics' values for its own recommended CT settings (../shared/data/pyradiomics/exampleCT.yaml, unchanged: Original,
# LoG sigma 1-5 mm, Wavelet coif1; B-spline resampling to 1 mm, padDistance 10) on a real CT: the portal-venous
# liver series of ../shared/data/liver_ct, converted to NIfTI by `radiomics convert`, with a sphere in the liver as
# the ROI (centre at voxel index (141.3, 228.7, 20.4), radius 20 mm; a voxel is inside when the distance of its
# centre, in mm along the grid's axes, is at most 20). Writes Tests/Fixtures/pyradiomics/examplect-liver.csv
# (feature,value: PyRadiomics' keys in its order, Python repr of each float64).
#
#   scripts/make-examplect-reference.sh [VENV]     (VENV with pyradiomics-bhklab==3.1.4; made when absent)
#
# PyRadiomicsExampleCTTests makes the same NIfTI and mask and compares.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${RADIOMICS_SHARED:-$root/../shared}"
venv="${1:-$root/benchmarks/.work/venv}"
if [ ! -x "$venv/bin/pyradiomics" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "pyradiomics-bhklab==3.1.4" scikit-image
fi
swift build --package-path "$root" --product radiomics >&2
radiomics="$(swift build --package-path "$root" --show-bin-path)/radiomics"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$radiomics" convert "$shared/data/liver_ct/CRLM-CT-1004/image" "$work/liver.nii.gz"
"$venv/bin/python" - "$work" "$shared/data/pyradiomics/exampleCT.yaml" "$root/Tests/Fixtures/pyradiomics/examplect-liver.csv" <<'PY'
import csv, sys
import numpy as np
import SimpleITK as sitk
import radiomics
from radiomics import featureextractor
work, params, out = sys.argv[1:4]
image = sitk.ReadImage(f"{work}/liver.nii.gz")
sx, sy, sz = image.GetSpacing()
k, j, i = np.meshgrid(*[np.arange(n) for n in image.GetSize()[::-1]], indexing="ij")
d2 = ((i - 141.3) * sx) ** 2 + ((j - 228.7) * sy) ** 2 + ((k - 20.4) * sz) ** 2
mask = sitk.GetImageFromArray((d2 <= 20.0 ** 2).astype(np.uint8))
mask.CopyInformation(image)
sitk.WriteImage(mask, f"{work}/sphere.nii.gz")
result = featureextractor.RadiomicsFeatureExtractor(params).execute(f"{work}/liver.nii.gz", f"{work}/sphere.nii.gz")
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["feature", "value"])
    for key, value in result.items():
        if not key.startswith("diagnostics_"):
            w.writerow([key, repr(float(np.asarray(value)))])
print(f"PyRadiomics {radiomics.__version__}, SimpleITK {sitk.Version.VersionString()}: "
      f"{sum(1 for k in result if not k.startswith('diagnostics_'))} values, ROI {int((d2 <= 400).sum())} voxels -> {out}", file=sys.stderr)
PY
