/* libc qsort with a comparison callback: indirect calls through the table. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 5000000;
    uint32_t *v = malloc(n * sizeof *v);
    if (!v) return 1;
    uint32_t x = 1;
    for (size_t i = 0; i < n; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; v[i] = x; }
    qsort(v, n, sizeof *v, cmp);
    uint64_t check = 0;
    for (size_t i = 0; i < n; i += n / 16) check = check * 31 + v[i];
    printf("qsort(%zu) checksum = %llu\n", n, (unsigned long long)check);
    return 0;
}
