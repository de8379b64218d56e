/* ms_compile.c — match specification compiler, its error texts (exactly
 * ERTS 25's, as erlang:match_spec_test/3 reports them), the program cache
 * and the compiled-spec references. */
#define _GNU_SOURCE
#include "ms.h"
#include "ms_int.h"
#include "ets.h"
#include "../emu/print.h"
#include "../emu/compare.h"
#include "../emu/hash.h"
#include "../emu/signals.h"
#include "../emu/map.h"
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>

/* ---- guard functions allowed in match specs (ERTS 25's guard_tab) ---- */
const TbMsBif tb_ms_bifs[] = {
    {"is_atom", 1, MS_BIF_ANY, bif_is_atom_1}, {"is_float", 1, MS_BIF_ANY, bif_is_float_1},
    {"is_integer", 1, MS_BIF_ANY, bif_is_integer_1}, {"is_list", 1, MS_BIF_ANY, bif_is_list_1},
    {"is_number", 1, MS_BIF_ANY, bif_is_number_1}, {"is_pid", 1, MS_BIF_ANY, bif_is_pid_1},
    {"is_port", 1, MS_BIF_ANY, bif_is_port_1}, {"is_reference", 1, MS_BIF_ANY, bif_is_reference_1},
    {"is_tuple", 1, MS_BIF_ANY, bif_is_tuple_1}, {"is_map", 1, MS_BIF_ANY, bif_is_map_1},
    {"is_binary", 1, MS_BIF_ANY, bif_is_binary_1}, {"is_function", 1, MS_BIF_ANY, bif_is_function_1},
    {"is_record", 3, MS_BIF_ANY, bif_is_record_3},
    {"abs", 1, MS_BIF_ANY, bif_erlang_abs_1}, {"element", 2, MS_BIF_ANY, bif_element_2},
    {"hd", 1, MS_BIF_ANY, bif_hd_1}, {"length", 1, MS_BIF_ANY, bif_length_1},
    {"node", 1, MS_BIF_ANY, bif_node_1}, {"node", 0, MS_BIF_ANY, bif_node_0},
    {"round", 1, MS_BIF_ANY, bif_erlang_round_1}, {"size", 1, MS_BIF_ANY, bif_size_1},
    {"map_size", 1, MS_BIF_ANY, bif_erlang_map_size_1}, {"map_get", 2, MS_BIF_ANY, bif_erlang_map_get_2},
    {"is_map_key", 2, MS_BIF_ANY, bif_erlang_is_map_key_2},
    {"bit_size", 1, MS_BIF_ANY, bif_erlang_bit_size_1}, {"byte_size", 1, MS_BIF_ANY, bif_erlang_byte_size_1},
    {"tl", 1, MS_BIF_ANY, bif_tl_1}, {"trunc", 1, MS_BIF_ANY, bif_erlang_trunc_1},
    {"binary_part", 2, MS_BIF_ANY, bif_erlang_binary_part_2},
    {"binary_part", 3, MS_BIF_ANY, bif_erlang_binary_part_3},
    {"float", 1, MS_BIF_ANY, bif_erlang_float_1},
    {"+", 1, MS_BIF_ANY, tb_ms_uplus}, {"+", 2, MS_BIF_ANY, bif_erlang_plus_2},
    {"-", 1, MS_BIF_ANY, bif_erlang_uminus_1}, {"-", 2, MS_BIF_ANY, bif_erlang_minus_2},
    {"*", 2, MS_BIF_ANY, bif_erlang_times_2}, {"/", 2, MS_BIF_ANY, bif_erlang_fdiv_2},
    {"div", 2, MS_BIF_ANY, bif_erlang_div_2}, {"rem", 2, MS_BIF_ANY, bif_erlang_rem_2},
    {"band", 2, MS_BIF_ANY, bif_erlang_band_2}, {"bor", 2, MS_BIF_ANY, bif_erlang_bor_2},
    {"bxor", 2, MS_BIF_ANY, bif_erlang_bxor_2}, {"bnot", 1, MS_BIF_ANY, bif_erlang_bnot_1},
    {"bsl", 2, MS_BIF_ANY, bif_erlang_bsl_2}, {"bsr", 2, MS_BIF_ANY, bif_erlang_bsr_2},
    {">", 2, MS_BIF_ANY, bif_gt_2}, {">=", 2, MS_BIF_ANY, bif_ge_2},
    {"<", 2, MS_BIF_ANY, bif_lt_2}, {"=<", 2, MS_BIF_ANY, bif_le_2},
    {"=:=", 2, MS_BIF_ANY, bif_exeq_2}, {"==", 2, MS_BIF_ANY, bif_eq_2},
    {"=/=", 2, MS_BIF_ANY, bif_exneq_2}, {"/=", 2, MS_BIF_ANY, bif_neq_2},
    {"not", 1, MS_BIF_ANY, bif_not_1}, {"xor", 2, MS_BIF_ANY, bif_xor_2},
    {"get_tcw", 0, MS_BIF_TRACE, tb_ms_get_tcw}, {"set_tcw", 1, MS_BIF_TRACE, tb_ms_set_tcw},
};
const unsigned tb_ms_nbifs = sizeof tb_ms_bifs / sizeof *tb_ms_bifs;
static Term bif_atoms[sizeof tb_ms_bifs / sizeof *tb_ms_bifs];

