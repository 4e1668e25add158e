// poll_oneoff: clock subscriptions (relative, absolute, several at once) and
// descriptor subscriptions (a file in the granted directory at fd 3, stdin
// fed "ping\n" by the test, stdout), alone and mixed. Prints what was
// reported, never how long it took (only whether it waited long enough).
// `nbytes` and the hangup flag are not printed: they are hints whose values
// differ between engines (wasmtime reports 1 byte for any readable file and
// no hangup at end of file).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#pragma clang diagnostic ignored "-Wunused-result"

#define MS 1000000ull

static __wasi_timestamp_t now(__wasi_clockid_t id) {
    __wasi_timestamp_t t = 0;
    __wasi_clock_time_get(id, 1, &t);
    return t;
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t ud, __wasi_clockid_t id, __wasi_timestamp_t timeout,
                                       __wasi_subclockflags_t flags) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = ud;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.precision = 0;
    s.u.u.clock.flags = flags;
    return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t ud, __wasi_eventtype_t type, __wasi_fd_t fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = ud;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

static int cmp(const void *a, const void *b) {
    const __wasi_event_t *x = a, *y = b;
    return x->userdata < y->userdata ? -1 : x->userdata > y->userdata;
}

// Polls and prints the events sorted by userdata.
static void poll(const char *what, __wasi_subscription_t *subs, int n) {
    __wasi_event_t ev[8];
    __wasi_size_t got = 0;
    memset(ev, 0xee, sizeof ev);
    __wasi_errno_t e = __wasi_poll_oneoff(subs, ev, n, &got);
    printf("%s: errno %u, %u event(s)\n", what, e, e ? 0 : (unsigned)got);
    if (e) return;
    qsort(ev, got, sizeof ev[0], cmp);
    for (unsigned i = 0; i < got; i++) {
        printf("  userdata %llu type %u error %u", (unsigned long long)ev[i].userdata, ev[i].type, ev[i].error);
        printf("\n");
    }
}

int main(void) {
    __wasi_subscription_t s[4];
    __wasi_size_t got;
    __wasi_event_t ev[4];
    printf("no subscriptions: errno %u\n", __wasi_poll_oneoff(s, ev, 0, &got));

    __wasi_timestamp_t t0 = now(__WASI_CLOCKID_MONOTONIC);
    s[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, 20 * MS, 0);
    poll("relative 20ms", s, 1);
    printf("  waited >= 20ms: %d\n", now(__WASI_CLOCKID_MONOTONIC) - t0 >= 20 * MS);

    t0 = now(__WASI_CLOCKID_MONOTONIC);
    s[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0);
    s[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 10 * MS, 0);
    s[2] = clock_sub(3, __WASI_CLOCKID_REALTIME, 4000 * MS, 0);
    poll("three clocks, the 10ms one fires", s, 3);
    printf("  waited < 2s: %d\n", now(__WASI_CLOCKID_MONOTONIC) - t0 < 2000 * MS);

    t0 = now(__WASI_CLOCKID_MONOTONIC);
    s[0] = clock_sub(4, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) + 15 * MS,
                     __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    poll("absolute realtime +15ms", s, 1);
    printf("  waited >= 10ms: %d\n", now(__WASI_CLOCKID_MONOTONIC) - t0 >= 10 * MS);

    s[0] = clock_sub(5, __WASI_CLOCKID_MONOTONIC, 1, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    poll("absolute in the past", s, 1);

    s[0] = clock_sub(6, __WASI_CLOCKID_MONOTONIC, 0, 0);
    poll("zero timeout", s, 1);

    // A regular file is always ready.
    __wasi_fd_t file;
    if (__wasi_path_open(3, 0, "host.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_POLL_FD_READWRITE, 0, 0,
                         &file)) {
        puts("cannot open host.txt");
        return 1;
    }
    s[0] = fd_sub(10, __WASI_EVENTTYPE_FD_READ, file);
    s[1] = clock_sub(11, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0);
    poll("file readable", s, 2);
    s[0] = fd_sub(12, __WASI_EVENTTYPE_FD_WRITE, 1);
    s[1] = clock_sub(13, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0);
    poll("stdout writable", s, 2);

    // stdin holds "ping\n" and then EOF.
    s[0] = fd_sub(20, __WASI_EVENTTYPE_FD_READ, 0);
    s[1] = clock_sub(21, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0);
    poll("stdin readable", s, 2);
    char buf[16];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    __wasi_size_t n = 0;
    while (__wasi_fd_read(0, &iov, 1, &n) == 0 && n > 0) printf("  read %.*s", (int)n, buf);
    poll("stdin at EOF", s, 2);

    // Several at once: all ready descriptors are reported together. (Not a
    // file here: wasmtime finds a file ready asynchronously, so whether it is
    // reported along with stdout is a matter of timing there.)
    s[0] = fd_sub(30, __WASI_EVENTTYPE_FD_WRITE, 1);
    s[1] = fd_sub(31, __WASI_EVENTTYPE_FD_WRITE, 2);
    s[2] = clock_sub(32, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0);
    poll("two descriptors and a clock", s, 3);

    s[0] = fd_sub(40, __WASI_EVENTTYPE_FD_READ, 99);
    poll("closed descriptor", s, 1);
    s[0] = fd_sub(41, __WASI_EVENTTYPE_FD_READ, 99);
    s[1] = fd_sub(42, __WASI_EVENTTYPE_FD_WRITE, 1);
    poll("closed descriptor and stdout", s, 2);
    return 0;
}
