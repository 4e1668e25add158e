// Prints getenv() of each name given as an argument ("(null)" when unset),
// then the number of entries in environ.
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *v = getenv(argv[i]);
        if (v) printf("%s=[%s]\n", argv[i], v);
        else printf("%s=(null)\n", argv[i]);
    }
    int n = 0;
    for (char **e = environ; e && *e; e++) n++;
    printf("environ entries: %d\n", n);
    return 0;
}
