#include "CNifti.h"
#include <zlib.h>
#include <stdlib.h>
#include <string.h>

long cnifti_peek(const char *path, void *buf, size_t len) {
    gzFile f = gzopen(path, "rb");
    if (f == NULL) return -1;
    int n = gzread(f, buf, (unsigned)len);
    gzclose(f);
    return n < 0 ? -1 : (long)n;
}

int cnifti_is_gzip(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return 0;
    unsigned char magic[2] = {0, 0};
    size_t n = fread(magic, 1, 2, f);
    fclose(f);
    return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

nifti_image *cnifti_read(const char *path, int read_data) {
    nifti_set_debug_level(0);
    return nifti_image_read(path, read_data);
}

/* Reads `nbytes` bytes starting `offset` bytes into the image data (after iname_offset) into `dest`, then swaps
 * them to the machine's byte order. niftilib's own nifti_read_collapsed_image frees the destination when a read
 * fails, which is the caller's buffer here (a double free on a truncated file): this reads it directly. */
static int read_block(nifti_image *nim, int64_t offset, int64_t nbytes, void *dest) {
    if (nim->iname == NULL || nim->iname_offset < 0 || offset < 0 || nbytes < 0) return -1;
    znzFile fp = znzopen(nim->iname, "rb", nifti_is_gzfile(nim->iname));
    if (znz_isnull(fp)) return -1;
    /* znzseek returns 0 (fseek) or the new offset (gzseek) on success, -1 on failure. */
    int ok = znzseek(fp, (znz_off_t)(nim->iname_offset + offset), SEEK_SET) >= 0;
    char *p = (char *)dest;
    int64_t left = nbytes;
    while (ok && left > 0) {
        size_t chunk = left > (1 << 30) ? (size_t)(1 << 30) : (size_t)left;
        if (znzread(p, 1, chunk, fp) != chunk) ok = 0;
        p += chunk;
        left -= (int64_t)chunk;
    }
    znzclose(fp);
    if (!ok) return -1;
    if (nim->swapsize > 1 && nim->byteorder != nifti_short_order())
        nifti_swap_Nbytes(nbytes / nim->swapsize, nim->swapsize, dest);
    return 0;
}

int cnifti_read_blocks(nifti_image *nim, int64_t block_bytes, void *context,
                       void (*block)(void *context, const void *data, int64_t nbytes)) {
    if (nim->iname == NULL || nim->iname_offset < 0 || nim->nbyper <= 0 || block_bytes < nim->nbyper) return -1;
    int64_t total = (int64_t)nim->nvox * nim->nbyper;
    int64_t size = block_bytes - block_bytes % nim->nbyper;
    if (size > total) size = total;
    char *buffer = malloc(size > 0 ? (size_t)size : 1);
    if (buffer == NULL) return -1;
    znzFile fp = znzopen(nim->iname, "rb", nifti_is_gzfile(nim->iname));
    int ok = !znz_isnull(fp) && znzseek(fp, (znz_off_t)nim->iname_offset, SEEK_SET) >= 0;
    for (int64_t done = 0; ok && done < total; done += size) {
        int64_t n = total - done < size ? total - done : size;
        if (znzread(buffer, 1, (size_t)n, fp) != (size_t)n) { ok = 0; break; }
        if (nim->swapsize > 1 && nim->byteorder != nifti_short_order())
            nifti_swap_Nbytes(n / nim->swapsize, nim->swapsize, buffer);
        block(context, buffer, n);
    }
    if (!znz_isnull(fp)) znzclose(fp);
    free(buffer);
    return ok ? 0 : -1;
}

int cnifti_read_data(nifti_image *nim, void *dest) {
    return read_block(nim, 0, (int64_t)nim->nvox * nim->nbyper, dest);
}

int cnifti_read_slices(nifti_image *nim, int64_t first, int64_t count, void *dest) {
    int64_t bytes = (int64_t)nim->nx * nim->ny * nim->nbyper;
    return read_block(nim, first * bytes, count * bytes, dest);
}

int cnifti_read_box(nifti_image *nim, int64_t x0, int64_t nx, int64_t y0, int64_t ny, int64_t z0, int64_t nz, void *dest) {
    if (nim->iname == NULL || nim->iname_offset < 0 || nim->nbyper <= 0 || x0 < 0 || y0 < 0 || z0 < 0 || nx < 0 || ny < 0
        || nz < 0 || x0 + nx > nim->nx || y0 + ny > nim->ny || z0 + nz > nim->nz) return -1;
    int64_t size = nim->nbyper, row = (int64_t)nim->nx * size, plane = row * nim->ny, rows = ny * row;
    char *buffer = malloc(rows > 0 ? (size_t)rows : 1);
    if (buffer == NULL) return -1;
    znzFile fp = znzopen(nim->iname, "rb", nifti_is_gzfile(nim->iname));
    int ok = !znz_isnull(fp);
    char *out = (char *)dest;
    for (int64_t z = z0; ok && z < z0 + nz; z++) {
        /* Rows y0 ... y0 + ny - 1 of slice z in one read (a forward seek: a gzip stream is decompressed once). */
        if (znzseek(fp, (znz_off_t)(nim->iname_offset + z * plane + y0 * row), SEEK_SET) < 0
            || znzread(buffer, 1, (size_t)rows, fp) != (size_t)rows) { ok = 0; break; }
        for (int64_t y = 0; y < ny; y++) {
            memcpy(out, buffer + y * row + x0 * size, (size_t)(nx * size));
            out += nx * size;
        }
    }
    if (!znz_isnull(fp)) znzclose(fp);
    free(buffer);
    if (!ok) return -1;
    if (nim->swapsize > 1 && nim->byteorder != nifti_short_order())
        nifti_swap_Nbytes(nx * ny * nz * size / nim->swapsize, nim->swapsize, dest);
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
