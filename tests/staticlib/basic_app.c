/* Drives the `basic` library (basic.wat): instances are independent, traps
   return to the caller and leave the instance usable, host imports get
   their instance, and a fault outside wasm reaches the application's own
   SIGSEGV handler. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "basic.h"

int32_t basic_import_env_log(basic *instance, int32_t v) {
    int *total = basic_user_data(instance);
    *total += v;
    return v * 2;
}

static const char *trap(basic *instance) {
    const char *message = basic_trap(instance);
    return message ? message : "none";
}

static void on_segv(int sig) {
    static const char line[] = "application handler\n";
    (void)sig;
    fflush(stdout);
    write(1, line, sizeof line - 1);
    _exit(3);
}

int run_basic(void) {
    basic *a = basic_new(NULL), *b = basic_new(NULL);
    if (!a || !b) {
        printf("basic_new failed\n");
        return 1;
    }
    int total_a = 0, total_b = 0;
    basic_set_user_data(a, &total_a);
    basic_set_user_data(b, &total_b);
    int32_t r = basic_add(a, 2, 3);
    printf("add %d\n", r);
    r = basic_div(a, 1, 0);
    printf("div %d: %s\n", r, trap(a));
    r = basic_div(a, 7, 2);
    printf("div %d: %s\n", r, trap(a));
    basic_bump(a);
    basic_bump(a);
    r = basic_bump(a);
    printf("globals %d %d\n", r, basic_bump(b));
    basic_store(a, 100, 42);
    r = basic_load(a, 100);
    printf("memories %d %d\n", r, basic_load(b, 100));
    r = basic_load(a, -4);
    printf("load %d: %s\n", r, trap(a));
    r = basic_recurse(a, 0);
    printf("recurse %d: %s\n", r, trap(a));
    r = basic_recurse(b, 0);
    printf("recurse %d: %s\n", r, trap(b));
    basic_unreach(b);
    printf("unreachable: %s\n", trap(b));
    r = basic_callhost(a, 5);
    printf("import %d, user data %d %d\n", r, total_a, total_b);
    r = basic_callhost(b, 7);
    printf("import %d, user data %d %d\n", r, total_a, total_b);
    printf("f64 %g: %s\n", basic_f64mul(b, 1.5, 4), trap(b));
    basic_two_results two;
    basic_two(a, 77, &two);
    printf("results %lld %g\n", (long long)two.r0, two.r1);
    size_t length;
    uint8_t *memory = basic_memory(a, &length);
    printf("memory %zu bytes, [100] = %d\n", length, memory[100]);
    r = basic_add(a, 2, 3);
    printf("add %d: %s\n", r, trap(a));
    basic_free(a);
    basic_free(b);
    return 0;
}

#ifndef NO_MAIN
int main(void) {
    /* Installed before the library's handler, which must pass it the
       faults that are not wasm traps. */
    signal(SIGSEGV, on_segv);
    if (run_basic()) return 1;
    volatile int *bad = (int *)8;
    return *bad;
}
#endif