BIF_DECL(tb_ms_uplus) {
    if (!is_number(args[0])) BADARITH(p);
    return args[0];
}
BIF_DECL(tb_ms_get_tcw) { (void)args; return make_small(0); }
BIF_DECL(tb_ms_set_tcw) { (void)p; (void)args; return make_small(0); }

static int find_bif(Term name, unsigned arity, bool *name_known) {
    if (!bif_atoms[0])
        for (unsigned i = 0; i < tb_ms_nbifs; i++) bif_atoms[i] = tb_atom_cstr(tb_ms_bifs[i].name);
    *name_known = false;
    for (unsigned i = 0; i < tb_ms_nbifs; i++)
        if (bif_atoms[i] == name) {
            *name_known = true;
            if (tb_ms_bifs[i].arity == arity) return (int)i;
        }
    return -1;
}

/* ---- compiler state ---- */

typedef struct { uint32_t num, slot; } VarMap;

typedef struct {
    TbMs *ms;
    TbMsErrors *errs;
    bool failed;
    VarMap *vars;
    uint32_t nvars, varcap;
    bool *bound;            /* per slot, for the clause being compiled */
    uint32_t boundcap;
} Comp;

void tb_ms_errors_free(TbMsErrors *e) {
    for (unsigned i = 0; i < e->n; i++) free(e->msg[i]);
    free(e->msg);
    e->msg = NULL;
    e->n = e->cap = 0;
}

static void error(Comp *c, const char *fmt, ...) {
    c->failed = true;
    if (!c->errs) return;
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) abort();
    va_end(ap);
    TbMsErrors *e = c->errs;
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 4;
        e->msg = realloc(e->msg, e->cap * sizeof *e->msg);
        if (!e->msg) abort();
    }
    e->msg[e->n++] = s;
}

/* A term as %T prints it (malloc'd). */
static char *show(Term t) {
    size_t n = tb_print_term(NULL, 0, t);
    char *s = malloc(n + 1);
    if (!s) abort();
    tb_print_term(s, n + 1, t);
    return s;
}

static uint32_t new_node(Comp *c, uint8_t op) {
    TbMs *ms = c->ms;
    if (ms->nnodes == ms->nodecap) {
        ms->nodecap = ms->nodecap ? ms->nodecap * 2 : 16;
        ms->node = realloc(ms->node, ms->nodecap * sizeof *ms->node);
        if (!ms->node) abort();
    }
    ms->node[ms->nnodes] = (TbMsNode){.op = op};
    return ms->nnodes++;
}
static uint32_t new_kids(Comp *c, uint32_t n) {
    TbMs *ms = c->ms;
    while (ms->nkids + n > ms->kidcap) {
        ms->kidcap = ms->kidcap ? ms->kidcap * 2 : 16;
        ms->kid = realloc(ms->kid, ms->kidcap * sizeof *ms->kid);
        if (!ms->kid) abort();
    }
    uint32_t k = ms->nkids;
    ms->nkids += n;
    return k;
}
static uint32_t const_node(Comp *c, uint8_t op, Term t) {
    uint32_t n = new_node(c, op);
    c->ms->node[n].t = t;
    c->ms->node[n].ground = 1;
    return n;
}

