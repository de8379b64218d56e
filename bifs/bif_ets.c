/* bif_ets.c — the ets BIFs of ERTS 25: tables, objects, keys, traversal by
 * key, ownership and info.  Selection is in bif_ets_select.c, counters and
 * element updates in bif_ets_update.c; the storage is stdlib-c/ets_*.c. */
#include "bif_ets.h"
#include "../emu/msg.h"
#include "../emu/ptab.h"
#include "../emu/compare.h"
#include <stdlib.h>

Term tb_ets_badarg(TbProcess *p) { BADARG(p); }

/* A proper list's length, or -1. */
SWord tb_ets_list_len(Term l) {
    SWord n = 0;
    for (; is_list(l); l = CDR(list_val(l))) n++;
    return l == NIL ? n : -1;
}

static bool valid_obj(const TbEtsTable *t, Term o) {
    return is_tuple(o) && tuple_arity(o) >= t->keypos;
}

/* ---------------- tables ---------------- */

BIF_DECL(bif_ets_new_2) {
    TbEtsTable *t = tb_ets_create(p, args[0], args[1]);
    if (!t) BADARG(p);
    return tb_ets_id_term(p, t);
}

BIF_DECL(bif_ets_delete_1) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_WRITE);
    if (!t) BADARG(p);
    tb_ets_destroy(t);
    return AM_true;
}

BIF_DECL(bif_ets_whereis_1) {
    if (!is_atom(args[0])) BADARG(p);
    TbEtsTable *t = tb_ets_find(args[0]);
    return t && t->named ? tb_ets_tid_term(p, t) : AM_undefined;
}

/* info/1,2 take any atom, and references that are table ids (a deleted
 * table's included); other references are badarg, as in ERTS. */
static bool info_id_ok(Term id) {
    return is_atom(id) || (is_ref(id) && ((const TbRefThing *)boxed_val(id))->num[3] == TB_ETS_TID_TAG);
}

BIF_DECL(bif_ets_info_1) {
    if (!info_id_ok(args[0])) BADARG(p);
    TbEtsTable *t = tb_ets_find(args[0]);
    return t ? tb_ets_info_all(p, t) : AM_undefined;
}

BIF_DECL(bif_ets_info_2) {
    if (!info_id_ok(args[0])) BADARG(p);
    TbEtsTable *t = tb_ets_find(args[0]);
    if (!t) return AM_undefined;
    Term r = is_atom(args[1]) ? tb_ets_info_item(p, t, args[1]) : TB_NONE;
    if (r == TB_NONE) BADARG(p);
    return r;
}

BIF_DECL(bif_ets_rename_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_WRITE);
    if (!t || !is_atom(args[1]) || !tb_ets_rename(t, args[1])) BADARG(p);
    return tb_ets_id_term(p, t);
}

BIF_DECL(bif_ets_give_away_3) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_OWNER);
    Term to = args[1];
    if (!t || !is_internal_pid(to) || to == p->id) BADARG(p);
    TbProcess *q = tb_pid_lookup(to);
    if (!q || q->status >= TB_PS_EXITING) BADARG(p);
    TbEtsObj *d = tb_ets_obj_new(args[2]);
    tb_ets_transfer(t, to, p->id, d);
    tb_ets_obj_free(d);
    return AM_true;
}

static bool setopt_ok(Term o, Term *heir, Term *data, int *prot) {
    if (is_tuple_arity(o, 3) && tuple_val(o)[1] == EATOM("heir") && is_internal_pid(tuple_val(o)[2])) {
        *heir = tuple_val(o)[2];
        *data = tuple_val(o)[3];
        return true;
    }
    if (!is_tuple_arity(o, 2)) return false;
    Term k = tuple_val(o)[1], v = tuple_val(o)[2];
    if (k == EATOM("heir") && v == AM(none)) { *heir = AM(none); return true; }
    if (k == EATOM("protection")) {
        if (v == EATOM("public")) *prot = TB_ETS_PUBLIC;
        else if (v == EATOM("protected")) *prot = TB_ETS_PROTECTED;
        else if (v == EATOM("private")) *prot = TB_ETS_PRIVATE;
        else return false;
        return true;
    }
    return false;
}

