#!/usr/bin/env python3
"""Mutation fuzzing of the radiomics command line, as a user with a damaged archive would meet it.

Mutates copies of real inputs (the sample scans' DICOM series, RTSTRUCT, SEG and NIfTI files, parameter files of
both kinds, the vascularization rules, clinical and manifest CSV tables) and runs the command that reads each, as a
whole process limited to 8 GiB of address space and 30 s. Exit 0 or a clean error is a pass; a signal (crash,
trap, abort) or a time-out is a failure, kept with its input and command under --keep.

    python3 scripts/mutation-fuzz.py --runs 1000 --seed 7                  # release build of radiomics assumed
    python3 scripts/mutation-fuzz.py --runs 200 --families nifti-header,yaml-values

The last line is "N passed, M failed".
"""
import argparse
import gzip
import os
import random
import re
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "sample-scans")

INTERESTING_FLOATS = [float("nan"), float("inf"), -float("inf"), 0.0, -0.0, -1.0, 1e-30, 1e30, 3.4e38, -3.4e38, 1e-45,
                      0.5, 2.0 ** 31, -2.0 ** 31]
INTERESTING_INTS = [0, -1, 1, 2, 7, 8, 255, 256, 32767, -32768, 65535, 2 ** 31 - 1, -2 ** 31, 2 ** 63 - 1]
YAML_NUMBERS = ["1e300", "-1e300", ".inf", "-.inf", ".nan", "0", "-1", "1e-300", "9223372036854775807",
                "-9223372036854775808", "0.0001", "1e9", "3.5", "[]", "{}", "~", "'text'", "[1e300, .nan]", "-0.0"]
CSV_VALUES = ["", "NA", "nan", "inf", "-inf", "1e308", "-1e308", "1e-320", "0", "-1", "abc", "\"", "\"\"\"",
              "1,2", "\n", "\u00e9", "9" * 400, " ", "\ufeff1"]

# NIfTI-1 header fields: (offset, format, kind)
NIFTI1_FIELDS = [(40, "<h", "int"), (42, "<h", "int"), (44, "<h", "int"), (46, "<h", "int"), (48, "<h", "int"),
                 (70, "<h", "int"), (72, "<h", "int"), (76, "<f", "float"), (80, "<f", "float"), (84, "<f", "float"),
                 (88, "<f", "float"), (108, "<f", "float"), (112, "<f", "float"), (116, "<f", "float"),
                 (252, "<h", "int"), (254, "<h", "int")] + [(256 + 4 * i, "<f", "float") for i in range(18)]


