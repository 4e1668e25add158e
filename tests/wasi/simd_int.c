// Integer SIMD operators (wasm_simd128.h) on edge-case lanes: INT_MIN /
// INT_MAX lanes, saturation edges, shift counts at and past the lane width,
// out-of-range swizzle indices. Inputs live in mutable globals so the
// compiler cannot fold the operators away; every result is printed as hex
// lanes, lane 0 first.
#include <stdint.h>
#include <stdio.h>
#include <wasm_simd128.h>

int8_t i8a[16] = {0, 1, -1, 127, -128, 100, -100, 50, 7, 8, -7, 0x55, -86, 2, -2, 64};
int8_t i8b[16] = {0, -1, 1, 1, -1, 100, -100, -128, 127, 9, 0, 0x55, 3, -3, 127, -64};
int16_t i16a[8] = {0, 1, -1, 32767, -32768, 1000, -20000, 0x5555};
int16_t i16b[8] = {-1, 32767, -32768, 1, -1, 1000, -20000, 16384};
int32_t i32a[4] = {0, -1, 2147483647, (int32_t)0x80000000};
int32_t i32b[4] = {1, -1, -1, (int32_t)0x80000000};
int32_t i32c[4] = {12345678, -98765, 65536, (int32_t)0x80000001};
int64_t i64a[2] = {INT64_MIN, -1};
int64_t i64b[2] = {1, INT64_MAX};
int64_t i64c[2] = {0x123456789abcdefLL, -0x100000001LL};
uint8_t indices[16] = {0, 15, 16, 255, 128, 3, 31, 17, 1, 2, 127, 8, 9, 240, 14, 7};
int32_t shifts[] = {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, -1};
uint8_t zeros[16];
uint8_t ones[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
uint8_t one_zero_lane[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};

static void p8(const char *name, v128_t v) {
    uint8_t b[16];
    wasm_v128_store(b, v);
    printf("%-28s", name);
    for (int i = 0; i < 16; i++) printf(" %02x", b[i]);
    printf("\n");
}

static void p16(const char *name, v128_t v) {
    uint16_t h[8];
    wasm_v128_store(h, v);
    printf("%-28s", name);
    for (int i = 0; i < 8; i++) printf(" %04x", h[i]);
    printf("\n");
}

static void p32(const char *name, v128_t v) {
    uint32_t w[4];
    wasm_v128_store(w, v);
    printf("%-28s", name);
    for (int i = 0; i < 4; i++) printf(" %08x", w[i]);
    printf("\n");
}

static void p64(const char *name, v128_t v) {
    uint64_t d[2];
    wasm_v128_store(d, v);
    printf("%-28s", name);
    for (int i = 0; i < 2; i++) printf(" %016llx", (unsigned long long)d[i]);
    printf("\n");
}

static void scalar(const char *name, long long v) { printf("%-28s %lld\n", name, v); }

#define LOAD(a) wasm_v128_load(a)

static void i8x16_ops(void) {
    v128_t a = LOAD(i8a), b = LOAD(i8b);
    p8("i8x16 a", a);
    p8("i8x16 b", b);
    p8("i8x16.eq", wasm_i8x16_eq(a, b));
    p8("i8x16.ne", wasm_i8x16_ne(a, b));
    p8("i8x16.lt_s", wasm_i8x16_lt(a, b));
    p8("i8x16.lt_u", wasm_u8x16_lt(a, b));
    p8("i8x16.gt_s", wasm_i8x16_gt(a, b));
    p8("i8x16.gt_u", wasm_u8x16_gt(a, b));
    p8("i8x16.le_s", wasm_i8x16_le(a, b));
    p8("i8x16.le_u", wasm_u8x16_le(a, b));
    p8("i8x16.ge_s", wasm_i8x16_ge(a, b));
    p8("i8x16.ge_u", wasm_u8x16_ge(a, b));
    p8("i8x16.abs", wasm_i8x16_abs(a));
    p8("i8x16.neg", wasm_i8x16_neg(a));
    p8("i8x16.popcnt", wasm_i8x16_popcnt(a));
    p8("i8x16.add", wasm_i8x16_add(a, b));
    p8("i8x16.add_sat_s", wasm_i8x16_add_sat(a, b));
    p8("i8x16.add_sat_u", wasm_u8x16_add_sat(a, b));
    p8("i8x16.sub", wasm_i8x16_sub(a, b));
    p8("i8x16.sub_sat_s", wasm_i8x16_sub_sat(a, b));
    p8("i8x16.sub_sat_u", wasm_u8x16_sub_sat(a, b));
    p8("i8x16.min_s", wasm_i8x16_min(a, b));
    p8("i8x16.min_u", wasm_u8x16_min(a, b));
    p8("i8x16.max_s", wasm_i8x16_max(a, b));
    p8("i8x16.max_u", wasm_u8x16_max(a, b));
    p8("i8x16.avgr_u", wasm_u8x16_avgr(a, b));
    p8("i8x16.narrow_i16x8_s", wasm_i8x16_narrow_i16x8(LOAD(i16a), LOAD(i16b)));
    p8("i8x16.narrow_i16x8_u", wasm_u8x16_narrow_i16x8(LOAD(i16a), LOAD(i16b)));
    p8("i8x16.swizzle", wasm_i8x16_swizzle(a, LOAD(indices)));
    p8("i8x16.shuffle",
       wasm_i8x16_shuffle(a, b, 0, 16, 1, 17, 31, 15, 2, 2, 30, 8, 9, 24, 3, 19, 0, 0));
    p8("i8x16.shuffle rev", wasm_i8x16_shuffle(a, a, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
                                               3, 2, 1, 0));
    scalar("i8x16.all_true a", wasm_i8x16_all_true(a));
    scalar("i8x16.all_true ones", wasm_i8x16_all_true(LOAD(ones)));
    scalar("i8x16.all_true one zero", wasm_i8x16_all_true(LOAD(one_zero_lane)));
    scalar("i8x16.bitmask a", wasm_i8x16_bitmask(a));
    scalar("i8x16.bitmask b", wasm_i8x16_bitmask(b));
    scalar("i8x16.extract_lane_s 4", wasm_i8x16_extract_lane(a, 4));
    scalar("i8x16.extract_lane_u 4", wasm_u8x16_extract_lane(a, 4));
    scalar("i8x16.extract_lane_s 15", wasm_i8x16_extract_lane(a, 15));
    p8("i8x16.replace_lane 0", wasm_i8x16_replace_lane(a, 0, (int8_t)i32c[0]));
    p8("i8x16.replace_lane 15", wasm_i8x16_replace_lane(a, 15, (int8_t)i32a[3]));
    p8("i8x16.splat", wasm_i8x16_splat((int8_t)i32c[1]));
    char name[40];
    for (unsigned i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
        snprintf(name, sizeof name, "i8x16.shl %d", shifts[i]);
        p8(name, wasm_i8x16_shl(a, shifts[i]));
        snprintf(name, sizeof name, "i8x16.shr_s %d", shifts[i]);
        p8(name, wasm_i8x16_shr(a, shifts[i]));
        snprintf(name, sizeof name, "i8x16.shr_u %d", shifts[i]);
        p8(name, wasm_u8x16_shr(a, shifts[i]));
    }
}

static void i16x8_ops(void) {
    v128_t a = LOAD(i16a), b = LOAD(i16b);
    v128_t a8 = LOAD(i8a), b8 = LOAD(i8b);
    p16("i16x8 a", a);
    p16("i16x8 b", b);
    p16("i16x8.eq", wasm_i16x8_eq(a, b));
    p16("i16x8.ne", wasm_i16x8_ne(a, b));
    p16("i16x8.lt_s", wasm_i16x8_lt(a, b));
    p16("i16x8.lt_u", wasm_u16x8_lt(a, b));
    p16("i16x8.gt_s", wasm_i16x8_gt(a, b));
    p16("i16x8.gt_u", wasm_u16x8_gt(a, b));
    p16("i16x8.le_s", wasm_i16x8_le(a, b));
    p16("i16x8.le_u", wasm_u16x8_le(a, b));
    p16("i16x8.ge_s", wasm_i16x8_ge(a, b));
    p16("i16x8.ge_u", wasm_u16x8_ge(a, b));
    p16("i16x8.abs", wasm_i16x8_abs(a));
    p16("i16x8.neg", wasm_i16x8_neg(a));
    p16("i16x8.add", wasm_i16x8_add(a, b));
    p16("i16x8.add_sat_s", wasm_i16x8_add_sat(a, b));
    p16("i16x8.add_sat_u", wasm_u16x8_add_sat(a, b));
    p16("i16x8.sub", wasm_i16x8_sub(a, b));
    p16("i16x8.sub_sat_s", wasm_i16x8_sub_sat(a, b));
    p16("i16x8.sub_sat_u", wasm_u16x8_sub_sat(a, b));
    p16("i16x8.mul", wasm_i16x8_mul(a, b));
    p16("i16x8.min_s", wasm_i16x8_min(a, b));
    p16("i16x8.min_u", wasm_u16x8_min(a, b));
    p16("i16x8.max_s", wasm_i16x8_max(a, b));
    p16("i16x8.max_u", wasm_u16x8_max(a, b));
    p16("i16x8.avgr_u", wasm_u16x8_avgr(a, b));
    p16("i16x8.q15mulr_sat_s", wasm_i16x8_q15mulr_sat(a, b));
    p16("i16x8.q15mulr_sat_s a a", wasm_i16x8_q15mulr_sat(a, a));
    p16("i16x8.narrow_i32x4_s", wasm_i16x8_narrow_i32x4(LOAD(i32a), LOAD(i32c)));
    p16("i16x8.narrow_i32x4_u", wasm_u16x8_narrow_i32x4(LOAD(i32a), LOAD(i32c)));
    p16("i16x8.extend_low_i8x16_s", wasm_i16x8_extend_low_i8x16(a8));
    p16("i16x8.extend_high_i8x16_s", wasm_i16x8_extend_high_i8x16(a8));
    p16("i16x8.extend_low_i8x16_u", wasm_u16x8_extend_low_u8x16(a8));
    p16("i16x8.extend_high_i8x16_u", wasm_u16x8_extend_high_u8x16(a8));
    p16("i16x8.extmul_low_i8x16_s", wasm_i16x8_extmul_low_i8x16(a8, b8));
    p16("i16x8.extmul_high_i8x16_s", wasm_i16x8_extmul_high_i8x16(a8, b8));
    p16("i16x8.extmul_low_i8x16_u", wasm_u16x8_extmul_low_u8x16(a8, b8));
    p16("i16x8.extmul_high_i8x16_u", wasm_u16x8_extmul_high_u8x16(a8, b8));
    p16("i16x8.extadd_pairwise_s", wasm_i16x8_extadd_pairwise_i8x16(a8));
    p16("i16x8.extadd_pairwise_u", wasm_u16x8_extadd_pairwise_u8x16(a8));
    scalar("i16x8.all_true a", wasm_i16x8_all_true(a));
    scalar("i16x8.all_true b", wasm_i16x8_all_true(b));
    scalar("i16x8.bitmask a", wasm_i16x8_bitmask(a));
    scalar("i16x8.bitmask b", wasm_i16x8_bitmask(b));
    scalar("i16x8.extract_lane_s 4", wasm_i16x8_extract_lane(a, 4));
    scalar("i16x8.extract_lane_u 4", wasm_u16x8_extract_lane(a, 4));
    p16("i16x8.replace_lane 7", wasm_i16x8_replace_lane(a, 7, (int16_t)i32c[1]));
    p16("i16x8.splat", wasm_i16x8_splat((int16_t)i32c[0]));
    char name[40];
    for (unsigned i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
        snprintf(name, sizeof name, "i16x8.shl %d", shifts[i]);
        p16(name, wasm_i16x8_shl(a, shifts[i]));
        snprintf(name, sizeof name, "i16x8.shr_s %d", shifts[i]);
        p16(name, wasm_i16x8_shr(a, shifts[i]));
        snprintf(name, sizeof name, "i16x8.shr_u %d", shifts[i]);
        p16(name, wasm_u16x8_shr(a, shifts[i]));
    }
}

static void i32x4_ops(void) {
    v128_t a = LOAD(i32a), b = LOAD(i32b), c = LOAD(i32c);
    v128_t a16 = LOAD(i16a), b16 = LOAD(i16b);
    p32("i32x4 a", a);
    p32("i32x4 b", b);
    p32("i32x4 c", c);
    p32("i32x4.eq", wasm_i32x4_eq(a, b));
    p32("i32x4.ne", wasm_i32x4_ne(a, b));
    p32("i32x4.lt_s", wasm_i32x4_lt(a, c));
    p32("i32x4.lt_u", wasm_u32x4_lt(a, c));
    p32("i32x4.gt_s", wasm_i32x4_gt(a, c));
    p32("i32x4.gt_u", wasm_u32x4_gt(a, c));
    p32("i32x4.le_s", wasm_i32x4_le(a, b));
    p32("i32x4.le_u", wasm_u32x4_le(a, b));
    p32("i32x4.ge_s", wasm_i32x4_ge(a, b));
    p32("i32x4.ge_u", wasm_u32x4_ge(a, b));
    p32("i32x4.abs", wasm_i32x4_abs(a));
    p32("i32x4.neg", wasm_i32x4_neg(a));
    p32("i32x4.add", wasm_i32x4_add(a, b));
    p32("i32x4.sub", wasm_i32x4_sub(a, c));
    p32("i32x4.mul", wasm_i32x4_mul(a, c));
    p32("i32x4.mul c c", wasm_i32x4_mul(c, c));
    p32("i32x4.min_s", wasm_i32x4_min(a, c));
    p32("i32x4.min_u", wasm_u32x4_min(a, c));
    p32("i32x4.max_s", wasm_i32x4_max(a, c));
    p32("i32x4.max_u", wasm_u32x4_max(a, c));
    p32("i32x4.dot_i16x8_s", wasm_i32x4_dot_i16x8(a16, b16));
    p32("i32x4.dot_i16x8_s a a", wasm_i32x4_dot_i16x8(a16, a16));
    p32("i32x4.extend_low_i16x8_s", wasm_i32x4_extend_low_i16x8(a16));
    p32("i32x4.extend_high_i16x8_s", wasm_i32x4_extend_high_i16x8(a16));
    p32("i32x4.extend_low_i16x8_u", wasm_u32x4_extend_low_u16x8(a16));
    p32("i32x4.extend_high_i16x8_u", wasm_u32x4_extend_high_u16x8(a16));
    p32("i32x4.extmul_low_i16x8_s", wasm_i32x4_extmul_low_i16x8(a16, b16));
    p32("i32x4.extmul_high_i16x8_s", wasm_i32x4_extmul_high_i16x8(a16, b16));
    p32("i32x4.extmul_low_i16x8_u", wasm_u32x4_extmul_low_u16x8(a16, b16));
    p32("i32x4.extmul_high_i16x8_u", wasm_u32x4_extmul_high_u16x8(a16, b16));
    p32("i32x4.extadd_pairwise_s", wasm_i32x4_extadd_pairwise_i16x8(a16));
    p32("i32x4.extadd_pairwise_u", wasm_u32x4_extadd_pairwise_u16x8(a16));
    scalar("i32x4.all_true a", wasm_i32x4_all_true(a));
    scalar("i32x4.all_true b", wasm_i32x4_all_true(b));
    scalar("i32x4.bitmask a", wasm_i32x4_bitmask(a));
    scalar("i32x4.bitmask c", wasm_i32x4_bitmask(c));
    scalar("i32x4.extract_lane 3", wasm_i32x4_extract_lane(a, 3));
    p32("i32x4.replace_lane 2", wasm_i32x4_replace_lane(a, 2, i32c[1]));
    p32("i32x4.splat", wasm_i32x4_splat(i32c[3]));
    char name[40];
    for (unsigned i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
        snprintf(name, sizeof name, "i32x4.shl %d", shifts[i]);
        p32(name, wasm_i32x4_shl(c, shifts[i]));
        snprintf(name, sizeof name, "i32x4.shr_s %d", shifts[i]);
        p32(name, wasm_i32x4_shr(c, shifts[i]));
        snprintf(name, sizeof name, "i32x4.shr_u %d", shifts[i]);
        p32(name, wasm_u32x4_shr(c, shifts[i]));
    }
}

static void i64x2_ops(void) {
    v128_t a = LOAD(i64a), b = LOAD(i64b), c = LOAD(i64c);
    v128_t a32 = LOAD(i32a), c32 = LOAD(i32c);
    p64("i64x2 a", a);
    p64("i64x2 b", b);
    p64("i64x2 c", c);
    p64("i64x2.eq", wasm_i64x2_eq(a, a));
    p64("i64x2.ne", wasm_i64x2_ne(a, b));
    p64("i64x2.lt_s", wasm_i64x2_lt(a, c));
    p64("i64x2.gt_s", wasm_i64x2_gt(a, c));
    p64("i64x2.le_s", wasm_i64x2_le(b, c));
    p64("i64x2.ge_s", wasm_i64x2_ge(b, c));
    p64("i64x2.abs", wasm_i64x2_abs(a));
    p64("i64x2.abs c", wasm_i64x2_abs(c));
    p64("i64x2.neg", wasm_i64x2_neg(a));
    p64("i64x2.add", wasm_i64x2_add(a, b));
    p64("i64x2.sub", wasm_i64x2_sub(a, b));
    p64("i64x2.mul", wasm_i64x2_mul(b, c));
    p64("i64x2.mul c c", wasm_i64x2_mul(c, c));
    p64("i64x2.extend_low_i32x4_s", wasm_i64x2_extend_low_i32x4(a32));
    p64("i64x2.extend_high_i32x4_s", wasm_i64x2_extend_high_i32x4(a32));
    p64("i64x2.extend_low_i32x4_u", wasm_u64x2_extend_low_u32x4(a32));
    p64("i64x2.extend_high_i32x4_u", wasm_u64x2_extend_high_u32x4(a32));
    p64("i64x2.extmul_low_i32x4_s", wasm_i64x2_extmul_low_i32x4(a32, c32));
    p64("i64x2.extmul_high_i32x4_s", wasm_i64x2_extmul_high_i32x4(a32, c32));
    p64("i64x2.extmul_low_i32x4_u", wasm_u64x2_extmul_low_u32x4(a32, c32));
    p64("i64x2.extmul_high_i32x4_u", wasm_u64x2_extmul_high_u32x4(a32, c32));
    scalar("i64x2.all_true a", wasm_i64x2_all_true(a));
    scalar("i64x2.all_true zero", wasm_i64x2_all_true(LOAD(zeros)));
    scalar("i64x2.bitmask a", wasm_i64x2_bitmask(a));
    scalar("i64x2.bitmask b", wasm_i64x2_bitmask(b));
    scalar("i64x2.extract_lane 1", wasm_i64x2_extract_lane(c, 1));
    p64("i64x2.replace_lane 0", wasm_i64x2_replace_lane(a, 0, i64c[1]));
    p64("i64x2.splat", wasm_i64x2_splat(i64c[0]));
    char name[40];
    for (unsigned i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
        snprintf(name, sizeof name, "i64x2.shl %d", shifts[i]);
        p64(name, wasm_i64x2_shl(c, shifts[i]));
        snprintf(name, sizeof name, "i64x2.shr_s %d", shifts[i]);
        p64(name, wasm_i64x2_shr(c, shifts[i]));
        snprintf(name, sizeof name, "i64x2.shr_u %d", shifts[i]);
        p64(name, wasm_u64x2_shr(c, shifts[i]));
    }
}

static void bitwise_ops(void) {
    v128_t a = LOAD(i8a), b = LOAD(i8b), m = LOAD(i32c);
    p8("v128.not", wasm_v128_not(a));
    p8("v128.and", wasm_v128_and(a, b));
    p8("v128.andnot", wasm_v128_andnot(a, b));
    p8("v128.or", wasm_v128_or(a, b));
    p8("v128.xor", wasm_v128_xor(a, b));
    p8("v128.bitselect", wasm_v128_bitselect(a, b, m));
    scalar("v128.any_true a", wasm_v128_any_true(a));
    scalar("v128.any_true zero", wasm_v128_any_true(LOAD(zeros)));
    scalar("v128.any_true one lane", wasm_v128_any_true(wasm_i8x16_sub(LOAD(ones), LOAD(one_zero_lane))));
}

int main(void) {
    i8x16_ops();
    i16x8_ops();
    i32x4_ops();
    i64x2_ops();
    bitwise_ops();
    return 0;
}