BIF_DECL(bif_ets_setopts_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_OWNER);
    if (!t) BADARG(p);
    Term heir = TB_NONE, data = NIL;
    int prot = -1;
    Term l = args[1];
    if (is_tuple(l)) {
        if (!setopt_ok(l, &heir, &data, &prot)) BADARG(p);
    } else {
        for (; is_list(l); l = CDR(list_val(l)))
            if (!setopt_ok(CAR(list_val(l)), &heir, &data, &prot)) BADARG(p);
        if (l != NIL) BADARG(p);
    }
    if (heir != TB_NONE) tb_ets_set_heir(t, heir, data);
    if (prot >= 0) t->prot = (uint8_t)prot;
    return AM_true;
}

BIF_DECL(bif_ets_safe_fixtable_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_READ);
    if (!t || (args[1] != AM_true && args[1] != AM_false)) BADARG(p);
    tb_ets_fix(t, p->id, args[1] == AM_true);
    return AM_true;
}

BIF_DECL(bif_ets_internal_request_all_0) {
    (void)args;
    Term ref = bif_make_ref_0(p, NULL);
    Term sa[1] = {EATOM("schedulers")};
    Term ns = bif_system_info_1(p, sa);
    SWord n = is_small(ns) && small_val(ns) > 0 ? small_val(ns) : 1;
    tb_msg_send(p, p, tb_tuple2(p, ref, tb_ets_all(p)));
    for (SWord i = 1; i < n; i++) tb_msg_send(p, p, tb_tuple2(p, ref, NIL));
    return ref;
}

BIF_DECL(bif_ets_internal_delete_all_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_WRITE);
    if (!t) BADARG(p);
    UWord n = t->nitems;
    tb_ets_delete_all(t);
    return args[1] == AM_undefined ? make_small((SWord)n) : args[1];
}

/* ---------------- objects ---------------- */

/* Insert the objects of args[1] (one tuple or a list).  Everything is
 * checked before anything is stored.  Bags take a list last to first
 * (ERTS's order: lookup then lists them that way). */
static Term do_insert(TbProcess *p, Term *args, bool only_new) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_WRITE);
    if (!t) BADARG(p);
    Term v = args[1];
    if (is_tuple(v)) {
        if (!valid_obj(t, v)) BADARG(p);
        if (only_new && tb_ets_member(t, tuple_val(v)[t->keypos])) return AM_false;
        tb_ets_insert(t, tb_ets_obj_new(v));
        return AM_true;
    }
    SWord n = tb_ets_list_len(v);
    if (n < 0) BADARG(p);
    Term small[16], *objs = n <= 16 ? small : malloc((size_t)n * sizeof(Term));
    if (!objs) abort();
    SWord i = 0;
    for (Term l = v; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (!valid_obj(t, o)) { if (objs != small) free(objs); BADARG(p); }
        objs[i++] = o;
    }
    if (only_new)
        for (i = 0; i < n; i++)
            if (tb_ets_member(t, tuple_val(objs[i])[t->keypos])) {
                if (objs != small) free(objs);
                return AM_false;
            }
    if (t->type == TB_ETS_BAG)
        for (i = n; i-- > 0;) tb_ets_insert(t, tb_ets_obj_new(objs[i]));
    else
        for (i = 0; i < n; i++) tb_ets_insert(t, tb_ets_obj_new(objs[i]));
    if (objs != small) free(objs);
    return AM_true;
}

BIF_DECL(bif_ets_insert_2) { return do_insert(p, args, false); }
BIF_DECL(bif_ets_insert_new_2) { return do_insert(p, args, true); }

/* The objects with this key, copied onto the heap, in table order. */
Term tb_ets_objects_of(TbProcess *p, TbEtsTable *t, TbEtsObj *o) {
    if (!o) return NIL;
    /* a stored object has no sharing and no literals: its size is o->words */
    if (t->type == TB_ETS_SET || t->type == TB_ETS_OSET) {
        Term *hp = tb_halloc(p, o->words + 2);
        Term c = tb_ets_copy_to(p, o->term, &hp);
        hp[0] = c;
        hp[1] = NIL;
        return make_list(hp);
    }
    Term res = NIL, *tail = &res;
    for (; o; o = tb_ets_key_next(t, o)) {
        Term *hp = tb_halloc(p, o->words + 2);
        Term *cell = hp;
        hp += 2;
        cell[0] = tb_ets_copy_to(p, o->term, &hp);
        cell[1] = NIL;
        *tail = make_list(cell);
        tail = &cell[1];
    }
    return res;
}

BIF_DECL(bif_ets_lookup_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_READ);
    if (!t) BADARG(p);
    return tb_ets_objects_of(p, t, tb_ets_lookup(t, args[1]));
}

