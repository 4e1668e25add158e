/* Times a call of a trivial export from C (`add`) and of a host function
 * from wasm (`call_host` calling `tick` N times), per call, for one engine:
 * ENGINE_wasi_aot (the static library), ENGINE_wasm2c (wasm2c's C output)
 * or ENGINE_plain (plain C). Prints "add NS" and "host NS" (nanoseconds per
 * call, best of 5 rounds of N calls). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N 20000000

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

#if defined(ENGINE_wasi_aot)
#include "calls.h"
int32_t calls_import_host_tick(calls *instance, int32_t n) { (void)instance; return n & 1; }
static calls *instance;
static void setup(void) { instance = calls_new(NULL); if (!instance) abort(); }
#define ADD(a, b) calls_add(instance, (a), (b))
#define CALL_HOST(n) calls_call_host(instance, (n))
#elif defined(ENGINE_wasm2c)
#include "calls_w2c.h"
struct w2c_host { int unused; };
u32 w2c_host_tick(struct w2c_host *host, u32 n) { (void)host; return n & 1; }
static w2c_calls instance;
static struct w2c_host host;
static void setup(void) { wasm_rt_init(); wasm2c_calls_instantiate(&instance, &host); }
#define ADD(a, b) w2c_calls_add(&instance, (a), (b))
#define CALL_HOST(n) w2c_calls_call_host(&instance, (n))
#elif defined(ENGINE_plain)
int32_t plain_add(int32_t a, int32_t b);
int32_t plain_call_host(int32_t n);
int32_t plain_tick(int32_t n) { return n & 1; }
static void setup(void) {}
#define ADD(a, b) plain_add((a), (b))
#define CALL_HOST(n) plain_call_host(n)
#else
#error "define ENGINE_wasi_aot, ENGINE_wasm2c or ENGINE_plain"
#endif

int main(void) {
    setup();
    double best_add = 1e30, best_host = 1e30;
    int32_t sink = 0;
    for (int round = 0; round < 5; round++) {
        double t0 = now();
        for (int32_t i = 0; i < N; i++)
            sink = ADD(sink, i);
        double t1 = now();
        sink += CALL_HOST(N);
        double t2 = now();
        if ((t1 - t0) / N < best_add) best_add = (t1 - t0) / N;
        if ((t2 - t1) / N < best_host) best_host = (t2 - t1) / N;
    }
    printf("add %.2f\nhost %.2f\n", best_add, best_host);
    return sink == 42; /* keeps the results live */
}
