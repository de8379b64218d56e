/* load.c — from a decoded .beam (beam_file.c) to threaded code.
 *
 * For each generic instruction: first the rewrite rules (transform.c) may
 * replace it; otherwise the first specific instruction in emu/ops.def whose
 * origin is that generic op and whose operand letters accept the operands is
 * emitted.  Labels are patched at the end.
 */
#include "load.h"
#include "transform.h"
#include "beam_file.h"
#include "../emu/interp.h"
#include "../emu/atom.h"
#include "../emu/gc.h"
#include "../emu/etf.h"
#include "../emu/big.h"
#include "../emu/binary.h"
#include "../bifs/bif.h"
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>

static void grow(Loader *ld, size_t n) {
    if (ld->ncode + n <= ld->cap) return;
    while (ld->cap < ld->ncode + n) ld->cap = ld->cap ? ld->cap * 2 : 4096;
    ld->code = realloc(ld->code, ld->cap * sizeof(UWord));
    if (!ld->code) abort();
}

int tb_load_fail(Loader *ld, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err, ld->errcap, fmt, ap);
    va_end(ap);
    return -1;
}

void tb_emit_word(Loader *ld, UWord w) {
    grow(ld, 1);
    ld->code[ld->ncode++] = w;
}

void tb_emit_label_ref(Loader *ld, uint32_t label) {
    if (label == 0) { tb_emit_word(ld, 0); return; }
    if (ld->npatches == ld->patch_cap) {
        ld->patch_cap = ld->patch_cap ? ld->patch_cap * 2 : 1024;
        ld->patches = realloc(ld->patches, ld->patch_cap * sizeof *ld->patches);
        if (!ld->patches) abort();
    }
    ld->patches[ld->npatches].at = ld->ncode;
    ld->patches[ld->npatches].label = label;
    ld->npatches++;
    tb_emit_word(ld, 0);
}

/* A constant operand as a term (atoms, integers, [], literals). */
bool tb_arg_const(Loader *ld, const TbGenArg *a, Term *out) {
    switch (a->kind) {
    case TB_ARG_A: *out = ld->atoms[a->val]; return true;
    case TB_ARG_NIL: *out = NIL; return true;
    case TB_ARG_LITERAL: *out = ld->literals[a->val]; return true;
    case TB_ARG_I:
        if (fits_small(a->val)) { *out = make_small(a->val); return true; }
        /* 60..64-bit values become bignum literals */
        /* fallthrough */
    case TB_ARG_BIGINT: {
        uint8_t le[1024];
        bool neg;
        size_t n;
        if (a->kind == TB_ARG_I) {
            uint64_t mag = a->val < 0 ? (uint64_t)0 - (uint64_t)a->val : (uint64_t)a->val;
            neg = a->val < 0;
            for (n = 0; n < 8; n++) le[n] = (uint8_t)(mag >> (8 * n));
        } else {
            const uint8_t *be = ld->b->bigint_bytes + a->val;
            n = a->aux;
            if (n > sizeof le) return false;
            neg = be[0] & 0x80;
            /* two's complement big-endian -> magnitude little-endian */
            unsigned carry = 1;
            for (size_t i = 0; i < n; i++) {
                uint8_t byte = be[n - 1 - i];
                if (neg) { unsigned v = (uint8_t)~byte + carry; byte = (uint8_t)v; carry = v >> 8; }
                le[i] = byte;
            }
        }
        Term t = tb_integer_from_bytes(ld->scratch, le, n, neg);
        *out = tb_make_literal(ld, t);
        return *out != TB_NONE;
    }
    default: return false;
    }
}

/* Copy a term built on the scratch heap into the literal area. */
Term tb_make_literal(Loader *ld, Term t) {
    return tb_copy_to_literal(t, &ld->mod->lit_off_heap);
}

