/* Two instances of `files` with different grants, one without any, and
   instances that cannot be made. argv[1], argv[2]: the directories granted
   to the first and second instance; argv[3]: where the second's stdout
   goes. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "files.h"

/* `text` copied into the instance's memory: its guest address. */
static int32_t put(files *instance, const char *text) {
    int32_t at = files_buffer(instance, (int32_t)strlen(text) + 1);
    strcpy((char *)files_memory(instance, NULL) + at, text);
    return at;
}

static void show(const char *what, files *instance, int result) {
    const char *trap = files_trap(instance);
    printf("%s: %d%s%s\n", what, result, trap ? ", trap: " : "", trap ? trap : "");
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc != 4)
        return 2;
    const char *args_a[] = {"files", "first"};
    const char *env_a[] = {"WHO=alice", "OTHER=1"};
    files_dir dir_a = {argv[1], "/data"};
    files_config ca = {0};
    ca.args = args_a;
    ca.num_args = 2;
    ca.env = env_a;
    ca.num_env = 2;
    ca.dirs = &dir_a;
    ca.num_dirs = 1;

    const char *env_b[] = {"WHO=bob"};
    files_dir dir_b = {argv[2], "/data"};
    int out_b = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int stdio_b[3] = {-1, out_b, 2};
    files_config cb = {0};
    cb.env = env_b;
    cb.num_env = 1;
    cb.dirs = &dir_b;
    cb.num_dirs = 1;
    cb.stdio = stdio_b;

    files *a = files_new(&ca), *b = files_new(&cb), *c = files_new(NULL);
    if (!a || !b || !c) {
        printf("cannot create instances\n");
        return 1;
    }
    close(out_b); /* the instance has its own copy */
    show("a greet", a, files_greet(a));
    show("b greet", b, files_greet(b));
    show("c greet", c, files_greet(c));
    show("a args", a, files_args(a));
    show("c args", c, files_args(c));
    show("a read", a, files_read_file(a, put(a, "/data/in.txt")));
    show("b read", b, files_read_file(b, put(b, "/data/in.txt")));
    show("a write", a, files_write_file(a, put(a, "/data/out.txt"), put(a, "from a\n")));
    show("a read back", a, files_read_file(a, put(a, "/data/out.txt")));
    show("b read a's", b, files_read_file(b, put(b, "/data/out.txt")));
    show("a escape", a, files_read_file(a, put(a, "/data/../secret.txt")));
    show("a absolute", a, files_read_file(a, put(a, "/secret.txt")));
    show("a symlink", a, files_read_file(a, put(a, "/data/link/secret.txt")));
    show("c read", c, files_read_file(c, put(c, "/data/in.txt")));
    files_quit(b, 3);
    show("b quit", b, 0);
    show("b greet again", b, files_greet(b));
    files_free(a);
    files_free(b);
    files_free(c);

    /* Instances that cannot be made say why. */
    char error[200] = "";
    files_dir missing = {"/nonexistent/dir", "/data"};
    files_config bad = {0};
    bad.dirs = &missing;
    bad.num_dirs = 1;
    bad.error = error;
    bad.error_size = sizeof error;
    files *none = files_new(&bad);
    printf("missing dir: %s, %s\n", none ? "made" : "NULL", error);
    int stdio_bad[3] = {0, 1000, 2};
    files_config bad_fd = {0};
    bad_fd.stdio = stdio_bad;
    bad_fd.error = error;
    bad_fd.error_size = 16; /* cut short */
    none = files_new(&bad_fd);
    printf("bad descriptor: %s, %s\n", none ? "made" : "NULL", error);
    return 0;
}
