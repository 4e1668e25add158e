/* Four threads hammer four instances of `basic` at once: two create their
   own instance (so the first instances are made concurrently), two use an
   instance the main thread made (after basic_thread_init). Every call's
   result and trap message is checked: normal calls, integer division by
   zero, out-of-bounds loads, unreachable and stack exhaustion on several
   threads at the same time, and a host import. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "basic.h"

#define ROUNDS 2000

int32_t basic_import_env_log(basic *instance, int32_t v) {
    ++*(int *)basic_user_data(instance);
    return v * 2;
}

struct job {
    int id;
    basic *instance; /* NULL: the thread makes its own */
    int errors;
    int calls;
};

static int trapped(basic *instance, const char *expected) {
    const char *message = basic_trap(instance);
    return message && strcmp(message, expected) == 0;
}

static void *work(void *arg) {
    struct job *job = arg;
    basic *instance = job->instance;
    if (!instance)
        instance = basic_new(NULL);
    else if (basic_thread_init() != 0)
        instance = NULL;
    if (!instance) {
        job->errors = -1;
        return NULL;
    }
    basic_set_user_data(instance, &job->calls);
    int bumps = 0;
    for (int i = 0; i < ROUNDS; i++) {
        job->errors += basic_add(instance, i, job->id) != i + job->id;
        job->errors += basic_div(instance, i, 0) != 0;
        job->errors += !trapped(instance, "integer divide by zero");
        job->errors += basic_div(instance, 10 * i, 5) != 2 * i || basic_trap(instance);
        job->errors += basic_load(instance, 1 << 20) != 0;
        job->errors += !trapped(instance, "out of bounds memory access");
        basic_unreach(instance);
        job->errors += !trapped(instance, "unreachable executed");
        job->errors += basic_callhost(instance, i) != 2 * i;
        job->errors += basic_bump(instance) != ++bumps;
        if (i % 100 == 0) {
            job->errors += basic_recurse(instance, 0) != 0;
            job->errors += !trapped(instance, "call stack exhausted");
        }
    }
    if (!job->instance)
        basic_free(instance);
    basic_thread_free();
    return NULL;
}

int main(void) {
    struct job jobs[4] = {{1, NULL}, {2, NULL}, {3, basic_new(NULL)}, {4, basic_new(NULL)}};
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, work, &jobs[i]);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        printf("thread %d: %d errors, %d host calls\n", jobs[i].id, jobs[i].errors, jobs[i].calls);
    }
    basic_free(jobs[2].instance);
    basic_free(jobs[3].instance);
    return 0;
}
