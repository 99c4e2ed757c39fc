#!/usr/bin/env bash
# Installs what the project needs from Debian (only what is missing): GDCM, niftilib, libpng, SQLite and cairo
# headers and libraries (cairo draws the report's figures, in DejaVu Sans), GDCM's command-line tools (tests convert files between transfer syntaxes with gdcmconv)
# and dcm2niix (tests compare against another tool's DICOM-to-NIfTI conversion); chromium and chromium-driver with
# Selenium from PyPI for the review page's browser test.
set -euo pipefail
packages=(libgdcm-dev libnifti-dev libpng-dev libsqlite3-dev libcairo2-dev fonts-dejavu-core libgdcm-tools dcm2niix pkg-config chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! python3 -c "import selenium" 2>/dev/null; then
    echo "setup: installing selenium (PyPI) for the browser test" >&2
    python3 -m pip install --quiet "selenium>=4.11"
fi
command -v swift >/dev/null || { echo "setup: Swift 6.1 or newer is needed (swift not on PATH)" >&2; exit 1; }
