// Attempts to leave the granted directory (fd 3), each printed as
// "DENIED <attempt>" or "LEAK <attempt>"; the test fails on any LEAK.
// The host lays out (see lay_out_sandbox in the test crate):
//
//   root/outside.txt, root/outdir/         outside the grant
//   sandbox/host.txt                       inside
//   sandbox/link_out -> ../outside.txt     sandbox/link_abs -> /etc/passwd
//   sandbox/link_dir -> ../outdir
//
// and the program adds (symlink contents are not checked when a link is
// made, only when it is followed):
//
//   sandbox/link_dotdot -> ..              sandbox/chain1 -> chain2 -> link_out
//   sandbox/sub/up -> ../..                sandbox/inner -> sub
//
// (and tries sandbox/sub/root -> /, which must be refused).
//
// Modes: `all` (every attempt), `race N` (open swap/target.txt N times,
// and create files and directories through `swap` the first 1000 times,
// while the test swaps `swap` between a directory inside and a symlink to
// root/outdir: reading "outside" from it is a LEAK, and so is anything
// created in root/outdir, which the test checks).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#pragma clang diagnostic ignored "-Wunused-result"

#define DIR_FD 3
#define RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_READDIR | \
                __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_SEEK)

static int leaks = 0;

static void verdict(const char *what, int escaped) {
    printf("%s %s\n", escaped ? "LEAK" : "DENIED", what);
    if (escaped) leaks++;
}

static void allowed(const char *what, int ok) {
    printf("%s %s\n", ok ? "ALLOWED" : "BROKEN", what);
}

static __wasi_errno_t open_at(__wasi_fd_t dir, const char *path, __wasi_lookupflags_t lf, __wasi_oflags_t of,
                              __wasi_fd_t *fd) {
    return __wasi_path_open(dir, lf, path, of, RIGHTS, RIGHTS, 0, fd);
}

// Opening for reading succeeds only by escaping.
static void try_open(const char *path, __wasi_lookupflags_t lf) {
    __wasi_fd_t fd;
    __wasi_errno_t e = open_at(DIR_FD, path, lf, 0, &fd);
    char what[160];
    snprintf(what, sizeof what, "open %s%s", path, lf ? " (follow)" : "");
    verdict(what, e == 0);
    if (e == 0) __wasi_fd_close(fd);
}

static void try_stat(const char *path) {
    __wasi_filestat_t st;
    char what[160];
    snprintf(what, sizeof what, "stat %s (follow)", path);
    verdict(what, __wasi_path_filestat_get(DIR_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, &st) == 0);
}

static void try_create(const char *path) {
    __wasi_fd_t fd;
    char what[160];
    snprintf(what, sizeof what, "create %s", path);
    __wasi_errno_t e = open_at(DIR_FD, path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_CREAT, &fd);
    verdict(what, e == 0);
    if (e == 0) __wasi_fd_close(fd);
}

static void setup(void) {
    int ok = __wasi_path_create_directory(DIR_FD, "sub") == 0;
    ok &= __wasi_path_symlink("../..", DIR_FD, "sub/up") == 0;
    ok &= __wasi_path_symlink("..", DIR_FD, "link_dotdot") == 0;
    ok &= __wasi_path_symlink("chain2", DIR_FD, "chain1") == 0;
    ok &= __wasi_path_symlink("link_out", DIR_FD, "chain2") == 0;
    ok &= __wasi_path_symlink("sub", DIR_FD, "inner") == 0;
    allowed("creating the extra symlinks", ok);
    // Refused (EPERM) by both wasmtime and this runtime: a new symlink
    // may not have an absolute target.
    verdict("symlink sub/root -> /", __wasi_path_symlink("/", DIR_FD, "sub/root") == 0);
}

