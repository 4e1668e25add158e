/* A bytecode interpreter that dispatches every instruction through a table
 * of handler functions (indirect calls), running a loop of arithmetic,
 * loads, stores and branches over a small register machine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { LOADI, ADD, SUB, MUL, XOR, SHR, AND, LOAD, STORE, JNZ, DEC, HALT };

struct insn { uint8_t op, a, b, c; int32_t imm; };

struct vm {
    int64_t r[8];
    int64_t mem[256];
    const struct insn *code;
    int pc;
    int running;
};

typedef void (*handler)(struct vm *, const struct insn *);

static void op_loadi(struct vm *m, const struct insn *i) { m->r[i->a] = i->imm; m->pc++; }
static void op_add(struct vm *m, const struct insn *i) { m->r[i->a] = m->r[i->b] + m->r[i->c]; m->pc++; }
static void op_sub(struct vm *m, const struct insn *i) { m->r[i->a] = m->r[i->b] - m->r[i->c]; m->pc++; }
static void op_mul(struct vm *m, const struct insn *i) { m->r[i->a] = m->r[i->b] * m->r[i->c]; m->pc++; }
static void op_xor(struct vm *m, const struct insn *i) { m->r[i->a] = m->r[i->b] ^ m->r[i->c]; m->pc++; }
static void op_shr(struct vm *m, const struct insn *i) { m->r[i->a] = (uint64_t)m->r[i->b] >> (i->imm & 63); m->pc++; }
static void op_and(struct vm *m, const struct insn *i) { m->r[i->a] = m->r[i->b] & i->imm; m->pc++; }
static void op_load(struct vm *m, const struct insn *i) { m->r[i->a] = m->mem[m->r[i->b] & 255]; m->pc++; }
static void op_store(struct vm *m, const struct insn *i) { m->mem[m->r[i->b] & 255] = m->r[i->a]; m->pc++; }
static void op_jnz(struct vm *m, const struct insn *i) { m->pc = m->r[i->a] ? i->imm : m->pc + 1; }
static void op_dec(struct vm *m, const struct insn *i) { m->r[i->a]--; m->pc++; }
static void op_halt(struct vm *m, const struct insn *i) { (void)i; m->running = 0; }

static const handler handlers[] = {op_loadi, op_add, op_sub, op_mul, op_xor, op_shr,
                                   op_and, op_load, op_store, op_jnz, op_dec, op_halt};

int main(int argc, char **argv) {
    int32_t iterations = argc > 1 ? atoi(argv[1]) : 10000000;
    /* r0: counter, r1: hash state, r2: multiplier, r3..r6 scratch */
    const struct insn program[] = {
        {LOADI, 0, 0, 0, iterations},
        {LOADI, 1, 0, 0, 0x12345},
        {LOADI, 2, 0, 0, 0x5bd1e995},
        /* 3: loop */
        {MUL, 3, 1, 2, 0},
        {SHR, 4, 3, 0, 13},
        {XOR, 1, 3, 4, 0},
        {AND, 5, 1, 0, 255},
        {LOAD, 6, 5, 0, 0},
        {ADD, 6, 6, 0, 0},
        {ADD, 6, 6, 1, 0},
        {STORE, 6, 5, 0, 0},
        {SUB, 1, 1, 6, 0},
        {DEC, 0, 0, 0, 0},
        {JNZ, 0, 0, 0, 3},
        {HALT, 0, 0, 0, 0},
    };
    struct vm m = {.code = program, .running = 1};
    uint64_t steps = 0;
    while (m.running) {
        const struct insn *i = &m.code[m.pc];
        handlers[i->op](&m, i);
        steps++;
    }
    int64_t check = m.r[1];
    for (int k = 0; k < 256; k++) check = check * 31 + m.mem[k];
    printf("interp: %llu instructions, result %lld\n", (unsigned long long)steps, (long long)check);
    return 0;
}