/* '$N' -> N, or -1. */
int tb_ms_var_num(Term t) {
    if (!is_atom(t)) return -1;
    const TbAtom *a = atom_entry(t);
    if (a->len < 2 || a->len > 10 || a->name[0] != '$') return -1;
    long v = 0;
    for (uint32_t i = 1; i < a->len; i++) {
        if (a->name[i] < '0' || a->name[i] > '9') return -1;
        v = v * 10 + (a->name[i] - '0');
    }
    return v > 100000000 ? -1 : (int)v;
}

static uint32_t slot_of(Comp *c, uint32_t num) {
    for (uint32_t i = 0; i < c->nvars; i++)
        if (c->vars[i].num == num) return c->vars[i].slot;
    if (c->nvars == c->varcap) {
        c->varcap = c->varcap ? c->varcap * 2 : 8;
        c->vars = realloc(c->vars, c->varcap * sizeof *c->vars);
        if (!c->vars) abort();
    }
    uint32_t s = c->ms->nslots++;
    c->vars[c->nvars++] = (VarMap){num, s};
    if (s >= c->boundcap) {
        uint32_t nc = c->boundcap ? c->boundcap * 2 : 8;
        while (nc <= s) nc *= 2;
        c->bound = realloc(c->bound, nc * sizeof *c->bound);
        if (!c->bound) abort();
        memset(c->bound + c->boundcap, 0, (nc - c->boundcap) * sizeof *c->bound);
        c->boundcap = nc;
    }
    return s;
}

static Term atom_us(void) { return EATOM("_"); }

/* Does t contain variables, '_' or maps (anything a constant compare cannot do)? */
static bool pat_ground(Term t) {
    for (;;) {
        if (is_atom(t)) return t != atom_us() && tb_ms_var_num(t) < 0;
        if (is_list(t)) {
            if (!pat_ground(CAR(list_val(t)))) return false;
            t = CDR(list_val(t));
            continue;
        }
        if (is_tuple(t)) {
            UWord n = tuple_arity(t);
            for (UWord i = 1; i <= n; i++)
                if (!pat_ground(tuple_val(t)[i])) return false;
            return true;
        }
        return !is_map(t);
    }
}

static uint32_t pattern(Comp *c, Term t, int depth);

