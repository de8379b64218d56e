/* bif_ets_select.c — select/match/match_object with and without limits and
 * continuations, select_count, select_delete, select_replace, and the
 * match spec BIFs (match_spec_compile, match_spec_run_r, is_compiled_ms,
 * erlang:match_spec_test).
 *
 * Traversal: hash tables bucket by bucket (or straight to the buckets of
 * the keys when every clause binds the key); ordered_set in key order (or
 * reverse), only over the key range a clause's partly bound key allows.
 * Continuations have ERTS's shapes (ets:repair_continuation/2 inspects
 * them): {Tid, NextBucket, Limit, MSRef, Rest, RestCount} for hash tables
 * (Rest: matches beyond the limit, returned first next time) and
 * {Tid, LastKey, [], Limit, MSRef, [], Reverse, 0} for ordered_set. */
#include "bif_ets.h"
#include "../emu/compare.h"
#include <stdlib.h>

enum { SEL_LIST, SEL_COUNT, SEL_DELETE, SEL_REPLACE };

typedef struct {
    TbProcess *p;
    TbEtsTable *t;
    TbMs *ms;
    int op;
    Term res, *tail;
    bool prepend;               /* hash tables: newest first, as ERTS builds it */
    UWord got, limit;
    bool stop;
    TbEtsObj *last;
    TbEtsObj **coll;
    UWord ncoll, collcap;
} Sel;

static void collect(Sel *s, TbEtsObj *o) {
    if (s->ncoll == s->collcap) {
        s->collcap = s->collcap ? s->collcap * 2 : 64;
        s->coll = realloc(s->coll, s->collcap * sizeof *s->coll);
        if (!s->coll) abort();
    }
    s->coll[s->ncoll++] = o;
}

static void add_result(Sel *s, Term r) {
    Term *cell = tb_halloc(s->p, 2);
    s->got++;
    if (s->prepend) {
        cell[0] = r;
        cell[1] = s->res;
        s->res = make_list(cell);
        return;
    }
    cell[0] = r;
    cell[1] = NIL;
    *s->tail = make_list(cell);
    s->tail = &cell[1];
}

static void visit(Sel *s, TbEtsObj *o) {
    Term r;
    if (!tb_ms_run(s->p, s->ms, o->term, &r, NULL)) return;
    s->last = o;
    switch (s->op) {
    case SEL_LIST:
        add_result(s, tb_ets_copy_out(s->p, r));
        if (s->limit && s->got >= s->limit && s->t->type == TB_ETS_OSET) s->stop = true;
        return;
    case SEL_COUNT: if (r == AM_true) s->got++; return;
    case SEL_DELETE: if (r == AM_true) collect(s, o); return;
    case SEL_REPLACE: {
        unsigned kp = s->t->keypos;
        if (!is_tuple(r) || tuple_arity(r) < kp || !tb_ets_key_eq(tuple_val(r)[kp], tb_ets_obj_key(s->t, o))) return;
        tb_ets_replace_obj(s->t, o, tb_ets_obj_new(r));
        s->got++;
        return;
    }
    }
}

/* ---- key analysis ---- */

#define MAX_BOUND_KEYS 64
/* All clauses bind the key (or cannot match): their keys, else -1. */
static int bound_keys(TbEtsTable *t, TbMs *ms, Term *keys) {
    int n = 0;
    if (ms->nclauses > MAX_BOUND_KEYS) return -1;
    for (uint32_t c = 0; c < ms->nclauses; c++) {
        Term k;
        uint32_t node;
        int kind = tb_ms_clause_key(ms, c, t->keypos, &k, &node);
        if (kind == TB_MS_KEY_NEVER) continue;
        if (kind != TB_MS_KEY_BOUND) return -1;
        bool dup = false;
        for (int i = 0; i < n && !dup; i++)
            dup = t->type == TB_ETS_OSET ? tb_cmp(keys[i], k) == 0 : tb_ets_key_eq(keys[i], k);
        if (!dup) keys[n++] = k;
    }
    return n;
}

