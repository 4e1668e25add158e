// Reads stdin to EOF and prints byte, line and word counts, the longest line
// and an FNV-1a checksum of all bytes.
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>

int main(void) {
    unsigned long bytes = 0, lines = 0, words = 0, longest = 0, cur = 0;
    uint32_t h = 2166136261u;
    int in_word = 0, c;
    while ((c = getchar()) != EOF) {
        bytes++;
        h = (h ^ (unsigned char)c) * 16777619u;
        if (c == '\n') {
            lines++;
            if (cur > longest) longest = cur;
            cur = 0;
        } else {
            cur++;
        }
        if (isspace(c)) in_word = 0;
        else if (!in_word) { in_word = 1; words++; }
    }
    if (cur > longest) longest = cur;
    printf("bytes=%lu lines=%lu words=%lu longest=%lu fnv=%08x\n", bytes, lines, words, longest, h);
    return ferror(stdin) ? 1 : 0;
}
