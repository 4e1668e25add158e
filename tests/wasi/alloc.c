// Allocation-heavy code: a linked list of thousands of nodes sorted by merge
// sort, a chained hash table that grows with realloc, large blocks that make
// linear memory grow, and frees in between so the allocator reuses memory.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng_state = 12345;
static uint32_t rng(void) {
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 1;
}

struct node {
    uint32_t value;
    char *label;
    struct node *next;
};

static struct node *merge(struct node *a, struct node *b) {
    struct node head = {0}, *t = &head;
    while (a && b) {
        if (a->value <= b->value) { t->next = a; a = a->next; }
        else { t->next = b; b = b->next; }
        t = t->next;
    }
    t->next = a ? a : b;
    return head.next;
}

static struct node *sort(struct node *list) {
    if (!list || !list->next) return list;
    struct node *slow = list, *fast = list->next;
    while (fast && fast->next) { slow = slow->next; fast = fast->next->next; }
    struct node *second = slow->next;
    slow->next = NULL;
    return merge(sort(list), sort(second));
}

struct entry {
    char *key;
    uint32_t count;
    struct entry *next;
};

struct table {
    struct entry **buckets;
    size_t nbuckets, size;
};

static uint32_t hash(const char *s) {
    uint32_t h = 2166136261u;
    while (*s) { h ^= (unsigned char)*s++; h *= 16777619u; }
    return h;
}

static void table_grow(struct table *t) {
    size_t n = t->nbuckets * 2;
    struct entry **b = calloc(n, sizeof *b);
    for (size_t i = 0; i < t->nbuckets; i++) {
        struct entry *e = t->buckets[i];
        while (e) {
            struct entry *next = e->next;
            size_t j = hash(e->key) & (n - 1);
            e->next = b[j];
            b[j] = e;
            e = next;
        }
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = n;
}

static void table_add(struct table *t, const char *key) {
    size_t i = hash(key) & (t->nbuckets - 1);
    for (struct entry *e = t->buckets[i]; e; e = e->next)
        if (strcmp(e->key, key) == 0) { e->count++; return; }
    struct entry *e = malloc(sizeof *e);
    e->key = strdup(key);
    e->count = 1;
    e->next = t->buckets[i];
    t->buckets[i] = e;
    if (++t->size > t->nbuckets) table_grow(t);
}

int main(void) {
    // 1. Linked list of 20000 nodes, each with a heap label.
    const int N = 20000;
    struct node *list = NULL;
    for (int i = 0; i < N; i++) {
        struct node *n = malloc(sizeof *n);
        n->value = rng() % 100000;
        n->label = malloc(16);
        snprintf(n->label, 16, "n%d", i);
        n->next = list;
        list = n;
    }
    list = sort(list);
    int sorted = 1, count = 0;
    uint64_t sum = 0;
    for (struct node *p = list; p; p = p->next) {
        if (p->next && p->value > p->next->value) sorted = 0;
        sum += p->value;
        count++;
    }
    printf("list: count=%d sorted=%d sum=%llu first=%u last_label_len>0=%d\n", count, sorted,
           (unsigned long long)sum, list->value, (int)(strlen(list->label) > 0));
    while (list) {
        struct node *next = list->next;
        free(list->label);
        free(list);
        list = next;
    }

    // 2. Hash table of word counts, growing by rehash.
    struct table t = {calloc(8, sizeof(struct entry *)), 8, 0};
    char word[16];
    for (int i = 0; i < 50000; i++) {
        snprintf(word, sizeof word, "w%u", rng() % 5000);
        table_add(&t, word);
    }
    uint32_t maxcount = 0, total = 0;
    const char *maxkey = "";
    for (size_t i = 0; i < t.nbuckets; i++)
        for (struct entry *e = t.buckets[i]; e; e = e->next) {
            total += e->count;
            if (e->count > maxcount || (e->count == maxcount && strcmp(e->key, maxkey) < 0)) {
                maxcount = e->count;
                maxkey = e->key;
            }
        }
    printf("table: distinct=%zu buckets=%zu total=%u max=%s:%u\n", t.size, t.nbuckets, total,
           maxkey, maxcount);

    // 3. A growing array via realloc, contents checked after every growth.
    size_t cap = 1, len = 0;
    uint32_t *arr = malloc(cap * sizeof *arr);
    int ok = 1;
    for (uint32_t i = 0; i < 300000; i++) {
        if (len == cap) {
            cap *= 2;
            arr = realloc(arr, cap * sizeof *arr);
            for (size_t k = 0; k < len; k += 997)
                if (arr[k] != k * 7u) ok = 0;
        }
        arr[len++] = i * 7u;
    }
    printf("realloc: len=%zu cap=%zu ok=%d\n", len, cap, ok);
    free(arr);

    // 4. Big blocks that force memory.grow, touched, then freed and reused.
    uint64_t big_sum = 0;
    for (int round = 0; round < 4; round++) {
        size_t size = (size_t)(8 + round * 8) << 20;
        unsigned char *p = malloc(size);
        if (!p) { printf("malloc of %zu failed\n", size); return 1; }
        memset(p, round + 1, size);
        for (size_t k = 0; k < size; k += 4096) big_sum += p[k];
        free(p);
    }
    printf("big: sum=%llu\n", (unsigned long long)big_sum);

    // 5. Many small allocations of varied size, freed in a scattered order.
    enum { M = 10000 };
    static void *ptrs[M];
    for (int i = 0; i < M; i++) {
        size_t size = 1 + rng() % 512;
        ptrs[i] = malloc(size);
        memset(ptrs[i], i & 0xff, size);
    }
    for (int i = 0; i < M; i += 2) free(ptrs[i]);
    int intact = 1;
    for (int i = 1; i < M; i += 2)
        if (((unsigned char *)ptrs[i])[0] != (i & 0xff)) intact = 0;
    for (int i = 1; i < M; i += 2) free(ptrs[i]);
    printf("scatter: intact=%d\n", intact);
    return 0;
}
