// Float SIMD operators and conversions (wasm_simd128.h) on edge-case
// lanes: NaN, infinities, -0.0, ties for `nearest`, values just past the
// integer ranges for the saturating conversions. Inputs live in mutable
// globals so the compiler cannot fold the operators away. Floats are
// printed exactly (%a); a NaN lane prints as "nan" because wasm leaves the
// sign and payload of a computed NaN unspecified.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <wasm_simd128.h>

float f32a[4] = {0.0f, -0.0f, 1.5f, -2.5f};
float f32b[4] = {-0.0f, 0.0f, NAN, 0.5f};
float f32c[4] = {INFINITY, -INFINITY, 2.5f, 3.5f};
float f32d[4] = {-0.5f, 1e30f, 0x1p-149f, -0x1.fffffep+127f};
float f32cvt1[4] = {2147483520.0f, 2147483648.0f, -2147483648.0f, -2147483904.0f};
float f32cvt2[4] = {4294967040.0f, 4294967296.0f, -0.99f, NAN};
double f64a[2] = {0.0, -0.0};
double f64b[2] = {-0.0, NAN};
double f64c[2] = {INFINITY, -2.5};
double f64d[2] = {0.5, 1e300};
double f64e[2] = {4503599627370497.5, -1.5};
double f64cvt1[2] = {2147483647.9, -2147483648.9};
double f64cvt2[2] = {4294967295.5, 4294967296.0};
double f64cvt3[2] = {NAN, -1.0};
double f64big[2] = {1e300, -1e-300};
int32_t i32s[4] = {0, -1, 2147483647, (int32_t)0x80000000};
int32_t i32t[4] = {16777217, -16777217, 33554435, 1};

static void pf(const char *name, v128_t v) {
    float f[4];
    wasm_v128_store(f, v);
    printf("%-26s", name);
    for (int i = 0; i < 4; i++) {
        if (isnan(f[i]))
            printf(" nan");
        else
            printf(" %a", f[i]);
    }
    printf("\n");
}

static void pd(const char *name, v128_t v) {
    double d[2];
    wasm_v128_store(d, v);
    printf("%-26s", name);
    for (int i = 0; i < 2; i++) {
        if (isnan(d[i]))
            printf(" nan");
        else
            printf(" %a", d[i]);
    }
    printf("\n");
}

static void p32(const char *name, v128_t v) {
    uint32_t w[4];
    wasm_v128_store(w, v);
    printf("%-26s", name);
    for (int i = 0; i < 4; i++) printf(" %08x", w[i]);
    printf("\n");
}

static void p64(const char *name, v128_t v) {
    uint64_t d[2];
    wasm_v128_store(d, v);
    printf("%-26s", name);
    for (int i = 0; i < 2; i++) printf(" %016llx", (unsigned long long)d[i]);
    printf("\n");
}

#define LOAD(a) wasm_v128_load(a)

