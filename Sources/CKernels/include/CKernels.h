#ifndef CKERNELS_H
#define CKERNELS_H

/// Numeric kernels that gain from wider vectors than Swift's baseline x86-64 target gives (SSE2): each is
/// compiled for AVX-512, AVX2 and the baseline, and the loader picks the widest the processor has
/// (target_clones; one plain version elsewhere). Floating-point contraction is off, so every version computes
/// the same operations in the same order and gives bit-identical results.

/// ITK's recursive Gaussian (RecursiveSeparableImageFilter::FilterDataArray) on eight lines per vector of eight
/// doubles: `width` vectors per sample, sample t of vector w at doubles 8 (t width + w) ... + 7 of `data`, `out`
/// and `scratch` (each `count * width * 8` doubles, `count` >= 4). `c` holds the 20 coefficients n0 n1 n2 n3,
/// d1 d2 d3 d4, m1 m2 m3 m4, bn1 bn2 bn3 bn4, bm1 bm2 bm3 bm4. `out` gets the filtered lines.
void radiomics_recursive_gaussian(const double *data, double *out, double *scratch, long count, long width,
                                  const double *c);

#endif
