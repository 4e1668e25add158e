// An echo server on the socket granted with `--tcplisten` (fd 3). Serves
// argv[1] connections (default 1) one after the other: waits for a client
// with poll_oneoff, accepts it, checks that a send or receive with a bad
// iovec does nothing, echoes everything it sends until it shuts
// down its side, then shuts down its own and closes. Prints "ready" (and
// flushes) once it is listening, so a test knows when to connect; gives up
// (exit status 1) after 20 s without a client, or at once when fd 3 is not
// a granted socket.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#pragma clang diagnostic ignored "-Wunused-result"

#define LISTENER 3

static const char *name(__wasi_errno_t e) {
    switch (e) {
    case __WASI_ERRNO_SUCCESS: return "ok";
    case __WASI_ERRNO_AGAIN: return "EAGAIN";
    case __WASI_ERRNO_BADF: return "EBADF";
    case __WASI_ERRNO_FAULT: return "EFAULT";
    case __WASI_ERRNO_INVAL: return "EINVAL";
    case __WASI_ERRNO_NOTCONN: return "ENOTCONN";
    case __WASI_ERRNO_NOTSOCK: return "ENOTSOCK";
    default: {
        static char buf[32];
        snprintf(buf, sizeof buf, "errno %u", e);
        return buf;
    }
    }
}

// Waits until the listener has a pending connection; 0 on timeout.
static int wait_for_client(void) {
    __wasi_subscription_t s[2];
    memset(s, 0, sizeof s);
    s[0].userdata = 1;
    s[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    s[0].u.u.fd_read.file_descriptor = LISTENER;
    s[1].userdata = 2;
    s[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    s[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    s[1].u.u.clock.timeout = 20ull * 1000 * 1000 * 1000;
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    if (__wasi_poll_oneoff(s, ev, 2, &n) != 0) return 0;
    for (__wasi_size_t i = 0; i < n; i++)
        if (ev[i].userdata == 1 && ev[i].error == 0) return 1;
    return 0;
}

static int send_all(__wasi_fd_t c, const uint8_t *p, size_t len) {
    while (len > 0) {
        __wasi_ciovec_t iov = {p, len};
        __wasi_size_t sent = 0;
        __wasi_errno_t e = __wasi_sock_send(c, &iov, 1, 0, &sent);
        if (e != 0 || sent == 0) {
            printf("sock_send: %s\n", name(e));
            return 0;
        }
        p += sent;
        len -= sent;
    }
    return 1;
}

static int serve(int i) {
    if (!wait_for_client()) {
        printf("connection %d: no client\n", i);
        return 0;
    }
    __wasi_fd_t c;
    __wasi_errno_t e = __wasi_sock_accept(LISTENER, 0, &c);
    printf("connection %d: accept %s\n", i, name(e));
    if (e) return 0;
    __wasi_fdstat_t st;
    __wasi_fd_fdstat_get(c, &st);
    printf("  filetype %u nonblock %u\n", st.fs_filetype, st.fs_flags & __WASI_FDFLAGS_NONBLOCK ? 1 : 0);

    // Peek at the first byte: it must still be there for the real receive.
    uint8_t first = 0;
    __wasi_iovec_t one = {&first, 1};
    __wasi_size_t n = 0;
    __wasi_roflags_t ro = 0xffff;
    e = __wasi_sock_recv(c, &one, 1, __WASI_RIFLAGS_RECV_PEEK, &n, &ro);
    printf("  peek: %s %u byte(s), roflags %u\n", name(e), (unsigned)n, ro);

    // A good iovec, then one at 0xFFFFFFF0: EFAULT, and nothing sent or
    // received (the client would get an extra byte, or the echo miss one).
    static const uint8_t extra = 'X';
    uint8_t skip = 0;
    __wasi_ciovec_t bad_out[2] = {{&extra, 1}, {(const uint8_t *)(uintptr_t)0xFFFFFFF0u, 16}};
    printf("  send with a bad iovec: %s\n", name(__wasi_sock_send(c, bad_out, 2, 0, &n)));
    __wasi_iovec_t bad_in[2] = {{&skip, 1}, {(uint8_t *)(uintptr_t)0xFFFFFFF0u, 16}};
    printf("  receive with a bad iovec: %s\n", name(__wasi_sock_recv(c, bad_in, 2, 0, &n, &ro)));

    // Echo, receiving into two buffers at once.
    static uint8_t a[1000], b[64 * 1024];
    unsigned long long total = 0;
    int got_first = 0;
    for (;;) {
        __wasi_iovec_t iov[2] = {{a, sizeof a}, {b, sizeof b}};
        e = __wasi_sock_recv(c, iov, 2, 0, &n, &ro);
        if (e) {
            printf("  sock_recv: %s\n", name(e));
            return 0;
        }
        if (n == 0) break;
        if (!got_first) {
            printf("  first byte matches the peek: %d\n", a[0] == first);
            got_first = 1;
        }
        size_t in_a = n < sizeof a ? n : sizeof a;
        if (!send_all(c, a, in_a) || !send_all(c, b, n - in_a)) return 0;
        total += n;
    }
    printf("  echoed %llu bytes\n", total);
    printf("  shutdown bad flags: %s\n", name(__wasi_sock_shutdown(c, 0)));
    printf("  shutdown write: %s\n", name(__wasi_sock_shutdown(c, __WASI_SDFLAGS_WR)));
    printf("  close: %s\n", name(__wasi_fd_close(c)));
    return 1;
}

int main(int argc, char **argv) {
    int conns = argc > 1 ? atoi(argv[1]) : 1;
    __wasi_fdstat_t st;
    __wasi_errno_t e = __wasi_fd_fdstat_get(LISTENER, &st);
    printf("listener: %s filetype %u nonblock %u\n", name(e), st.fs_filetype,
           st.fs_flags & __WASI_FDFLAGS_NONBLOCK ? 1 : 0);
    __wasi_fd_t c;
    printf("accept with no client: %s\n", name(__wasi_sock_accept(LISTENER, 0, &c)));
    printf("accept with bad flags: %s\n", name(__wasi_sock_accept(LISTENER, __WASI_FDFLAGS_APPEND, &c)));
    printf("accept on stdout: %s\n", name(__wasi_sock_accept(1, 0, &c)));
    printf("accept on a closed fd: %s\n", name(__wasi_sock_accept(99, 0, &c)));
    printf("ready\n");
    fflush(stdout);
    for (int i = 1; i <= conns; i++) {
        if (!serve(i)) return 1;
        fflush(stdout);
    }
    printf("done\n");
    return 0;
}
