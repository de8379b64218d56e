/* ms_run.c — running compiled match specifications, and the analyses the
 * table code uses (bound keys, key ranges, select_replace's key check). */
#include "ms.h"
#include "ms_int.h"
#include "ets.h"
#include "../emu/compare.h"
#include "../emu/map.h"
#include <stdlib.h>

typedef struct {
    TbProcess *p;
    const TbMs *ms;
    const TbMsClause *cl;
    Term obj;
    Term *vars;
    Term message;
    unsigned flags;
} Ctx;

/* Pattern equality: =:=, but floats compared bit for bit (ERTS's match
 * does not take -0.0 for 0.0). */
static bool ms_eq(Term a, Term b) {
    for (;;) {
        if (a == b) return true;
        if (is_immed(a) || is_immed(b)) return false;
        if (is_list(a)) {
            if (!is_list(b) || !ms_eq(CAR(list_val(a)), CAR(list_val(b)))) return false;
            a = CDR(list_val(a));
            b = CDR(list_val(b));
            continue;
        }
        if (is_list(b)) return false;
        if (is_float(a)) return is_float(b) && memcmp(boxed_val(a) + 1, boxed_val(b) + 1, 8) == 0;
        if (is_tuple(a)) {
            if (!is_tuple(b)) return false;
            UWord n = tuple_arity(a);
            if (n != tuple_arity(b)) return false;
            if (n == 0) return true;
            for (UWord i = 1; i < n; i++)
                if (!ms_eq(tuple_val(a)[i], tuple_val(b)[i])) return false;
            a = tuple_val(a)[n];
            b = tuple_val(b)[n];
            continue;
        }
        return tb_eq_exact(a, b);
    }
}

static bool pmatch(Ctx *c, uint32_t ni, Term t) {
    const TbMsNode *n = &c->ms->node[ni];
    const uint32_t *k = c->ms->kid + n->kids;
    switch (n->op) {
    case MS_P_ANY: return true;
    case MS_P_BIND: c->vars[n->a] = t; return true;
    case MS_P_CHECK: return ms_eq(c->vars[n->a], t);
    case MS_P_CONST: return n->t == t || ms_eq(n->t, t);
    case MS_P_TUPLE: {
        if (!is_tuple(t) || tuple_arity(t) != n->a) return false;
        const Term *tp = tuple_val(t) + 1;
        for (uint32_t i = 0; i < n->a; i++)
            if (!pmatch(c, k[i], tp[i])) return false;
        return true;
    }
    case MS_P_CONS:
        return is_list(t) && pmatch(c, k[0], CAR(list_val(t))) && pmatch(c, k[1], CDR(list_val(t)));
    case MS_P_MAP:
        if (!is_map(t)) return false;
        for (uint32_t i = 0; i < n->a; i++) {
            Term v = tb_map_get(t, c->ms->node[k[2 * i]].t);
            if (v == TB_NONE || !pmatch(c, k[2 * i + 1], v)) return false;
        }
        return true;
    }
    return false;
}

static Term eval(Ctx *c, uint32_t ni);

/* Evaluate n children into out; false on failure. */
static bool eval_kids(Ctx *c, const TbMsNode *n, Term *out) {
    const uint32_t *k = c->ms->kid + n->kids;
    for (uint32_t i = 0; i < n->a; i++)
        if ((out[i] = eval(c, k[i])) == TB_NONE) return false;
    return true;
}

