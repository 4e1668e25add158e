// Initialised data large enough for the compiler to give memory 0 an image
// of its data segments (256 KiB of distinct values, a string after them):
// read, written (the written pages are the program's own copies) and read
// again; every engine prints the same.
#include <stdio.h>
#include <string.h>

#define A4(n) (n), (n) + 1, (n) + 2, (n) + 3
#define A16(n) A4(n), A4((n) + 4), A4((n) + 8), A4((n) + 12)
#define A64(n) A16(n), A16((n) + 16), A16((n) + 32), A16((n) + 48)
#define A256(n) A64(n), A64((n) + 64), A64((n) + 128), A64((n) + 192)
#define A1K(n) A256(n), A256((n) + 256), A256((n) + 512), A256((n) + 768)
#define A4K(n) A1K(n), A1K((n) + 1024), A1K((n) + 2048), A1K((n) + 3072)
#define A16K(n) A4K(n), A4K((n) + 4096), A4K((n) + 8192), A4K((n) + 12288)
#define A64K(n) A16K(n), A16K((n) + 16384), A16K((n) + 32768), A16K((n) + 49152)

static unsigned int table[65536] = {A64K(7)};
static char message[] = "the image is intact";

static unsigned long long checksum(void) {
    unsigned long long sum = 0;
    for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++)
        sum += (unsigned long long)table[i] * (i % 1000 + 1);
    return sum;
}

int main(void) {
    unsigned long long before = checksum();
    printf("%u %u %u %s\n", table[0], table[4096], table[65535], message);
    table[0] = 0;
    table[30000] += 5;
    table[65535] *= 3;
    memcpy(message + 4, "IMAGE", 5);
    printf("%llu %llu %s\n", before, checksum(), message);
    return 0;
}
