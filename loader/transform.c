/* transform.c — the loader's rewrite rules (generic -> specific), as data.
 *
 * Most generic instructions need no rule: load.c picks the first specific
 * instruction in emu/ops.def that fits.  The tables here say what ERTS's
 * ops.tab says for the rest: BIFs with dedicated instructions, apply,
 * select_val tables, and small peephole fusions.
 */
#include "transform.h"
#include "../emu/interp.h"
#include "../emu/atom.h"
#include "../bifs/bif.h"
#include "../emu/call.h"
#include "../emu/bits.h"
#include <stdlib.h>
#include <string.h>

/* erlang:Name/Arity used in gc_bif/bif instructions -> dedicated instruction.
 * Several rows for one BIF are tried in order (first whose operands fit). */
static const struct BifRule {
    const char *name;
    unsigned arity;
    bool drop_bif;       /* the specific op has no BIF operand (arith ops) */
    int op;
    bool negate;         /* X - C  =>  X + (-C) */
} bif_rules[] = {
    {"+", 2, true, OP_i_increment_xx, false},
    {"+", 2, true, OP_i_increment_yx, false},
    {"+", 2, true, OP_i_increment, false},
    {"+", 2, true, OP_i_plus_xxx, false},
    {"+", 2, true, OP_i_plus_yxx, false},
    {"+", 2, true, OP_i_plus, false},
    {"-", 2, true, OP_i_increment_xx, true},
    {"-", 2, true, OP_i_increment_yx, true},
    {"-", 2, true, OP_i_increment, true},
    {"-", 2, true, OP_i_minus, false},
    {"*", 2, true, OP_i_times, false},
    {"band", 2, true, OP_i_band, false},
    {"bor", 2, true, OP_i_bor, false},
    {"bsl", 2, true, OP_i_bsl, false},
    {"bsr", 2, true, OP_i_bsr, false},
    {"div", 2, true, OP_i_int_div, false},
    {"rem", 2, true, OP_i_rem, false},
    {"element", 2, false, OP_i_element, false},
    {"tuple_size", 1, false, OP_i_tuple_size, false},
    {"hd", 1, false, OP_i_hd, false},
    {"tl", 1, false, OP_i_tl, false},
};

/* call_ext of these imports -> instructions that do the call themselves. */
static const struct CallRule {
    const char *name;
    unsigned arity;
    int op, op_last, op_only;
} call_rules[] = {
    {"apply", 3, OP_i_apply_list, OP_i_apply_list_last, OP_i_apply_list_only},
    {"apply", 2, OP_i_apply_fun, OP_i_apply_fun_last, OP_i_apply_fun_only},
};

static bool is_erlang_bif(Loader *ld, const TbGenArg *imp, const char *name, unsigned arity) {
    const TbExport *e = ld->imports[imp->val];
    if (e->module != AM(erlang) || e->arity != arity) return false;
    const TbAtom *a = atom_entry(e->function);
    return a->len == strlen(name) && memcmp(a->name, name, a->len) == 0;
}

