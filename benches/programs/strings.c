/* libc string routines on many short and some long strings: strlen, strcmp,
 * strchr, strstr, memcpy, memmove, memset, memcmp, strcpy and strcat, as C
 * programs call them. With -mbulk-memory the compiler turns memcpy, memmove
 * and memset into memory.copy and memory.fill. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSTR 4096
#define LONG (256 * 1024)

static uint32_t rng = 88172645u;
static uint32_t next(void) {
    rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
    return rng;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 480;
    char **s = malloc(NSTR * sizeof *s);
    char *big = malloc(LONG + 1), *copy = malloc(LONG + 1), *cat = malloc(512);
    if (!s || !big || !copy || !cat) return 1;
    for (int i = 0; i < NSTR; i++) {
        int len = 4 + next() % 60;
        s[i] = malloc(len + 1);
        for (int k = 0; k < len; k++) s[i][k] = 'a' + next() % 6; /* many shared prefixes */
        s[i][len] = 0;
    }
    for (int k = 0; k < LONG; k++) big[k] = 'a' + next() % 26;
    big[LONG] = 0;
    memcpy(big + LONG - 8, "needle!", 8);
    uint64_t check = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < NSTR; i++) {
            const char *x = s[i], *y = s[(i * 7 + r) % NSTR];
            check += strlen(x);
            int c = strcmp(x, y);
            check += c < 0 ? 1 : c > 0 ? 2 : 3;
            const char *p = strchr(x, 'f');
            check += p ? (uint64_t)(p - x) : 0;
            strcpy(cat, x);
            strcat(cat, y);
            strcat(cat, x);
            check += strlen(cat);
            check += memcmp(cat, y, strlen(y) < strlen(x) ? strlen(y) : strlen(x)) == 0;
            const char *q = strstr(cat, "bca");
            check += q ? (uint64_t)(q - cat) : 7;
        }
        for (int k = 0; k < 24; k++) {
            size_t off = next() % 4096, len = LONG - 4096;
            memcpy(copy, big + off, len);
            memmove(copy + 1, copy, len - 1);
            check += memcmp(copy, big, len) != 0;
            memset(copy + off, 'z', len / 2);
            check += (unsigned char)copy[next() % len];
        }
        const char *n = strstr(big, "needle!");
        check += n ? (uint64_t)(n - big) : 0;
        check += strlen(big);
    }
    printf("strings: %d rounds, checksum %llu\n", rounds, (unsigned long long)check);
    return 0;
}
