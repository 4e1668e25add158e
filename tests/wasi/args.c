// Echoes argc and every argument, argv[0] included, each in brackets so
// empty arguments and spaces are visible.
#include <stdio.h>

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=[%s]\n", i, argv[i]);
    return 0;
}