static Term eval(Ctx *c, uint32_t ni) {
    const TbMsNode *n = &c->ms->node[ni];
    const uint32_t *k = c->ms->kid + n->kids;
    TbProcess *p = c->p;
    switch (n->op) {
    case MS_E_CONST: return n->t;
    case MS_E_VAR: return c->vars[n->a];
    case MS_E_ALL: return c->obj;
    case MS_E_ALLVARS: {
        Term l = NIL;
        const uint32_t *v = c->ms->kid + c->cl->vars;
        for (uint32_t i = c->cl->nvars; i-- > 0;) l = tb_cons(p, c->vars[v[i]], l);
        return l;
    }
    case MS_E_TUPLE: {
        Term small[8], *el = n->a <= 8 ? small : malloc(n->a * sizeof(Term));
        if (!el) abort();
        Term r = TB_NONE;
        if (eval_kids(c, n, el)) {
            Term *hp = tb_halloc(p, n->a + 1);
            hp[0] = make_arityval(n->a);
            memcpy(hp + 1, el, n->a * sizeof(Term));
            r = make_boxed(hp);
        }
        if (el != small) free(el);
        return r;
    }
    case MS_E_CONS: {
        Term h = eval(c, k[0]);
        if (h == TB_NONE) return TB_NONE;
        Term t = eval(c, k[1]);
        if (t == TB_NONE) return TB_NONE;
        return tb_cons(p, h, t);
    }
    case MS_E_MAP: {
        uint32_t np = n->a / 2;
        Term *kv = malloc((n->a + 1) * sizeof(Term)), *ks = malloc((np + 1) * sizeof(Term)),
             *vs = malloc((np + 1) * sizeof(Term));
        if (!kv || !ks || !vs) abort();
        Term r = TB_NONE;
        if (eval_kids(c, n, kv)) {
            for (uint32_t i = 0; i < np; i++) { ks[i] = kv[2 * i]; vs[i] = kv[2 * i + 1]; }
            r = tb_map_from_pairs(p, ks, vs, np);
        }
        free(kv); free(ks); free(vs);
        return r;
    }
    case MS_E_BIF: {
        Term args[4];
        if (!eval_kids(c, n, args)) return TB_NONE;
        return tb_ms_bifs[n->t].fn(p, args);
    }
    case MS_E_AND:
    case MS_E_OR: {
        bool acc = n->op == MS_E_AND;
        for (uint32_t i = 0; i < n->a; i++) {
            Term v = eval(c, k[i]);
            if (v != AM_true && v != AM_false) return TB_NONE;
            if (n->op == MS_E_AND) acc = acc && v == AM_true;
            else acc = acc || v == AM_true;
        }
        return acc ? AM_true : AM_false;
    }
    case MS_E_ANDALSO:
    case MS_E_ORELSE: {
        Term stop = n->op == MS_E_ANDALSO ? AM_false : AM_true;
        for (uint32_t i = 0; i < n->a; i++) {
            Term v = eval(c, k[i]);
            if (i + 1 == n->a || v == TB_NONE) return v;
            if (v == stop) return stop;
            if (v != AM_true && v != AM_false) return TB_NONE;
        }
        return TB_NONE;
    }
    case MS_E_SELF: return p->id;
    case MS_E_MESSAGE: {
        Term v = eval(c, k[0]);
        if (v == TB_NONE) return TB_NONE;
        c->message = v;
        return AM_true;
    }
    case MS_E_RETURN_TRACE: c->flags |= TB_MS_FLAG_RETURN_TRACE; return AM_true;
    case MS_E_EXCEPTION_TRACE: c->flags |= TB_MS_FLAG_EXCEPTION_TRACE; return AM_true;
    case MS_E_TRACE_TRUE: return AM_true;
    case MS_E_TRACE_FALSE: return AM_false;
    }
    return TB_NONE;
}