static bool is_const_kind(int k) {
    return k == TB_ARG_A || k == TB_ARG_NIL || k == TB_ARG_LITERAL || k == TB_ARG_I || k == TB_ARG_BIGINT;
}

/* Does operand `a` fit letter `c`? */
static bool letter_ok(Loader *ld, char c, const TbGenArg *a) {
    switch (c) {
    case '-': return true;
    case 'x': return a->kind == TB_ARG_X;
    case 'y': return a->kind == TB_ARG_Y;
    case 'c': return is_const_kind(a->kind);
    case 'i': return a->kind == TB_ARG_I && fits_small(a->val);
    case 's': return a->kind == TB_ARG_X || a->kind == TB_ARG_Y || is_const_kind(a->kind);
    case 'd': return a->kind == TB_ARG_X || a->kind == TB_ARG_Y;
    case 'f': case 'j': return a->kind == TB_ARG_F;
    case 'u': return a->kind == TB_ARG_U;
    case 'h': return a->kind == TB_ARG_ALLOC || a->kind == TB_ARG_U;
    case 'e': return a->kind == TB_ARG_U && a->val < ld->b->import_count;
    case 'b': return a->kind == TB_ARG_U && a->val < ld->b->import_count && ld->imports[a->val]->bif;
    case 'n': return a->kind == TB_ARG_U && a->val < ld->b->fun_count;
    case 'l': return a->kind == TB_ARG_FR;
    case 'L': return a->kind == TB_ARG_LIST;
    case 'S': return a->kind == TB_ARG_U;
    case '0': return a->kind == TB_ARG_X && a->val == 0;
    default: return false;
    }
}

/* Emit one list element: constants as terms, registers encoded, labels patched. */
int tb_emit_list_elem(Loader *ld, const TbGenArg *e) {
    Term t;
    switch (e->kind) {
    case TB_ARG_X: tb_emit_word(ld, tb_reg_x((unsigned)e->val)); return 0;
    case TB_ARG_Y: tb_emit_word(ld, tb_reg_y((unsigned)e->val)); return 0;
    case TB_ARG_F: tb_emit_label_ref(ld, (uint32_t)e->val); return 0;
    case TB_ARG_U: tb_emit_word(ld, (UWord)e->val); return 0;
    default:
        if (!tb_arg_const(ld, e, &t)) return tb_load_fail(ld, "bad list operand");
        tb_emit_word(ld, t);
        return 0;
    }
}

static int emit_operand(Loader *ld, char c, const TbGenArg *a, const TbGenArg **next) {
    Term t;
    *next = a + 1;
    switch (c) {
    case '-': case '0': return 0;
    case 'x': case 'y': case 'u': tb_emit_word(ld, (UWord)a->val); return 0;
    case 'c': case 'i':
        if (!tb_arg_const(ld, a, &t)) return tb_load_fail(ld, "bad constant");
        tb_emit_word(ld, t);
        return 0;
    case 's': case 'd': return tb_emit_list_elem(ld, a);
    case 'f': case 'j': tb_emit_label_ref(ld, (uint32_t)a->val); return 0;
    case 'h': tb_emit_word(ld, a->kind == TB_ARG_U ? (UWord)a->val
                                 : (UWord)a->val + a->aux * FLOAT_WORDS + a->aux2 * (FUN_THING_WORDS + 1)); return 0;
    case 'e': case 'b': tb_emit_word(ld, (UWord)ld->imports[a->val]); return 0;
    case 'n': tb_emit_word(ld, (UWord)&ld->mod->funs[a->val]); return 0;
    case 'l': tb_emit_word(ld, (UWord)a->val); return 0;
    case 'S':
        if ((uint64_t)a->val > ld->b->strings.len) return tb_load_fail(ld, "string offset out of range");
        tb_emit_word(ld, (UWord)(ld->strings + a->val));
        return 0;
    case 'L': {
        tb_emit_word(ld, (UWord)a->val);
        for (int64_t i = 0; i < a->val; i++)
            if (tb_emit_list_elem(ld, a + 1 + i)) return -1;
        *next = a + 1 + a->val;
        return 0;
    }
    default: return tb_load_fail(ld, "bad operand letter");
    }
}