static int rule_bif(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    bool gc = genop == GENOP_gc_bif1 || genop == GENOP_gc_bif2 || genop == GENOP_gc_bif3;
    unsigned arity = (unsigned)(gc ? n - 4 : genop == GENOP_bif0 ? 0 : n - 3);
    const TbGenArg *imp = &args[gc ? 2 : genop == GENOP_bif0 ? 0 : 1];
    if (imp->kind != TB_ARG_U || imp->val >= ld->b->import_count)
        return tb_load_fail(ld, "bad BIF import");
    TbExport *e = ld->imports[imp->val];
    if (!e->bif) e->bif = tb_bif_not_implemented;   /* raises undef when reached */
    TbGenArg v[8];
    if (gc && arity == 1 && is_erlang_bif(ld, imp, "+", 1)) {
        /* compiled +X is X + 0 (so +(-0.0) is 0.0, as in ERTS) */
        TbGenArg z = {.kind = TB_ARG_I, .val = 0};
        TbGenArg w[5] = {args[0], args[1], args[3], z, args[4]};
        if (tb_op_fits(ld, OP_i_increment, w, 5)) return tb_emit_op(ld, OP_i_increment, w, 5);
    }
    /* Only-constant operands, or a constant that is not a number: the
     * generic call (ERTS reports the BIF frame then). */
    bool all_const = true, odd_const = false;
    for (unsigned i = (gc ? 3 : 2); i + 1 < n; i++) {
        Term c;
        bool reg = args[i].kind == TB_ARG_X || args[i].kind == TB_ARG_Y;
        all_const = all_const && !reg;
        if (!reg && (!tb_arg_const(ld, &args[i], &c) || !is_number(c))) odd_const = true;
    }
    bool generic = all_const || odd_const;
    for (size_t r = 0; !generic && r < sizeof bif_rules / sizeof bif_rules[0]; r++) {
        const struct BifRule *br = &bif_rules[r];
        if (br->arity != arity || !is_erlang_bif(ld, imp, br->name, arity)) continue;
        unsigned k = 0;
        if (br->drop_bif) {          /* Fail Live A B Dst */
            v[k++] = args[0];
            v[k++] = gc ? args[1] : (TbGenArg){.kind = TB_ARG_U};
            for (unsigned i = (gc ? 3 : 2); i < n; i++) v[k++] = args[i];
        } else {                     /* Fail Bif A.. Dst */
            v[k++] = args[0];
            v[k++] = *imp;
            for (unsigned i = (gc ? 3 : 2); i < n; i++) v[k++] = args[i];
        }
        if (br->negate) {          /* only a small constant whose negation is small */
            if (v[3].kind != TB_ARG_I || !fits_small(-v[3].val)) continue;
            v[3].val = -v[3].val;
        }
        if (tb_op_fits(ld, br->op, v, k)) return tb_emit_op(ld, br->op, v, k);
        if (br->negate) v[3].val = -v[3].val;
    }
    return tb_emit_generic(ld, genop, args, n);
}

static int rule_call_ext(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    const TbGenArg *imp = &args[1];
    if (imp->kind == TB_ARG_U && imp->val < ld->b->import_count) {
        for (size_t r = 0; r < sizeof call_rules / sizeof call_rules[0]; r++) {
            const struct CallRule *cr = &call_rules[r];
            if (!is_erlang_bif(ld, imp, cr->name, cr->arity)) continue;
            if (genop == GENOP_call_ext) return tb_emit_op(ld, cr->op, NULL, 0);
            if (genop == GENOP_call_ext_only) return tb_emit_op(ld, cr->op_only, NULL, 0);
            return tb_emit_op(ld, cr->op_last, &args[2], 1);
        }
        /* A BIF runs in the caller's frame: call_ext_only => call + return,
         * call_ext_last => call + deallocate + return. */
        if (ld->imports[imp->val]->bif) {
            if (tb_emit_op(ld, OP_i_call_bif, args, 2)) return -1;
            if (genop == GENOP_call_ext) return 0;
            if (genop == GENOP_call_ext_last && tb_emit_op(ld, OP_deallocate, &args[2], 1)) return -1;
            return tb_emit_op(ld, OP_return, NULL, 0);
        }
    }
    return tb_emit_generic(ld, genop, args, n);
}

static int cmp_word(const void *a, const void *b) {
    UWord x = ((const UWord *)a)[0], y = ((const UWord *)b)[0];
    return x < y ? -1 : x > y;
}

/* select_val / select_tuple_arity: sorted values then labels; dense small
 * integers become a jump table. */