static uint32_t pattern(Comp *c, Term t, int depth) {
    if (depth > 10000) { error(c, "Match pattern too deep."); return const_node(c, MS_P_ANY, NIL); }
    if (is_atom(t)) {
        if (t == atom_us()) return new_node(c, MS_P_ANY);
        int v = tb_ms_var_num(t);
        if (v >= 0) {
            uint32_t s = slot_of(c, (uint32_t)v);
            uint32_t n = new_node(c, c->bound[s] ? MS_P_CHECK : MS_P_BIND);
            c->bound[s] = true;
            c->ms->node[n].a = s;
            return n;
        }
        return const_node(c, MS_P_CONST, t);
    }
    if (pat_ground(t)) return const_node(c, MS_P_CONST, t);
    if (is_tuple(t)) {
        UWord ar = tuple_arity(t);
        uint32_t n = new_node(c, MS_P_TUPLE);
        uint32_t k = new_kids(c, (uint32_t)ar);
        for (UWord i = 0; i < ar; i++) {
            uint32_t x = pattern(c, tuple_val(t)[i + 1], depth + 1);
            c->ms->kid[k + i] = x;
        }
        c->ms->node[n].n = (uint16_t)(ar > 0xffff ? 0xffff : ar);
        c->ms->node[n].a = (uint32_t)ar;
        c->ms->node[n].kids = k;
        return n;
    }
    if (is_list(t)) {
        uint32_t n = new_node(c, MS_P_CONS);
        uint32_t k = new_kids(c, 2);
        uint32_t h = pattern(c, CAR(list_val(t)), depth + 1);
        c->ms->kid[k] = h;
        uint32_t tl = pattern(c, CDR(list_val(t)), depth + 1);
        c->ms->kid[k + 1] = tl;
        c->ms->node[n].n = 2;
        c->ms->node[n].kids = k;
        return n;
    }
    if (is_map(t)) {
        UWord sz = tb_map_size(t);
        uint32_t n = new_node(c, MS_P_MAP);
        uint32_t k = new_kids(c, (uint32_t)(2 * sz));
        TbMapIter it;
        tb_map_iter_init(&it, t);
        Term mk, mv;
        uint32_t i = 0;
        bool bad = false;
        while (tb_map_iter_next(&it, &mk, &mv)) {
            if (!pat_ground(mk)) {
                bad = true;
                pattern(c, mk, depth + 1);          /* its variables count as bound */
            }
            uint32_t kn = const_node(c, MS_P_CONST, mk);
            c->ms->kid[k + i] = kn;
            uint32_t vn = pattern(c, mv, depth + 1);
            c->ms->kid[k + i + 1] = vn;
            i += 2;
        }
        if (bad) error(c, "Variable found in map key.");
        c->ms->node[n].n = (uint16_t)sz;
        c->ms->node[n].a = (uint32_t)sz;
        c->ms->node[n].kids = k;
        return n;
    }
    return const_node(c, MS_P_CONST, t);
}

/* Is an expression a constant as it stands (no variables, calls or maps)? */
static bool expr_ground(Term t) {
    for (;;) {
        if (is_atom(t)) return tb_ms_var_num(t) < 0 && t != EATOM("$_") && t != EATOM("$$");
        if (is_list(t)) {
            if (!expr_ground(CAR(list_val(t)))) return false;
            t = CDR(list_val(t));
            continue;
        }
        return !is_tuple(t) && !is_map(t);
    }
}

static uint32_t expr(Comp *c, Term t, int depth);

static uint32_t exprs(Comp *c, uint8_t op, Term *elems, uint32_t n, int depth) {
    uint32_t node = new_node(c, op);
    uint32_t k = new_kids(c, n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = expr(c, elems[i], depth + 1);
        c->ms->kid[k + i] = x;
    }
    c->ms->node[node].n = (uint16_t)(n > 0xffff ? 0xffff : n);
    c->ms->node[node].a = n;
    c->ms->node[node].kids = k;
    return node;
}

static const char *const trace_forms[] = {
    "message", "return_trace", "exception_trace", "display", "process_dump", "enable_trace",
    "disable_trace", "trace", "caller", "silent", "set_seq_token", "get_seq_token", "is_seq_trace",
    "caller_line",
};

