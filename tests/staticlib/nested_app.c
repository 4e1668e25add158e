/* Two instances of `nested` with different directories (argv[1] holds
   id.txt "a...", argv[2] "b..."), whose calls nest through the import
   `host.other` into each other: a call of instance A runs the import,
   which calls B, whose import calls A again. Each instance's WASI calls
   must use its own grants at every depth (also when an import first calls
   back into its own instance), and an exit of a nested call returns to the
   application code that made it. */
#include <stdio.h>
#include "nested.h"

static nested *a, *b;
/* When 1, b's import calls b itself once first (on b's own stack). */
static int b_again;

static const char *trap(nested *instance) {
    const char *message = nested_trap(instance);
    return message ? message : "none";
}

/* The other instance's probe; at depth 0 it also makes the other exit,
   and checks that only that nested call ended. */
int32_t nested_import_host_other(nested *self, int32_t depth) {
    nested *peer = self == a ? b : a;
    if (self == b && b_again == 1) {
        b_again = 2;
        return nested_probe(b, depth);
    }
    if (depth == 0) {
        int32_t r = nested_probe(peer, -1);
        printf("  %c exits at depth 0: %d, %s\n", peer == a ? 'a' : 'b', r, trap(peer));
    }
    return nested_probe(peer, depth);
}

static void show(const char *what, nested *instance, int32_t r) {
    char seen[5] = {0};
    for (int i = 0; i < 4; i++)
        seen[i] = (char)(r >> (8 * i));
    printf("%s: \"%s\", %s\n", what, seen, trap(instance));
}

int main(int argc, char **argv) {
    if (argc != 3)
        return 2;
    setvbuf(stdout, NULL, _IONBF, 0);
    nested_dir dir_a = {argv[1], "/data"}, dir_b = {argv[2], "/data"};
    nested_config ca = {0}, cb = {0};
    ca.dirs = &dir_a;
    ca.num_dirs = 1;
    cb.dirs = &dir_b;
    cb.num_dirs = 1;
    a = nested_new(&ca);
    b = nested_new(&cb);
    if (!a || !b) {
        printf("cannot create instances\n");
        return 1;
    }
    show("a alone", a, nested_probe(a, 0));
    show("b alone", b, nested_probe(b, 0));
    show("a, b", a, nested_probe(a, 1));
    show("a, b, a", a, nested_probe(a, 2));
    show("b, a, b, a", b, nested_probe(b, 3));
    b_again = 1;
    show("a, b, b, a", a, nested_probe(a, 3));
    show("a again", a, nested_probe(a, 0));
    nested_free(a);
    nested_free(b);
    return 0;
}
