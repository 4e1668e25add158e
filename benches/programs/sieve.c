/* Sieve of Eratosthenes over a large byte array: memory bandwidth and
 * bounds-check cost. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 100000000;
    unsigned char *composite = malloc(n + 1);
    if (!composite) return 1;
    memset(composite, 0, n + 1);
    size_t count = 0;
    for (size_t i = 2; i <= n; i++) {
        if (composite[i]) continue;
        count++;
        if (i > n / i) continue; /* i * i would pass n (and overflow a 32-bit size_t) */
        for (size_t j = i * i; j <= n; j += i) composite[j] = 1;
    }
    printf("primes below %zu: %zu\n", n, count);
    return 0;
}
