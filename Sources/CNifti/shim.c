#include "CNifti.h"
#include <zlib.h>

long cnifti_peek(const char *path, void *buf, size_t len) {
    gzFile f = gzopen(path, "rb");
    if (f == NULL) return -1;
    int n = gzread(f, buf, (unsigned)len);
    gzclose(f);
    return n < 0 ? -1 : (long)n;
}

nifti_image *cnifti_read(const char *path, int read_data) {
    nifti_set_debug_level(0);
    return nifti_image_read(path, read_data);
}

int cnifti_read_data(nifti_image *nim, void *dest) {
    nifti_set_debug_level(0);
    const int64_t all[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
    void *data = dest;
    int64_t expected = (int64_t)nim->nvox * nim->nbyper;
    int64_t got = nifti_read_collapsed_image(nim, all, &data);
    return got == expected ? 0 : -1;
}

int cnifti_read_slices(nifti_image *nim, int64_t first, int64_t count, void *dest) {
    nifti_set_debug_level(0);
    int64_t bytes = (int64_t)nim->nx * nim->ny * nim->nbyper;
    for (int64_t k = 0; k < count; ++k) {
        int64_t dims[8] = {-1, -1, -1, first + k, -1, -1, -1, -1};
        void *data = (char *)dest + k * bytes;
        if (nifti_read_collapsed_image(nim, dims, &data) != bytes) return -1;
    }
    return 0;
}

int cnifti_write(nifti_image *nim) {
    nifti_set_debug_level(0);
    if (nim->nifti_type == NIFTI_FTYPE_NIFTI2_1) return cnifti_write_v2(nim);
    znzFile fp = nifti_image_write_hdr_img(nim, 3, "wb");
    if (znz_isnull(fp)) return -1;
    znzclose(fp);
    return 0;
}

void cnifti_get_affine(const nifti_image *nim, int which, double out[16]) {
    const nifti_dmat44 *m = which ? &nim->sto_xyz : &nim->qto_xyz;
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) out[4 * r + c] = m->m[r][c];
}

void cnifti_set_affine(nifti_image *nim, const double affine[16]) {
    nifti_dmat44 m;
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) m.m[r][c] = affine[4 * r + c];
    nim->sto_xyz = m;
    nim->sto_ijk = nifti_dmat44_inverse(m);
    nim->sform_code = NIFTI_XFORM_SCANNER_ANAT;
    double qb, qc, qd, qx, qy, qz, dx, dy, dz, qfac;
    nifti_dmat44_to_quatern(m, &qb, &qc, &qd, &qx, &qy, &qz, &dx, &dy, &dz, &qfac);
    nim->quatern_b = qb; nim->quatern_c = qc; nim->quatern_d = qd;
    nim->qoffset_x = qx; nim->qoffset_y = qy; nim->qoffset_z = qz;
    nim->qfac = qfac;
    nim->qform_code = NIFTI_XFORM_SCANNER_ANAT;
    nim->qto_xyz = nifti_quatern_to_dmat44(qb, qc, qd, qx, qy, qz, dx, dy, dz, qfac);
    nim->qto_ijk = nifti_dmat44_inverse(nim->qto_xyz);
    nim->dx = nim->pixdim[1] = dx;
    nim->dy = nim->pixdim[2] = dy;
    nim->dz = nim->pixdim[3] = dz;
    nim->pixdim[0] = qfac;
    nim->xyz_units = NIFTI_UNITS_MM;
}

nifti_image *cnifti_new(int64_t nx, int64_t ny, int64_t nz, int datatype, int version) {
    int64_t dims[8] = {3, nx, ny, nz, 1, 1, 1, 1};
    nifti_image *nim = nifti_make_new_nim(dims, datatype, 0);
    if (nim) nim->nifti_type = version == 2 ? NIFTI_FTYPE_NIFTI2_1 : NIFTI_FTYPE_NIFTI1_1;
    return nim;
}

/* niftilib 3.0.1 (Debian 12) writes no header for NIfTI-2 single files; assemble the file here from the
 * header niftilib converts: 540-byte header, 4-byte empty extension flag, data. */
int cnifti_write_v2(nifti_image *nim) {
    nifti_2_header hdr;
    if (nifti_convert_nim2n2hdr(nim, &hdr) != 0) return -1;
    static const char magic[8] = {'n', '+', '2', '\0', '\r', '\n', '\032', '\n'};
    memcpy(hdr.magic, magic, 8);
    hdr.vox_offset = 544;
    znzFile fp = znzopen(nim->fname, "wb", nifti_is_gzfile(nim->fname));
    if (znz_isnull(fp)) return -1;
    const char extension[4] = {0, 0, 0, 0};
    size_t bytes = (size_t)nim->nvox * (size_t)nim->nbyper;
    int ok = znzwrite(&hdr, 1, sizeof hdr, fp) == sizeof hdr && znzwrite(extension, 1, 4, fp) == 4 &&
             znzwrite(nim->data, 1, bytes, fp) == bytes;
    znzclose(fp);
    return ok ? 0 : -1;
}
