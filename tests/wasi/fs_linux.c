// File operations where this runtime does what Linux does and wasmtime 49
// does not (or did not when it was tested). Needs the sandbox grant at
// fd 3 (see lay_out_sandbox). Prints one line per check:
//
//   fd_allocate (wasmtime 49: ENOTSUP for every call): posix_fallocate's
//   semantics: a 3-byte file allocated over [0, 2) keeps its size and
//   contents, over [10, 16) grows to 16 bytes that read as its 3 bytes and
//   13 zeros; len 0 is EINVAL; a directory and a read-only descriptor are
//   EBADF.
//
//   fd_filestat_set_times on a directory descriptor (a guest-opened one
//   and the preopen) sets the times, as Linux and wasmtime do.
//
//   path_remove_directory with a trailing slash removes the directory, as
//   Linux's rmdir("dir/") does (wasmtime 49: EINVAL); a symlink to a
//   directory is not followed (ENOTDIR).
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define D 3
#define RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | \
            __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_ALLOCATE)

static __wasi_filesize_t size_of(__wasi_fd_t fd) {
    __wasi_filestat_t st;
    return __wasi_fd_filestat_get(fd, &st) == 0 ? st.size : (__wasi_filesize_t)-1;
}

static void allocate(void) {
    __wasi_fd_t fd;
    if (__wasi_path_open(D, 0, "alloc.bin", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RW, RW, 0, &fd)) {
        printf("allocate: open failed\n");
        return;
    }
    __wasi_ciovec_t out = {(const uint8_t *)"abc", 3};
    __wasi_size_t n;
    int ok = __wasi_fd_write(fd, &out, 1, &n) == 0 && n == 3;
    printf("allocate: write 3 bytes %s\n", ok ? "ok" : "failed");
    printf("allocate [0, 2): errno %d, size %llu\n", __wasi_fd_allocate(fd, 0, 2),
           (unsigned long long)size_of(fd));
    printf("allocate [10, 16): errno %d, size %llu\n", __wasi_fd_allocate(fd, 10, 6),
           (unsigned long long)size_of(fd));
    uint8_t buf[32];
    memset(buf, 0xff, sizeof buf);
    __wasi_iovec_t in = {buf, sizeof buf};
    __wasi_errno_t e = __wasi_fd_pread(fd, &in, 1, 0, &n);
    int zeros = 1;
    for (size_t i = 3; i < 16; i++) zeros &= buf[i] == 0;
    printf("allocate: read back errno %d, %u bytes, starts with abc: %s, then zeros: %s\n", e, (unsigned)n,
           memcmp(buf, "abc", 3) == 0 ? "yes" : "no", zeros ? "yes" : "no");
    printf("allocate len 0: errno %d\n", __wasi_fd_allocate(fd, 0, 0));
    printf("allocate size kept: %llu\n", (unsigned long long)size_of(fd));
    (void)__wasi_fd_close(fd);

    __wasi_fd_t ro;
    if (__wasi_path_open(D, 0, "alloc.bin", 0, __WASI_RIGHTS_FD_READ, 0, 0, &ro) == 0) {
        printf("allocate read-only: errno %d\n", __wasi_fd_allocate(ro, 0, 100));
        (void)__wasi_fd_close(ro);
    }
    printf("allocate on a directory: errno %d\n", __wasi_fd_allocate(D, 0, 100));
    printf("allocate on stdout: errno %d\n", __wasi_fd_allocate(1, 0, 100));
    printf("unlink alloc.bin: errno %d\n", __wasi_path_unlink_file(D, "alloc.bin"));
}

static void dir_times(void) {
    __wasi_errno_t e = __wasi_path_create_directory(D, "timed");
    __wasi_fd_t fd;
    if (e == 0) e = __wasi_path_open(D, 0, "timed", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR |
                                     __WASI_RIGHTS_FD_FILESTAT_SET_TIMES, 0, 0, &fd);
    if (e) {
        printf("dir times: setup errno %d\n", e);
        return;
    }
    const __wasi_timestamp_t t = 1234567890ull * 1000000000ull + 5000;
    printf("dir times: set on an opened directory: errno %d\n",
           __wasi_fd_filestat_set_times(fd, t, t, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    __wasi_filestat_t st;
    e = __wasi_fd_filestat_get(fd, &st);
    printf("dir times: read back errno %d, atim %s, mtim %s\n", e, st.atim == t ? "set" : "not set",
           st.mtim == t ? "set" : "not set");
    (void)__wasi_fd_close(fd);
    printf("dir times: set on the preopen: errno %d\n",
           __wasi_fd_filestat_set_times(D, t, t, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    e = __wasi_fd_filestat_get(D, &st);
    printf("dir times: preopen read back errno %d, mtim %s\n", e, st.mtim == t ? "set" : "not set");
    printf("dir times: set on stdout: errno %d\n",
           __wasi_fd_filestat_set_times(1, t, t, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    printf("rmdir timed: errno %d\n", __wasi_path_remove_directory(D, "timed"));
}

static void rmdir_slash(void) {
    printf("mkdir newdir/: errno %d\n", __wasi_path_create_directory(D, "newdir/"));
    printf("rmdir newdir/: errno %d\n", __wasi_path_remove_directory(D, "newdir/"));
    __wasi_filestat_t st;
    printf("stat newdir: errno %d\n", __wasi_path_filestat_get(D, 0, "newdir", &st));
    printf("mkdir two: errno %d\n", __wasi_path_create_directory(D, "two"));
    printf("rmdir two//: errno %d\n", __wasi_path_remove_directory(D, "two//"));
    printf("mkdir kept: errno %d\n", __wasi_path_create_directory(D, "kept"));
    printf("symlink kept_link -> kept: errno %d\n", __wasi_path_symlink("kept", D, "kept_link"));
    printf("rmdir kept_link/: errno %d\n", __wasi_path_remove_directory(D, "kept_link/"));
    printf("rmdir host.txt/: errno %d\n", __wasi_path_remove_directory(D, "host.txt/"));
    printf("rmdir missing/: errno %d\n", __wasi_path_remove_directory(D, "missing/"));
    printf("rmdir link_dir/ (a link out of the grant): errno %d\n", __wasi_path_remove_directory(D, "link_dir/"));
    printf("stat kept: errno %d\n", __wasi_path_filestat_get(D, 0, "kept", &st));
}

int main(void) {
    allocate();
    dir_times();
    rmdir_slash();
    return 0;
}
