/* niftilib (NIfTI-1 and NIfTI-2 through nifti2_io) for Swift, plus a few helpers in shim.c. */
#ifndef CNIFTI_H
#define CNIFTI_H
#include <nifti/nifti2_io.h>
#include <stddef.h>

/* Reads up to `len` bytes from the start of a file, gunzipping when it is gzip-compressed.
 * Returns the number of bytes read, or -1 when the file cannot be opened. */
long cnifti_peek(const char *path, void *buf, size_t len);
/* 1 when the file starts with the gzip magic bytes. */
int cnifti_is_gzip(const char *path);
/* nifti_image_read with niftilib's own messages silenced. */
nifti_image *cnifti_read(const char *path, int read_data);

/* Reads the whole image of a header read with read_data 0 into `dest` (nvox * nbyper bytes, byte-swapped to
 * the machine's order): the caller's buffer, so the voxels are not copied again. 0 on success, -1 on error. */
int cnifti_read_data(nifti_image *nim, void *dest);
/* Reads slices first ..< first + count (z) of a 3D image the same way. */
int cnifti_read_slices(nifti_image *nim, int64_t first, int64_t count, void *dest);
/* Reads the box x0 ... x0 + nx - 1, y0 ..., z0 ... of the image data (x fastest) into `dest`, slice by slice through
 * one open stream and a buffer of ny rows, swapped to the machine's byte order; -1 when the box leaves the image
 * or the file is short. */
int cnifti_read_box(nifti_image *nim, int64_t x0, int64_t nx, int64_t y0, int64_t ny, int64_t z0, int64_t nz, void *dest);
/* Reads the image data in consecutive blocks through one open file: `block` is called with each block of at
 * most `block_bytes` bytes (whole voxels, byte-swapped to the machine's order) in a buffer it must not keep, and
 * `context`. The caller's memory then holds only what it makes of each block. 0 on success, -1 on error. */
int cnifti_read_blocks(nifti_image *nim, int64_t block_bytes, void *context,
                       void (*block)(void *context, const void *data, int64_t nbytes));
/* Writes `nim` (header and data, leaving the file open so failure can be seen), then closes it. 0 on success. */
int cnifti_write(nifti_image *nim);
/* Writes a NIfTI-2 single file (header, empty extension flag, data) to nim->fname. 0 on success. */
int cnifti_write_v2(nifti_image *nim);
/* Row-major 4x4 copy of the qform (which = 0) or sform (which = 1) voxel-to-RAS matrix. */
void cnifti_get_affine(const nifti_image *nim, int which, double out[16]);
/* Sets sform and qform (both NIFTI_XFORM_SCANNER_ANAT) and pixdim from a row-major voxel-to-RAS matrix
 * whose 3x3 part is a rotation (or reflection) times the voxel spacing. */
void cnifti_set_affine(nifti_image *nim, const double affine[16]);
/* A new image header (no data) of the given size and NIfTI datatype code, single file of NIfTI version 1 or 2. */
nifti_image *cnifti_new(int64_t nx, int64_t ny, int64_t nz, int datatype, int version);
#endif