static int rule_select(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    if (n < 3 || args[2].kind != TB_ARG_LIST || args[2].val % 2) return tb_load_fail(ld, "bad select list");
    size_t pairs = (size_t)args[2].val / 2;
    const TbGenArg *l = &args[3];
    UWord (*tab)[2] = malloc((pairs + 1) * sizeof *tab);
    for (size_t i = 0; i < pairs; i++) {
        Term v;
        if (genop == GENOP_select_tuple_arity) {
            if (l[2 * i].kind != TB_ARG_U) { free(tab); return tb_load_fail(ld, "bad arity in select_tuple_arity"); }
            v = (Term)l[2 * i].val;
        } else if (!tb_arg_const(ld, &l[2 * i], &v)) {
            free(tab);
            return tb_load_fail(ld, "bad value in select_val");
        }
        if (l[2 * i + 1].kind != TB_ARG_F) { free(tab); return tb_load_fail(ld, "bad label in select list"); }
        tab[i][0] = v;
        tab[i][1] = (UWord)l[2 * i + 1].val;
    }
    qsort(tab, pairs, sizeof *tab, cmp_word);
    int op = genop == GENOP_select_val ? OP_select_val : OP_select_tuple_arity;
    bool dense = genop == GENOP_select_val && pairs >= 3;
    for (size_t i = 0; dense && i < pairs; i++) if (!is_small(tab[i][0])) dense = false;
    SWord lo = 0, hi = 0;
    if (dense) {
        lo = small_val(tab[0][0]);
        hi = small_val(tab[pairs - 1][0]);
        dense = (UWord)(hi - lo) < 2 * pairs + 8;
    }
    if (tb_begin_op(ld, dense ? OP_i_jump_on_val : op)) { free(tab); return -1; }
    if (tb_emit_list_elem(ld, &args[0])) { free(tab); return -1; }
    tb_emit_label_ref(ld, (uint32_t)args[1].val);
    if (dense) {
        tb_emit_word(ld, make_small(lo));
        tb_emit_word(ld, (UWord)(hi - lo + 1));
        size_t j = 0;
        for (SWord v = lo; v <= hi; v++) {
            if (small_val(tab[j][0]) == v) tb_emit_label_ref(ld, (uint32_t)tab[j++][1]);
            else tb_emit_label_ref(ld, (uint32_t)args[1].val);
        }
    } else {
        tb_emit_word(ld, 2 * pairs);
        for (size_t i = 0; i < pairs; i++) tb_emit_word(ld, tab[i][0]);
        for (size_t i = 0; i < pairs; i++) tb_emit_label_ref(ld, (uint32_t)tab[i][1]);
    }
    free(tab);
    return 0;
}

static int rule_label(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    (void)genop;
    if (n != 1 || args[0].kind != TB_ARG_U || (uint64_t)args[0].val >= ld->b->label_count)
        return tb_load_fail(ld, "bad label");
    ld->label_off[args[0].val] = ld->ncode;
    return 0;
}

static int rule_line(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    (void)genop; (void)n;
    uint64_t i = (uint64_t)args[0].val;
    if (i == 0 || i >= ld->b->line_item_count || ld->no_lines) { ld->pending_line = -1; return 0; }
    const TbBeamLineItem *li = &ld->b->line_items[i];
    ld->pending_line = (long)((li->file << 24) | (li->line & 0xFFFFFF));
    return 0;
}

static int rule_func_info(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    if (ld->nfunc_starts == ld->fs_cap) {
        ld->fs_cap = ld->fs_cap ? ld->fs_cap * 2 : 64;
        ld->func_starts = realloc(ld->func_starts, ld->fs_cap * sizeof *ld->func_starts);
        if (!ld->func_starts) abort();
    }
    Term f;
    if (!tb_arg_const(ld, &args[1], &f)) return tb_load_fail(ld, "bad func_info");
    ld->func_starts[ld->nfunc_starts++] = (TbFuncStart){(uint32_t)ld->ncode, f, (unsigned)args[2].val};
    return tb_emit_generic(ld, genop, args, n);   /* keeps the pending line: function_clause's location */
}

/* -on_load: the instruction opens the function's body; remember where. */
static int rule_on_load(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    ld->on_load_off = ld->ncode;
    return tb_emit_generic(ld, genop, args, n);
}

static int rule_drop(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    (void)ld; (void)genop; (void)args; (void)n;
    return 0;
}

static int rule_start_match4(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    (void)genop;
    if (n != 4) return tb_load_fail(ld, "bad bs_start_match4");
    TbGenArg v[4] = {args[0], args[2], args[1], args[3]};
    if (v[0].kind != TB_ARG_F) v[0] = (TbGenArg){.kind = TB_ARG_F, .val = 0};   /* no_fail / resume */
    /* | bs_get_position Ctx Dst Live: a parsing loop's head, one instruction */
    const TbBeamFile *b = ld->b;
    uint32_t at = ld->op_index + 1;
    if (at < b->op_count && b->ops[at].op == GENOP_bs_get_position && b->ops[at].nargs == 3) {
        const TbGenArg *g = &b->args[b->ops[at].args];
        TbGenArg w[7] = {v[0], v[1], v[2], v[3], g[0], g[1], g[2]};
        if (g[0].kind == v[3].kind && g[0].val == v[3].val && tb_op_fits(ld, OP_bs_start_match3_pos_x, w, 7))
            return tb_emit_op(ld, OP_bs_start_match3_pos_x, w, 7) ? -1 : 1;
    }
    return tb_emit_generic(ld, GENOP_bs_start_match3, v, 4);
}

