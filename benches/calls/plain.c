/* The baseline: the same two functions as plain C in their own translation
 * unit (no inlining across it), called the same way. */
#include <stdint.h>

int32_t plain_tick(int32_t n);

int32_t plain_add(int32_t a, int32_t b) { return a + b; }

int32_t plain_call_host(int32_t n) {
    int32_t sum = 0;
    for (; n != 0; n--)
        sum += plain_tick(n);
    return sum;
}
