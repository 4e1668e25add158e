/* WASI file I/O: writes a 32 MiB file in 64 KiB chunks, reads it back
 * sequentially in 4 KiB reads, then does 300,000 seek-and-read of 512-byte
 * records, and removes it. Measures the cost of each call into the host.
 * Runs in the working directory (wasm engines must grant it). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define FILE_NAME "fileio-bench.tmp"

int main(int argc, char **argv) {
    int seeks = argc > 1 ? atoi(argv[1]) : 300000;
    const size_t size = 32u << 20, chunk = 64u << 10;
    static unsigned char buf[64 << 10];
    uint32_t x = 7;
    int fd = open(FILE_NAME, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd < 0) { perror("open for writing"); return 1; }
    for (size_t done = 0; done < size; done += chunk) {
        for (size_t i = 0; i < chunk; i++) { x = x * 1103515245 + 12345; buf[i] = x >> 24; }
        if (write(fd, buf, chunk) != (ssize_t)chunk) { perror("write"); return 1; }
    }
    close(fd);
    fd = open(FILE_NAME, O_RDONLY);
    if (fd < 0) { perror("open for reading"); return 1; }
    uint64_t sum = 0;
    ssize_t n;
    while ((n = read(fd, buf, 4096)) > 0)
        for (ssize_t i = 0; i < n; i++) sum = sum * 31 + buf[i];
    for (int k = 0; k < seeks; k++) {
        x = x * 1103515245 + 12345;
        off_t at = (off_t)(x % (size / 512)) * 512;
        if (lseek(fd, at, SEEK_SET) != at || read(fd, buf, 512) != 512) { perror("seek/read"); return 1; }
        sum += buf[x % 512];
    }
    close(fd);
    unlink(FILE_NAME);
    printf("fileio: %zu bytes, %d seeks, checksum %016llx\n", size, seeks, (unsigned long long)sum);
    return 0;
}