static uint32_t call(Comp *c, Term t, int depth) {
    Term *tp = tuple_val(t);
    UWord ar = tuple_arity(t);
    Term f = tp[1];
    TbMs *ms = c->ms;
    if (!is_atom(f)) {
        char *s = show(t);
        error(c, "%s is neither a function call, nor a tuple (tuples are written {{ ... }}).", s);
        free(s);
        return const_node(c, MS_E_CONST, AM_false);
    }
    if (tb_ms_var_num(f) >= 0 || f == EATOM("$_") || f == EATOM("$$")) {
        char *s = show(t);
        error(c, "%s is neither a function call, nor a tuple (tuples are written {{ ... }}).", s);
        free(s);
        return const_node(c, MS_E_CONST, AM_false);
    }
    const TbAtom *fa = atom_entry(f);
    if (f == EATOM("const")) {
        if (ar != 2) {
            char *s = show(t);
            error(c, "Special form 'const' called with more than one argument in %s.", s);
            free(s);
        }
        return const_node(c, MS_E_CONST, ar == 2 ? tp[2] : NIL);
    }
    uint8_t logic = f == EATOM("andalso") ? MS_E_ANDALSO : f == EATOM("orelse") ? MS_E_ORELSE
                  : f == EATOM("and") ? MS_E_AND : f == EATOM("or") ? MS_E_OR : 0;
    if (logic) {
        if (ar < 2) {
            char *s = show(t);
            error(c, "Special form '%.*s' called without arguments in %s.", (int)fa->len, fa->name, s);
            free(s);
        }
        return exprs(c, logic, tp + 2, (uint32_t)(ar - 1), depth);
    }
    if (f == EATOM("self")) {
        if (ar != 1) {
            char *s = show(t);
            error(c, "Special form 'self' called with arguments in %s.", s);
            free(s);
        }
        return new_node(c, MS_E_SELF);
    }
    for (size_t i = 0; i < sizeof trace_forms / sizeof *trace_forms; i++) {
        if (f != tb_atom_cstr(trace_forms[i])) continue;
        if (ms->dialect != TB_MS_TRACE) {
            const char *nm = strcmp(trace_forms[i], "set_seq_token") == 0 ? "set_seq_trace" : trace_forms[i];
            error(c, "Special form '%s' used in wrong dialect.", nm);
            return const_node(c, MS_E_CONST, AM_false);
        }
        uint8_t op = MS_E_TRACE_TRUE;
        if (i == 0) op = MS_E_MESSAGE;
        else if (i == 1) op = MS_E_RETURN_TRACE;
        else if (i == 2) op = MS_E_EXCEPTION_TRACE;
        else if (i == 12) op = MS_E_TRACE_FALSE;
        return exprs(c, op, tp + 2, (uint32_t)(ar - 1), depth);
    }
    bool known;
    int b = find_bif(f, (unsigned)(ar - 1), &known);
    if (b < 0 || (tb_ms_bifs[b].kind == MS_BIF_TRACE && ms->dialect != TB_MS_TRACE)) {
        char *s = show(f);
        if (b < 0) error(c, "Function %s/%u does_not_exist.", s, (unsigned)(ar - 1));
        else error(c, "Function %s/%u cannot be called in this context.", s, (unsigned)(ar - 1));
        free(s);
        return const_node(c, MS_E_CONST, AM_false);
    }
    uint32_t n = exprs(c, MS_E_BIF, tp + 2, (uint32_t)(ar - 1), depth);
    c->ms->node[n].t = (Term)b;
    return n;
}

static uint32_t expr(Comp *c, Term t, int depth) {
    if (depth > 10000) { error(c, "Expression too deep."); return const_node(c, MS_E_CONST, NIL); }
    if (is_atom(t)) {
        if (t == EATOM("$_")) return new_node(c, MS_E_ALL);
        if (t == EATOM("$$")) return new_node(c, MS_E_ALLVARS);
        int v = tb_ms_var_num(t);
        if (v >= 0) {
            uint32_t s = slot_of(c, (uint32_t)v);
            if (!c->bound[s]) {
                const TbAtom *a = atom_entry(t);
                error(c, "Variable %.*s is unbound.", (int)a->len, a->name);
            }
            uint32_t n = new_node(c, MS_E_VAR);
            c->ms->node[n].a = s;
            return n;
        }
        return const_node(c, MS_E_CONST, t);
    }
    if (expr_ground(t)) return const_node(c, MS_E_CONST, t);
    if (is_list(t)) {
        Term e[2] = {CAR(list_val(t)), CDR(list_val(t))};
        return exprs(c, MS_E_CONS, e, 2, depth);
    }
    if (is_tuple(t)) {
        UWord ar = tuple_arity(t);
        if (ar == 1 && is_tuple(tuple_val(t)[1])) {
            Term inner = tuple_val(t)[1];
            return exprs(c, MS_E_TUPLE, tuple_val(inner) + 1, (uint32_t)tuple_arity(inner), depth);
        }
        if (ar == 0) {
            char *s = show(t);
            error(c, "%s is neither a function call, nor a tuple (tuples are written {{ ... }}).", s);
            free(s);
            return const_node(c, MS_E_CONST, t);
        }
        return call(c, t, depth);
    }
    if (is_map(t)) {
        UWord sz = tb_map_size(t);
        Term *kv = malloc((2 * sz + 1) * sizeof(Term));
        if (!kv) abort();
        TbMapIter it;
        tb_map_iter_init(&it, t);
        UWord i = 0;
        while (tb_map_iter_next(&it, &kv[i], &kv[i + 1])) i += 2;
        uint32_t n = exprs(c, MS_E_MAP, kv, (uint32_t)(2 * sz), depth);
        free(kv);
        return n;
    }
    return const_node(c, MS_E_CONST, t);
}

