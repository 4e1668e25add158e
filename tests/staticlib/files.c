/* A library using WASI through wasi-libc, built as a reactor: stdio,
   the environment, the arguments, files in a granted directory, malloc.
   Each export prints what it did and returns a number the host checks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define EXPORT(name) __attribute__((export_name(name)))

/* Prints the environment variable WHO; its length, or -1 when unset. */
EXPORT("greet") int greet(void) {
    const char *who = getenv("WHO");
    printf("hello %s\n", who ? who : "(unset)");
    fflush(stdout);
    return who ? (int)strlen(who) : -1;
}

/* The number of arguments, and the last one printed. */
EXPORT("args") int args(void) {
    size_t count = 0, size = 0;
    if (__wasi_args_sizes_get(&count, &size) != 0)
        return -1;
    char **argv = malloc(sizeof(char *) * (count + 1));
    char *buf = malloc(size + 1);
    if (!argv || !buf || __wasi_args_get((uint8_t **)argv, (uint8_t *)buf) != 0)
        return -1;
    printf("args %zu, last \"%s\"\n", count, count ? argv[count - 1] : "");
    fflush(stdout);
    free(argv);
    free(buf);
    return (int)count;
}

/* Reads PATH and prints its first line; its length, or -errno. */
EXPORT("read_file") int read_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("open %s: %s\n", path, strerror(errno));
        fflush(stdout);
        return -errno;
    }
    char line[128];
    if (!fgets(line, sizeof line, f))
        line[0] = 0;
    fclose(f);
    line[strcspn(line, "\n")] = 0;
    printf("%s: %s\n", path, line);
    fflush(stdout);
    return (int)strlen(line);
}

/* Writes TEXT to PATH; 0, or -errno. */
EXPORT("write_file") int write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -errno;
}

/* A buffer in the instance's memory for the host to fill. */
EXPORT("buffer") char *buffer(int size) { return malloc(size); }

/* Writes a line to stderr, then exits with STATUS. */
EXPORT("quit") void quit(int status) {
    fprintf(stderr, "quitting with %d\n", status);
    exit(status);
}