bool tb_ms_run(TbProcess *p, const TbMs *ms, Term obj, Term *res, unsigned *flags) {
    Term vbuf[32];
    Term *vars = ms->nslots <= 32 ? vbuf : malloc(ms->nslots * sizeof(Term));
    if (!vars) abort();
    UWord freason = p->freason;
    Term fvalue = p->fvalue, ftop = p->ftop;
    Ctx c = {.p = p, .ms = ms, .obj = obj, .vars = vars, .message = TB_NONE};
    bool matched = false;
    for (uint32_t i = 0; i < ms->nclauses && !matched; i++) {
        const TbMsClause *cl = &ms->clauses[i];
        c.cl = cl;
        if (!pmatch(&c, cl->head, obj)) continue;
        bool ok = true;
        for (uint32_t g = 0; g < cl->nguards && ok; g++)
            if (eval(&c, ms->kid[cl->guards + g]) != AM_true) ok = false;
        if (!ok) continue;
        matched = true;
        Term r = AM_true;
        if (ms->dialect == TB_MS_TABLE) {
            /* only the last expression gives a value (the others cannot do anything) */
            if (cl->nbody) {
                r = eval(&c, ms->kid[cl->body + cl->nbody - 1]);
                if (r == TB_NONE) r = EATOM("EXIT");
            }
        } else {
            for (uint32_t b = 0; b < cl->nbody; b++)
                if (eval(&c, ms->kid[cl->body + b]) == TB_NONE) break;
            r = c.message != TB_NONE ? c.message : AM_true;
        }
        *res = r;
    }
    if (flags) *flags = c.flags;
    p->freason = freason;
    p->fvalue = fvalue;
    p->ftop = ftop;
    if (vars != vbuf) free(vars);
    return matched;
}

/* ---------------- analysis ---------------- */

int tb_ms_clause_key(const TbMs *ms, uint32_t c, unsigned keypos, Term *key, uint32_t *node) {
    const TbMsNode *h = &ms->node[ms->clauses[c].head];
    if (h->op == MS_P_ANY || h->op == MS_P_BIND) return TB_MS_KEY_FREE;
    if (h->op == MS_P_CONST) {
        if (!is_tuple(h->t) || tuple_arity(h->t) < keypos) return TB_MS_KEY_NEVER;
        *key = tuple_val(h->t)[keypos];
        return TB_MS_KEY_BOUND;
    }
    if (h->op != MS_P_TUPLE || h->a < keypos) return TB_MS_KEY_NEVER;
    uint32_t kn = ms->kid[h->kids + keypos - 1];
    const TbMsNode *k = &ms->node[kn];
    switch (k->op) {
    case MS_P_CONST: *key = k->t; return TB_MS_KEY_BOUND;
    case MS_P_ANY: case MS_P_BIND: case MS_P_CHECK: return TB_MS_KEY_FREE;
    default: *node = kn; return TB_MS_KEY_PARTIAL;
    }
}

int tb_ms_key_range_cmp(const TbMs *ms, uint32_t ni, Term key) {
    static Term empty_tuple_box[1] = {0}, nil_cons[2] = {NIL, NIL};
    const TbMsNode *n = &ms->node[ni];
    const uint32_t *k = ms->kid + n->kids;
    switch (n->op) {
    case MS_P_CONST: return tb_cmp(key, n->t);
    case MS_P_TUPLE: {
        if (!is_tuple(key)) {
            empty_tuple_box[0] = make_arityval(0);
            return tb_cmp(key, make_boxed(empty_tuple_box));
        }
        UWord ar = tuple_arity(key);
        if (ar != n->a) return ar < n->a ? -1 : 1;
        for (uint32_t i = 0; i < n->a; i++) {
            const TbMsNode *e = &ms->node[k[i]];
            if (e->op == MS_P_ANY || e->op == MS_P_BIND || e->op == MS_P_CHECK) return 0;
            int r = tb_ms_key_range_cmp(ms, k[i], tuple_val(key)[i + 1]);
            if (r != 0 || e->op != MS_P_CONST) return r;
        }
        return 0;
    }
    case MS_P_CONS: {
        if (!is_list(key)) return tb_cmp(key, make_list(nil_cons));
        const TbMsNode *e = &ms->node[k[0]];
        if (e->op == MS_P_ANY || e->op == MS_P_BIND || e->op == MS_P_CHECK) return 0;
        int r = tb_ms_key_range_cmp(ms, k[0], CAR(list_val(key)));
        if (r != 0 || e->op != MS_P_CONST) return r;
        const TbMsNode *t = &ms->node[k[1]];
        if (t->op == MS_P_ANY || t->op == MS_P_BIND || t->op == MS_P_CHECK) return 0;
        return tb_ms_key_range_cmp(ms, k[1], CDR(list_val(key)));
    }
    default: return 0;
    }
}

