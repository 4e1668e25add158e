// Reads a directory tree the way programs do, to compare an embedded tree
// (--embed-dir) with the same tree granted with --dir:
//   embed tree ROOT    every entry, depth first in name order: type, size,
//                      a checksum of each file read in odd-sized pieces, the
//                      same through pread, seek/tell at the end, symlink
//                      targets, and stat through a followed symlink
//   embed readdir DIR  the raw fd_readdir listing read with a buffer so small
//                      that every call resumes from a cookie, compared with
//                      one large read, and a restart from cookie 2
//   embed write ROOT   every kind of change, each printed with its errno
//   embed escape ROOT  lookups that leave the tree, each with its errno
//   embed poll ROOT    poll_oneoff on a file of the tree (read and write
//                      interest) with a 10 s clock: the file is ready now
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *kind(mode_t m) {
    return S_ISDIR(m) ? "dir" : S_ISREG(m) ? "file" : S_ISLNK(m) ? "link" : "other";
}

static void file(const char *path, off_t size) {
    static unsigned char buf[70001];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("  open: %s\n", strerror(errno));
        return;
    }
    uint64_t h = 14695981039346656037ull;
    ssize_t n;
    size_t total = 0;
    while ((n = read(fd, buf, 1 + total % sizeof buf)) > 0) {
        h = fnv(h, buf, n);
        total += n;
    }
    off_t end = lseek(fd, 0, SEEK_CUR);
    off_t back = lseek(fd, -3, SEEK_END);
    n = read(fd, buf, 10);
    uint64_t hp = 14695981039346656037ull;
    size_t ptotal = 0;
    for (off_t at = 0; at < size; at += 65536) {
        ssize_t m = pread(fd, buf, 65536, at);
        if (m <= 0) break;
        hp = fnv(hp, buf, m);
        ptotal += m;
    }
    off_t after = lseek(fd, 0, SEEK_CUR);
    off_t neg = lseek(fd, -1, SEEK_SET);
    int neg_errno = errno;
    off_t beyond = lseek(fd, size + 100, SEEK_SET);
    ssize_t past = read(fd, buf, 10);
    printf("  read %zu %016llx, pread %zu %s, tell %lld, tail %lld+%zd, after pread %lld, seek -1 %lld %s, "
           "beyond %lld read %zd\n",
           total, (unsigned long long)h, ptotal, hp == h ? "same" : "DIFFERENT", (long long)end, (long long)back, n,
           (long long)after, (long long)neg, strerror(neg_errno), (long long)beyond, past);
    struct stat st;
    fstat(fd, &st);
    printf("  fstat %s %lld\n", kind(st.st_mode), (long long)st.st_size);
    close(fd);
}

static void tree(const char *dir, int depth) {
    DIR *d = opendir(dir);
    if (!d) {
        printf("opendir %s: %s\n", dir, strerror(errno));
        return;
    }
    char *names[4096];
    size_t count = 0;
    size_t total = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        total++;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (count < 4096) names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
    printf("%*s%s: %zu entries\n", depth * 2, "", dir, total);
    // A large directory: print a summary, not every file.
    int quiet = count > 64;
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < count; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (lstat(path, &st) != 0) {
            printf("lstat %s: %s\n", path, strerror(errno));
            continue;
        }
        if (quiet) {
            h = fnv(h, (const unsigned char *)names[i], strlen(names[i]));
            h = fnv(h, (const unsigned char *)&st.st_size, sizeof st.st_size);
            continue;
        }
        printf("%*s%s %s %lld\n", depth * 2, "", kind(st.st_mode), names[i],
               S_ISDIR(st.st_mode) ? 0 : (long long)st.st_size);
        if (S_ISDIR(st.st_mode)) {
            tree(path, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            file(path, st.st_size);
        } else if (S_ISLNK(st.st_mode)) {
            char target[256] = {0};
            ssize_t n = readlink(path, target, sizeof target - 1);
            struct stat to;
            int r = stat(path, &to);
            printf("  -> %s (%zd), follows to %s %lld\n", target, n, r == 0 ? kind(to.st_mode) : strerror(errno),
                   r == 0 && !S_ISDIR(to.st_mode) ? (long long)to.st_size : 0);
            char small[3] = {0};
            printf("  readlink into 2 bytes: %zd %.2s\n", readlink(path, small, 2), small);
        }
        free(names[i]);
    }
    if (quiet) printf("%*s%zu names and sizes: %016llx\n", depth * 2, "", count, (unsigned long long)h);
}

