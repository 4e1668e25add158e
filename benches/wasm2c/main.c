/*
 * Benchmark harness for wasm2c output: a `main` that instantiates the module
 * (wasm2c -n prog, so its symbols are w2c_prog_*) and a minimal WASI preview 1
 * for its `wasi_snapshot_preview1` imports. The wasm2c runtime ships none.
 *
 * This is NOT a sandbox and not a WASI implementation for general use: it
 * implements only the calls the programs in benches/programs/ make, passes
 * guest file descriptors straight through as host ones (fd 3 is the working
 * directory, pre-opened as "."), and resolves paths with openat() without any
 * containment check. Every guest pointer is bounds-checked against the linear
 * memory, so a wrong pointer makes the call fail with EFAULT rather than
 * touching host memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "prog.h"
#include "wasm-rt-exceptions.h"
#include "wasm-rt-impl.h"

struct w2c_wasi__snapshot__preview1 {
    wasm_rt_memory_t *mem;
};

static int g_argc;
static char **g_argv;
static int g_preopen = -1; /* host fd of the pre-opened "." (guest fd 3) */

enum {
    WASI_ESUCCESS = 0,
    WASI_EACCES = 2,
    WASI_EBADF = 8,
    WASI_EEXIST = 20,
    WASI_EFAULT = 21,
    WASI_EINVAL = 28,
    WASI_EIO = 29,
    WASI_EISDIR = 31,
    WASI_ENOENT = 44,
    WASI_ENOSYS = 52,
    WASI_ENOTDIR = 54,
    WASI_ESPIPE = 70,
};

static u32 wasi_errno(int e) {
    switch (e) {
    case EACCES:
    case EPERM:
        return WASI_EACCES;
    case EBADF:
        return WASI_EBADF;
    case EEXIST:
        return WASI_EEXIST;
    case EINVAL:
        return WASI_EINVAL;
    case EISDIR:
        return WASI_EISDIR;
    case ENOENT:
        return WASI_ENOENT;
    case ENOTDIR:
        return WASI_ENOTDIR;
    case ESPIPE:
        return WASI_ESPIPE;
    default:
        return WASI_EIO;
    }
}

/* The host address of guest range [ptr, ptr + len), or NULL if it is not
 * inside the linear memory. */
static u8 *guest(struct w2c_wasi__snapshot__preview1 *w, u64 ptr, u64 len) {
    if (ptr + len > w->mem->size) {
        return NULL;
    }
    return w->mem->data + ptr;
}

#define GUEST(p, len)                       \
    u8 *p##_h = guest(w, (p), (len));       \
    if (!p##_h) {                           \
        return WASI_EFAULT;                 \
    }

static void put32(u8 *p, u32 v) { memcpy(p, &v, 4); }
static void put64(u8 *p, u64 v) { memcpy(p, &v, 8); }

/* Guest fd 3 is the pre-opened directory; every other fd is the host's. */
static int host_fd(u32 fd) { return fd == 3 ? g_preopen : (int)fd; }

/* Builds an iovec array from the guest's (ptr, len) pairs. */
static int iovecs(struct w2c_wasi__snapshot__preview1 *w, u32 iovs, u32 n, struct iovec *out) {
    if (n > 64) {
        return -1;
    }
    u8 *v = guest(w, iovs, (u64)n * 8);
    if (!v) {
        return -1;
    }
    for (u32 i = 0; i < n; i++) {
        u32 ptr, len;
        memcpy(&ptr, v + i * 8, 4);
        memcpy(&len, v + i * 8 + 4, 4);
        u8 *h = guest(w, ptr, len);
        if (!h) {
            return -1;
        }
        out[i].iov_base = h;
        out[i].iov_len = len;
    }
    return 0;
}

