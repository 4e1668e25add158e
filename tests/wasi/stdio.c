// Standard streams, through the raw calls. Modes:
//   types      the fd_fdstat_get file type and rights of fds 0-2 (pipes under
//              the test runner: "unknown" 0; a terminal: character device 2;
//              a file: regular file 4 with this runtime) and whether stdin
//              seeks
//   large N    writes N bytes to stdout in ONE fd_write call and reports on
//              stderr how many the call wrote (all of them, or it is data
//              loss): line i of 64 bytes is 63 copies of 'a' + i % 26
//   cat        copies stdin to stdout with 1000-byte reads until EOF and
//              reports the byte count on stderr
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#pragma clang diagnostic ignored "-Wunused-result"

static void err(const char *text) {
    __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
    __wasi_size_t n;
    __wasi_fd_write(2, &iov, 1, &n);
}

static int types(void) {
    for (__wasi_fd_t fd = 0; fd < 3; fd++) {
        __wasi_fdstat_t st;
        __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
        printf("fd %u: errno %u filetype %u rights %llx/%llx\n", fd, e, st.fs_filetype,
               (unsigned long long)st.fs_rights_base, (unsigned long long)st.fs_rights_inheriting);
    }
    __wasi_filesize_t pos;
    printf("seek on stdin: errno %u\n", __wasi_fd_seek(0, 0, __WASI_WHENCE_CUR, &pos));
    return 0;
}

static int large(size_t n) {
    uint8_t *buf = malloc(n);
    if (!buf) return 1;
    for (size_t i = 0; i < n; i++) buf[i] = i % 64 == 63 ? '\n' : 'a' + (i / 64) % 26;
    __wasi_ciovec_t iov = {buf, n};
    __wasi_size_t written = 0;
    __wasi_errno_t e = __wasi_fd_write(1, &iov, 1, &written);
    char msg[128];
    snprintf(msg, sizeof msg, "one fd_write: errno %u, wrote %lu of %lu bytes\n", e, (unsigned long)written,
             (unsigned long)n);
    err(msg);
    return written == n ? 0 : 1;
}

static int cat(void) {
    static uint8_t buf[1000];
    unsigned long long total = 0;
    for (;;) {
        __wasi_iovec_t in = {buf, sizeof buf};
        __wasi_size_t got = 0;
        __wasi_errno_t e = __wasi_fd_read(0, &in, 1, &got);
        if (e) {
            printf("fd_read: errno %u\n", e);
            return 1;
        }
        if (got == 0) break;
        __wasi_ciovec_t out = {buf, got};
        __wasi_size_t put = 0;
        if (__wasi_fd_write(1, &out, 1, &put) || put != got) return 1;
        total += got;
    }
    char msg[64];
    snprintf(msg, sizeof msg, "copied %llu bytes\n", total);
    err(msg);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "types") == 0) return types();
    if (argc > 2 && strcmp(argv[1], "large") == 0) return large(strtoul(argv[2], NULL, 10));
    if (argc > 1 && strcmp(argv[1], "cat") == 0) return cat();
    err("usage: stdio types | large N | cat\n");
    return 2;
}