typedef struct { TbMs *ms; int kind; Term key; uint32_t node; } Range;
static int range_cmp(Term key, void *ctx) {
    Range *r = ctx;
    if (r->kind == TB_MS_KEY_BOUND) return tb_cmp(key, r->key);
    if (r->kind == TB_MS_KEY_PARTIAL) return tb_ms_key_range_cmp(r->ms, r->node, key);
    return 0;
}
static void get_range(TbEtsTable *t, TbMs *ms, Range *r) {
    r->ms = ms;
    r->kind = TB_MS_KEY_FREE;
    if (ms->nclauses == 1) r->kind = tb_ms_clause_key(ms, 0, t->keypos, &r->key, &r->node);
}

static int cmp_keys(const void *a, const void *b) { return tb_cmp(*(const Term *)a, *(const Term *)b); }

/* ---- traversals ---- */

static void scan_hash_from(Sel *s, UWord ix, UWord *next_ix) {
    TbEtsTable *t = s->t;
    for (; ix < t->nactive; ix++) {
        /* objects are scattered in memory: fetch a few buckets ahead */
        if (ix + 4 < t->nactive) {
            TbEtsObj *ahead = tb_ets_hash_bucket(t, ix + 4);
            if (ahead) __builtin_prefetch(ahead);
        }
        for (TbEtsObj *o = tb_ets_hash_bucket(t, ix), *n; o; o = n) {
            n = o->link[0];
            if (n) __builtin_prefetch(n);
            if (!o->dead) visit(s, o);
        }
        if (s->limit && s->got >= s->limit) { ix++; break; }
    }
    *next_ix = ix;
}

static void scan_hash_keys(Sel *s, Term *keys, int nk) {
    for (int i = 0; i < nk; i++)
        for (TbEtsObj *o = tb_ets_lookup(s->t, keys[i]), *n; o; o = n) {
            n = tb_ets_key_next(s->t, o);
            visit(s, o);
        }
}

/* Ordered: from the start of the range, or after `from` (TB_NONE: start). */
static void scan_tree(Sel *s, bool reverse, Term from) {
    TbEtsTable *t = s->t;
    Range r;
    get_range(t, s->ms, &r);
    if (r.kind == TB_MS_KEY_NEVER) return;
    TbEtsTreeIter it;
    if (from != TB_NONE) tb_ets_tree_iter_init(t, &it, from, false, reverse);
    else if (r.kind == TB_MS_KEY_FREE) tb_ets_tree_iter_init(t, &it, TB_NONE, true, reverse);
    else tb_ets_tree_iter_range(t, &it, range_cmp, &r, reverse);
    TbEtsObj *o;
    while (!s->stop && (o = tb_ets_tree_iter_next(&it))) {
        if (r.kind != TB_MS_KEY_FREE) {
            int c = range_cmp(tb_ets_obj_key(t, o), &r);
            if (reverse ? c < 0 : c > 0) break;
            if (c != 0) continue;
        }
        visit(s, o);
    }
}

/* A whole select without limit. */
static void run_all(Sel *s, bool reverse) {
    TbEtsTable *t = s->t;
    Term keys[MAX_BOUND_KEYS];
    int nk = bound_keys(t, s->ms, keys);
    if (t->type == TB_ETS_OSET) {
        if (nk >= 0 && s->op != SEL_REPLACE) {
            qsort(keys, (size_t)nk, sizeof *keys, cmp_keys);
            for (int i = 0; i < nk; i++) {
                TbEtsObj *o = tb_ets_tree_lookup(t, keys[reverse ? nk - 1 - i : i]);
                if (o) visit(s, o);
            }
        } else scan_tree(s, reverse, TB_NONE);
    } else if (nk >= 0) scan_hash_keys(s, keys, nk);
    else {
        UWord ix;
        scan_hash_from(s, 0, &ix);
    }
    if (s->op == SEL_DELETE) {
        for (UWord i = 0; i < s->ncoll; i++) tb_ets_delete_obj(t, s->coll[i]);
        s->got = s->ncoll;
    }
    free(s->coll);
}

/* (a head that is not a tuple is allowed: it just matches nothing) */
static TbMs *get_ms(Term spec) { return tb_ms_get(spec); }