/* Constants go second so the X-versus-constant forms apply. */
static int rule_compare(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    TbGenArg v[3] = {args[0], args[1], args[2]};
    bool c1 = v[1].kind != TB_ARG_X && v[1].kind != TB_ARG_Y;
    bool c2 = v[2].kind != TB_ARG_X && v[2].kind != TB_ARG_Y;
    if (c1 && !c2) { v[1] = args[2]; v[2] = args[1]; }
    return tb_emit_generic(ld, genop, v, n);
}

static int rule_is_function2(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    TbGenArg v[3] = {args[0], args[1], args[2]};
    if (v[2].kind == TB_ARG_U) v[2].kind = TB_ARG_I;
    return tb_emit_generic(ld, genop, v, n);
}

/* The call_fun/call_fun2 at generic index `at`, reading the fun from `fun`:
 * followed by deallocate D | return it becomes a tail call (ERTS makes both
 * tail calls).  Returns the generic instructions consumed after `at`. */
static int emit_call_fun(Loader *ld, uint32_t at, TbGenArg arity, TbGenArg fun) {
    const TbBeamFile *b = ld->b;
    TbGenArg tag = {.kind = TB_ARG_U};
    if (at + 2 < b->op_count && b->ops[at + 1].op == GENOP_deallocate && b->ops[at + 2].op == GENOP_return) {
        TbGenArg v[4] = {tag, arity, fun, b->args[b->ops[at + 1].args]};
        return tb_emit_op(ld, OP_i_call_fun2_last, v, 4) ? -1 : 2;
    }
    TbGenArg v[3] = {tag, arity, fun};
    return tb_emit_op(ld, OP_i_call_fun2, v, 3) ? -1 : 0;
}

static int rule_call_fun(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    if (genop == GENOP_call_fun2) return emit_call_fun(ld, ld->op_index, args[1], args[2]);
    if (n != 1 || args[0].kind != TB_ARG_U || args[0].val > 1000) return tb_load_fail(ld, "bad call_fun");
    TbGenArg fun = {.kind = TB_ARG_X, .val = args[0].val};     /* call_fun N: the fun is in xN */
    return emit_call_fun(ld, ld->op_index, args[0], fun);
}

/* move S xN | call_fun N (or call_fun2 T N xN): call the fun in S.  xN is
 * no argument and is dead after the call, so the move can go. */
static int rule_line(Loader *ld, int genop, const TbGenArg *args, unsigned n);
static int rule_move_call_fun(Loader *ld, const TbGenArg *args) {
    const TbBeamFile *b = ld->b;
    uint32_t at = ld->op_index + 1;
    /* a line between them (the call's location) is kept */
    bool line = at < b->op_count && b->ops[at].op == GENOP_line && b->ops[at].nargs == 1;
    if (line) at++;
    if (at >= b->op_count || args[1].kind != TB_ARG_X) return 0;
    const TbGenOp *c = &b->ops[at];
    const TbGenArg *ca = &b->args[c->args];
    TbGenArg arity;
    if (c->op == GENOP_call_fun && c->nargs == 1) arity = ca[0];
    else if (c->op == GENOP_call_fun2 && c->nargs == 3 && ca[2].kind == TB_ARG_X && ca[2].val == args[1].val) arity = ca[1];
    else return 0;
    if (arity.kind != TB_ARG_U || arity.val != args[1].val) return 0;
    if (line) rule_line(ld, GENOP_line, &b->args[b->ops[at - 1].args], 1);
    int k = emit_call_fun(ld, at, arity, args[0]);
    return k < 0 ? -1 : k + (int)(at - ld->op_index);
}

/* Peephole fusions: a run of generic instructions becomes one specific
 * instruction whose operands are theirs, concatenated (the fused op's
 * operand letters decide which are kept and check them, e.g. '0' = x0). */
