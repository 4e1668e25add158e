/* An import that calls back into its own instance: the inner calls run on
   the instance's stack below the outer one, their traps return to the
   import, and the outer call then completes normally. */
#include <stdio.h>

#include "basic.h"

static int depth;

static const char *trap(basic *instance) {
    const char *message = basic_trap(instance);
    return message ? message : "none";
}

int32_t basic_import_env_log(basic *instance, int32_t v) {
    if (depth++ == 0) {
        int32_t r = basic_div(instance, 1, 0);
        printf("inner div %d: %s\n", r, trap(instance));
        r = basic_callhost(instance, 3);
        printf("inner import %d: %s\n", r, trap(instance));
        r = basic_recurse(instance, 0);
        printf("inner recurse %d: %s\n", r, trap(instance));
    }
    return v + 1;
}

int main(void) {
    basic *b = basic_new(NULL);
    int32_t r = basic_callhost(b, 10);
    printf("outer %d: %s\n", r, trap(b));
    r = basic_add(b, 1, 2);
    printf("after %d: %s\n", r, trap(b));
    basic_free(b);
    return 0;
}