def limit_resources():
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(binary, args, timeout=30):
    """('pass' | 'crash' | 'hang', returncode, stderr tail)."""
    try:
        p = subprocess.run([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout,
                           preexec_fn=limit_resources)
    except subprocess.TimeoutExpired:
        return "hang", None, ""
    tail = p.stderr.decode(errors="replace")[-400:]
    if p.returncode < 0 or p.returncode >= 128:
        return "crash", p.returncode, tail
    return "pass", p.returncode, tail


def flip_bytes(data, rng, count, region=None):
    b = bytearray(data)
    lo, hi = region or (0, len(b))
    hi = min(hi, len(b))
    for _ in range(count):
        if hi <= lo:
            break
        i = rng.randrange(lo, hi)
        b[i] = rng.randrange(256) if rng.random() < 0.5 else b[i] ^ (1 << rng.randrange(8))
    return bytes(b)


def truncate(data, rng):
    return data[:rng.randrange(0, max(1, len(data)))]


def splice(data, rng):
    """Duplicate, drop or insert a chunk."""
    b = bytearray(data)
    if len(b) < 4:
        return bytes(b) + bytes(rng.randrange(256) for _ in range(8))
    i = rng.randrange(len(b))
    n = rng.randrange(1, min(4096, len(b) - i + 1))
    what = rng.randrange(3)
    if what == 0:
        b[i:i] = b[i:i + n]
    elif what == 1:
        del b[i:i + n]
    else:
        b[i:i] = bytes(rng.randrange(256) for _ in range(n))
    return bytes(b)


class Campaign:
    def __init__(self, binary, work, rng):
        self.binary, self.work, self.rng = binary, work, rng
        self.case1 = os.path.join(SAMPLES, "case-001")
        self.series = os.path.join(self.case1, "ct")
        self.rtstruct = os.path.join(self.case1, "tumour-rtstruct.dcm")
        self.seg = os.path.join(self.case1, "tumour-seg.dcm")
        self.nifti_image = gzip.open(os.path.join(SAMPLES, "case-002", "image.nii.gz")).read()
        self.nifti_mask = gzip.open(os.path.join(SAMPLES, "case-002", "tumour.nii.gz")).read()
        self.mask_path = os.path.join(work, "mask.nii")
        self.image_path = os.path.join(work, "image.nii")
        open(self.mask_path, "wb").write(self.nifti_mask)
        open(self.image_path, "wb").write(self.nifti_image)
        self.params = [open(os.path.join(ROOT, "params", f)).read() for f in sorted(os.listdir(os.path.join(ROOT, "params")))
                       if f.endswith(".yaml")]
        self.params += [
            "setting:\n  binWidth: 25\n  label: 1\n  distances: [1, 2]\n  resampledPixelSpacing: [2, 2, 2]\n"
            "  interpolator: sitkBSpline\n  padDistance: 5\n  gldm_a: 0\n  normalize: true\n  normalizeScale: 100\n"
            "imageType:\n  Original: {}\nfeatureClass:\n  firstorder:\n  glcm:\n  gldm:\n",
            "setting:\n  binCount: 32\n  resegmentRange: [-100, 300]\n  removeOutliers: 3\n  minimumROISize: 10\n",
        ]
        self.clinical = ("case_id,vascularization_type,afp,ggt,albumin,bilirubin,tumor_size_cm\n"
                         "P1,1,10,40,40,10,3\nP2,3,500,90,35,20,6\nP3,4,9000,200,30,30,8\n")
        self.manifest_rows = ["case_id,image,mask,portal,precontrast,liver_mask"] + [
            f"hcc-type{t},{SAMPLES}/hcc-type{t}/arterial,{SAMPLES}/hcc-type{t}/tumour-seg.dcm,"
            f"{SAMPLES}/hcc-type{t}/portal,{SAMPLES}/hcc-type{t}/precontrast,{SAMPLES}/hcc-type{t}/liver-seg.dcm"
            for t in (1, 4)]

    def path(self, name):
        return os.path.join(self.work, name)

    def deflated_sources(self):
        """The sample series and masks converted to Deflated Explicit VR Little Endian (gdcmconv), made once."""
        if not hasattr(self, "_deflated"):
            gdcmconv = shutil.which("gdcmconv")
            if not gdcmconv:
                sys.exit("the dicom-deflated family needs gdcmconv (Debian libgdcm-tools)")
            d = self.path("deflated-ct")
            os.makedirs(d)
            for name in sorted(os.listdir(self.series)):
                subprocess.run([gdcmconv, "--deflated", os.path.join(self.series, name), os.path.join(d, name)], check=True)
            masks = {}
            for src in (self.rtstruct, self.seg):
                masks[src] = self.path("deflated-" + os.path.basename(src))
                subprocess.run([gdcmconv, "--deflated", src, masks[src]], check=True)
            self._deflated = (d, masks)
        return self._deflated

    @staticmethod
    def meta_end(data):
        """Where the file meta information (group 0002, explicit VR little endian) ends."""
        pos = 132
        while pos + 8 <= len(data) and data[pos:pos + 2] == b"\x02\x00":
            if data[pos + 4:pos + 6] in (b"OB", b"OW", b"SQ", b"UN", b"UT"):
                pos += 12 + struct.unpack_from("<I", data, pos + 8)[0]
            else:
                pos += 8 + struct.unpack_from("<H", data, pos + 6)[0]
        return pos

    # Each family returns (description, args, files to keep).
    def nifti_header(self, i):
        rng = self.rng
        b = bytearray(self.nifti_image)
        for _ in range(rng.randrange(1, 4)):
            off, fmt, kind = rng.choice(NIFTI1_FIELDS)
            v = rng.choice(INTERESTING_FLOATS) if kind == "float" else rng.choice(INTERESTING_INTS)
            try:
                struct.pack_into(fmt, b, off, v if kind == "float" else int(max(-32768, min(32767, v))))
            except struct.error:
                pass
        target = rng.choice(["image", "mask"])
        p = self.path(f"{i}-{target}.nii" + (".gz" if rng.random() < 0.3 else ""))
        data = bytes(b) if target == "image" else bytes(b)[:352] + self.nifti_mask[352:]
        (gzip.open if p.endswith(".gz") else open)(p, "wb").write(data)
        args = ["extract", p, self.mask_path] if target == "image" else ["extract", self.image_path, p]
        return "nifti-header", args, [p]

    def nifti_bytes(self, i):
        rng = self.rng
        data = rng.choice([lambda d: flip_bytes(d, rng, rng.randrange(1, 64)), lambda d: truncate(d, rng),
                           lambda d: splice(d, rng), lambda d: flip_bytes(d, rng, 8, (0, 352))])(self.nifti_image)
        p = self.path(f"{i}-bytes.nii" + (".gz" if rng.random() < 0.3 else ""))
        (gzip.open if p.endswith(".gz") else open)(p, "wb").write(data)
        return "nifti-bytes", ["extract", p, self.mask_path], [p]

    def dicom_series(self, i):
        rng = self.rng
        d = self.path(f"{i}-series")
        shutil.copytree(self.series, d)
        files = sorted(os.listdir(d))
        for name in rng.sample(files, rng.randrange(1, 4)):
            f = os.path.join(d, name)
            data = open(f, "rb").read()
            how = rng.randrange(4)
            if how == 0:
                data = flip_bytes(data, rng, rng.randrange(1, 32), (128, 1400))
            elif how == 1:
                data = truncate(data, rng)
            elif how == 2:
                data = splice(data, rng)
            else:
                data = flip_bytes(data, rng, rng.randrange(1, 200))
            open(f, "wb").write(data)
        return "dicom-series", ["extract", d, self.seg], [d]

    def dicom_mask(self, i):
        rng = self.rng
        src = rng.choice([self.rtstruct, self.seg])
        data = open(src, "rb").read()
        data = rng.choice([lambda d: flip_bytes(d, rng, rng.randrange(1, 64)), lambda d: truncate(d, rng),
                           lambda d: splice(d, rng), lambda d: flip_bytes(d, rng, 16, (128, 3000))])(data)
        p = self.path(f"{i}-mask.dcm")
        open(p, "wb").write(data)
        args = ["extract", self.series, p] + (["--roi", "Tumour"] if src == self.rtstruct else [])
        return "dicom-mask", args, [p]

    def dicom_deflated(self, i):
        """Deflated files: the compressed stream damaged, or the inflated data set damaged and deflated again."""
        rng = self.rng
        series, masks = self.deflated_sources()

        def damage(data):
            start = self.meta_end(data)
            meta, body = data[:start], data[start:]
            if rng.random() < 0.4:
                return meta + rng.choice([lambda d: flip_bytes(d, rng, rng.randrange(1, 16)), lambda d: truncate(d, rng),
                                          lambda d: splice(d, rng)])(body)
            inner = zlib.decompress(body, -15)
            inner = rng.choice([lambda d: flip_bytes(d, rng, rng.randrange(1, 32), (0, min(len(d), 1200))),
                                lambda d: truncate(d, rng), lambda d: splice(d, rng),
                                lambda d: flip_bytes(d, rng, rng.randrange(1, 200))])(inner)
            packer = zlib.compressobj(rng.choice([0, 1, 6, 9]), zlib.DEFLATED, -15)
            return meta + packer.compress(inner) + packer.flush()

        if rng.random() < 0.5:
            d = self.path(f"{i}-deflated-series")
            shutil.copytree(series, d)
            for name in rng.sample(sorted(os.listdir(d)), rng.randrange(1, 4)):
                f = os.path.join(d, name)
                data = damage(open(f, "rb").read())
                open(f, "wb").write(data)
            return "dicom-deflated", ["extract", d, self.seg], [d]
        src = rng.choice([self.rtstruct, self.seg])
        p = self.path(f"{i}-deflated-mask.dcm")
        open(p, "wb").write(damage(open(masks[src], "rb").read()))
        args = ["extract", series, p] + (["--roi", "Tumour"] if src == self.rtstruct else [])
        return "dicom-deflated", args, [p]

    def yaml_values(self, i):
        rng = self.rng
        text = rng.choice(self.params)
        numbers = list(re.finditer(r"(?<=[:\[, ])-?\d+(\.\d+)?(e-?\d+)?", text))
        for _ in range(rng.randrange(1, 4)):
            if not numbers:
                break
            m = rng.choice(numbers)
            text = text[:m.start()] + rng.choice(YAML_NUMBERS) + text[m.end():]
            numbers = list(re.finditer(r"(?<=[:\[, ])-?\d+(\.\d+)?(e-?\d+)?", text))
        if rng.random() < 0.2:
            lines = text.split("\n")
            del lines[rng.randrange(len(lines))]
            text = "\n".join(lines)
        p = self.path(f"{i}-params.yaml")
        open(p, "w").write(text)
        return "yaml-values", ["extract", self.image_path, self.mask_path, "--params", p], [p]

    def yaml_bytes(self, i):
        rng = self.rng
        data = rng.choice([lambda d: flip_bytes(d, rng, rng.randrange(1, 16)), lambda d: truncate(d, rng),
                           lambda d: splice(d, rng)])(rng.choice(self.params).encode())
        p = self.path(f"{i}-params.yaml")
        open(p, "wb").write(data)
        if rng.random() < 0.3:
            rules = self.path(f"{i}-rules.yaml")
            rtext = open(os.path.join(ROOT, "params", "vascularization-rules.yaml")).read().encode()
            open(rules, "wb").write(flip_bytes(rtext, rng, rng.randrange(1, 16)))
            return "yaml-bytes", ["vasc", "rules", "--rules", rules], [rules]
        return "yaml-bytes", ["extract", self.image_path, self.mask_path, "--params", p], [p]

    def csv_tables(self, i):
        rng = self.rng
        if rng.random() < 0.5:
            lines = self.clinical.strip().split("\n")
            r = rng.randrange(1, len(lines))
            cells = lines[r].split(",")
            cells[rng.randrange(len(cells))] = rng.choice(CSV_VALUES)
            lines[r] = ",".join(cells)
            if rng.random() < 0.3:
                lines.insert(rng.randrange(len(lines)), lines[rng.randrange(len(lines))])
            p = self.path(f"{i}-clinical.csv")
            open(p, "w").write("\n".join(lines) + "\n")
            return "csv-tables", ["model", "ptace", "--clinical", p], [p]
        rows = list(self.manifest_rows)
        r = rng.randrange(len(rows))
        cells = rows[r].split(",")
        cells[rng.randrange(len(cells))] = rng.choice(CSV_VALUES + ["/nonexistent", SAMPLES, self.image_path])
        rows[r] = ",".join(cells)
        p = self.path(f"{i}-manifest.csv")
        open(p, "w").write("\n".join(rows) + "\n")
        if rng.random() < 0.5:
            # The batch run: a bad row is a failed case, a bad manifest a clean error; never a crash.
            return "csv-tables", ["batch", p, "--output", self.path(f"{i}-batch"), "--workers", "1"], [p]
        return "csv-tables", ["vasc", "classify", "--manifest", p, "--format", "csv"], [p]


FAMILIES = ["nifti-header", "nifti-bytes", "dicom-series", "dicom-mask", "dicom-deflated", "yaml-values", "yaml-bytes", "csv-tables"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "radiomics"))
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--keep", default=os.path.join(ROOT, ".build", "mutation-fuzz-failures"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    if not os.access(a.binary, os.X_OK):
        sys.exit(f"{a.binary} not found: build it with 'swift build -c release' first")
    families = a.families.split(",")
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        sys.exit(f"unknown families {unknown}; known: {FAMILIES}")
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="mutation-fuzz-")
    campaign = Campaign(a.binary, work, rng)
    makers = {name: getattr(campaign, name.replace("-", "_")) for name in families}
    jobs = []
    for i in range(a.runs):
        family = families[i % len(families)]
        jobs.append(makers[family](i))
    counts = {f: [0, 0] for f in families}
    failures = []

    def execute(job):
        family, args, keep = job
        return job, run(a.binary, args)

    with ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for (family, args, keep), (outcome, code, tail) in pool.map(execute, jobs):
            if outcome == "pass":
                counts[family][0] += 1
            else:
                counts[family][1] += 1
                failures.append((family, args, keep, outcome, code, tail))
    if failures:
        os.makedirs(a.keep, exist_ok=True)
        for n, (family, args, keep, outcome, code, tail) in enumerate(failures):
            dest = os.path.join(a.keep, f"{n:03d}-{family}-{outcome}")
            os.makedirs(dest, exist_ok=True)
            for k in keep:
                (shutil.copytree if os.path.isdir(k) else shutil.copy)(k, os.path.join(dest, os.path.basename(k)))
            open(os.path.join(dest, "command.txt"), "w").write(" ".join(args) + f"\n{outcome} {code}\n{tail}\n")
            print(f"{outcome} ({code}): {family}: radiomics {' '.join(args)}\n  {tail.strip()[-300:]}")
    shutil.rmtree(work, ignore_errors=True)
    for f in families:
        print(f"{f:14s} {counts[f][0]:5d} passed {counts[f][1]:3d} failed")
    passed = sum(c[0] for c in counts.values())
    print(f"{passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
