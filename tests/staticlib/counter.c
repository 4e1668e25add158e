/* A C library built as a reactor without libc (no WASI imports but
   proc_exit): exports of every scalar type, an allocator for exchanging
   memory with the host, a host import called back, proc_exit. */
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))

IMPORT("host", "report") int32_t host_report(int32_t value);
IMPORT("wasi_snapshot_preview1", "proc_exit") _Noreturn void proc_exit(int32_t status);

static int32_t counter;
static unsigned char heap[1 << 16];
static uint32_t heap_used;

EXPORT("_initialize") void initialize(void) { counter = 100; }

EXPORT("next") int32_t next(void) { return ++counter; }

EXPORT("alloc") void *alloc(uint32_t size) {
    if (size > sizeof heap - heap_used) return 0;
    void *p = heap + heap_used;
    heap_used += (size + 15) & ~15u;
    return p;
}

EXPORT("checksum") uint32_t checksum(const unsigned char *bytes, uint32_t len) {
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++) h = (h ^ bytes[i]) * 16777619u;
    return h;
}

EXPORT("upcase") void upcase(unsigned char *bytes, uint32_t len) {
    for (uint32_t i = 0; i < len; i++)
        if (bytes[i] >= 'a' && bytes[i] <= 'z') bytes[i] -= 32;
}

EXPORT("mix") double mix(int32_t a, int64_t b, float c, double d) {
    return (double)a + (double)b + (double)c + d;
}

EXPORT("report_twice") int32_t report_twice(int32_t v) {
    return host_report(v) + host_report(v + 1);
}

EXPORT("quit") void quit(int32_t status) { proc_exit(status); }

EXPORT("divide") int32_t divide(int32_t a, int32_t b) { return a / b; }