static u32 list_sizes(struct w2c_wasi__snapshot__preview1 *w, int n, char **s, u32 count_ptr,
                      u32 size_ptr) {
    GUEST(count_ptr, 4);
    GUEST(size_ptr, 4);
    u32 size = 0;
    for (int i = 0; i < n; i++) {
        size += strlen(s[i]) + 1;
    }
    put32(count_ptr_h, n);
    put32(size_ptr_h, size);
    return WASI_ESUCCESS;
}

static u32 list_get(struct w2c_wasi__snapshot__preview1 *w, int n, char **s, u32 ptrs, u32 buf) {
    GUEST(ptrs, (u64)n * 4);
    for (int i = 0; i < n; i++) {
        u64 len = strlen(s[i]) + 1;
        GUEST(buf, len);
        memcpy(buf_h, s[i], len);
        put32(ptrs_h + 4 * i, buf);
        buf += len;
    }
    return WASI_ESUCCESS;
}

u32 w2c_wasi__snapshot__preview1_args_sizes_get(struct w2c_wasi__snapshot__preview1 *w, u32 c,
                                                u32 s) {
    return list_sizes(w, g_argc, g_argv, c, s);
}

u32 w2c_wasi__snapshot__preview1_args_get(struct w2c_wasi__snapshot__preview1 *w, u32 p, u32 b) {
    return list_get(w, g_argc, g_argv, p, b);
}

u32 w2c_wasi__snapshot__preview1_environ_sizes_get(struct w2c_wasi__snapshot__preview1 *w, u32 c,
                                                   u32 s) {
    return list_sizes(w, 0, NULL, c, s);
}

u32 w2c_wasi__snapshot__preview1_environ_get(struct w2c_wasi__snapshot__preview1 *w, u32 p,
                                             u32 b) {
    return list_get(w, 0, NULL, p, b);
}

u32 w2c_wasi__snapshot__preview1_clock_time_get(struct w2c_wasi__snapshot__preview1 *w, u32 id,
                                                u64 precision, u32 out) {
    (void)precision;
    static const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                    CLOCK_THREAD_CPUTIME_ID};
    GUEST(out, 8);
    struct timespec ts;
    if (id > 3 || clock_gettime(ids[id], &ts) != 0) {
        return WASI_EINVAL;
    }
    put64(out_h, (u64)ts.tv_sec * 1000000000u + ts.tv_nsec);
    return WASI_ESUCCESS;
}

u32 w2c_wasi__snapshot__preview1_random_get(struct w2c_wasi__snapshot__preview1 *w, u32 buf,
                                            u32 len) {
    GUEST(buf, len);
    for (u32 done = 0; done < len;) {
        ssize_t n = getrandom(buf_h + done, len - done, 0);
        if (n < 0) {
            return wasi_errno(errno);
        }
        done += n;
    }
    return WASI_ESUCCESS;
}

u32 w2c_wasi__snapshot__preview1_fd_write(struct w2c_wasi__snapshot__preview1 *w, u32 fd,
                                          u32 iovs, u32 n, u32 nwritten) {
    struct iovec v[64];
    GUEST(nwritten, 4);
    if (iovecs(w, iovs, n, v) != 0) {
        return WASI_EFAULT;
    }
    ssize_t r = writev(host_fd(fd), v, n);
    if (r < 0) {
        return wasi_errno(errno);
    }
    put32(nwritten_h, r);
    return WASI_ESUCCESS;
}

u32 w2c_wasi__snapshot__preview1_fd_read(struct w2c_wasi__snapshot__preview1 *w, u32 fd, u32 iovs,
                                         u32 n, u32 nread) {
    struct iovec v[64];
    GUEST(nread, 4);
    if (iovecs(w, iovs, n, v) != 0) {
        return WASI_EFAULT;
    }
    ssize_t r = readv(host_fd(fd), v, n);
    if (r < 0) {
        return wasi_errno(errno);
    }
    put32(nread_h, r);
    return WASI_ESUCCESS;
}

