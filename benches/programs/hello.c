/* Start-up cost: the smallest program that writes to stdout. */
#include <stdio.h>

int main(void) {
    puts("hello");
    return 0;
}
