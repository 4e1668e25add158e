/* Open-addressing hash table of 4 Mi slots (16 MiB): inserts, then mostly
 * missing lookups; random access with short probe loops. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct slot {
    uint32_t key; /* 0: empty */
    uint32_t value;
};

static uint32_t hash(uint32_t k) {
    k ^= k >> 16;
    k *= 0x7feb352d;
    k ^= k >> 15;
    k *= 0x846ca68b;
    k ^= k >> 16;
    return k;
}

int main(int argc, char **argv) {
    uint32_t lookups = argc > 1 ? (uint32_t)atol(argv[1]) : 10000000;
    const uint32_t bits = 22, mask = (1u << bits) - 1, inserts = 2000000;
    struct slot *t = calloc((size_t)mask + 1, sizeof *t);
    if (!t) return 1;
    uint32_t x = 2463534242u;
    for (uint32_t i = 0; i < inserts; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        uint32_t key = (x % 8000000u) + 1; /* some keys repeat */
        uint32_t s = hash(key) & mask;
        while (t[s].key != 0 && t[s].key != key) s = (s + 1) & mask;
        t[s].key = key;
        t[s].value += i;
    }
    uint64_t found = 0, sum = 0;
    for (uint32_t i = 0; i < lookups; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        uint32_t key = (x % 8000000u) + 1;
        uint32_t s = hash(key) & mask;
        while (t[s].key != 0) {
            if (t[s].key == key) { found++; sum += t[s].value; break; }
            s = (s + 1) & mask;
        }
    }
    printf("hashtable: %llu of %u found, sum %llu\n", (unsigned long long)found, lookups,
           (unsigned long long)sum);
    return 0;
}