u32 w2c_wasi__snapshot__preview1_fd_seek(struct w2c_wasi__snapshot__preview1 *w, u32 fd,
                                         u64 offset, u32 whence, u32 out) {
    GUEST(out, 8);
    if (whence > 2) {
        return WASI_EINVAL;
    }
    /* WASI's whence values 0, 1, 2 are SEEK_SET, SEEK_CUR, SEEK_END. */
    off_t r = lseek(host_fd(fd), (off_t)offset, (int)whence);
    if (r < 0) {
        return wasi_errno(errno);
    }
    put64(out_h, r);
    return WASI_ESUCCESS;
}

u32 w2c_wasi__snapshot__preview1_fd_close(struct w2c_wasi__snapshot__preview1 *w, u32 fd) {
    (void)w;
    if (fd <= 3) {
        return WASI_EBADF; /* the harness keeps stdio and the pre-open */
    }
    return close(fd) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

static u8 filetype(mode_t m) {
    if (S_ISREG(m)) return 4;
    if (S_ISDIR(m)) return 3;
    if (S_ISCHR(m)) return 2;
    if (S_ISBLK(m)) return 1;
    if (S_ISLNK(m)) return 7;
    return 0;
}

u32 w2c_wasi__snapshot__preview1_fd_fdstat_get(struct w2c_wasi__snapshot__preview1 *w, u32 fd,
                                               u32 out) {
    GUEST(out, 24);
    struct stat st;
    if (fstat(host_fd(fd), &st) != 0) {
        return wasi_errno(errno);
    }
    memset(out_h, 0, 24);
    out_h[0] = filetype(st.st_mode);
    put64(out_h + 8, ~(u64)0);  /* rights: everything */
    put64(out_h + 16, ~(u64)0);
    return WASI_ESUCCESS;
}

u32 w2c_wasi__snapshot__preview1_fd_fdstat_set_flags(struct w2c_wasi__snapshot__preview1 *w,
                                                     u32 fd, u32 flags) {
    (void)w, (void)fd, (void)flags;
    return WASI_ENOSYS;
}

static u32 put_filestat(u8 *out, const struct stat *st) {
    memset(out, 0, 64);
    put64(out, st->st_dev);
    put64(out + 8, st->st_ino);
    out[16] = filetype(st->st_mode);
    put64(out + 24, st->st_nlink);
    put64(out + 32, st->st_size);
    put64(out + 40, (u64)st->st_atim.tv_sec * 1000000000u + st->st_atim.tv_nsec);
    put64(out + 48, (u64)st->st_mtim.tv_sec * 1000000000u + st->st_mtim.tv_nsec);
    put64(out + 56, (u64)st->st_ctim.tv_sec * 1000000000u + st->st_ctim.tv_nsec);
    return WASI_ESUCCESS;
}

u32 w2c_wasi__snapshot__preview1_fd_filestat_get(struct w2c_wasi__snapshot__preview1 *w, u32 fd,
                                                 u32 out) {
    GUEST(out, 64);
    struct stat st;
    if (fstat(host_fd(fd), &st) != 0) {
        return wasi_errno(errno);
    }
    return put_filestat(out_h, &st);
}

u32 w2c_wasi__snapshot__preview1_fd_prestat_get(struct w2c_wasi__snapshot__preview1 *w, u32 fd,
                                                u32 out) {
    GUEST(out, 8);
    if (fd != 3) {
        return WASI_EBADF;
    }
    memset(out_h, 0, 8);
    put32(out_h + 4, 1); /* tag 0 (directory), name "." */
    return WASI_ESUCCESS;
}

u32 w2c_wasi__snapshot__preview1_fd_prestat_dir_name(struct w2c_wasi__snapshot__preview1 *w,
                                                     u32 fd, u32 buf, u32 len) {
    GUEST(buf, len);
    if (fd != 3) {
        return WASI_EBADF;
    }
    if (len < 1) {
        return WASI_EINVAL;
    }
    buf_h[0] = '.';
    return WASI_ESUCCESS;
}

/* Copies a guest path into a NUL-terminated host string. */
static int path_arg(struct w2c_wasi__snapshot__preview1 *w, u32 ptr, u32 len, char *out,
                    size_t cap) {
    u8 *p = guest(w, ptr, len);
    if (!p || len >= cap || memchr(p, 0, len)) {
        return -1;
    }
    memcpy(out, p, len);
    out[len] = 0;
    return 0;
}

u32 w2c_wasi__snapshot__preview1_path_open(struct w2c_wasi__snapshot__preview1 *w, u32 dirfd,
                                           u32 dirflags, u32 path, u32 path_len, u32 oflags,
                                           u64 rights, u64 rights_inh, u32 fdflags, u32 out) {
    (void)dirflags, (void)rights_inh;
    char p[4096];
    GUEST(out, 4);
    if (path_arg(w, path, path_len, p, sizeof p) != 0) {
        return WASI_EFAULT;
    }
    const u64 right_read = 1u << 1, right_write = 1u << 6;
    int flags = O_CLOEXEC;
    if ((rights & right_read) && (rights & right_write)) {
        flags |= O_RDWR;
    } else if (rights & right_write) {
        flags |= O_WRONLY;
    } else {
        flags |= O_RDONLY;
    }
    if (oflags & 1) flags |= O_CREAT;
    if (oflags & 2) flags |= O_DIRECTORY;
    if (oflags & 4) flags |= O_EXCL;
    if (oflags & 8) flags |= O_TRUNC;
    if (fdflags & 1) flags |= O_APPEND;
    int fd = openat(host_fd(dirfd), p, flags, 0644);
    if (fd < 0) {
        return wasi_errno(errno);
    }
    put32(out_h, fd);
    return WASI_ESUCCESS;
}

u32 w2c_wasi__snapshot__preview1_path_unlink_file(struct w2c_wasi__snapshot__preview1 *w,
                                                  u32 dirfd, u32 path, u32 path_len) {
    char p[4096];
    if (path_arg(w, path, path_len, p, sizeof p) != 0) {
        return WASI_EFAULT;
    }
    return unlinkat(host_fd(dirfd), p, 0) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

u32 w2c_wasi__snapshot__preview1_path_filestat_get(struct w2c_wasi__snapshot__preview1 *w,
                                                   u32 dirfd, u32 flags, u32 path, u32 path_len,
                                                   u32 out) {
    char p[4096];
    GUEST(out, 64);
    if (path_arg(w, path, path_len, p, sizeof p) != 0) {
        return WASI_EFAULT;
    }
    struct stat st;
    if (fstatat(host_fd(dirfd), p, &st, (flags & 1) ? 0 : AT_SYMLINK_NOFOLLOW) != 0) {
        return wasi_errno(errno);
    }
    return put_filestat(out_h, &st);
}

u32 w2c_wasi__snapshot__preview1_sched_yield(struct w2c_wasi__snapshot__preview1 *w) {
    (void)w;
    return WASI_ESUCCESS;
}

void w2c_wasi__snapshot__preview1_proc_exit(struct w2c_wasi__snapshot__preview1 *w, u32 code) {
    (void)w;
    exit((int)code);
}

int main(int argc, char **argv) {
    g_argc = argc;
    g_argv = argv;
    g_preopen = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (g_preopen < 0 || dup2(g_preopen, 3) != 3) {
        perror("pre-open .");
        return 1;
    }
    if (g_preopen != 3) {
        close(g_preopen);
        g_preopen = 3;
    }
    wasm_rt_init();
    static w2c_prog inst;
    static struct w2c_wasi__snapshot__preview1 wasi;
    wasm2c_prog_instantiate(&inst, &wasi);
    wasi.mem = w2c_prog_memory(&inst);
    wasm_rt_trap_t trap = wasm_rt_impl_try();
    if (trap != WASM_RT_TRAP_NONE) {
        fprintf(stderr, "wasm trap: %s\n", wasm_rt_strerror(trap));
        return 134;
    }
    w2c_prog_0x5Fstart(&inst);
    wasm2c_prog_free(&inst);
    wasm_rt_free();
    return 0;
}