// Each binary f32x4 operator on every ordered pair of the inputs.
static void f32x4_binary(void) {
    v128_t in[4] = {LOAD(f32a), LOAD(f32b), LOAD(f32c), LOAD(f32d)};
    char name[40];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            v128_t a = in[i], b = in[j];
            printf("-- f32x4 %c %c\n", 'a' + i, 'a' + j);
#define BIN(op)                                     \
    snprintf(name, sizeof name, "f32x4." #op);      \
    pf(name, wasm_f32x4_##op(a, b));
            BIN(add) BIN(sub) BIN(mul) BIN(div) BIN(min) BIN(max) BIN(pmin) BIN(pmax)
#undef BIN
#define CMP(op)                                     \
    snprintf(name, sizeof name, "f32x4." #op);      \
    p32(name, wasm_f32x4_##op(a, b));
            CMP(eq) CMP(ne) CMP(lt) CMP(gt) CMP(le) CMP(ge)
#undef CMP
        }
    }
}

static void f64x2_binary(void) {
    v128_t in[5] = {LOAD(f64a), LOAD(f64b), LOAD(f64c), LOAD(f64d), LOAD(f64e)};
    char name[40];
    for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 5; j++) {
            v128_t a = in[i], b = in[j];
            printf("-- f64x2 %c %c\n", 'a' + i, 'a' + j);
#define BIN(op)                                     \
    snprintf(name, sizeof name, "f64x2." #op);      \
    pd(name, wasm_f64x2_##op(a, b));
            BIN(add) BIN(sub) BIN(mul) BIN(div) BIN(min) BIN(max) BIN(pmin) BIN(pmax)
#undef BIN
#define CMP(op)                                     \
    snprintf(name, sizeof name, "f64x2." #op);      \
    p64(name, wasm_f64x2_##op(a, b));
            CMP(eq) CMP(ne) CMP(lt) CMP(gt) CMP(le) CMP(ge)
#undef CMP
        }
    }
}

static void unary(void) {
    v128_t f[6] = {LOAD(f32a), LOAD(f32b), LOAD(f32c), LOAD(f32d), LOAD(f32cvt1), LOAD(f32cvt2)};
    v128_t rounding = wasm_f32x4_make(f32a[2], f32a[3], f32d[0], f32c[3]);
    for (int i = 0; i < 6; i++) {
        printf("-- f32x4 input %d\n", i);
        pf("input", f[i]);
        pf("f32x4.abs", wasm_f32x4_abs(f[i]));
        pf("f32x4.neg", wasm_f32x4_neg(f[i]));
        pf("f32x4.sqrt", wasm_f32x4_sqrt(f[i]));
        pf("f32x4.ceil", wasm_f32x4_ceil(f[i]));
        pf("f32x4.floor", wasm_f32x4_floor(f[i]));
        pf("f32x4.trunc", wasm_f32x4_trunc(f[i]));
        pf("f32x4.nearest", wasm_f32x4_nearest(f[i]));
        p32("i32x4.trunc_sat_f32x4_s", wasm_i32x4_trunc_sat_f32x4(f[i]));
        p32("i32x4.trunc_sat_f32x4_u", wasm_u32x4_trunc_sat_f32x4(f[i]));
        pd("f64x2.promote_low_f32x4", wasm_f64x2_promote_low_f32x4(f[i]));
    }
    printf("-- f32x4 rounding\n");
    pf("input", rounding);
    pf("f32x4.nearest", wasm_f32x4_nearest(rounding));
    pf("f32x4.ceil", wasm_f32x4_ceil(rounding));
    pf("f32x4.floor", wasm_f32x4_floor(rounding));
    pf("f32x4.trunc", wasm_f32x4_trunc(rounding));

    v128_t d[9] = {LOAD(f64a), LOAD(f64b), LOAD(f64c),    LOAD(f64d),  LOAD(f64e),
                   LOAD(f64cvt1), LOAD(f64cvt2), LOAD(f64cvt3), LOAD(f64big)};
    for (int i = 0; i < 9; i++) {
        printf("-- f64x2 input %d\n", i);
        pd("input", d[i]);
        pd("f64x2.abs", wasm_f64x2_abs(d[i]));
        pd("f64x2.neg", wasm_f64x2_neg(d[i]));
        pd("f64x2.sqrt", wasm_f64x2_sqrt(d[i]));
        pd("f64x2.ceil", wasm_f64x2_ceil(d[i]));
        pd("f64x2.floor", wasm_f64x2_floor(d[i]));
        pd("f64x2.trunc", wasm_f64x2_trunc(d[i]));
        pd("f64x2.nearest", wasm_f64x2_nearest(d[i]));
        p32("i32x4.trunc_sat_f64x2_s_zero", wasm_i32x4_trunc_sat_f64x2_zero(d[i]));
        p32("i32x4.trunc_sat_f64x2_u_zero", wasm_u32x4_trunc_sat_f64x2_zero(d[i]));
        pf("f32x4.demote_f64x2_zero", wasm_f32x4_demote_f64x2_zero(d[i]));
    }
}

static void from_int(void) {
    v128_t in[2] = {LOAD(i32s), LOAD(i32t)};
    for (int i = 0; i < 2; i++) {
        printf("-- i32x4 input %d\n", i);
        p32("input", in[i]);
        pf("f32x4.convert_i32x4_s", wasm_f32x4_convert_i32x4(in[i]));
        pf("f32x4.convert_i32x4_u", wasm_f32x4_convert_u32x4(in[i]));
        pd("f64x2.convert_low_i32x4_s", wasm_f64x2_convert_low_i32x4(in[i]));
        pd("f64x2.convert_low_i32x4_u", wasm_f64x2_convert_low_u32x4(in[i]));
        v128_t high = wasm_i32x4_shuffle(in[i], in[i], 2, 3, 0, 1);
        pd("convert_low_s of high", wasm_f64x2_convert_low_i32x4(high));
        pd("convert_low_u of high", wasm_f64x2_convert_low_u32x4(high));
    }
}

static void lanes(void) {
    v128_t a = LOAD(f32d), d = LOAD(f64c);
    printf("-- lanes\n");
    printf("f32x4.extract_lane 3      %a\n", wasm_f32x4_extract_lane(a, 3));
    printf("f64x2.extract_lane 1      %a\n", wasm_f64x2_extract_lane(d, 1));
    pf("f32x4.replace_lane 1", wasm_f32x4_replace_lane(a, 1, f32c[1]));
    pd("f64x2.replace_lane 0", wasm_f64x2_replace_lane(d, 0, f64e[0]));
    pf("f32x4.splat", wasm_f32x4_splat(f32d[2]));
    pd("f64x2.splat", wasm_f64x2_splat(f64c[1]));
}

int main(void) {
    f32x4_binary();
    f64x2_binary();
    unary();
    from_int();
    lanes();
    return 0;
}
