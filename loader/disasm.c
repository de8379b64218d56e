/* disasm.c — prints threaded code using the operand letters of emu/ops.def. */
#include "disasm.h"
#include "../emu/interp.h"
#include "../emu/call.h"
#include "../emu/atom.h"
#include "../emu/exception.h"

static void print_operand(FILE *out, const TbModule *m, char c, UWord w) {
    switch (c) {
    case 'x': fprintf(out, " x%lu", (unsigned long)w); break;
    case 'y': fprintf(out, " y%lu", (unsigned long)w); break;
    case 'l': fprintf(out, " fr%lu", (unsigned long)w); break;
    case 'u': case 'h': fprintf(out, " %lu", (unsigned long)w); break;
    case 'f': case 'j':
        if (w == 0) fputs(" none", out);
        else fprintf(out, " @%ld", (long)((const UWord *)w - m->code));
        break;
    case 'e': case 'b': {
        const TbExport *e = (const TbExport *)w;
        fputc(' ', out); tb_fprint_term(out, e->module);
        fputc(':', out); tb_fprint_term(out, e->function);
        fprintf(out, "/%u", e->arity);
        break;
    }
    case 'n': fprintf(out, " fun#%u", ((const TbFunEntry *)w)->index); break;
    case 'S': fprintf(out, " str@%ld", (long)((const uint8_t *)w - m->strings)); break;
    case 's': case 'd':
        if ((w & 3) == 0) { fprintf(out, " %c%lu", (w & 4) ? 'y' : 'x', (unsigned long)(w >> 3)); break; }
        /* fallthrough */
    default: fputc(' ', out); tb_fprint_term(out, (Term)w); break;
    }
}

/* List items are untyped words: decode what they can be. */
static void print_list_item(FILE *out, const TbModule *m, UWord w) {
    if ((w & 3) == 0) {
        const UWord *a = (const UWord *)w;
        if (a >= m->code && a < m->code + m->code_words) fprintf(out, " @%ld", (long)(a - m->code));
        else if (w < ((UWord)TB_MAX_X << 3)) fprintf(out, " %c%lu", (w & 4) ? 'y' : 'x', (unsigned long)(w >> 3));
        else fprintf(out, " #%lu", (unsigned long)w);
    } else if ((w & 3) == 3 || tb_is_literal_ptr((const void *)(w & ~(UWord)3))) {
        fputc(' ', out);
        tb_fprint_term(out, (Term)w);
    } else {
        fprintf(out, " #%lx", (unsigned long)w);
    }
}

int tb_disasm_file(const char *path, FILE *out) {
    char err[600];
    TbModule *m = tb_code_load_file(path, TB_NONE, err, sizeof err);
    if (!m) { fprintf(stderr, "tbeam: %s\n", err); return 1; }
    for (size_t pc = 0; pc < m->code_words;) {
        int op = tb_op_from_addr(m->code[pc]);
        if (op < 0) { fprintf(stderr, "tbeam: %s: bad code word at %zu\n", path, pc); return 1; }
        fprintf(out, "%6zu: %s", pc, tb_op_info[op].name);
        size_t a = pc + 1;
        for (const char *s = tb_op_info[op].spec; *s; s++) {
            if (*s == '-' || *s == '0') continue;
            if (*s == 'L') {
                UWord n = m->code[a++];
                fprintf(out, " [%lu:", (unsigned long)n);
                for (UWord i = 0; i < n; i++, a++) {
                    if (op == OP_select_tuple_arity && i < n / 2) fprintf(out, " %lu", (unsigned long)m->code[a]);
                    else print_list_item(out, m, m->code[a]);   /* (its values are raw arities) */
                }
                fputs(" ]", out);
                continue;
            }
            print_operand(out, m, *s, m->code[a++]);
        }
        fputc('\n', out);
        pc = a;
    }
    return 0;
}