static const struct Fusion {
    int seq[3];
    int op;
    signed char eq[2][2];        /* pairs of concatenated operands that must be equal ({0,0}: none) */
    signed char ne[2];           /* two that must differ ({0,0}: none) */
} fusions[] = {
    {{GENOP_is_nonempty_list, GENOP_get_list, 0}, OP_is_nonempty_list_get_list, {{1, 2}}, {0, 0}},
    {{GENOP_is_nonempty_list, GENOP_allocate, 0}, OP_is_nonempty_list_allocate, {{0, 0}}, {0, 0}},
    {{GENOP_allocate, GENOP_move, 0}, OP_allocate_move_xy, {{0, 0}}, {0, 0}},
    {{GENOP_test_heap, GENOP_put_list, 0}, OP_test_heap_put_list_yxx, {{0, 0}}, {0, 0}},
    {{GENOP_test_heap, GENOP_put_list, 0}, OP_test_heap_put_list, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_move, GENOP_call}, OP_move_xy_move_call_x, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_move, GENOP_call}, OP_move_xy_move_call, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_deallocate, GENOP_return}, OP_move_deallocate_return_y, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_deallocate, GENOP_return}, OP_move_deallocate_return, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_return, 0}, OP_move_return_x, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_return, 0}, OP_move_return_c, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_return, 0}, OP_move_return, {{0, 0}}, {0, 0}},
    {{GENOP_deallocate, GENOP_return, 0}, OP_deallocate_return, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_call, 0}, OP_move_call_x, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_call, 0}, OP_move_call_y, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_call, 0}, OP_move_call, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_call_last, 0}, OP_move_call_last_x, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_call_last, 0}, OP_move_call_last_y, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_call_last, 0}, OP_move_call_last, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_call_only, 0}, OP_move_call_only_x, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_call_only, 0}, OP_move_call_only, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_move, 0}, OP_move2_xyxy, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_move, 0}, OP_move2_yxyx, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_move, 0}, OP_move2_xxxx, {{0, 0}}, {0, 0}},
    {{GENOP_move, GENOP_move, 0}, OP_move2, {{0, 0}}, {0, 0}},
    {{GENOP_get_tuple_element, GENOP_get_tuple_element, 0}, OP_get_two_tuple_elements, {{0, 3}}, {0, 2}},
    {{GENOP_is_tuple, GENOP_test_arity, 0}, OP_is_tuple_of_arity, {{0, 2}, {1, 3}}, {0, 0}},
    {{GENOP_test_heap, GENOP_put_tuple2, 0}, OP_test_heap_put_tuple2, {{0, 0}}, {0, 0}},
    {{GENOP_allocate, GENOP_init_yregs, 0}, OP_allocate_init_yregs, {{0, 0}}, {0, 0}},
    {{GENOP_bs_start_match3, GENOP_bs_get_position, 0}, OP_bs_start_match3_pos_x, {{3, 4}}, {0, 0}},
};

/* Try the fusions starting at the current instruction; returns the number of
 * extra generic instructions consumed, 0 if none applied, -1 on error. */
static int try_fusions(Loader *ld, int genop) {
    const TbBeamFile *b = ld->b;
    uint32_t at = ld->op_index;
    for (size_t f = 0; f < sizeof fusions / sizeof fusions[0]; f++) {
        const struct Fusion *fu = &fusions[f];
        if (fu->seq[0] != genop) continue;
        unsigned len = 1;
        while (len < 3 && fu->seq[len]) len++;
        /* a `line` between them (a call's location) does not stop a fusion:
         * it is recorded and the combined instruction carries it */
        uint32_t idx[3] = {at, 0, 0}, lines[2];
        unsigned nlines = 0;
        uint32_t pos = at + 1;
        bool same = true;
        for (unsigned i = 1; i < len && same; i++) {
            while (pos < b->op_count && b->ops[pos].op == GENOP_line && nlines < 2) lines[nlines++] = pos++;
            same = pos < b->op_count && b->ops[pos].op == fu->seq[i];
            idx[i] = pos++;
        }
        if (!same) continue;
        TbGenArg v[16] = {{0}};
        unsigned n = 0;
        for (unsigned i = 0; i < len && same; i++) {
            const TbGenOp *op = &b->ops[idx[i]];
            if (n + op->nargs > 16) { same = false; break; }
            memcpy(&v[n], &b->args[op->args], op->nargs * sizeof(TbGenArg));
            n += op->nargs;
        }
        if (fu->ne[0] != fu->ne[1] && v[fu->ne[0]].kind == v[fu->ne[1]].kind && v[fu->ne[0]].val == v[fu->ne[1]].val)
            same = false;           /* e.g. the first get overwrites the tuple the second reads */
        for (unsigned e = 0; e < 2 && same; e++) {
            int a = fu->eq[e][0], c = fu->eq[e][1];
            if (a != c && (v[a].kind != v[c].kind || v[a].val != v[c].val)) same = false;
        }
        if (!same || !tb_op_fits(ld, fu->op, v, n)) continue;
        for (unsigned k = 0; k < nlines; k++) {
            const TbGenOp *l = &b->ops[lines[k]];
            if (l->nargs == 1) rule_line(ld, GENOP_line, &b->args[l->args], 1);
        }
        if (tb_emit_op(ld, fu->op, v, n)) return -1;
        return (int)(idx[len - 1] - at);
    }
    return 0;
}

