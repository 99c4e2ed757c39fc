#include "CKernels.h"

// Every version must compute a * b + c as two rounded operations, as Swift does: no fused multiply-add.
#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

#if defined(__x86_64__) && defined(__linux__) && defined(__clang__)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

typedef double v8d __attribute__((vector_size(64)));

// Macros, not functions: a function passing a v8d would be compiled for the baseline target only, where its
// calling convention differs from the AVX versions'.
#define load(p) ({ v8d v_; __builtin_memcpy(&v_, (p), sizeof v_); v_; })
#define store(p, v) do { v8d w_ = (v); __builtin_memcpy((p), &w_, sizeof w_); } while (0)
#define splat(x) ((v8d){(x), (x), (x), (x), (x), (x), (x), (x)})

CLONES void radiomics_recursive_gaussian(const double *data, double *out, double *scratch, long ln, long W,
                                         const double *c) {
    const v8d n0 = splat(c[0]), n1 = splat(c[1]), n2 = splat(c[2]), n3 = splat(c[3]);
    const v8d d1 = splat(c[4]), d2 = splat(c[5]), d3 = splat(c[6]), d4 = splat(c[7]);
    const v8d m1 = splat(c[8]), m2 = splat(c[9]), m3 = splat(c[10]), m4 = splat(c[11]);
    const v8d bn1 = splat(c[12]), bn2 = splat(c[13]), bn3 = splat(c[14]), bn4 = splat(c[15]);
    const v8d bm1 = splat(c[16]), bm2 = splat(c[17]), bm3 = splat(c[18]), bm4 = splat(c[19]);
#define AT(p, t, w) ((p) + 8 * ((t) * W + (w)))
    // Causal pass: the first value extends to minus infinity.
    for (long w = 0; w < W; w++) {
        v8d v1 = load(AT(data, 0, w)), x1 = load(AT(data, 1, w)), x2 = load(AT(data, 2, w)), x3 = load(AT(data, 3, w));
        v8d o0 = v1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
        v8d o1 = x1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
        v8d o2 = x2 * n0 + x1 * n1 + v1 * n2 + v1 * n3;
        v8d o3 = x3 * n0 + x2 * n1 + x1 * n2 + v1 * n3;
        o0 -= v1 * bn1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
        o1 -= o0 * d1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
        o2 -= o1 * d1 + o0 * d2 + v1 * bn3 + v1 * bn4;
        o3 -= o2 * d1 + o1 * d2 + o0 * d3 + v1 * bn4;
        store(AT(out, 0, w), o0);
        store(AT(out, 1, w), o1);
        store(AT(out, 2, w), o2);
        store(AT(out, 3, w), o3);
    }
    for (long t = 4; t < ln; t++) {
        for (long w = 0; w < W; w++) {
            v8d v = load(AT(data, t, w)) * n0 + load(AT(data, t - 1, w)) * n1 + load(AT(data, t - 2, w)) * n2
                + load(AT(data, t - 3, w)) * n3;
            v -= load(AT(out, t - 1, w)) * d1 + load(AT(out, t - 2, w)) * d2 + load(AT(out, t - 3, w)) * d3
                + load(AT(out, t - 4, w)) * d4;
            store(AT(out, t, w), v);
        }
    }
    // Anti-causal pass: the last value extends to plus infinity.
    const long e = ln - 1;
    for (long w = 0; w < W; w++) {
        v8d v2 = load(AT(data, e, w)), y1 = load(AT(data, e - 1, w)), y2 = load(AT(data, e - 2, w));
        v8d s1 = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
        v8d s2 = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
        v8d s3 = y1 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
        v8d s4 = y2 * m1 + y1 * m2 + v2 * m3 + v2 * m4;
        s1 -= v2 * bm1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
        s2 -= s1 * d1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
        s3 -= s2 * d1 + s1 * d2 + v2 * bm3 + v2 * bm4;
        s4 -= s3 * d1 + s2 * d2 + s1 * d3 + v2 * bm4;
        store(AT(scratch, e, w), s1);
        store(AT(scratch, e - 1, w), s2);
        store(AT(scratch, e - 2, w), s3);
        store(AT(scratch, e - 3, w), s4);
    }
    for (long t = ln - 4; t > 0; t--) {
        // scratch[t - 1] from data[t ... t + 3] and scratch[t ... t + 3].
        for (long w = 0; w < W; w++) {
            v8d v = load(AT(data, t, w)) * m1 + load(AT(data, t + 1, w)) * m2 + load(AT(data, t + 2, w)) * m3
                + load(AT(data, t + 3, w)) * m4;
            v -= load(AT(scratch, t, w)) * d1 + load(AT(scratch, t + 1, w)) * d2 + load(AT(scratch, t + 2, w)) * d3
                + load(AT(scratch, t + 3, w)) * d4;
            store(AT(scratch, t - 1, w), v);
        }
    }
    for (long i = 0; i < ln * W; i++) store(out + 8 * i, load(out + 8 * i) + load(scratch + 8 * i));
#undef AT
}