// The raw listing: names and types after the cookie, in the order given.
static size_t listing(int fd, size_t bufsize, __wasi_dircookie_t cookie, char *out, size_t cap) {
    static uint8_t buf[65536];
    size_t len = 0;
    for (;;) {
        __wasi_size_t used;
        if (__wasi_fd_readdir(fd, buf, bufsize, cookie, &used) != 0) return len;
        size_t at = 0;
        int complete = 0;
        while (at + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t ent;
            memcpy(&ent, buf + at, sizeof ent);
            if (at + sizeof ent + ent.d_namlen > used) break;
            len += snprintf(out + len, cap - len, "%.*s:%d ", (int)ent.d_namlen, (char *)buf + at + sizeof ent,
                            ent.d_type);
            cookie = ent.d_next;
            at += sizeof ent + ent.d_namlen;
            complete++;
        }
        if (used < bufsize) return len;
        if (!complete) {
            len += snprintf(out + len, cap - len, "(buffer too small) ");
            return len;
        }
    }
}

static void raw_readdir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        printf("open %s: %s\n", dir, strerror(errno));
        return;
    }
    static char big[1 << 16], small[1 << 16], again[1 << 16];
    listing(fd, sizeof big, 0, big, sizeof big);
    listing(fd, 300, 0, small, sizeof small);
    listing(fd, sizeof big, 2, again, sizeof again);
    printf("small buffer %s, from cookie 2 %s\n", strcmp(big, small) ? "DIFFERENT" : "same",
           strstr(big, again) && strlen(again) + 8 <= strlen(big) ? "a suffix" : "WRONG");
    // `.` and `..` first, as wasmtime lists them.
    printf("starts with . and ..: %s\n", strncmp(big, ".:3 ..:3 ", 9) == 0 ? "yes" : "no");
    close(fd);
}

static void say(const char *what, int r) {
    printf("%s: %s\n", what, r == 0 ? "ok" : strerror(errno));
}

