// Traps, selected by argv[1]: "div" (integer divide by zero), "unreachable"
// (__builtin_trap), "stack" (unbounded recursion), "oob" (store past the end
// of linear memory), "badcall" (call_indirect with the wrong signature).
// Each prints and flushes a line first; the trap must not lose it.
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) int trap_div(int a, int b) { return a / b; }

__attribute__((noinline)) void trap_unreachable(void) { __builtin_trap(); }

// The recursion goes through a volatile function pointer so the compiler can
// neither turn it into a loop nor see that it never ends. Its locals stay in
// wasm locals (nothing address-taken), so it exhausts the native call stack,
// not the shadow stack in linear memory.
static unsigned recurse(unsigned n);
static unsigned (*volatile recurse_ptr)(unsigned) = recurse;
__attribute__((noinline)) static unsigned recurse(unsigned n) {
    return recurse_ptr(n + 1) * 3u + n;
}

__attribute__((noinline)) void trap_oob(void) {
    volatile int *p = (volatile int *)0xfffffff0u;
    *p = 1;
}

static int one_arg(int x) { return x + 1; }
__attribute__((noinline)) int trap_badcall(void) {
    int (*volatile f)(int, int) = (int (*)(int, int))one_arg;
    return f(1, 2);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    printf("before trap: %s\n", mode);
    fflush(stdout);
    volatile int zero = 0;
    if (strcmp(mode, "div") == 0) printf("%d\n", trap_div(1, zero));
    else if (strcmp(mode, "unreachable") == 0) trap_unreachable();
    else if (strcmp(mode, "stack") == 0) printf("%u\n", recurse(zero));
    else if (strcmp(mode, "oob") == 0) trap_oob();
    else if (strcmp(mode, "badcall") == 0) printf("%d\n", trap_badcall());
    else {
        printf("unknown mode\n");
        return 2;
    }
    printf("not reached\n");
    return 0;
}
