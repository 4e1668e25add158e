/* Byte-level LZ77 compression and decompression of 8 MiB of generated text:
 * a hash table of recent positions, byte compares of candidate matches, and a
 * byte-oriented output stream; the round trip is checked. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HBITS 15
#define MIN_MATCH 4
#define MAX_MATCH 255
#define WINDOW 65535

static uint32_t load32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint32_t hash4(const uint8_t *p) { return (load32(p) * 2654435761u) >> (32 - HBITS); }

/* Token stream: a literal run is (0, n, n bytes); a match is (len, offset
 * low, offset high). */
static size_t compress(const uint8_t *in, size_t n, uint8_t *out) {
    static uint32_t table[1 << HBITS];
    memset(table, 0, sizeof table);
    size_t i = 0, o = 0, lit = 0;
    while (i + MIN_MATCH <= n) {
        uint32_t h = hash4(in + i);
        size_t cand = table[h];
        table[h] = (uint32_t)i;
        size_t len = 0;
        if (cand < i && i - cand <= WINDOW && load32(in + cand) == load32(in + i)) {
            len = MIN_MATCH;
            while (i + len < n && len < MAX_MATCH && in[cand + len] == in[i + len]) len++;
        }
        if (len == 0) {
            i++;
            if (i - lit == 255) { /* flush a full literal run */
                out[o++] = 0; out[o++] = 255;
                memcpy(out + o, in + lit, 255); o += 255;
                lit = i;
            }
            continue;
        }
        if (i > lit) {
            out[o++] = 0; out[o++] = (uint8_t)(i - lit);
            memcpy(out + o, in + lit, i - lit); o += i - lit;
        }
        size_t off = i - cand;
        out[o++] = (uint8_t)len; out[o++] = (uint8_t)off; out[o++] = (uint8_t)(off >> 8);
        i += len;
        lit = i;
    }
    while (lit < n) {
        size_t k = n - lit > 255 ? 255 : n - lit;
        out[o++] = 0; out[o++] = (uint8_t)k;
        memcpy(out + o, in + lit, k); o += k; lit += k;
    }
    return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t t = in[i++];
        if (t == 0) {
            size_t k = in[i++];
            memcpy(out + o, in + i, k); i += k; o += k;
        } else {
            size_t off = in[i] | (size_t)in[i + 1] << 8;
            i += 2;
            for (size_t k = 0; k < t; k++, o++) out[o] = out[o - off]; /* may overlap */
        }
    }
    return o;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 12;
    static const char *words[] = {"the ", "of ", "and ", "compress", "window ", "match ",
                                  "literal ", "stream ", "byte", "table ", "hash ", "offset ",
                                  "a ", "is ", "\n", "WebAssembly ", "memory ", "x", "y", "z"};
    const size_t n = 8u << 20;
    uint8_t *in = malloc(n), *packed = malloc(n + n / 64 + 16), *back = malloc(n);
    if (!in || !packed || !back) return 1;
    uint32_t x = 1;
    for (size_t i = 0; i < n;) {
        x = x * 1103515245 + 12345;
        const char *w = words[(x >> 16) % 20];
        for (; *w && i < n; w++) in[i++] = (x >> 8) % 97 == 0 ? (uint8_t)(x >> 3) : (uint8_t)*w;
    }
    size_t packed_len = 0;
    uint32_t sum = 0;
    for (int r = 0; r < rounds; r++) {
        in[(size_t)r * 4099 % n] ^= (uint8_t)r; /* each round differs a little */
        packed_len = compress(in, n, packed);
        if (decompress(packed, packed_len, back) != n || memcmp(in, back, n) != 0) {
            puts("lz: round trip failed");
            return 1;
        }
        for (size_t i = 0; i < packed_len; i++) sum = sum * 31 + packed[i];
    }
    printf("lz: %zu -> %zu bytes, checksum %08x\n", n, packed_len, sum);
    return 0;
}
