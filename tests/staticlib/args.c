/* The `args` library's signatures: parameters in registers and on the
   stack both ways, results in rax and xmm0, a trap's zero result, and an
   import with stack arguments calling back into its instance. */
#include <inttypes.h>
#include <stdio.h>
#include "args.h"

static const char *trap(args *instance) {
    const char *message = args_trap(instance);
    return message ? message : "none";
}

/* Weighs the k-th argument by k, and adds a nested call's result. */
int64_t args_import_host_many(args *self, int32_t a, int64_t b, int32_t c, int64_t d,
                              int32_t e, int64_t f, int32_t g, double h, float i, double j,
                              float k, double l, float m, double n, float o, double p,
                              float q) {
    int64_t ints = a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g;
    double floats = h + 2 * i + 3 * j + 4 * k + 5 * l + 6 * m + 7 * n + 8 * o + 9 * p + 10 * q;
    int64_t inner = args_five(self, 1, 2, 3, 4, 5);
    double half = args_half(self, 0);
    printf("inner five %" PRId64 ", half %g: %s\n", inner, half, trap(self));
    int32_t thrown = args_throws(self, 3);
    printf("inner throws %d: %s\n", thrown, trap(self));
    return ints * 1000 + (int64_t)floats + inner * 1000000;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    args *x = args_new(NULL);
    if (!x)
        return 1;
    printf("five %" PRId64 "\n", args_five(x, 1, 2, 3, 4, 5));
    printf("six %" PRId64 "\n", args_six(x, 1, 2, 3, 4, 5, 6));
    printf("eight %g\n", args_eight(x, 1, 2, 3, 4, 5, 6, 7, 8));
    printf("nine %g\n", args_nine(x, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    printf("fsub %g\n", args_fsub(x, 1.5f, 0.25f));
    double half = args_half(x, 2);
    printf("half %g: %s\n", half, trap(x));
    half = args_half(x, 0);
    printf("half %g: %s\n", half, trap(x));
    int32_t r = args_throws(x, 4);
    printf("throws %d: %s\n", r, trap(x));
    r = args_catches(x, 4);
    printf("catches %d: %s\n", r, trap(x));
    int64_t many = args_call_many(x, 1);
    printf("call_many %" PRId64 ": %s\n", many, trap(x));
    int64_t five = args_five(x, -1, -2, -3, -4, -5);
    printf("five %" PRId64 ": %s\n", five, trap(x));
    args_free(x);
    return 0;
}