static Term do_select(TbProcess *p, Term tab, Term spec, int op, bool reverse) {
    TbEtsTable *t = tb_ets_get(p, tab, op == SEL_LIST || op == SEL_COUNT ? TB_ETS_READ : TB_ETS_WRITE);
    if (!t) BADARG(p);
    TbMs *ms = get_ms(spec);
    if (!ms) BADARG(p);
    if (op == SEL_REPLACE && (t->type == TB_ETS_BAG || !tb_ms_keeps_key(ms, t->keypos))) {
        tb_ms_release(ms);
        BADARG(p);
    }
    Sel s = {.p = p, .t = t, .ms = ms, .op = op, .res = NIL, .prepend = t->type != TB_ETS_OSET};
    s.tail = &s.res;
    run_all(&s, reverse);
    tb_ms_release(ms);
    return op == SEL_LIST ? s.res : make_small((SWord)s.got);
}

/* ---- chunks ---- */

static Term eot(void) { return EATOM("$end_of_table"); }

static Term hash_chunk(TbProcess *p, TbEtsTable *t, TbMs *ms, UWord ix, UWord limit, Term rest, UWord nrest) {
    Sel s = {.p = p, .t = t, .ms = ms, .op = SEL_LIST, .res = rest, .limit = limit, .prepend = true};
    s.tail = &s.res;
    s.got = nrest;
    UWord next = t->nactive;
    if (s.got < limit) {
        Term keys[MAX_BOUND_KEYS];
        int nk = ix == 0 ? bound_keys(t, ms, keys) : -1;
        if (nk >= 0) scan_hash_keys(&s, keys, nk);
        else if (ix < t->nactive) scan_hash_from(&s, ix, &next);
    }
    if (s.got == 0) return eot();
    bool done = next >= t->nactive;
    if (s.got <= limit && done) return tb_tuple2(p, s.res, eot());
    /* first `limit` results now, the others in the continuation */
    Term more = NIL;
    UWord nmore = 0;
    /* the newest matches wait in the continuation (reversed, as ERTS does) */
    for (; s.got > limit; s.got--) {
        more = tb_cons(p, CAR(list_val(s.res)), more);
        s.res = CDR(list_val(s.res));
        nmore++;
    }
    Term *hp = tb_halloc(p, 7);
    hp[0] = make_arityval(6);
    hp[1] = tb_ets_tid_term(p, t);
    hp[2] = make_small((SWord)next);
    hp[3] = make_small((SWord)limit);
    hp[4] = tb_ms_ref(p, ms);
    hp[5] = more;
    hp[6] = make_small((SWord)nmore);
    return tb_tuple2(p, s.res, make_boxed(hp));
}

/* ERTS keeps a partly bound key pattern in the continuation ([] otherwise). */
static Term end_condition(TbProcess *p, TbEtsTable *t, TbMs *ms) {
    Range r;
    get_range(t, ms, &r);
    if (r.kind != TB_MS_KEY_PARTIAL) return NIL;
    Term head = tuple_val(CAR(list_val(ms->store->term)))[1];
    return tb_ets_copy_out(p, tuple_val(head)[t->keypos]);
}

static Term tree_chunk(TbProcess *p, TbEtsTable *t, TbMs *ms, Term from, UWord limit, bool reverse) {
    Sel s = {.p = p, .t = t, .ms = ms, .op = SEL_LIST, .res = NIL, .limit = limit};
    s.tail = &s.res;
    scan_tree(&s, reverse, from);
    if (s.got == 0) return eot();
    if (!s.stop) return tb_tuple2(p, s.res, eot());
    Term *hp = tb_halloc(p, 9);
    hp[0] = make_arityval(8);
    hp[1] = tb_ets_tid_term(p, t);
    hp[2] = tb_ets_copy_out(p, tb_ets_obj_key(t, s.last));
    hp[3] = end_condition(p, t, ms);
    hp[4] = make_small((SWord)limit);
    hp[5] = tb_ms_ref(p, ms);
    hp[6] = NIL;
    hp[7] = make_small(reverse ? 1 : 0);
    hp[8] = make_small(0);
    return tb_tuple2(p, s.res, make_boxed(hp));
}

