/* Two different libraries in one program: `basic` (basic.wat) and
   `counter` (counter.c built as a reactor), each with two instances. */
#include <stdio.h>
#include <string.h>

#include "basic.h"
#include "counter.h"

int32_t basic_import_env_log(basic *instance, int32_t v) {
    (void)instance;
    return v + 1000;
}

int32_t counter_import_host_report(counter *instance, int32_t v) {
    int *calls = counter_user_data(instance);
    ++*calls;
    return v * 10;
}

static const char *ctrap(counter *instance) {
    const char *message = counter_trap(instance);
    return message ? message : "none";
}

int main(void) {
    counter *c1 = counter_new(NULL), *c2 = counter_new(NULL);
    basic *b = basic_new(NULL);
    if (!c1 || !c2 || !b) {
        printf("new failed\n");
        return 1;
    }
    int calls1 = 0, calls2 = 0;
    counter_set_user_data(c1, &calls1);
    counter_set_user_data(c2, &calls2);
    int32_t n = counter_next(c1);
    printf("next %d %d %d\n", n, counter_next(c1), counter_next(c2));
    printf("basic %d %d\n", basic_add(b, 40, 2), basic_callhost(b, 1));

    /* Memory exchange through the exported allocator. */
    const char text[] = "hello, library";
    int32_t p = counter_alloc(c1, sizeof text);
    size_t length;
    uint8_t *memory = counter_memory(c1, &length);
    memcpy(memory + p, text, sizeof text);
    counter_upcase(c1, p, sizeof text - 1);
    printf("upcase \"%s\", checksum %u\n", (char *)memory + p,
           (unsigned)counter_checksum(c1, p, sizeof text - 1));
    uint8_t *memory2 = counter_memory(c2, &length);
    printf("other instance's byte: %d\n", memory2[p]);

    printf("mix %g\n", counter_mix(c2, 1, 2, 0.5f, 0.25));
    int32_t r = counter_report_twice(c2, 4);
    printf("imports %d, calls %d %d\n", r, calls1, calls2);
    counter_quit(c1, 7);
    printf("quit: %s\n", ctrap(c1));
    r = counter_divide(c1, 1, 0);
    printf("divide %d: %s\n", r, ctrap(c1));
    r = counter_divide(c1, 9, 3);
    printf("divide %d: %s, next %d\n", r, ctrap(c1), counter_next(c1));
    counter_free(c1);
    counter_free(c2);
    basic_free(b);
    return 0;
}
