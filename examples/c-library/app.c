/* Two instances of the wordstats library, fed different texts: each keeps
   its own totals. Prints what they counted; exits 1 when a result is not
   the expected one. */
#include <stdio.h>
#include <string.h>

#include "wordstats.h"

static int failures;

static void expect(const char *what, long got, long want) {
    printf("%s: %ld\n", what, got);
    if (got != want) {
        fprintf(stderr, "%s: expected %ld\n", what, want);
        failures++;
    }
}

/* Copies `text` into the instance's memory and counts its words there. */
static uint32_t add(wordstats *instance, const char *text) {
    uint32_t len = (uint32_t)strlen(text);
    int32_t at = wordstats_alloc(instance, (int32_t)len);
    size_t size;
    uint8_t *memory = wordstats_memory(instance, &size);
    if (at == 0 || (size_t)at + len > size) {
        fprintf(stderr, "alloc failed\n");
        failures++;
        return 0;
    }
    memcpy(memory + at, text, len);
    uint32_t found = (uint32_t)wordstats_add_text(instance, at, (int32_t)len);
    wordstats_release(instance, at);
    return found;
}

int main(void) {
    char why[200];
    wordstats_config config = {0};
    config.error = why;
    config.error_size = sizeof why;
    wordstats *a = wordstats_new(&config);
    wordstats *b = a ? wordstats_new(&config) : NULL;
    if (!a || !b) {
        fprintf(stderr, "wordstats_new: %s\n", why);
        return 1;
    }
    expect("a: words in the first text", add(a, "The quick brown fox jumps over the lazy dog."), 9);
    expect("a: words in the second text", add(a, "Sandboxed libraries, called from C."), 5);
    expect("b: words in its text", add(b, "One instance, one memory."), 4);
    expect("a: total", wordstats_total_words(a), 14);
    expect("b: total", wordstats_total_words(b), 4);
    size_t size;
    const char *memory = (const char *)wordstats_memory(a, &size);
    const char *longest = memory + wordstats_longest_word(a);
    printf("a: longest word: %s\n", longest);
    if (strcmp(longest, "Sandboxed") != 0) failures++;
    memory = (const char *)wordstats_memory(b, &size);
    longest = memory + wordstats_longest_word(b);
    printf("b: longest word: %s\n", longest);
    if (strcmp(longest, "instance") != 0) failures++;
    wordstats_free(a);
    wordstats_free(b);
    if (failures) fprintf(stderr, "%d failures\n", failures);
    return failures ? 1 : 0;
}
