#!/usr/bin/env python3
"""Writes small seed inputs for the fuzz targets into DIR/<target>/ (tiny NIfTI files of every scalar type and
both orientations, CSV tables); the run script adds the sample scans' DICOM files and the parameter files."""
import os
import struct
import sys


def nifti1(path, dims, datatype, bitpix, values, sform=True, qform=True, scale=(0.0, 0.0)):
    hdr = bytearray(348)
    struct.pack_into("<i", hdr, 0, 348)
    struct.pack_into("<8h", hdr, 40, len(dims), *dims, *([1] * (7 - len(dims))))
    struct.pack_into("<hh", hdr, 70, datatype, bitpix)
    struct.pack_into("<8f", hdr, 76, -1.0 if qform else 1.0, 2.0, 2.0, 3.0, 0, 0, 0, 0)
    struct.pack_into("<f", hdr, 108, 352.0)
    struct.pack_into("<ff", hdr, 112, *scale)
    struct.pack_into("<hh", hdr, 252, 1 if qform else 0, 1 if sform else 0)
    struct.pack_into("<6f", hdr, 256, 0.0, 0.0, 1.0, 10.0, -20.0, 5.0)
    struct.pack_into("<12f", hdr, 280, -2, 0, 0, 10, 0, -2, 0, -20, 0, 0, 3, 5)
    hdr[344:348] = b"n+1\0"
    fmt = {2: "B", 4: "h", 8: "i", 16: "f", 64: "d", 256: "b", 512: "H", 768: "I", 1024: "q", 1280: "Q"}[datatype]
    with open(path, "wb") as f:
        f.write(hdr + bytes(4) + struct.pack("<%d%s" % (len(values), fmt), *values))


def main(out):
    nifti = os.path.join(out, "fuzz-nifti")
    os.makedirs(nifti, exist_ok=True)
    n = 4 * 4 * 3
    nifti1(f"{nifti}/int16.nii", [4, 4, 3], 4, 16, [(i * 37) % 400 - 100 for i in range(n)])
    nifti1(f"{nifti}/uint8-mask.nii", [4, 4, 3], 2, 8, [1 if 5 < i < 20 else 0 for i in range(n)], qform=False)
    nifti1(f"{nifti}/float32.nii", [4, 4, 3], 16, 32, [i * 0.5 for i in range(n)], sform=False, scale=(2.0, -10.0))
    nifti1(f"{nifti}/float64.nii", [4, 4, 3], 64, 64, [i * 1.5 for i in range(n)], sform=False, qform=False)
    nifti1(f"{nifti}/uint16.nii", [4, 4, 3], 512, 16, list(range(n)))
    nifti1(f"{nifti}/int64-4d.nii", [4, 4, 3, 1], 1024, 64, list(range(n)))
    csv = os.path.join(out, "fuzz-csv")
    os.makedirs(csv, exist_ok=True)
    with open(f"{csv}/clinical.csv", "w") as f:
        f.write("case_id,vascularization_type,afp,ggt,albumin,bilirubin,tumor_size_cm,refractory\n"
                "P1,1,10,40,40,10,3,0\nP2,3,500,90,35,20,6,1\n\"P,3\",4,9000,200,30,30,8,1\n")
    with open(f"{csv}/manifest.csv", "w") as f:
        f.write("case_id,image,mask,portal,precontrast,liver_mask,roi,label,series\n"
                "A,a/arterial,a/tumour.dcm,a/portal,,,Tumour,1,\nB,b.nii.gz,b-mask.nii.gz,,,,,2,1.2.3\n")
    with open(f"{csv}/pyradiomics-batch.csv", "w") as f:
        f.write("ID,Image,Mask,Label,Site\nP1,p1/ct.nrrd,p1/seg.nrrd,2,Essen\n,p2/image.nii.gz,p2/mask.nii.gz,,\"Lyon, FR\"\n")
    with open(f"{csv}/archive-manifest.csv", "w") as f:
        f.write("case_id,image,series,mask,roi,label,portal,portal_series,precontrast,precontrast_series,liver_mask,liver_roi,"
                "liver_label,phase_source\nP1,/a,1.2.3,/a/seg.dcm,,2,/a,1.2.4,/a,1.2.5,/a/liver.dcm,,1,description\n")
    with open(f"{csv}/types.csv", "w") as f:
        f.write("case_id,type,confidence,error\nP1,2,0.9,\nP2,,,\"a.nii: no such file\"\n")


if __name__ == "__main__":
    main(sys.argv[1])