static bool proper_list(Term l, UWord *len) {
    UWord n = 0;
    for (; is_list(l); l = CDR(list_val(l))) n++;
    *len = n;
    return l == NIL;
}

static int cmp_var(const void *a, const void *b) {
    const VarMap *x = a, *y = b;
    return x->num < y->num ? -1 : x->num > y->num;
}

TbMs *tb_ms_compile(Term spec, int dialect, TbMsErrors *errs) {
    UWord nclauses = 0;
    Comp c = {.errs = errs};
    if (!is_list(spec) && !(spec == NIL && !errs)) {
        error(&c, "Match programs are not in a list.");
        return NULL;
    }
    if (spec != NIL && !proper_list(spec, &nclauses)) {
        error(&c, "Match programs are not in a proper list.");
        return NULL;
    }
    TbMs *ms = calloc(1, sizeof *ms);
    if (!ms) abort();
    ms->dialect = dialect;
    ms->store = tb_ets_obj_new(spec);
    spec = ms->store->term;
    ms->clauses = calloc(nclauses, sizeof *ms->clauses);
    if (!ms->clauses) abort();
    c.ms = ms;
    for (Term l = spec; is_list(l); l = CDR(list_val(l))) {
        Term cl = CAR(list_val(l));
        if (!is_tuple_arity(cl, 3)) {
            error(&c, "Match program part is not a tuple of arity 3.");
            continue;
        }
        Term head = tuple_val(cl)[1], guards = tuple_val(cl)[2], body = tuple_val(cl)[3];
        if (c.boundcap) memset(c.bound, 0, c.boundcap * sizeof *c.bound);
        TbMsClause *cc = &ms->clauses[ms->nclauses++];
        uint32_t vars_before = c.nvars;
        (void)vars_before;
        cc->head = pattern(&c, head, 0);
        /* the head's variables in '$N' order, for '$$' */
        VarMap *hv = malloc((c.nvars + 1) * sizeof *hv);
        if (!hv) abort();
        uint32_t nh = 0;
        for (uint32_t i = 0; i < c.nvars; i++)
            if (c.bound[c.vars[i].slot]) hv[nh++] = c.vars[i];
        qsort(hv, nh, sizeof *hv, cmp_var);
        cc->nvars = nh;
        cc->vars = new_kids(&c, nh);
        for (uint32_t i = 0; i < nh; i++) ms->kid[cc->vars + i] = hv[i].slot;
        free(hv);
        UWord ng, nb;
        if (!proper_list(guards, &ng)) {
            error(&c, "Match expression is not a list.");
            ng = 0;
            guards = NIL;
        }
        cc->nguards = (uint32_t)ng;
        cc->guards = new_kids(&c, (uint32_t)ng);
        uint32_t i = 0;
        for (Term g = guards; is_list(g); g = CDR(list_val(g))) {
            uint32_t x = expr(&c, CAR(list_val(g)), 0);
            ms->kid[cc->guards + i++] = x;
        }
        if (!proper_list(body, &nb) || nb == 0) {
            if (dialect == TB_MS_TABLE || !proper_list(body, &nb)) {
                error(&c, "Body clause does not return anything.");
                nb = 0;
                body = NIL;
            }
        }
        cc->nbody = (uint32_t)nb;
        cc->body = new_kids(&c, (uint32_t)nb);
        i = 0;
        for (Term b = body; is_list(b); b = CDR(list_val(b))) {
            uint32_t x = expr(&c, CAR(list_val(b)), 0);
            ms->kid[cc->body + i++] = x;
        }
    }
    free(c.vars);
    free(c.bound);
    if (c.failed) { tb_ms_free(ms); return NULL; }
    return ms;
}

