/* Random read-modify-write updates of a 64 MiB table of 64-bit words (the
 * shape of the HPC Challenge RandomAccess test): one cache and TLB miss per
 * update, so it measures address computation and memory latency. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    uint64_t updates = argc > 1 ? (uint64_t)atoll(argv[1]) : 40000000;
    const uint64_t size = 1u << 23, mask = size - 1;
    uint64_t *t = malloc(size * sizeof *t);
    if (!t) return 1;
    for (uint64_t i = 0; i < size; i++) t[i] = i;
    uint64_t r = 1;
    for (uint64_t i = 0; i < updates; i++) {
        r = (r << 1) ^ ((int64_t)r < 0 ? 0x7 : 0); /* the test's LFSR */
        t[(r >> 7) & mask] ^= r;
    }
    uint64_t check = 0;
    for (uint64_t i = 0; i < size; i++) check = check * 0x100000001b3ull + t[i];
    printf("randaccess: %llu updates, checksum %016llx\n", (unsigned long long)updates,
           (unsigned long long)check);
    return 0;
}
