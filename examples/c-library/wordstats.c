/* A small C library, built to WebAssembly as a reactor with wasi-libc:
   it counts the words of the texts it is given and remembers the longest.
   Each instance keeps its own totals (its own memory). The application
   passes text through memory it gets from `alloc` (the module's malloc). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))

static uint32_t words, longest;
static char longest_word[64];

EXPORT("alloc") void *alloc(uint32_t size) { return malloc(size); }

EXPORT("release") void release(void *p) { free(p); }

/* Counts the words of `text` (`len` bytes) into the totals; returns how
   many it found. */
EXPORT("add_text") uint32_t add_text(const char *text, uint32_t len) {
    uint32_t found = 0;
    for (uint32_t i = 0; i < len;) {
        while (i < len && !isalpha((unsigned char)text[i])) i++;
        uint32_t start = i;
        while (i < len && isalpha((unsigned char)text[i])) i++;
        if (i == start) break;
        found++;
        if (i - start > longest && i - start < sizeof longest_word) {
            longest = i - start;
            memcpy(longest_word, text + start, longest);
            longest_word[longest] = 0;
        }
    }
    words += found;
    return found;
}

EXPORT("total_words") uint32_t total_words(void) { return words; }

/* The longest word so far, NUL-terminated, in the instance's memory. */
EXPORT("longest_word") const char *get_longest_word(void) { return longest_word; }