/* Does specific op `op` accept the n operands? (a list operand counts as one) */
bool tb_op_fits(Loader *ld, int op, const TbGenArg *args, unsigned n) {
    const char *s = tb_op_info[op].spec;
    unsigned i = 0;
    for (; *s; s++) {
        if (i >= n) return false;
        if (!letter_ok(ld, *s, &args[i])) return false;
        i += args[i].kind == TB_ARG_LIST ? 1 + (unsigned)args[i].val : 1;
    }
    return i == n;
}

/* Opcode word, preceded by recording the pending line location. */
int tb_begin_op(Loader *ld, int op) {
    if (ld->pending_line >= 0) {
        TbLineItem li = {(uint32_t)ld->ncode, (uint32_t)ld->pending_line};
        if (ld->nlines == ld->lines_cap) {
            ld->lines_cap = ld->lines_cap ? ld->lines_cap * 2 : 256;
            ld->lines = realloc(ld->lines, ld->lines_cap * sizeof *ld->lines);
            if (!ld->lines) abort();
        }
        ld->lines[ld->nlines++] = li;
        ld->pending_line = -1;
    }
    tb_emit_word(ld, tb_op_addr[op]);
    return 0;
}

int tb_emit_op(Loader *ld, int op, const TbGenArg *args, unsigned n) {
    if (!tb_op_fits(ld, op, args, n))
        return tb_load_fail(ld, "operands do not fit %s", tb_op_info[op].name);
    tb_begin_op(ld, op);
    const TbGenArg *a = args;
    for (const char *s = tb_op_info[op].spec; *s; s++) {
        const TbGenArg *next;
        if (emit_operand(ld, *s, a, &next)) return -1;
        a = next;
    }
    return 0;
}

/* Pick the first specific op for this generic op whose letters fit. */
int tb_emit_generic(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    for (int op = 0; op < OP__COUNT; op++)
        if (tb_op_info[op].generic == genop && tb_op_fits(ld, op, args, n))
            return tb_emit_op(ld, op, args, n);
    return tb_load_fail(ld, "no specific instruction for %s with these operands", tb_genop_info[genop].name);
}

static Term string_term(Loader *ld, const uint8_t *s, size_t n) {
    Term *hp = tb_literal_alloc(2 * n + 1);
    Term l = NIL;
    for (size_t i = n; i-- > 0;) {
        hp[0] = make_small(s[i]);
        hp[1] = l;
        l = make_list(hp);
        hp += 2;
    }
    (void)ld;
    return l;
}

static int decode_literal(Loader *ld, const uint8_t *etf, size_t len, Term *out) {
    size_t used;
    Term t = tb_etf_decode(ld->scratch, etf, len, &used, 0);
    if (t == TB_NONE) return -1;
    *out = tb_make_literal(ld, t);
    return 0;
}

