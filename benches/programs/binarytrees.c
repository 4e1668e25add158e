/* Allocation-heavy: builds and frees many small binary trees (malloc/free). */
#include <stdio.h>
#include <stdlib.h>

struct node { struct node *l, *r; };

static struct node *make(int depth) {
    struct node *n = malloc(sizeof *n);
    if (!n) exit(1);
    n->l = depth > 0 ? make(depth - 1) : NULL;
    n->r = depth > 0 ? make(depth - 1) : NULL;
    return n;
}

static long check(const struct node *n) { return n->l ? 1 + check(n->l) + check(n->r) : 1; }

static void release(struct node *n) {
    if (n->l) { release(n->l); release(n->r); }
    free(n);
}

int main(int argc, char **argv) {
    int max = argc > 1 ? atoi(argv[1]) : 18;
    struct node *longlived = make(max);
    long total = 0;
    for (int d = 4; d <= max; d += 2) {
        long iters = 1L << (max - d + 4);
        for (long i = 0; i < iters; i++) {
            struct node *t = make(d);
            total += check(t);
            release(t);
        }
    }
    printf("binarytrees(%d) = %ld, long lived %ld\n", max, total, check(longlived));
    release(longlived);
    return 0;
}