/* String operands point into StrT: the bytes they name must lie inside it. */
static bool strt_range_ok(Loader *ld, int64_t off, int64_t bytes) {
    return off >= 0 && bytes >= 0 && (uint64_t)off + (uint64_t)bytes <= ld->b->strings.len;
}

static int rule_match_string(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    if (n != 4 || args[2].kind != TB_ARG_U || args[3].kind != TB_ARG_U ||
        !strt_range_ok(ld, args[3].val, (args[2].val + 7) / 8))
        return tb_load_fail(ld, "string operand outside StrT");
    return tb_emit_generic(ld, genop, args, n);
}

/* <<Acc/binary, Int:Size>> into a private accumulator, Size a constant
 * whole number of bytes up to 8, unsigned big-endian: the comprehension
 * idiom, with an instruction of its own (operands as bs_create_bin's). */
static bool append_bytes_shape(Loader *ld, const TbGenArg *v, unsigned n) {
    if (n != 6 + 12 || v[5].kind != TB_ARG_LIST || v[5].val != 12) return false;
    const TbGenArg *l = &v[6];
    Term type, type2, flags, size;
    if (!tb_arg_const(ld, &l[0], &type) || type != tb_atom_cstr("private_append")) return false;
    if (l[2].kind != TB_ARG_U || (l[2].val != 1 && l[2].val != 8)) return false;
    if (!tb_arg_const(ld, &l[6], &type2) || type2 != AM(integer)) return false;
    if (!tb_arg_const(ld, &l[9], &flags) || flags != NIL) return false;
    if (l[8].kind != TB_ARG_U || l[11].kind != TB_ARG_I) return false;
    if (!tb_arg_const(ld, &l[11], &size) || !is_small(size)) return false;
    int64_t bits = small_val(size) * l[8].val;
    return bits > 0 && bits <= 64 && bits % 8 == 0;
}

/* bs_create_bin: `string` segments name StrT bytes (value = offset, size =
 * bytes); checked, then emitted as the address of the bytes. */
static int rule_create_bin(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    if (n < 6 || args[5].kind != TB_ARG_LIST) return tb_emit_generic(ld, genop, args, n);
    TbGenArg *v = malloc(n * sizeof *v);
    if (!v) abort();
    memcpy(v, args, n * sizeof *v);
    TbGenArg *l = &v[6];
    for (int64_t i = 0; i + 6 <= args[5].val; i += 6) {
        Term type;
        if (!tb_arg_const(ld, &l[i], &type)) { free(v); return tb_load_fail(ld, "bad segment type"); }
        if (type != AM(string)) continue;
        if (l[i + 4].kind != TB_ARG_U || l[i + 5].kind != TB_ARG_I ||
            !strt_range_ok(ld, l[i + 4].val, l[i + 5].val)) {
            free(v);
            return tb_load_fail(ld, "string segment outside StrT");
        }
        l[i + 4].val = (int64_t)(UWord)(ld->strings + l[i + 4].val);
    }
    int r = append_bytes_shape(ld, v, n) ? tb_emit_op(ld, OP_bs_create_bin_append_bytes, v, n)
                                          : tb_emit_generic(ld, genop, v, n);
    free(v);
    return r;
}

/* An unsigned byte from a context in X to X (parsing loops): its own
 * instruction, no size, unit or flag decoding. */