BIF_DECL(bif_ets_member_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_READ);
    if (!t) BADARG(p);
    return tb_ets_member(t, args[1]) ? AM_true : AM_false;
}

BIF_DECL(bif_ets_lookup_element_3) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_READ);
    if (!t || !is_small(args[2]) || small_val(args[2]) < 1) BADARG(p);
    UWord pos = (UWord)small_val(args[2]);
    TbEtsObj *o = tb_ets_lookup(t, args[1]);
    if (!o) BADARG(p);
    if (t->type == TB_ETS_SET || t->type == TB_ETS_OSET) {
        if (pos > tuple_arity(o->term)) BADARG(p);
        return tb_ets_copy_out(p, tuple_val(o->term)[pos]);
    }
    for (TbEtsObj *c = o; c; c = tb_ets_key_next(t, c))
        if (pos > tuple_arity(c->term)) BADARG(p);
    Term res = NIL, *tail = &res;
    for (TbEtsObj *c = o; c; c = tb_ets_key_next(t, c)) {
        Term *cell = tb_halloc(p, 2);
        cell[0] = tb_ets_copy_out(p, tuple_val(c->term)[pos]);
        cell[1] = NIL;
        *tail = make_list(cell);
        tail = &cell[1];
    }
    return res;
}

BIF_DECL(bif_ets_take_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_WRITE);
    if (!t) BADARG(p);
    Term r = tb_ets_objects_of(p, t, tb_ets_lookup(t, args[1]));
    if (r != NIL) tb_ets_delete_key(t, args[1]);
    return r;
}

BIF_DECL(bif_ets_delete_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_WRITE);
    if (!t) BADARG(p);
    tb_ets_delete_key(t, args[1]);
    return AM_true;
}

BIF_DECL(bif_ets_delete_object_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_WRITE);
    Term obj = args[1];
    if (!t || !valid_obj(t, obj)) BADARG(p);
    TbEtsObj *o = tb_ets_lookup(t, tuple_val(obj)[t->keypos]);
    while (o) {
        TbEtsObj *n = tb_ets_key_next(t, o);
        if (tb_ets_key_eq(o->term, obj)) {
            tb_ets_delete_obj(t, o);
            if (t->type != TB_ETS_DBAG) break;
        }
        o = n;
    }
    return AM_true;
}

/* ---------------- keys ---------------- */

static Term key_or_end(TbProcess *p, TbEtsTable *t, TbEtsObj *o) {
    return o ? tb_ets_copy_out(p, tb_ets_obj_key(t, o)) : EATOM("$end_of_table");
}

BIF_DECL(bif_ets_first_1) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_READ);
    if (!t) BADARG(p);
    return key_or_end(p, t, tb_ets_first(t));
}
BIF_DECL(bif_ets_last_1) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_READ);
    if (!t) BADARG(p);
    return key_or_end(p, t, tb_ets_last(t));
}
BIF_DECL(bif_ets_next_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_READ);
    if (!t) BADARG(p);
    bool bad;
    TbEtsObj *o = tb_ets_next(t, args[1], &bad);
    if (bad) BADARG(p);
    return key_or_end(p, t, o);
}
BIF_DECL(bif_ets_prev_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_READ);
    if (!t) BADARG(p);
    bool bad;
    TbEtsObj *o = tb_ets_prev(t, args[1], &bad);
    if (bad) BADARG(p);
    return key_or_end(p, t, o);
}

BIF_DECL(bif_ets_slot_2) {
    TbEtsTable *t = tb_ets_get(p, args[0], TB_ETS_READ);
    if (!t || !is_small(args[1]) || small_val(args[1]) < 0) BADARG(p);
    UWord i = (UWord)small_val(args[1]);
    if (t->type == TB_ETS_OSET) {
        if (i > t->nitems) BADARG(p);
        if (i == t->nitems) return EATOM("$end_of_table");
        return tb_ets_objects_of(p, t, tb_ets_tree_at(t, i));
    }
    if (i > t->nactive) BADARG(p);
    if (i == t->nactive) return EATOM("$end_of_table");
    Term res = NIL, *tail = &res;
    for (TbEtsObj *o = tb_ets_hash_bucket(t, i); o; o = o->link[0]) {
        if (o->dead) continue;
        Term *cell = tb_halloc(p, 2);
        cell[0] = tb_ets_copy_out(p, o->term);
        cell[1] = NIL;
        *tail = make_list(cell);
        tail = &cell[1];
    }
    return res;
}