static void all(void) {
    setup();
    // Sanity: the grant works at all.
    __wasi_fd_t fd;
    __wasi_errno_t e = open_at(DIR_FD, "host.txt", 0, 0, &fd);
    allowed("open host.txt", e == 0);
    if (e == 0) __wasi_fd_close(fd);
    e = open_at(DIR_FD, "inner/../host.txt", 0, 0, &fd);
    allowed("open inner/../host.txt (symlink inside, then ..)", e == 0);
    if (e == 0) __wasi_fd_close(fd);
    e = open_at(DIR_FD, "sub/../host.txt", 0, 0, &fd);
    allowed("open sub/../host.txt", e == 0);
    if (e == 0) __wasi_fd_close(fd);

    // Reading outside.
    const char *reads[] = {"..", "../outside.txt", "../sandbox/../outside.txt", "sub/../../outside.txt",
                           "/etc/passwd", "/", "//etc/passwd", "./../outside.txt", "link_out", "link_abs",
                           "link_dir", "link_dir/", "link_dotdot/outside.txt", "chain1", "sub/up/outside.txt",
                           "sub/root/etc/passwd", "sub/up", "inner/up/outside.txt", "link_dotdot",
                           "sub/./../../outside.txt", "sub/up/sandbox/../outside.txt"};
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        try_open(reads[i], __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
        try_open(reads[i], 0);
    }
    try_stat("../outside.txt");
    try_stat("link_out");
    try_stat("link_abs");
    try_stat("sub/up/outside.txt");
    try_stat("/etc/passwd");

    // Writing outside.
    try_create("../created.txt");
    try_create("link_dir/created.txt");
    try_create("link_dotdot/created.txt");
    try_create("sub/up/created.txt");
    try_create("/created.txt");
    e = open_at(DIR_FD, "link_out", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_TRUNC, &fd);
    verdict("truncate link_out", e == 0);
    verdict("mkdir ../newdir", __wasi_path_create_directory(DIR_FD, "../newdir") == 0);
    verdict("mkdir link_dir/newdir", __wasi_path_create_directory(DIR_FD, "link_dir/newdir") == 0);
    verdict("mkdir sub/up/newdir", __wasi_path_create_directory(DIR_FD, "sub/up/newdir") == 0);
    verdict("unlink ../outside.txt", __wasi_path_unlink_file(DIR_FD, "../outside.txt") == 0);
    verdict("unlink sub/up/outside.txt", __wasi_path_unlink_file(DIR_FD, "sub/up/outside.txt") == 0);
    verdict("rmdir ../outdir", __wasi_path_remove_directory(DIR_FD, "../outdir") == 0);
    verdict("rmdir link_dotdot/outdir", __wasi_path_remove_directory(DIR_FD, "link_dotdot/outdir") == 0);
    verdict("rename host.txt -> ../stolen.txt", __wasi_path_rename(DIR_FD, "host.txt", DIR_FD, "../stolen.txt") == 0);
    verdict("rename ../outside.txt -> here.txt", __wasi_path_rename(DIR_FD, "../outside.txt", DIR_FD, "here.txt") == 0);
    verdict("rename via link_dir", __wasi_path_rename(DIR_FD, "host.txt", DIR_FD, "link_dir/stolen.txt") == 0);
    verdict("hard link ../outside.txt -> here.txt",
            __wasi_path_link(DIR_FD, 0, "../outside.txt", DIR_FD, "here.txt") == 0);
    e = __wasi_path_link(DIR_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link_out", DIR_FD, "here2.txt");
    // Linking the symlink itself is harmless; only a link to the outside
    // file would leak, which reading it through the new name shows.
    int linked_out = 0;
    if (e == 0) {
        __wasi_fd_t h;
        linked_out = open_at(DIR_FD, "here2.txt", 0, 0, &h) == 0;
        if (linked_out) __wasi_fd_close(h);
        __wasi_path_unlink_file(DIR_FD, "here2.txt");
    }
    verdict("hard link via link_out (follow)", linked_out);
    verdict("hard link host.txt -> ../linked.txt",
            __wasi_path_link(DIR_FD, 0, "host.txt", DIR_FD, "../linked.txt") == 0);
    verdict("symlink at ../evil", __wasi_path_symlink("host.txt", DIR_FD, "../evil") == 0);
    verdict("symlink at link_dir/evil", __wasi_path_symlink("host.txt", DIR_FD, "link_dir/evil") == 0);
    // A new symlink pointing out may be created, but never followed.
    __wasi_path_symlink("../outside.txt", DIR_FD, "made_out");
    try_open("made_out", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
    __wasi_path_unlink_file(DIR_FD, "made_out");
    __wasi_path_symlink("/etc/passwd", DIR_FD, "made_abs");
    try_open("made_abs", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
    __wasi_path_unlink_file(DIR_FD, "made_abs");
    verdict("set times ../outside.txt",
            __wasi_path_filestat_set_times(DIR_FD, 0, "../outside.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW) == 0);
    verdict("set times link_out (follow)",
            __wasi_path_filestat_set_times(DIR_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link_out", 0, 0,
                                           __WASI_FSTFLAGS_MTIM_NOW) == 0);
    char buf[256];
    __wasi_size_t n;
    verdict("readlink ../sandbox/link_out",
            __wasi_path_readlink(DIR_FD, "../sandbox/link_out", (uint8_t *)buf, sizeof buf, &n) == 0);

    // Through a directory descriptor opened inside: `..` from it is still
    // beneath nothing but itself.
    __wasi_fd_t sub;
    if (__wasi_path_open(DIR_FD, 0, "sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, RIGHTS, 0, &sub) ==
        0) {
        __wasi_fd_t f;
        e = open_at(sub, "../host.txt", 0, 0, &f);
        verdict("open ../host.txt from sub's descriptor", e == 0);
        if (e == 0) __wasi_fd_close(f);
        e = open_at(sub, "up/outside.txt", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, &f);
        verdict("open up/outside.txt from sub's descriptor", e == 0);
        if (e == 0) __wasi_fd_close(f);
        __wasi_fd_close(sub);
    }
    // Descriptors that are not granted.
    for (__wasi_fd_t d = 4; d < 8; d++) {
        __wasi_fd_t f;
        char what[64];
        snprintf(what, sizeof what, "open host.txt relative to fd %u", d);
        verdict(what, open_at(d, "host.txt", 0, 0, &f) == 0);
    }
}

static void race(int rounds) {
    int leaked = 0, opened = 0, created = 0;
    for (int i = 0; i < rounds; i++) {
        __wasi_fd_t fd;
        if (i < 1000) {
            // Creations through `swap`: the host checks afterwards that
            // none of them landed in root/outdir.
            char name[32];
            snprintf(name, sizeof name, "swap/d%d", i);
            created += __wasi_path_create_directory(DIR_FD, name) == 0;
            snprintf(name, sizeof name, "swap/f%d", i);
            if (open_at(DIR_FD, name, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_CREAT, &fd) == 0) {
                __wasi_fd_close(fd);
                created++;
            }
        }
        if (open_at(DIR_FD, "swap/target.txt", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, &fd) != 0) continue;
        char buf[16] = {0};
        __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
        __wasi_size_t n = 0;
        __wasi_fd_read(fd, &iov, 1, &n);
        __wasi_fd_close(fd);
        if (strncmp(buf, "outside", 7) == 0) leaked = 1;
        opened++;
    }
    // How often the inside was reached varies with scheduling: stderr.
    fprintf(stderr, "opened %d, created %d\n", opened, created);
    verdict("open swap/target.txt while swap is swapped for a symlink", leaked);
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "race") == 0) race(atoi(argv[2]));
    else all();
    printf("leaks: %d\n", leaks);
    return leaks ? 1 : 0;
}