static int rule_get_integer(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    if (n == 7 && args[1].kind == TB_ARG_X && args[6].kind == TB_ARG_X && args[3].kind == TB_ARG_I &&
        args[4].kind == TB_ARG_U && args[3].val * args[4].val == 8 && args[5].kind == TB_ARG_U &&
        !(args[5].val & TB_BSF_SIGNED)) {
        TbGenArg v[3] = {args[0], args[1], args[6]};
        /* | bs_test_unit F Ctx 8 (<<B, Rest/binary>>): one instruction */
        const TbBeamFile *b = ld->b;
        uint32_t at = ld->op_index + 1;
        if (at < b->op_count && b->ops[at].op == GENOP_bs_test_unit && b->ops[at].nargs == 3) {
            const TbGenArg *t = &b->args[b->ops[at].args];
            if (t[0].kind == args[0].kind && t[0].val == args[0].val && t[1].kind == TB_ARG_X &&
                t[1].val == args[1].val && t[2].kind == TB_ARG_U && t[2].val == 8)
                return tb_emit_op(ld, OP_bs_get_byte_unit8_x, v, 3) ? -1 : 1;
        }
        return tb_emit_op(ld, OP_bs_get_byte_x, v, 3);
    }
    return tb_emit_generic(ld, genop, args, n);
}

typedef int (*RuleFn)(Loader *, int, const TbGenArg *, unsigned);
static const struct { int genop; RuleFn fn; } rules[] = {
    {GENOP_label, rule_label},
    {GENOP_line, rule_line},
    {GENOP_func_info, rule_func_info},
    {GENOP_nif_start, rule_drop},
    {GENOP_on_load, rule_on_load},
    {GENOP_bif0, rule_bif}, {GENOP_bif1, rule_bif}, {GENOP_bif2, rule_bif},
    {GENOP_gc_bif1, rule_bif}, {GENOP_gc_bif2, rule_bif}, {GENOP_gc_bif3, rule_bif},
    {GENOP_call_ext, rule_call_ext}, {GENOP_call_ext_last, rule_call_ext}, {GENOP_call_ext_only, rule_call_ext},
    {GENOP_select_val, rule_select}, {GENOP_select_tuple_arity, rule_select},
    {GENOP_bs_start_match4, rule_start_match4},
    {GENOP_is_eq_exact, rule_compare}, {GENOP_is_ne_exact, rule_compare},
    {GENOP_is_eq, rule_compare}, {GENOP_is_ne, rule_compare},
    {GENOP_is_function2, rule_is_function2},
    {GENOP_call_fun, rule_call_fun}, {GENOP_call_fun2, rule_call_fun},
    {GENOP_bs_match_string, rule_match_string},
    {GENOP_bs_get_integer2, rule_get_integer},
    {GENOP_bs_create_bin, rule_create_bin},
};

static RuleFn rule_for[TB_GENOP_MAX + 1];

int tb_transform(Loader *ld, int genop, const TbGenArg *args, unsigned n) {
    if (!rule_for[GENOP_label])
        for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) rule_for[rules[i].genop] = rules[i].fn;
    if (genop <= 0 || genop > TB_GENOP_MAX) return tb_load_fail(ld, "unknown opcode %d", genop);
    if (genop == GENOP_move) {
        int k = rule_move_call_fun(ld, args);
        if (k != 0) return k;
    }
    if (genop == GENOP_is_tuple && ld->op_index + 1 < ld->b->op_count) {
        /* is_tuple F S | select_tuple_arity S F ..: the select tests tuple-ness itself */
        const TbGenOp *nx = &ld->b->ops[ld->op_index + 1];
        const TbGenArg *na = &ld->b->args[nx->args];
        if (nx->op == GENOP_select_tuple_arity && n == 2 && nx->nargs >= 2 &&
            na[0].kind == args[1].kind && na[0].val == args[1].val &&
            na[1].kind == args[0].kind && na[1].val == args[0].val)
            return 0;
    }
    if (genop == GENOP_move || genop == GENOP_deallocate || genop == GENOP_is_nonempty_list ||
        genop == GENOP_allocate || genop == GENOP_test_heap || genop == GENOP_get_tuple_element ||
        genop == GENOP_is_tuple || genop == GENOP_bs_start_match3) {
        int k = try_fusions(ld, genop);
        if (k != 0) return k;
        /* a fusion that consumed nothing extra cannot happen: all are 2+ ops */
    }
    if (rule_for[genop]) return rule_for[genop](ld, genop, args, n);
    return tb_emit_generic(ld, genop, args, n);
}