static Term do_select_limit(TbProcess *p, Term tab, Term spec, Term lim, bool reverse) {
    TbEtsTable *t = tb_ets_get(p, tab, TB_ETS_READ);
    if (!t || !is_small(lim) || small_val(lim) <= 0) BADARG(p);
    TbMs *ms = get_ms(spec);
    if (!ms) BADARG(p);
    UWord limit = (UWord)small_val(lim);
    if (t->type == TB_ETS_OSET) return tree_chunk(p, t, ms, TB_NONE, limit, reverse);
    return hash_chunk(p, t, ms, 0, limit, NIL, 0);
}

static Term do_continue(TbProcess *p, Term cont) {
    if (cont == eot()) return eot();
    if (is_tuple_arity(cont, 6)) {
        Term *c = tuple_val(cont);
        TbEtsTable *t = tb_ets_get(p, c[1], TB_ETS_READ);
        TbMs *ms = tb_ms_from_ref(c[4]);
        if (!t || t->type == TB_ETS_OSET || !ms || !is_small(c[2]) || small_val(c[2]) < 0 || !is_small(c[3]) ||
            small_val(c[3]) <= 0 || !is_small(c[6]) || small_val(c[6]) < 0 || tb_ets_list_len(c[5]) < 0)
            BADARG(p);
        return hash_chunk(p, t, ms, (UWord)small_val(c[2]), (UWord)small_val(c[3]), c[5], (UWord)small_val(c[6]));
    }
    if (is_tuple_arity(cont, 8)) {
        Term *c = tuple_val(cont);
        TbEtsTable *t = tb_ets_get(p, c[1], TB_ETS_READ);
        TbMs *ms = tb_ms_from_ref(c[5]);
        if (!t || t->type != TB_ETS_OSET || !ms || !is_small(c[4]) || small_val(c[4]) <= 0 || !is_small(c[7]))
            BADARG(p);
        return tree_chunk(p, t, ms, c[2], (UWord)small_val(c[4]), small_val(c[7]) != 0);
    }
    BADARG(p);
}

/* ---- the BIFs ---- */

BIF_DECL(bif_ets_select_2) { return do_select(p, args[0], args[1], SEL_LIST, false); }
BIF_DECL(bif_ets_select_reverse_2) { return do_select(p, args[0], args[1], SEL_LIST, true); }
BIF_DECL(bif_ets_select_count_2) { return do_select(p, args[0], args[1], SEL_COUNT, false); }
BIF_DECL(bif_ets_internal_select_delete_2) { return do_select(p, args[0], args[1], SEL_DELETE, false); }
BIF_DECL(bif_ets_select_replace_2) { return do_select(p, args[0], args[1], SEL_REPLACE, false); }
BIF_DECL(bif_ets_select_3) { return do_select_limit(p, args[0], args[1], args[2], false); }
BIF_DECL(bif_ets_select_reverse_3) { return do_select_limit(p, args[0], args[1], args[2], true); }
BIF_DECL(bif_ets_select_1) { return do_continue(p, args[0]); }
BIF_DECL(bif_ets_select_reverse_1) { return do_continue(p, args[0]); }
BIF_DECL(bif_ets_match_1) { return do_continue(p, args[0]); }
BIF_DECL(bif_ets_match_object_1) { return do_continue(p, args[0]); }

/* match patterns become [{Pattern, [], ['$$' or '$_']}] */
static bool pattern_ok(Term pat) {
    return is_tuple(pat) || pat == EATOM("_") || (is_atom(pat) && atom_entry(pat)->len > 1 && atom_entry(pat)->name[0] == '$');
}
static Term pattern_spec(TbProcess *p, Term pat, bool object) {
    Term *hp = tb_halloc(p, 2 + 4 + 2);
    hp[0] = object ? EATOM("$_") : EATOM("$$");
    hp[1] = NIL;
    hp[2] = make_arityval(3);
    hp[3] = pat;
    hp[4] = NIL;
    hp[5] = make_list(hp);
    hp[6] = make_boxed(hp + 2);
    hp[7] = NIL;
    return make_list(hp + 6);
}

