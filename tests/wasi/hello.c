// Hello world plus printf formatting of integers, floats and strings, and a
// line on stderr. Everything printed is exact, so any formatting or stdio
// buffering difference shows up in the expected output.
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    printf("Hello, world!\n");

    // Integers: widths, signs, bases, extremes.
    printf("int: %d %i %5d|%-5d|%05d\n", 42, -42, 7, 7, 7);
    printf("unsigned: %u %x %X %o %#x %#o\n", 4000000000u, 0xbeefu, 0xbeefu, 8u, 255u, 8u);
    printf("long long: %lld %llu\n", (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
    printf("int64: %" PRId64 " %" PRIx64 "\n", (int64_t)-1234567890123, (uint64_t)0xdeadbeefcafef00dull);
    printf("char: %c%c%c\n", 'a', 'b', 'c');

    // Floats in %f, %g, %e, including special values.
    printf("f: %f %.2f %10.3f|%-10.1f|\n", 3.14159265358979, 2.5, -1.0 / 3.0, 1e3);
    printf("g: %g %g %g %g %.10g\n", 0.0001, 123456789.0, 1e-10, 100.0, 1.0 / 7.0);
    printf("e: %e %.3e %E\n", 6.02214076e23, -0.000123456, 1.5);
    volatile double zero = 0.0;
    printf("special: %f %f %s\n", 1.0 / zero, -1.0 / zero, isnan(zero / zero) ? "nan" : "not nan");
    printf("float: %.9g %a\n", (double)1.1f, 1.0);

    // Strings: precision, width, padding.
    const char *s = "sandbox";
    printf("s: [%s] [%10s] [%-10s] [%.4s] [%zu]\n", s, s, s, s, strlen(s));

    char buf[64];
    int n = snprintf(buf, sizeof buf, "%s-%d-%.1f", "snprintf", 99, 0.25);
    printf("buf: %s (%d)\n", buf, n);

    fputs("puts via fputs\n", stdout);
    puts("puts");
    fprintf(stderr, "this line goes to stderr\n");
    return 0;
}
