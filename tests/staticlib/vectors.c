/* v128 values and several results of exports and imports (vectors.wat). */
#include <stdio.h>
#include "vectors.h"

static vectors *expected;
static int wrong_instance;

static void check(vectors *instance) {
  if (instance != expected) wrong_instance++;
}

void vectors_import_host_vscale(vectors *instance, const vectors_v128 *v, int32_t k,
                                vectors_import_host_vscale_results *results) {
  check(instance);
  uint32_t lanes[4] = {(uint32_t)v->lo, (uint32_t)(v->lo >> 32), (uint32_t)v->hi, (uint32_t)(v->hi >> 32)};
  for (int i = 0; i < 4; i++) lanes[i] *= (uint32_t)k;
  results->r0.lo = ((uint64_t)lanes[1] << 32) | lanes[0];
  results->r0.hi = ((uint64_t)lanes[3] << 32) | lanes[2];
}

void vectors_import_host_divmod(vectors *instance, int32_t a, int32_t b,
                                vectors_import_host_divmod_results *results) {
  check(instance);
  results->r0 = a / b;
  results->r1 = a % b;
}

void vectors_import_host_mix(vectors *instance, double a, const vectors_v128 *x, float b,
                             const vectors_v128 *y, vectors_import_host_mix_results *results) {
  check(instance);
  results->r0 = (float)(a + b);
  results->r1.lo = x->lo + y->lo;
  results->r1.hi = x->hi + y->hi;
  results->r2 = (int64_t)(a * b);
}

void vectors_import_host_many(vectors *instance, int64_t a, int64_t b, int64_t c, int64_t d,
                              int64_t e, int64_t f, int64_t g, const vectors_v128 *v,
                              vectors_import_host_many_results *results) {
  check(instance);
  results->r0 = a + b + c + d + e + f + g + (int64_t)v->lo;
  results->r1 = (int64_t)v->hi - g;
}

int main(void) {
  vectors *i = vectors_new(NULL);
  expected = i;
  vectors_v128 a = {((uint64_t)2 << 32) | 1, ((uint64_t)4 << 32) | 3}, b = {((uint64_t)20 << 32) | 10, ((uint64_t)40 << 32) | 30};
  vectors_vadd_results r; vectors_vadd(i, &a, &b, &r);
  printf("%llx %llx\n", (unsigned long long)r.r0.lo, (unsigned long long)r.r0.hi);
  vectors_vsum_results s; vectors_vsum(i, &b, &s); printf("%d %lld\n", s.r0, (long long)s.r1);
  vectors_tr_results t = {{5, 5}}; vectors_tr(i, 1, &t); printf("%llx %s\n", (unsigned long long)t.r0.lo, vectors_trap(i));

  vectors_scale_results sc; vectors_scale(i, &a, 3, &sc);
  printf("scale %llx %llx\n", (unsigned long long)sc.r0.lo, (unsigned long long)sc.r0.hi);
  vectors_dm_results d1;
  vectors_dm_indirect_results d2;
  vectors_dm_tail_results d3;
  vectors_dm(i, 17, 5, &d1);
  vectors_dm_indirect(i, -7, 2, &d2);
  vectors_dm_tail(i, 100, 7, &d3);
  printf("divmod %d %d, %d %d, %d %d\n", d1.r0, d1.r1, d2.r0, d2.r1, d3.r0, d3.r1);
  vectors_mix_results m; vectors_mix(i, 2.5, 4.0f, &m);
  printf("mix %g %lld %d\n", m.r0, (long long)m.r1, m.r2);
  vectors_many_results n; vectors_many(i, &n);
  printf("many %lld %lld\n", (long long)n.r0, (long long)n.r1);
  printf("wrong instance %d, trap %s\n", wrong_instance, vectors_trap(i) ? vectors_trap(i) : "none");
  vectors_free(i);
  return 0;
}
