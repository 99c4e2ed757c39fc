/*
 * CDicom: a small C interface over GDCM (C++), so that Swift reads and writes DICOM without C++ interop.
 *
 * Reading: open a file (header only, or whole with decoded pixels), walk its data set and nested sequences,
 * read values as text or numbers. Interpreting the values (series geometry, RTSTRUCT, SEG) is done in Swift.
 * Writing: build a data set tree element by element (bytes already encoded with their VR), save it with a
 * given transfer syntax; GDCM fills in the file meta information.
 *
 * Every entry point catches C++ exceptions; failures return NULL / -1 and put a message in `err`.
 */
#ifndef CDICOM_H
#define CDICOM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cdicom_file cdicom_file;
/* A data set inside an open file: the root, or a sequence item. Valid while the file is open. */
typedef const void *cdicom_dataset;

/* Lets the allocator reuse per-slice buffers across files instead of mapping fresh pages for each (glibc
 * mallopt; a process-wide setting that only changes when memory goes back to the system). */
void cdicom_keep_slice_buffers(void);

/* Silence GDCM's own warnings on stderr (e.g. the per-file JPEG 2000 notice). */
void cdicom_quiet(void);

/* Opens a DICOM file. With header_only != 0 reading stops before the pixel data (fast scan).
 * Otherwise the file is read whole and its pixel data can be decoded with cdicom_decode_pixels. */
cdicom_file *cdicom_open(const char *path, int header_only, char *err, size_t errlen);
void cdicom_close(cdicom_file *file);

cdicom_dataset cdicom_root(cdicom_file *file);
/* The transfer syntax UID of the data set ("" if unknown). */
const char *cdicom_transfer_syntax(cdicom_file *file);

/* 1 if the data set holds the element (tag = group << 16 | element). */
int cdicom_has(cdicom_dataset ds, uint32_t tag);
/* Copies the element's value as text (trailing spaces and NULs removed) into buf. Returns the full length,
 * or -1 when the element is absent, or -2 when it is binary (use cdicom_get_numbers). */
long cdicom_get_string(cdicom_file *file, cdicom_dataset ds, uint32_t tag, char *buf, size_t buflen);
/* Reads the element's values as numbers: DS/IS parsed from text, US/SS/UL/SL/FL/FD/AT decoded.
 * Writes up to `capacity` values and returns how many the element holds, or -1 when absent, -2 when
 * the value cannot be read as numbers. */
long cdicom_get_numbers(cdicom_file *file, cdicom_dataset ds, uint32_t tag, double *out, size_t capacity);
/* Number of items of a sequence element, -1 when absent or not a sequence. */
long cdicom_sequence_count(cdicom_file *file, cdicom_dataset ds, uint32_t tag);
/* Item `index` (0-based) of a sequence element, NULL when out of range. */
cdicom_dataset cdicom_sequence_item(cdicom_file *file, cdicom_dataset ds, uint32_t tag, long index);

/* What cdicom_decode_pixels produced. */
typedef struct cdicom_pixel_layout {
    int columns;
    int rows;
    int frames;
    int samples_per_pixel;
    int bits_allocated;       /* 1, 8, 16 or 32 */
    int bits_stored;
    int pixel_representation; /* 0 unsigned, 1 signed (two's complement) */
    size_t byte_length;       /* bytes written to dst */
} cdicom_pixel_layout;

/* Size in bytes of the decoded pixel data of a file opened whole; -1 with a message on failure. */
long cdicom_pixel_buffer_length(cdicom_file *file, char *err, size_t errlen);
/* Decodes the pixel data (any transfer syntax GDCM supports) into dst as stored values, little endian,
 * frames one after another, rows one after another. Returns 0 on success. */
int cdicom_decode_pixels(cdicom_file *file, void *dst, size_t dst_len, cdicom_pixel_layout *layout,
                         char *err, size_t errlen);

/* --- writing --- */
typedef struct cdicom_writer cdicom_writer;
cdicom_writer *cdicom_writer_new(void);
void cdicom_writer_free(cdicom_writer *writer);
/* Sets one element. `tags` has `depth` entries: tags[0..depth-2] are sequences, and items[d] is the item
 * (0-based, created as needed) of sequence tags[d] to descend into; tags[depth-1] is the element itself.
 * `vr` is the two-letter VR; "SQ" with no bytes creates an empty sequence. Bytes must already be encoded
 * (little endian, text padded to even length). Returns 0 on success. */
int cdicom_writer_set(cdicom_writer *writer, const uint32_t *tags, const int32_t *items, int depth,
                      const char *vr, const void *bytes, size_t len, char *err, size_t errlen);
/* Saves with the given transfer syntax UID (native syntaxes only: explicit or implicit VR little endian).
 * GDCM fills in the file meta information from SOPClassUID and SOPInstanceUID. Returns 0 on success. */
int cdicom_writer_save(cdicom_writer *writer, const char *path, const char *transfer_syntax_uid,
                       char *err, size_t errlen);

/* Inflates a raw deflate stream (RFC 1951: the data set of the Deflated Explicit VR Little Endian transfer syntax).
 * With dst == NULL nothing is written and the inflated size is measured. Returns the number of inflated bytes, or
 * -1 for a corrupt stream, -2 for a stream that ends before its last block (truncated), -3 when the output would
 * exceed dst_cap bytes. */
long cdicom_inflate(const void *src, size_t src_len, void *dst, size_t dst_cap);

#ifdef __cplusplus
}
#endif

#endif