/* Does body expression e rebuild exactly what head pattern h matched? */
static bool same_shape(const TbMs *ms, uint32_t hi, uint32_t ei) {
    const TbMsNode *h = &ms->node[hi], *e = &ms->node[ei];
    const uint32_t *hk = ms->kid + h->kids, *ek = ms->kid + e->kids;
    switch (h->op) {
    case MS_P_BIND: case MS_P_CHECK: return e->op == MS_E_VAR && e->a == h->a;
    case MS_P_CONST:
        if (e->op == MS_E_CONST) return ms_eq(h->t, e->t);
        if (e->op == MS_E_TUPLE && is_tuple(h->t) && tuple_arity(h->t) == e->a) {
            for (uint32_t i = 0; i < e->a; i++) {
                const TbMsNode *x = &ms->node[ek[i]];
                if (x->op != MS_E_CONST || !ms_eq(tuple_val(h->t)[i + 1], x->t)) return false;
            }
            return true;
        }
        return false;
    case MS_P_TUPLE:
        if (e->op != MS_E_TUPLE || e->a != h->a) return false;
        for (uint32_t i = 0; i < h->a; i++)
            if (!same_shape(ms, hk[i], ek[i])) return false;
        return true;
    case MS_P_CONS:
        return e->op == MS_E_CONS && same_shape(ms, hk[0], ek[0]) && same_shape(ms, hk[1], ek[1]);
    default: return false;
    }
}

bool tb_ms_keeps_key(const TbMs *ms, unsigned keypos) {
    for (uint32_t i = 0; i < ms->nclauses; i++) {
        const TbMsClause *cl = &ms->clauses[i];
        if (cl->nbody != 1) return false;
        const TbMsNode *b = &ms->node[ms->kid[cl->body]];
        if (b->op == MS_E_ALL) continue;
        if (b->op != MS_E_TUPLE || b->a < keypos) return false;
        uint32_t bk = ms->kid[b->kids + keypos - 1];
        const TbMsNode *be = &ms->node[bk];
        /* {element, KeyPos, '$_'} */
        if (be->op == MS_E_BIF && be->a == 2 && strcmp(tb_ms_bifs[be->t].name, "element") == 0) {
            const TbMsNode *a0 = &ms->node[ms->kid[be->kids]], *a1 = &ms->node[ms->kid[be->kids + 1]];
            if (a0->op == MS_E_CONST && a0->t == make_small(keypos) && a1->op == MS_E_ALL) continue;
            return false;
        }
        const TbMsNode *h = &ms->node[cl->head];
        uint32_t hk;
        if (h->op == MS_P_TUPLE && h->a >= keypos) hk = ms->kid[h->kids + keypos - 1];
        else if (h->op == MS_P_CONST && is_tuple(h->t) && tuple_arity(h->t) >= keypos) {
            Term kt = tuple_val(h->t)[keypos];
            if (be->op == MS_E_CONST && ms_eq(kt, be->t)) continue;
            return false;
        } else return false;
        if (!same_shape(ms, hk, bk)) return false;
    }
    return true;
}

bool tb_ms_is_all_objects(const TbMs *ms) {
    if (ms->nclauses != 1) return false;
    const TbMsClause *cl = &ms->clauses[0];
    const TbMsNode *h = &ms->node[cl->head];
    return (h->op == MS_P_ANY || h->op == MS_P_BIND) && cl->nguards == 0 && cl->nbody == 1 &&
           ms->node[ms->kid[cl->body]].op == MS_E_ALL;
}
