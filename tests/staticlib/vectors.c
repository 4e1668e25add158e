/* v128 parameters and results of exports (vectors.wat). */
#include <stdio.h>
#include "vectors.h"
int main(void) {
  vectors *i = vectors_new(NULL);
  vectors_v128 a = {((uint64_t)2 << 32) | 1, ((uint64_t)4 << 32) | 3}, b = {((uint64_t)20 << 32) | 10, ((uint64_t)40 << 32) | 30};
  vectors_vadd_results r; vectors_vadd(i, &a, &b, &r);
  printf("%llx %llx\n", (unsigned long long)r.r0.lo, (unsigned long long)r.r0.hi);
  vectors_vsum_results s; vectors_vsum(i, &b, &s); printf("%d %lld\n", s.r0, (long long)s.r1);
  vectors_tr_results t = {{5, 5}}; vectors_tr(i, 1, &t); printf("%llx %s\n", (unsigned long long)t.r0.lo, vectors_trap(i));
  return 0;
}