static int build_tables(Loader *ld) {
    TbBeamFile *b = ld->b;
    ld->atoms = calloc(b->atom_count + 1, sizeof(Term));
    for (uint32_t i = 1; i <= b->atom_count; i++) {
        ld->atoms[i] = tb_atom_put(b->atoms[i].ptr, b->atoms[i].len);
        if (ld->atoms[i] == TB_NONE) return tb_load_fail(ld, "chunk AtU8: atom %u is not a valid atom", i);
    }
    ld->atoms[0] = NIL;
    ld->literals = calloc(b->literal_count + 1, sizeof(Term));
    for (uint32_t i = 0; i < b->literal_count; i++)
        if (decode_literal(ld, b->literals[i].etf, b->literals[i].len, &ld->literals[i]))
            return tb_load_fail(ld, "chunk LitT: literal %u is not a valid external term", i);
    ld->imports = calloc(b->import_count + 1, sizeof(TbExport *));
    for (uint32_t i = 0; i < b->import_count; i++) {
        const TbBeamImport *im = &b->imports[i];
        ld->imports[i] = tb_export_get(ld->atoms[im->mod], ld->atoms[im->fun], im->arity);
    }
    TbModule *m = ld->mod;
    m->name = ld->atoms[1];
    m->nfuns = b->fun_count;
    m->funs = calloc(b->fun_count + 1, sizeof(TbFunEntry));
    for (uint32_t i = 0; i < b->fun_count; i++) {
        const TbBeamFun *f = &b->funs[i];
        m->funs[i] = (TbFunEntry){m, m->name, ld->atoms[f->fun], f->arity, f->num_free, f->index, f->old_uniq, NULL};
    }
    memcpy(m->md5, b->md5, 16);
    ld->strings = malloc(b->strings.len + 1);
    if (b->strings.len) memcpy(ld->strings, b->strings.ptr, b->strings.len);
    m->strings = ld->strings;
    /* file names for stacktraces: index 0 is <module>.erl */
    m->nfiles = b->line_file_count ? b->line_file_count : 1;
    m->file_names = calloc(m->nfiles, sizeof(Term));
    const TbAtom *mn = atom_entry(m->name);
    uint8_t buf[300];
    memcpy(buf, mn->name, mn->len);
    memcpy(buf + mn->len, ".erl", 4);
    m->file_names[0] = string_term(ld, buf, mn->len + 4);
    for (uint32_t i = 1; i < b->line_file_count; i++)
        m->file_names[i] = string_term(ld, b->line_files[i].ptr, b->line_files[i].len);
    return 0;
}

static int translate(Loader *ld) {
    TbBeamFile *b = ld->b;
    for (uint32_t i = 0; i < b->op_count; i++) {
        const TbGenOp *op = &b->ops[i];
        ld->op_index = i;
        int rc = tb_transform(ld, op->op, tb_op_args(b, op), op->nargs);
        if (rc > 0) i += (uint32_t)rc;
        if (rc < 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s", ld->err);
            return tb_load_fail(ld, "chunk Code, offset 0x%x: %s: %s", (unsigned)op->offset,
                                tb_genop_info[op->op].name, msg);
        }
    }
    return 0;
}

static int finish(Loader *ld) {
    TbBeamFile *b = ld->b;
    TbModule *m = ld->mod;
    for (size_t i = 0; i < ld->npatches; i++) {
        uint32_t l = ld->patches[i].label;
        if (l >= b->label_count || ld->label_off[l] == SIZE_MAX)
            return tb_load_fail(ld, "chunk Code: undefined label %u", l);
        ld->code[ld->patches[i].at] = (UWord)(ld->code + ld->label_off[l]);
    }
    m->code = ld->code;
    m->code_words = ld->ncode;
    m->lines = ld->lines;
    m->nlines = (unsigned)ld->nlines;
    m->func_starts = ld->func_starts;
    m->nfunc_starts = (unsigned)ld->nfunc_starts;
    for (uint32_t i = 0; i < b->fun_count; i++) {
        uint32_t l = b->funs[i].label;
        if (l >= b->label_count || ld->label_off[l] == SIZE_MAX) return tb_load_fail(ld, "chunk FunT: bad label %u", l);
        m->funs[i].code = ld->code + ld->label_off[l];
    }
    for (uint32_t i = 0; i < b->export_count; i++) {
        uint32_t l = b->exports[i].label;
        if (l >= b->label_count || ld->label_off[l] == SIZE_MAX) return tb_load_fail(ld, "chunk ExpT: bad label %u", l);
    }
    return 0;
}

