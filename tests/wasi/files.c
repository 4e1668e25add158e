// Files in a granted directory. argv[1] selects the mode, argv[2] the guest
// directory to work in:
//   ops DIR     create, write, read back, seek, stat, readdir, mkdir, rename,
//               unlink, rmdir; reads host.txt put there by the host; leaves
//               result.txt behind for the host to check.
//   escape DIR  every way out of DIR must fail: "..", absolute paths outside
//               any grant, symlinks pointing out. Inside paths still work.
//   none        no directory is granted: every open must fail.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures = 0;
static void check(const char *what, int ok) {
    printf("%s: %s\n", what, ok ? "ok" : "FAIL");
    if (!ok) failures++;
}

static char path_buf[4][512];
static const char *P(int slot, const char *dir, const char *name) {
    snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", dir, name);
    return path_buf[slot];
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

// Prints the sorted entries of a directory (without . and ..), with a
// trailing / on directories.
static void list_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) {
        printf("opendir %s failed\n", dir);
        failures++;
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char name[300];
        snprintf(name, sizeof name, "%s%s", e->d_name, e->d_type == DT_DIR ? "/" : "");
        names[n++] = strdup(name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("listing (%d):", n);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static int write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return 0;
    int ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

static int read_file(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = 0;
    fclose(f);
    return (int)n;
}

static int ops(const char *dir) {
    char buf[256];

    // A file written by the host before the run.
    int n = read_file(P(0, dir, "host.txt"), buf, sizeof buf);
    printf("host.txt (%d): %s", n, n > 0 ? buf : "\n");

    // Create, write, read back.
    check("write a.txt", write_file(P(0, dir, "a.txt"), "alpha\nbeta\ngamma\n"));
    n = read_file(P(0, dir, "a.txt"), buf, sizeof buf);
    check("read a.txt back", n == 17 && strcmp(buf, "alpha\nbeta\ngamma\n") == 0);

    // Seek with a raw descriptor: lseek SET/CUR/END, read and overwrite in the middle.
    int fd = open(P(0, dir, "a.txt"), O_RDWR);
    check("open a.txt O_RDWR", fd >= 0);
    check("lseek SEEK_SET 6", lseek(fd, 6, SEEK_SET) == 6);
    char four[5] = {0};
    check("read 4 at 6", read(fd, four, 4) == 4 && strcmp(four, "beta") == 0);
    check("lseek SEEK_CUR 0", lseek(fd, 0, SEEK_CUR) == 10);
    check("lseek SEEK_END -6", lseek(fd, -6, SEEK_END) == 11);
    check("overwrite GAMMA", write(fd, "GAMMA", 5) == 5);
    check("pwrite at 0", pwrite(fd, "ALPHA", 5, 0) == 5);
    check("pread at 6", pread(fd, four, 4, 6) == 4 && strcmp(four, "beta") == 0);
    struct stat st;
    check("fstat size 17", fstat(fd, &st) == 0 && st.st_size == 17 && S_ISREG(st.st_mode));
    check("ftruncate 10", ftruncate(fd, 10) == 0);
    check("fstat size 10", fstat(fd, &st) == 0 && st.st_size == 10);
    check("close", close(fd) == 0);
    n = read_file(P(0, dir, "a.txt"), buf, sizeof buf);
    check("contents after edits", n == 10 && memcmp(buf, "ALPHA\nbeta", 10) == 0);

    // Append mode.
    FILE *f = fopen(P(0, dir, "a.txt"), "a");
    check("fopen append", f != NULL);
    if (f) {
        fputs("\nappended\n", f);
        fclose(f);
    }
    n = read_file(P(0, dir, "a.txt"), buf, sizeof buf);
    check("append", n == 20 && strcmp(buf, "ALPHA\nbeta\nappended\n") == 0);

    // O_CREAT|O_EXCL on an existing file fails with EEXIST.
    errno = 0;
    fd = open(P(0, dir, "a.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644);
    check("O_EXCL on existing fails with EEXIST", fd < 0 && errno == EEXIST);

    // stat of a missing file fails with ENOENT.
    errno = 0;
    check("stat missing fails with ENOENT", stat(P(0, dir, "missing"), &st) != 0 && errno == ENOENT);

    // Directories: mkdir, nested file, listing, stat.
    check("mkdir sub", mkdir(P(0, dir, "sub"), 0755) == 0);
    errno = 0;
    check("mkdir sub again fails with EEXIST", mkdir(P(0, dir, "sub"), 0755) != 0 && errno == EEXIST);
    check("stat sub is a directory", stat(P(0, dir, "sub"), &st) == 0 && S_ISDIR(st.st_mode));
    check("write sub/inner.txt", write_file(P(0, dir, "sub/inner.txt"), "inner\n"));
    check("write b.txt", write_file(P(0, dir, "b.txt"), "bee\n"));
    check("stat mtime is after 2020", stat(P(0, dir, "b.txt"), &st) == 0 && st.st_mtime > 1577836800);
    list_dir(dir);
    list_dir(P(0, dir, "sub"));

    // Rename a file and a directory.
    check("rename b.txt -> c.txt", rename(P(0, dir, "b.txt"), P(1, dir, "c.txt")) == 0);
    check("b.txt gone", access(P(0, dir, "b.txt"), F_OK) != 0);
    n = read_file(P(0, dir, "c.txt"), buf, sizeof buf);
    check("c.txt has b's contents", n == 4 && strcmp(buf, "bee\n") == 0);
    check("rename sub -> sub2", rename(P(0, dir, "sub"), P(1, dir, "sub2")) == 0);
    list_dir(dir);

    // rmdir of a non-empty directory fails; unlink then rmdir works.
    errno = 0;
    check("rmdir non-empty fails with ENOTEMPTY", rmdir(P(0, dir, "sub2")) != 0 && errno == ENOTEMPTY);
    check("unlink sub2/inner.txt", unlink(P(0, dir, "sub2/inner.txt")) == 0);
    check("rmdir sub2", rmdir(P(0, dir, "sub2")) == 0);
    check("unlink c.txt", unlink(P(0, dir, "c.txt")) == 0);
    errno = 0;
    check("unlink missing fails with ENOENT", unlink(P(0, dir, "c.txt")) != 0 && errno == ENOENT);
    list_dir(dir);

    // A file for the host to check after the run.
    check("write result.txt", write_file(P(0, dir, "result.txt"), "written by files.wasm\n"));
    check("unlink a.txt", unlink(P(0, dir, "a.txt")) == 0);
    list_dir(dir);
    printf("failures: %d\n", failures);
    return failures ? 1 : 0;
}

static void must_fail(const char *what, const char *path, int flags) {
    int fd = open(path, flags, 0644);
    printf("%s (%s): %s\n", what, path, fd < 0 ? "denied" : "ALLOWED");
    if (fd >= 0) {
        failures++;
        close(fd);
    }
}

static int escape(const char *dir) {
    char buf[256];
    // Inside the grant, ".." that stays inside is fine.
    check("mkdir sub", mkdir(P(0, dir, "sub"), 0755) == 0);
    int n = read_file(P(0, dir, "sub/../host.txt"), buf, sizeof buf);
    check("sub/../host.txt readable", n > 0);

    must_fail("parent via ..", P(0, dir, "../outside.txt"), O_RDONLY);
    must_fail("parent via sub/../..", P(0, dir, "sub/../../outside.txt"), O_RDONLY);
    must_fail("relative ..", "../outside.txt", O_RDONLY);
    must_fail("absolute", "/etc/passwd", O_RDONLY);
    must_fail("symlink to parent", P(0, dir, "link_out"), O_RDONLY);
    must_fail("symlink to absolute", P(0, dir, "link_abs"), O_RDONLY);
    must_fail("create via ..", P(0, dir, "../created.txt"), O_WRONLY | O_CREAT);
    must_fail("create through symlinked dir", P(0, dir, "link_dir/created.txt"), O_WRONLY | O_CREAT);
    DIR *d = opendir(P(0, dir, ".."));
    printf("opendir parent: %s\n", d ? "ALLOWED" : "denied");
    if (d) {
        failures++;
        closedir(d);
    }
    printf("failures: %d\n", failures);
    return failures ? 1 : 0;
}

static int none(void) {
    must_fail("absolute", "/sandbox/host.txt", O_RDONLY);
    must_fail("relative", "host.txt", O_RDONLY);
    must_fail("create relative", "new.txt", O_WRONLY | O_CREAT);
    must_fail("root", "/", O_RDONLY);
    DIR *d = opendir(".");
    printf("opendir .: %s\n", d ? "ALLOWED" : "denied");
    if (d) {
        failures++;
        closedir(d);
    }
    printf("failures: %d\n", failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    const char *dir = argc > 2 ? argv[2] : ".";
    if (!strcmp(mode, "ops")) return ops(dir);
    if (!strcmp(mode, "escape")) return escape(dir);
    if (!strcmp(mode, "none")) return none();
    printf("usage: files ops|escape DIR | files none\n");
    return 2;
}
