// Exit statuses: argv[1] selects exit(3), return 7 from main, or return 0.
// Each prints a line first, which must be flushed on the way out.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "zero";
    printf("mode %s\n", mode);
    if (strcmp(mode, "exit3") == 0) exit(3);
    if (strcmp(mode, "ret7") == 0) return 7;
    if (strcmp(mode, "exit255") == 0) exit(255);
    return 0;
}
