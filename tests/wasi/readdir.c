// fd_readdir on a large directory: 1000 files with long names in a scratch
// directory `big` of the grant at fd 3, listed
//   - through libc (opendir/readdir), with telldir/seekdir back to the
//     middle and rewinddir;
//   - through the raw call with a 100-byte buffer, so most entries arrive
//     truncated and every call resumes from the last complete entry's cookie;
//   - from a cookie saved earlier, after other calls moved on;
//   - its first two entries (`.` and `..`) and the end.
// Every listing must see each file exactly once. Removes `big` at the end.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#pragma clang diagnostic ignored "-Wunused-result"

#define N 1000
#define PREFIX "a-rather-long-file-name-to-fill-buffers-quickly-"

static unsigned char seen[N];

// Marks `name` as seen; returns 0 for ".", "..", 1 for a file, -1 for an
// unexpected or repeated name.
static int mark(const char *name, size_t len) {
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) return 0;
    size_t plen = strlen(PREFIX);
    if (len <= plen || memcmp(name, PREFIX, plen) != 0) return -1;
    int i = 0;
    for (size_t k = plen; k < len; k++) {
        if (name[k] < '0' || name[k] > '9') return -1;
        i = i * 10 + (name[k] - '0');
    }
    if (i >= N || seen[i]) return -1;
    seen[i] = 1;
    return 1;
}

static void report(const char *what, int files, int bad) {
    int missing = 0;
    for (int i = 0; i < N; i++) missing += !seen[i];
    printf("%s: %d files, %d missing, %d unexpected or repeated\n", what, files, missing, bad);
    memset(seen, 0, sizeof seen);
}

static void with_libc(void) {
    DIR *d = opendir("/sandbox/big");
    if (!d) {
        puts("opendir failed");
        return;
    }
    int files = 0, bad = 0;
    long middle = -1;
    char middle_name[256] = "";
    struct dirent *e;
    while ((e = readdir(d))) {
        int m = mark(e->d_name, strlen(e->d_name));
        if (m < 0) bad++;
        files += m > 0;
        if (files == N / 2 && middle < 0) {
            middle = telldir(d);
            e = readdir(d);
            if (e) {
                snprintf(middle_name, sizeof middle_name, "%s", e->d_name);
                int m2 = mark(e->d_name, strlen(e->d_name));
                if (m2 < 0) bad++;
                files += m2 > 0;
            }
        }
    }
    report("readdir", files, bad);
    seekdir(d, middle);
    e = readdir(d);
    printf("seekdir back to the middle finds the same entry: %d\n", e && strcmp(e->d_name, middle_name) == 0);
    rewinddir(d);
    files = 0;
    bad = 0;
    while ((e = readdir(d))) {
        int m = mark(e->d_name, strlen(e->d_name));
        if (m < 0) bad++;
        files += m > 0;
    }
    report("after rewinddir", files, bad);
    closedir(d);
}

// Lists with the raw call and a small buffer from `cookie`; returns the
// cookie after the `stop_after`th file (or 0), to resume from later.
static __wasi_dircookie_t raw(__wasi_fd_t fd, __wasi_dircookie_t cookie, int stop_after, int *files, int *bad) {
    static uint8_t buf[100];
    __wasi_dircookie_t saved = 0;
    for (;;) {
        __wasi_size_t used = 0;
        __wasi_errno_t e = __wasi_fd_readdir(fd, buf, sizeof buf, cookie, &used);
        if (e) {
            printf("fd_readdir: errno %u\n", e);
            (*bad)++;
            return saved;
        }
        size_t at = 0;
        int progressed = 0;
        while (at + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t d;
            memcpy(&d, buf + at, sizeof d);
            if (at + sizeof d + d.d_namlen > used) break; // truncated: resume here
            int m = mark((const char *)buf + at + sizeof d, d.d_namlen);
            if (m < 0) (*bad)++;
            *files += m > 0;
            cookie = d.d_next;
            progressed = 1;
            if (m > 0 && *files == stop_after) saved = cookie;
            at += sizeof d + d.d_namlen;
        }
        if (used < sizeof buf) return saved; // end of directory
        if (!progressed) {
            puts("an entry does not fit in 100 bytes");
            (*bad)++;
            return saved;
        }
    }
}

int main(void) {
    if (mkdir("/sandbox/big", 0755) != 0) {
        puts("mkdir failed");
        return 1;
    }
    char path[256];
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/sandbox/big/" PREFIX "%d", i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0 || close(fd) != 0) {
            printf("creating file %d failed\n", i);
            return 1;
        }
    }
    with_libc();

    __wasi_fd_t fd;
    if (__wasi_path_open(3, 0, "big", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd)) {
        puts("path_open big failed");
        return 1;
    }
    // `.` and `..` come first, both with the directory's own inode number.
    static uint8_t first[256];
    __wasi_size_t used = 0;
    __wasi_filestat_t self;
    if (__wasi_fd_readdir(fd, first, sizeof first, 0, &used) == 0 && __wasi_fd_filestat_get(fd, &self) == 0) {
        size_t at = 0;
        for (int k = 0; k < 2 && at + sizeof(__wasi_dirent_t) <= used; k++) {
            __wasi_dirent_t d;
            memcpy(&d, first + at, sizeof d);
            printf("entry %d: %.*s type %u next %llu own inode %d\n", k, (int)d.d_namlen, first + at + sizeof d,
                   d.d_type, (unsigned long long)d.d_next, d.d_ino == self.ino);
            at += sizeof d + d.d_namlen;
        }
    }
    __wasi_fd_readdir(fd, first, sizeof first, N + 2, &used);
    printf("from the cookie past the end: %u bytes\n", (unsigned)used);

    int files = 0, bad = 0;
    __wasi_dircookie_t third = raw(fd, 0, N / 3, &files, &bad);
    report("fd_readdir, 100-byte buffer", files, bad);
    // Resume from a cookie saved during the first pass: the rest, exactly.
    files = 0;
    bad = 0;
    raw(fd, third, -1, &files, &bad);
    printf("resuming from the cookie after file %d: %d files, %d bad\n", N / 3, files, bad);
    memset(seen, 0, sizeof seen);
    __wasi_fd_close(fd);

    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/sandbox/big/" PREFIX "%d", i);
        unlink(path);
    }
    printf("rmdir big: %d\n", rmdir("/sandbox/big"));
    return 0;
}
