/* bif_ets_update.c — ets:update_counter/3,4 and ets:update_element/3
 * (set and ordered_set only).  Every operation is checked before the table
 * changes; small-integer counters are updated in place. */
#include "bif_ets.h"
#include "../emu/arith.h"
#include "../emu/compare.h"
#include <stdlib.h>

typedef struct { UWord pos; Term incr, thr, set; } CtrOp;

static bool parse_op(Term op, unsigned keypos, CtrOp *o) {
    if (is_integer(op)) { *o = (CtrOp){keypos + 1, op, TB_NONE, TB_NONE}; return true; }
    if (!is_tuple(op)) return false;
    Term *tp = tuple_val(op);
    UWord ar = tuple_arity(op);
    if (ar != 2 && ar != 4) return false;
    if (!is_small(tp[1]) || small_val(tp[1]) < 1 || !is_integer(tp[2])) return false;
    o->pos = (UWord)small_val(tp[1]);
    o->incr = tp[2];
    o->thr = o->set = TB_NONE;
    if (ar == 4) {
        if (!is_integer(tp[3]) || !is_integer(tp[4])) return false;
        o->thr = tp[3];
        o->set = tp[4];
    }
    return true;
}


static Term update_counter(TbProcess *p, Term *args, Term deflt) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_WRITE);
    if (!t || (t->type != TB_ETS_SET && t->type != TB_ETS_OSET)) BADARG(p);
    Term spec = args[2];
    bool many = !is_integer(spec) && !is_tuple(spec);
    SWord nops = many ? tb_ets_list_len(spec) : 1;
    if (nops < 0) BADARG(p);
    CtrOp small_ops[8], *ops = nops <= 8 ? small_ops : malloc((size_t)nops * sizeof *ops);
    if (!ops) abort();
    Term res = TB_NONE;
    if (many) {
        SWord i = 0;
        for (Term l = spec; is_list(l); l = CDR(list_val(l)))
            if (!parse_op(CAR(list_val(l)), t->keypos, &ops[i++])) goto bad;
    } else if (!parse_op(spec, t->keypos, &ops[0])) goto bad;

    TbEtsObj *o = tb_ets_lookup(t, args[1]);
    Term obj;
    if (o) obj = o->term;
    else {
        if (deflt == TB_NONE || !is_tuple(deflt) || tuple_arity(deflt) < t->keypos) goto bad;
        obj = deflt;
    }
    UWord ar = tuple_arity(obj);
    Term *el = malloc((ar + 1) * sizeof(Term));
    if (!el) abort();
    memcpy(el, tuple_val(obj), (ar + 1) * sizeof(Term));
    if (!o) el[t->keypos] = args[1];
    Term *vals = malloc(((size_t)nops + 1) * sizeof(Term));
    if (!vals) abort();
    bool all_small = true;
    for (SWord i = 0; i < nops; i++) {
        CtrOp *op = &ops[i];
        if (op->pos > ar || op->pos == t->keypos || !is_integer(el[op->pos])) goto bad2;
        Term nv = tb_arith_add(p, el[op->pos], op->incr);
        if (nv == TB_NONE) goto bad2;
        if (op->thr != TB_NONE) {
            bool up = !(is_small(op->incr) ? small_val(op->incr) < 0 : big_sign(op->incr));
            int c = tb_cmp(nv, op->thr);
            if (up ? c > 0 : c < 0) nv = op->set;
        }
        el[op->pos] = nv;
        vals[i] = nv;
        if (!is_small(nv)) all_small = false;
    }
    if (o && all_small) {
        /* in place: every touched element becomes another small */
        bool ok = true;
        for (SWord i = 0; i < nops; i++)
            if (!is_small(tuple_val(o->term)[ops[i].pos])) ok = false;
        if (ok)
            for (SWord i = 0; i < nops; i++) tuple_val(o->term)[ops[i].pos] = el[ops[i].pos];
        else all_small = false;
    }
    if (!o || !all_small) {
        Term *hp = tb_halloc(p, ar + 1);
        memcpy(hp, el, (ar + 1) * sizeof(Term));
        TbEtsObj *n = tb_ets_obj_new(make_boxed(hp));
        if (o) tb_ets_replace_obj(t, o, n);
        else tb_ets_insert(t, n);
    }
    if (many) {
        res = NIL;
        for (SWord i = nops; i-- > 0;) res = tb_cons(p, vals[i], res);
    } else res = vals[0];
    free(el);
    free(vals);
    if (ops != small_ops) free(ops);
    return res;
bad2:
    free(el);
    free(vals);
bad:
    if (ops != small_ops) free(ops);
    BADARG(p);
}

BIF_DECL(bif_ets_update_counter_3) { return update_counter(p, args, TB_NONE); }
BIF_DECL(bif_ets_update_counter_4) { return update_counter(p, args, args[3]); }

static bool elem_op(Term op, UWord *pos, Term *val) {
    if (!is_tuple_arity(op, 2) || !is_small(tuple_val(op)[1]) || small_val(tuple_val(op)[1]) < 1) return false;
    *pos = (UWord)small_val(tuple_val(op)[1]);
    *val = tuple_val(op)[2];
    return true;
}

BIF_DECL(bif_ets_update_element_3) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_WRITE);
    if (!t || (t->type != TB_ETS_SET && t->type != TB_ETS_OSET)) BADARG(p);
    Term spec = args[2];
    UWord pos = 0;
    Term val = NIL;
    TbEtsObj *o = tb_ets_lookup(t, args[1]);
    if (!o) return AM_false;               /* before looking at the updates, as ERTS */
    if (is_tuple(spec)) {
        if (!elem_op(spec, &pos, &val)) BADARG(p);
    } else {
        if (tb_ets_list_len(spec) < 0) BADARG(p);
        for (Term l = spec; is_list(l); l = CDR(list_val(l)))
            if (!elem_op(CAR(list_val(l)), &pos, &val)) BADARG(p);
    }
    UWord ar = tuple_arity(o->term);
    if (is_tuple(spec)) {
        if (pos > ar || pos == t->keypos) BADARG(p);
    } else
        for (Term x = spec; is_list(x); x = CDR(list_val(x))) {
            elem_op(CAR(list_val(x)), &pos, &val);
            if (pos > ar || pos == t->keypos) BADARG(p);
        }
    Term *hp = tb_halloc(p, ar + 1);
    memcpy(hp, tuple_val(o->term), (ar + 1) * sizeof(Term));
    if (is_tuple(spec)) hp[pos] = val;
    else
        for (Term x = spec; is_list(x); x = CDR(list_val(x))) {
            elem_op(CAR(list_val(x)), &pos, &val);
            hp[pos] = val;
        }
    tb_ets_replace_obj(t, o, tb_ets_obj_new(make_boxed(hp)));
    return AM_true;
}