/* Make the module's exports callable (after everything else succeeded). */
static void record_exports(Loader *ld) {
    TbBeamFile *b = ld->b;
    TbModule *m = ld->mod;
    Term *hp = tb_literal_alloc(5 * b->export_count);
    Term list = NIL;
    m->exps = calloc(b->export_count + 1, sizeof *m->exps);
    if (!m->exps) abort();
    m->nexps = b->export_count;
    for (uint32_t i = 0; i < b->export_count; i++) {
        const TbBeamExport *e = &b->exports[i];
        m->exps[i].function = ld->atoms[e->fun];
        m->exps[i].arity = e->arity;
        m->exps[i].code = m->code + ld->label_off[e->label];
        hp[0] = make_arityval(2); hp[1] = ld->atoms[e->fun]; hp[2] = make_small(e->arity);
        hp[3] = make_boxed(hp); hp[4] = list;
        list = make_list(hp + 3);
        hp += 5;
    }
    m->exports_list = list;
}

void tb_load_publish(TbModule *m) {
    tb_module_register(m);
    if (m->on_load) m->on_load_pending = true;   /* exports wait for finish_after_on_load */
    else tb_module_publish_exports(m);
}

TbModule *tb_load_module(const uint8_t *data, size_t len, Term expect, char *err, size_t errcap) {
    TbModule *m = tb_load_prepare(data, len, expect, err, errcap);
    if (m) {
        const UWord *ol = m->on_load;
        m->on_load = NULL;                    /* bare mode and preloading don't run on_load */
        tb_load_publish(m);
        m->on_load = ol;
    }
    return m;
}

TbModule *tb_load_prepare(const uint8_t *data, size_t len, Term expect, char *err, size_t errcap) {
    TbBeamFile b;
    if (tb_beam_read(data, len, &b, err, errcap)) return NULL;
    Loader ld = {0};
    ld.b = &b;
    ld.err = err;
    ld.errcap = errcap;
    ld.pending_line = -1;
    ld.on_load_off = SIZE_MAX;
    ld.scratch = tb_process_new(4096);
    ld.mod = calloc(1, sizeof(TbModule));
    ld.label_off = malloc((b.label_count + 1) * sizeof(size_t));
    UWord lit_mark = tb_literal_mark();
    for (uint32_t i = 0; i <= b.label_count; i++) ld.label_off[i] = SIZE_MAX;
    int rc = build_tables(&ld);
    if (!rc) ld.no_lines = tb_is_preloaded(ld.atoms[1]);
    if (!rc && expect != TB_NONE && ld.atoms[1] != expect)
        rc = tb_load_fail(&ld, "module name in file is %.*s", (int)b.atoms[1].len, b.atoms[1].ptr);
    if (!rc) rc = translate(&ld);
    if (!rc) rc = finish(&ld);
    if (!rc && b.attributes.len) {
        Term t;
        if (!decode_literal(&ld, b.attributes.ptr, b.attributes.len, &t)) ld.mod->attributes = t;
    }
    if (!rc && b.compile_info.len) {
        Term t;
        if (!decode_literal(&ld, b.compile_info.ptr, b.compile_info.len, &t)) ld.mod->compile_info = t;
    }
    TbModule *m = ld.mod;
    if (!rc) {
        if (!m->attributes) m->attributes = NIL;
        if (!m->compile_info) m->compile_info = NIL;
        record_exports(&ld);
        if (ld.on_load_off != SIZE_MAX) m->on_load = m->code + ld.on_load_off;
    } else {
        /* nothing refers to this module's literals: give their space and binaries back */
        tb_proc_bins_release(m->lit_off_heap);
        tb_literal_rewind(lit_mark);
        free(ld.code);
        free(ld.lines);
        free(ld.func_starts);
        free(m->funs);
        free(m->file_names);
        free(ld.strings);
        free(m);
        m = NULL;
    }
    free(ld.atoms);
    free(ld.literals);
    free(ld.imports);
    free(ld.patches);
    free(ld.label_off);
    tb_process_free(ld.scratch);
    tb_beam_free(&b);
    return m;
}