void tb_ms_free(TbMs *ms) {
    if (!ms) return;
    free(ms->clauses);
    free(ms->node);
    free(ms->kid);
    tb_ets_obj_free(ms->store);
    free(ms);
}

/* ---- cache and references ---- */

static TbMs **by_spec, **by_ref;
static uint32_t spec_cap, ref_cap, nspecs, nrefs;
#define MS_CACHE_LIMIT 4096u

static uint32_t ref_hash(const uint32_t r[3]) { return r[0] * 2654435761u ^ r[1] * 40503u ^ r[2]; }

static void spec_insert(TbMs *ms) {
    if (nspecs + 1 > spec_cap / 2 * 1 + spec_cap / 4 || !spec_cap) {
        uint32_t nc = spec_cap ? spec_cap * 2 : 64;
        TbMs **nb = calloc(nc, sizeof *nb);
        if (!nb) abort();
        for (uint32_t i = 0; i < spec_cap; i++)
            for (TbMs *m = by_spec[i], *n; m; m = n) {
                n = m->next_spec;
                m->next_spec = nb[m->hash & (nc - 1)];
                nb[m->hash & (nc - 1)] = m;
            }
        free(by_spec);
        by_spec = nb;
        spec_cap = nc;
    }
    ms->next_spec = by_spec[ms->hash & (spec_cap - 1)];
    by_spec[ms->hash & (spec_cap - 1)] = ms;
    ms->cached = true;
    nspecs++;
}

TbMs *tb_ms_get(Term spec) {
    uint32_t h = tb_make_hash2(spec);
    if (spec_cap)
        for (TbMs *m = by_spec[h & (spec_cap - 1)]; m; m = m->next_spec)
            if (m->hash == h && tb_eq_exact(m->store->term, spec)) return m;
    TbMs *ms = tb_ms_compile(spec, TB_MS_TABLE, NULL);
    if (!ms) return NULL;
    ms->hash = h;
    if (nspecs < MS_CACHE_LIMIT) spec_insert(ms);
    return ms;
}

void tb_ms_release(TbMs *ms) {
    if (ms && !ms->cached && !ms->has_ref) tb_ms_free(ms);
}

Term tb_ms_ref(TbProcess *p, TbMs *ms) {
    if (!ms->has_ref) {
        if (nrefs + 1 > ref_cap / 2 + ref_cap / 4 || !ref_cap) {
            uint32_t nc = ref_cap ? ref_cap * 2 : 64;
            TbMs **nb = calloc(nc, sizeof *nb);
            if (!nb) abort();
            for (uint32_t i = 0; i < ref_cap; i++)
                for (TbMs *m = by_ref[i], *n; m; m = n) {
                    n = m->next_ref;
                    uint32_t b = ref_hash(m->ref) & (nc - 1);
                    m->next_ref = nb[b];
                    nb[b] = m;
                }
            free(by_ref);
            by_ref = nb;
            ref_cap = nc;
        }
        tb_ref_new_nums(ms->ref);
        uint32_t b = ref_hash(ms->ref) & (ref_cap - 1);
        ms->next_ref = by_ref[b];
        by_ref[b] = ms;
        ms->has_ref = true;
        nrefs++;
    }
    TbRefThing *r = (TbRefThing *)tb_halloc(p, REF_THING_WORDS);
    r->header = make_header(REF_THING_WORDS - 1, HDR_SUB_REF);
    memcpy(r->num, ms->ref, sizeof ms->ref);
    r->num[3] = TB_MS_REF_TAG;
    return make_boxed((Term *)r);
}

TbMs *tb_ms_from_ref(Term ref) {
    if (!is_ref(ref) || !ref_cap) return NULL;
    const TbRefThing *r = (const TbRefThing *)boxed_val(ref);
    if (r->num[3] != TB_MS_REF_TAG) return NULL;
    for (TbMs *m = by_ref[ref_hash(r->num) & (ref_cap - 1)]; m; m = m->next_ref)
        if (m->ref[0] == r->num[0] && m->ref[1] == r->num[1] && m->ref[2] == r->num[2]) return m;
    return NULL;
}
