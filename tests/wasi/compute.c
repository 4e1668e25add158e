// Compute-bound checks with exactly known answers: SHA-256 and CRC-32 of
// generated data (and of "abc"), a sieve of primes, a double-precision matrix
// product and some libm calls.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256(const unsigned char *data, size_t len, char out[65]) {
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t i = 0;
    for (; i + 64 <= len; i += 64) sha256_block(h, data + i);
    unsigned char tail[128] = {0};
    size_t rest = len - i;
    memcpy(tail, data + i, rest);
    tail[rest] = 0x80;
    size_t tl = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int k = 0; k < 8; k++) tail[tl - 1 - k] = (unsigned char)(bits >> (8 * k));
    sha256_block(h, tail);
    if (tl == 128) sha256_block(h, tail + 64);
    for (int k = 0; k < 8; k++) sprintf(out + 8 * k, "%08x", h[k]);
}

static uint32_t crc32(const unsigned char *data, size_t len) {
    static uint32_t table[256];
    if (!table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < len; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

int main(void) {
    char hex[65];
    sha256((const unsigned char *)"abc", 3, hex);
    printf("sha256(abc) = %s\n", hex);

    // 4 MiB of xorshift32 output, little-endian words.
    size_t len = 4 << 20;
    unsigned char *data = malloc(len);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < len; i += 4) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        memcpy(data + i, &x, 4);
    }
    sha256(data, len, hex);
    printf("sha256(xorshift 4MiB) = %s\n", hex);
    printf("crc32(xorshift 4MiB) = %08x\n", crc32(data, len));
    printf("crc32(123456789) = %08x\n", crc32((const unsigned char *)"123456789", 9));
    free(data);

    // Sieve of Eratosthenes up to 2,000,000.
    int limit = 2000000, count = 0;
    long long sum = 0;
    char *comp = calloc(limit + 1, 1);
    for (int i = 2; i <= limit; i++) {
        if (comp[i]) continue;
        count++;
        sum += i;
        for (long long j = (long long)i * i; j <= limit; j += i) comp[j] = 1;
    }
    free(comp);
    printf("primes <= %d: %d, sum %lld\n", limit, count, sum);

    // 64-bit arithmetic: division, remainder, shifts, multiplication overflow.
    uint64_t acc = 0x0123456789abcdefull;
    int64_t sacc = -987654321987654321ll;
    for (int i = 1; i < 1000; i++) {
        acc = acc * 6364136223846793005ull + 1442695040888963407ull;
        acc ^= acc >> (i % 63);
        sacc = sacc / (i % 7 + 2) + (int64_t)(acc % 1000003) - (sacc % 17);
    }
    printf("u64 acc = %016llx, s64 acc = %lld\n", (unsigned long long)acc, (long long)sacc);

    // Double-precision matrix product.
    enum { N = 120 };
    static double a[N][N], b[N][N], c[N][N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)(i - j) / (i + j + 1);
            b[i][j] = (double)((i * j + i) % 13) - 6.0;
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0;
            for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
    double trace = 0, total = 0;
    for (int i = 0; i < N; i++) {
        trace += c[i][i];
        for (int j = 0; j < N; j++) total += c[i][j];
    }
    printf("matrix: trace %.6f total %.6f\n", trace, total);

    // libm (software in wasi-libc, so the results are the same everywhere).
    volatile double v = 0.5;
    printf("libm: %.15g %.15g %.15g %.15g %.15g\n", sqrt(2.0 * v), sin(v), exp(v), log(v + 1.0), pow(v, 0.3));
    printf("float: %.9g %.9g\n", (double)sqrtf((float)v * 3.0f), (double)((float)v / 3.0f));
    printf("rounding: %g %g %g %g\n", floor(-v), ceil(-v), trunc(2.5 + v), nearbyint(2.5));
    return 0;
}