static Term do_match(TbProcess *p, Term *args, bool object) {
    if (!pattern_ok(args[1])) {
        if (!tb_ets_get(p, args[0], TB_ETS_READ)) BADARG(p);
        return NIL;
    }
    return do_select(p, args[0], pattern_spec(p, args[1], object), SEL_LIST, false);
}
static Term do_match_limit(TbProcess *p, Term *args, bool object) {
    if (!pattern_ok(args[1])) {
        if (!tb_ets_get(p, args[0], TB_ETS_READ) || !is_small(args[2]) || small_val(args[2]) <= 0) BADARG(p);
        return eot();
    }
    return do_select_limit(p, args[0], pattern_spec(p, args[1], object), args[2], false);
}
BIF_DECL(bif_ets_match_2) { return do_match(p, args, false); }
BIF_DECL(bif_ets_match_object_2) { return do_match(p, args, true); }
BIF_DECL(bif_ets_match_3) { return do_match_limit(p, args, false); }
BIF_DECL(bif_ets_match_object_3) { return do_match_limit(p, args, true); }

/* ---- compiled match specs ---- */

BIF_DECL(bif_ets_is_compiled_ms_1) { (void)p; return tb_ms_from_ref(args[0]) ? AM_true : AM_false; }

BIF_DECL(bif_ets_match_spec_compile_1) {
    TbMs *ms = args[0] == NIL ? NULL : tb_ms_get(args[0]);
    if (!ms) BADARG(p);
    return tb_ms_ref(p, ms);
}

BIF_DECL(bif_ets_match_spec_run_r_3) {
    TbMs *ms = tb_ms_from_ref(args[1]);
    if (!ms || tb_ets_list_len(args[0]) < 0) BADARG(p);
    Term acc = args[2];
    for (Term l = args[0]; is_list(l); l = CDR(list_val(l))) {
        Term r;
        if (tb_ms_run(p, ms, CAR(list_val(l)), &r, NULL)) acc = tb_cons(p, tb_ets_copy_out(p, r), acc);
    }
    return acc;
}

static Term c_string(TbProcess *p, const char *s) {
    size_t n = strlen(s);
    Term *hp = tb_halloc(p, 2 * n);
    Term l = NIL;
    for (size_t i = n; i-- > 0;) {
        hp[2 * i] = make_small((uint8_t)s[i]);
        hp[2 * i + 1] = l;
        l = make_list(hp + 2 * i);
    }
    return l;
}

BIF_DECL(bif_erlang_match_spec_test_3) {
    Term obj = args[0], spec = args[1], type = args[2];
    int dialect;
    if (type == EATOM("table")) dialect = TB_MS_TABLE;
    else if (type == EATOM("trace")) {
        dialect = TB_MS_TRACE;
        if (!is_list(obj) && obj != NIL) BADARG(p);
    } else BADARG(p);
    TbMsErrors errs = {0};
    TbMs *ms = tb_ms_compile(spec, dialect, &errs);
    if (!ms) {
        Term l = NIL;
        for (unsigned i = errs.n; i-- > 0;) l = tb_cons(p, tb_tuple2(p, AM_error, c_string(p, errs.msg[i])), l);
        tb_ms_errors_free(&errs);
        return tb_tuple2(p, AM_error, l);
    }
    Term r;
    unsigned flags = 0;
    Term res = tb_ms_run(p, ms, obj, &r, &flags) ? tb_ets_copy_out(p, r) : AM_false;
    tb_ms_free(ms);
    Term fl = NIL;
    if (flags & TB_MS_FLAG_EXCEPTION_TRACE) fl = tb_cons(p, EATOM("exception_trace"), fl);
    if (flags & TB_MS_FLAG_RETURN_TRACE) fl = tb_cons(p, EATOM("return_trace"), fl);
    Term *hp = tb_halloc(p, 5);
    hp[0] = make_arityval(4);
    hp[1] = AM_ok;
    hp[2] = res;
    hp[3] = fl;
    hp[4] = NIL;
    return make_boxed(hp);
}