static void writes(const char *root) {
    char p[512], q[512];
#define AT(s) (snprintf(p, sizeof p, "%s/%s", root, s), p)
#define AT2(s) (snprintf(q, sizeof q, "%s/%s", root, s), q)
    int fd;
    errno = 0;
    fd = open(AT("a.txt"), O_WRONLY);
    say("open a.txt for writing", fd < 0 ? -1 : 0);
    fd = open(AT("a.txt"), O_RDWR);
    say("open a.txt read-write", fd < 0 ? -1 : 0);
    fd = open(AT("new.txt"), O_WRONLY | O_CREAT, 0644);
    say("create new.txt", fd < 0 ? -1 : 0);
    fd = open(AT("new.txt"), O_RDONLY | O_CREAT, 0644);
    say("create new.txt read-only", fd < 0 ? -1 : 0);
    fd = open(AT("nodir/new.txt"), O_RDONLY | O_CREAT, 0644);
    say("create nodir/new.txt", fd < 0 ? -1 : 0);
    fd = open(AT("a.txt"), O_RDONLY | O_CREAT | O_EXCL, 0644);
    say("create a.txt exclusively", fd < 0 ? -1 : 0);
    fd = open(AT("a.txt"), O_RDONLY | O_CREAT, 0644);
    say("open a.txt with O_CREAT", fd < 0 ? -1 : 0);
    if (fd >= 0) close(fd);
    fd = open(AT("a.txt"), O_RDONLY | O_TRUNC);
    say("open a.txt with O_TRUNC", fd < 0 ? -1 : 0);
    fd = open(AT("sub"), O_WRONLY);
    say("open sub for writing", fd < 0 ? -1 : 0);
    say("mkdir d", mkdir(AT("d"), 0755));
    say("mkdir sub", mkdir(AT("sub"), 0755));
    say("unlink a.txt", unlink(AT("a.txt")));
    say("unlink missing", unlink(AT("missing")));
    say("rmdir empty", rmdir(AT("empty")));
    say("rename a.txt", rename(AT("a.txt"), AT2("b.txt")));
    say("link a.txt", link(AT("a.txt"), AT2("c.txt")));
    say("symlink", symlink("a.txt", AT("s")));
    struct timespec ts[2] = {{0, 0}, {0, 0}};
    say("utimensat a.txt", utimensat(AT_FDCWD, AT("a.txt"), ts, 0));
    fd = open(AT("a.txt"), O_RDONLY);
    say("open a.txt", fd < 0 ? -1 : 0);
    say("futimens", futimens(fd, ts));
    say("ftruncate", ftruncate(fd, 0));
    say("write", write(fd, "x", 1) == 1 ? 0 : -1);
    say("pwrite", pwrite(fd, "x", 1, 0) == 1 ? 0 : -1);
    int r = posix_fallocate(fd, 0, 10);
    errno = r;
    say("posix_fallocate", r);
    say("fsync", fsync(fd));
    say("posix_fadvise", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
    char c;
    say("still readable", read(fd, &c, 1) == 1 ? 0 : -1);
    close(fd);
}

static void escapes(const char *root) {
    int dir = open(root, O_RDONLY | O_DIRECTORY);
    const char *paths[] = {"..", "../x", "sub/../../x", "/a.txt", "subl/../..", "up/..", "up/../a.txt",
                           "loop1", "a.txt/", "a.txt/x", "sub/link/", "missing/x"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        __wasi_fd_t fd;
        __wasi_errno_t e = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, paths[i], 0,
                                            __WASI_RIGHTS_FD_READ, 0, 0, &fd);
        printf("open %s: %s\n", paths[i], e == 0 ? "ok" : strerror(e));
        if (e == 0) (void)__wasi_fd_close(fd);
    }
    // A subdirectory opened by the guest is a boundary too.
    __wasi_fd_t sub;
    if (__wasi_path_open(dir, 0, "sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, __WASI_RIGHTS_FD_READ, 0,
                         &sub) == 0) {
        const char *inner[] = {"..", "../a.txt", "b.txt", "link"};
        for (size_t i = 0; i < sizeof inner / sizeof *inner; i++) {
            __wasi_fd_t fd;
            __wasi_errno_t e = __wasi_path_open(sub, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, inner[i], 0,
                                                __WASI_RIGHTS_FD_READ, 0, 0, &fd);
            printf("from sub, open %s: %s\n", inner[i], e == 0 ? "ok" : strerror(e));
            if (e == 0) (void)__wasi_fd_close(fd);
        }
    }
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, 0, "subl", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    printf("open subl without following: %s\n", e == 0 ? "ok" : strerror(e));
    struct stat st;
    char p[512];
    snprintf(p, sizeof p, "%s/loop1", root);
    printf("stat loop1: %s\n", stat(p, &st) == 0 ? "ok" : strerror(errno));
    printf("lstat loop1: %s\n", lstat(p, &st) == 0 ? kind(st.st_mode) : strerror(errno));
}

static void poll_file(const char *root) {
    char p[512];
    snprintf(p, sizeof p, "%s/a.txt", root);
    int fd = open(p, O_RDONLY);
    char two[2];
    if (fd < 0 || read(fd, two, 2) != 2) {
        printf("open/read %s: %s\n", p, strerror(errno));
        return;
    }
    __wasi_subscription_t subs[3] = {0};
    subs[0].userdata = 1;
    subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    subs[0].u.u.fd_read.file_descriptor = fd;
    subs[1].userdata = 2;
    subs[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
    subs[1].u.u.fd_write.file_descriptor = fd;
    subs[2].userdata = 3;
    subs[2].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[2].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[2].u.u.clock.timeout = 10000000000ull;
    __wasi_event_t events[3];
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_poll_oneoff(subs, events, 3, &n);
    printf("poll: %s, %u events\n", e == 0 ? "ok" : strerror(e), (unsigned)n);
    for (__wasi_size_t i = 0; i < n; i++)
        printf("  userdata %llu type %d error %d nbytes %llu\n", (unsigned long long)events[i].userdata,
               events[i].type, events[i].error, (unsigned long long)events[i].fd_readwrite.nbytes);
    close(fd);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: embed tree|readdir|write|escape PATH\n");
        return 2;
    }
    struct stat st;
    if (stat(argv[2], &st) != 0) {
        printf("cannot open %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    if (!strcmp(argv[1], "tree")) tree(argv[2], 0);
    else if (!strcmp(argv[1], "readdir")) raw_readdir(argv[2]);
    else if (!strcmp(argv[1], "write")) writes(argv[2]);
    else if (!strcmp(argv[1], "escape")) escapes(argv[2]);
    else if (!strcmp(argv[1], "poll")) poll_file(argv[2]);
    else return 2;
    return 0;
}
