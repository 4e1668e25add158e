// A SIMD-heavy workload: loops clang vectorizes with -msimd128 (saxpy,
// integer blend with saturation, byte histogram-free checksum) and a kernel
// written with <wasm_simd128.h> intrinsics (i16 dot products, f32 min/max,
// shuffles). Prints checksums only, so the output is the same whatever the
// speed. argv[1] is the number of rounds (default 10).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <wasm_simd128.h>

#define N 4096

static float xs[N], ys[N];
static int16_t as[N], bs[N];
static uint8_t pa[N], pb[N], pout[N];

static void init(void) {
    uint32_t s = 12345;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        xs[i] = (float)(s >> 8) / 16777216.0f - 0.5f;
        ys[i] = (float)(s & 0xffff) / 65536.0f;
        as[i] = (int16_t)(s >> 16);
        bs[i] = (int16_t)(s >> 3);
        pa[i] = (uint8_t)(s >> 11);
        pb[i] = (uint8_t)(s >> 19);
    }
}

// Vectorized by clang: f32x4 mul/add.
static void saxpy(float a) {
    for (int i = 0; i < N; i++) ys[i] = a * xs[i] + ys[i] * 0.5f;
}

// Vectorized by clang: saturating u8 add and average.
static void blend(void) {
    for (int i = 0; i < N; i++) {
        unsigned s = pa[i] + pb[i];
        pout[i] = (uint8_t)(s > 255 ? 255 : s);
        pa[i] = (uint8_t)((pa[i] + pout[i] + 1) >> 1);
    }
}

// Intrinsics: i32x4.dot_i16x8_s accumulation.
static int64_t dot(void) {
    v128_t acc = wasm_i32x4_splat(0);
    int64_t total = 0;
    for (int i = 0; i < N; i += 8) {
        v128_t a = wasm_v128_load(&as[i]);
        v128_t b = wasm_v128_load(&bs[i]);
        acc = wasm_i32x4_add(acc, wasm_i32x4_shr(wasm_i32x4_dot_i16x8(a, b), 8));
        if ((i & 1023) == 1016) {
            total += (int64_t)wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
                     wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
            acc = wasm_i32x4_splat(0);
        }
    }
    return total;
}

// Intrinsics: f32x4 min/max and a lane rotation.
static float range(void) {
    v128_t lo = wasm_f32x4_splat(1e30f), hi = wasm_f32x4_splat(-1e30f);
    for (int i = 0; i < N; i += 4) {
        v128_t v = wasm_v128_load(&ys[i]);
        lo = wasm_f32x4_min(lo, v);
        hi = wasm_f32x4_max(hi, wasm_i32x4_shuffle(v, v, 1, 2, 3, 0));
    }
    v128_t d = wasm_f32x4_sub(hi, lo);
    return wasm_f32x4_extract_lane(d, 0) + wasm_f32x4_extract_lane(d, 1) +
           wasm_f32x4_extract_lane(d, 2) + wasm_f32x4_extract_lane(d, 3);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    init();
    int64_t dots = 0;
    double ranges = 0;
    uint32_t bytes = 0;
    for (int r = 0; r < rounds; r++) {
        saxpy(0.25f + (float)(r & 7) / 64.0f);
        blend();
        dots += dot();
        ranges += range();
        as[r & (N - 1)] ^= (int16_t)pout[r & (N - 1)];
    }
    for (int i = 0; i < N; i++) bytes = bytes * 31u + pout[i] + pa[i];
    printf("rounds %d\n", rounds);
    printf("dot checksum %lld\n", (long long)dots);
    printf("range sum %.6e\n", ranges);
    printf("byte checksum %08x\n", bytes);
    printf("ys[0..3] %a %a %a %a\n", ys[0], ys[1], ys[2], ys[3]);
    return 0;
}
