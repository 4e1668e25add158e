/* A library whose calls nest through the application into another
   instance: `probe` reads a file of its granted directory, asks the
   application (`host.other`) to probe the other instance, and reads the
   file again; each instance must see its own grant however the calls
   nest. Built with wasi-libc as a reactor. */
#include <stdio.h>
#include <stdlib.h>

#define EXPORT(name) __attribute__((export_name(name)))

__attribute__((import_module("host"), import_name("other"))) int other(int depth);

/* The first byte of /data/id.txt, or '?' when it cannot be read. */
static int id(void) {
    FILE *f = fopen("/data/id.txt", "r");
    if (!f)
        return '?';
    int c = fgetc(f);
    fclose(f);
    return c;
}

/* The ids seen along the nested calls, innermost in the highest byte:
   this instance's id (read before and after the nested call: '!' when
   they differ), then the other's probe of DEPTH - 1. DEPTH -1 exits. */
EXPORT("probe") int probe(int depth) {
    if (depth < 0)
        exit(7);
    int before = id();
    int inner = depth > 0 ? other(depth - 1) : 0;
    int after = id();
    return (inner << 8) | (before == after ? before : '!');
}
