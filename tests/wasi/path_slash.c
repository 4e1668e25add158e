// Path operations on a last component with a trailing slash, where the
// component is a symlink. A trailing slash makes the kernel follow such a
// component in the calls that look a name up (readlink, link's old name),
// wherever it points; the runtime must resolve it beneath the grant, so
// that a link leaving the grant gets one answer whatever is outside: a
// directory (link_dir -> ../outdir), a file (link_out -> ../outside.txt)
// or nothing (link_none -> ../nonexistent, made here).
//
// Prints, for readlink and link, the errno for each path (escaping and
// inside ones), and for every path operation whether the three escaping
// links got the same answer ("alike") or not ("LEAK" and the three
// errnos). Needs the sandbox grant at fd 3 (see lay_out_sandbox).
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define D 3

static const char *name(__wasi_errno_t e) {
    static char buf[16];
    switch (e) {
    case 0: return "ok";
    case __WASI_ERRNO_PERM: return "EPERM";
    case __WASI_ERRNO_INVAL: return "EINVAL";
    case __WASI_ERRNO_NOTDIR: return "ENOTDIR";
    case __WASI_ERRNO_NOENT: return "ENOENT";
    case __WASI_ERRNO_EXIST: return "EEXIST";
    case __WASI_ERRNO_ISDIR: return "EISDIR";
    case __WASI_ERRNO_LOOP: return "ELOOP";
    default: snprintf(buf, sizeof buf, "errno %d", e); return buf;
    }
}

static const char *escapes[] = {"link_dir/", "link_out/", "link_none/"};
static const char *inside[] = {"inner/", "infile/", "indangling/", "sub/", "host.txt/", "nothing/", "inner//"};

static __wasi_errno_t do_readlink(const char *p) {
    char buf[64];
    __wasi_size_t used;
    return __wasi_path_readlink(D, p, (uint8_t *)buf, sizeof buf, &used);
}

static __wasi_errno_t do_link_old(const char *p) {
    __wasi_errno_t e = __wasi_path_link(D, 0, p, D, "newlink");
    if (e == 0) (void)__wasi_path_unlink_file(D, "newlink");
    return e;
}

static __wasi_errno_t do_link_new(const char *p) { return __wasi_path_link(D, 0, "host.txt", D, p); }

static __wasi_errno_t do_stat(const char *p) {
    __wasi_filestat_t st;
    return __wasi_path_filestat_get(D, 0, p, &st);
}

static __wasi_errno_t do_stat_follow(const char *p) {
    __wasi_filestat_t st;
    return __wasi_path_filestat_get(D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, p, &st);
}

static __wasi_errno_t do_set_times(const char *p) {
    return __wasi_path_filestat_set_times(D, 0, p, 0, 0, __WASI_FSTFLAGS_ATIM_NOW);
}

static __wasi_errno_t do_open(const char *p) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(D, 0, p, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    if (e == 0) (void)__wasi_fd_close(fd);
    return e;
}

static __wasi_errno_t do_open_follow(const char *p) {
    __wasi_fd_t fd;
    __wasi_errno_t e =
        __wasi_path_open(D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, p, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    if (e == 0) (void)__wasi_fd_close(fd);
    return e;
}

static __wasi_errno_t do_mkdir(const char *p) { return __wasi_path_create_directory(D, p); }
static __wasi_errno_t do_unlink(const char *p) { return __wasi_path_unlink_file(D, p); }
static __wasi_errno_t do_rmdir(const char *p) { return __wasi_path_remove_directory(D, p); }
static __wasi_errno_t do_rename_old(const char *p) { return __wasi_path_rename(D, p, D, "renamed"); }
static __wasi_errno_t do_rename_new(const char *p) { return __wasi_path_rename(D, "nosuch", D, p); }
static __wasi_errno_t do_symlink(const char *p) { return __wasi_path_symlink("x", D, p); }

struct op {
    const char *name;
    __wasi_errno_t (*run)(const char *);
};

static const struct op ops[] = {
    {"readlink", do_readlink},   {"link (old)", do_link_old},    {"link (new)", do_link_new},
    {"stat", do_stat},           {"stat (follow)", do_stat_follow}, {"set times", do_set_times},
    {"open", do_open},           {"open (follow)", do_open_follow}, {"mkdir", do_mkdir},
    {"unlink", do_unlink},       {"rmdir", do_rmdir},            {"rename (old)", do_rename_old},
    {"rename (new)", do_rename_new}, {"symlink", do_symlink},
};

int main(void) {
    int ok = __wasi_path_symlink("../nonexistent", D, "link_none") == 0;
    ok &= __wasi_path_create_directory(D, "sub") == 0;
    ok &= __wasi_path_symlink("sub", D, "inner") == 0;
    ok &= __wasi_path_symlink("host.txt", D, "infile") == 0;
    ok &= __wasi_path_symlink("nothing", D, "indangling") == 0;
    if (!ok) {
        printf("setup failed\n");
        return 1;
    }
    for (int k = 0; k < 2; k++) {
        const struct op *op = &ops[k];
        for (size_t i = 0; i < sizeof escapes / sizeof *escapes; i++)
            printf("%s %s: %s\n", op->name, escapes[i], name(op->run(escapes[i])));
        for (size_t i = 0; i < sizeof inside / sizeof *inside; i++)
            printf("%s %s: %s\n", op->name, inside[i], name(op->run(inside[i])));
    }
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
        const struct op *op = &ops[k];
        __wasi_errno_t e[3];
        for (int i = 0; i < 3; i++) e[i] = op->run(escapes[i]);
        if (e[0] == e[1] && e[1] == e[2])
            printf("%s: escapes alike\n", op->name);
        else
            printf("%s: LEAK %s / %s / %s\n", op->name, name(e[0]), name(e[1]), name(e[2]));
    }
    return 0;
}
