/* pdict.c — the process dictionary as ERTS keeps it (erl_process_dict.c):
 * linear hashing from 8 slots, growing a few slots per put once there are as
 * many entries as slots and shrinking on erase below half; the same hash
 * (the integer for small ints, the atom's name hash, make_internal_hash for
 * the rest) and the same bucket shapes, so get/0 and get_keys/0 list
 * entries in ERTS's order.  Buckets are rebuilt, never mutated: a heap cell
 * in the old generation must not come to point at younger data. */
#include "pdict.h"
#include "hash.h"
#include "map.h"
#include "compare.h"
#include "atom.h"
#include "../bifs/bif.h"   /* tb_cons, tb_tuple2 */
#include <stdlib.h>
#include <stdio.h>

#define PD_INITIAL 8


static uint32_t pd_hash(Term k) {
    if (is_small(k)) return (uint32_t)(k >> 4);          /* ERTS's unsigned_val */
    if (is_atom(k)) return tb_atom_hash(k);
    return tb_map_internal_hash(k);
}

static unsigned slot_of(const TbDict *d, uint32_t hx) {
    unsigned high = hx & d->mask;
    return high >= d->used ? hx & (d->mask >> 1) : high;
}

/* ERTS's array sizes: 10, 20, 40, ... */
static unsigned array_size(unsigned need) {
    unsigned s = 10;
    while (s < need) s *= 2;
    return s;
}

static TbDict *ensure_size(TbDict *d, unsigned need) {
    if (d && need <= d->size) return d;
    unsigned from = d ? d->size : 0, size = array_size(need);
    d = realloc(d, sizeof *d + size * sizeof(Term));
    if (!d) { fputs("tbeam: out of memory (process dictionary)\n", stderr); abort(); }
    for (unsigned i = from; i < size; i++) d->slot[i] = NIL;
    d->size = size;
    return d;
}

Term tb_pd_get(const TbDict *d, Term key) {
    if (!d) return AM(undefined);
    Term b = d->slot[slot_of(d, pd_hash(key))];
    if (is_tuple(b)) return tb_eq_exact_fast(tuple_val(b)[1], key) ? tuple_val(b)[2] : AM(undefined);
    for (; is_list(b); b = CDR(list_val(b))) {
        const Term *kv = tuple_val(CAR(list_val(b)));
        if (tb_eq_exact_fast(kv[1], key)) return kv[2];
    }
    return AM(undefined);
}

/* A bucket holding one entry is the tuple itself. */
static Term single(Term l) { return is_list(l) && CDR(list_val(l)) == NIL ? CAR(list_val(l)) : l; }

/* Split `steps` slots into the range's new upper half. */
static void grow(TbProcess *p) {
    TbDict *d = p->dict;
    unsigned steps = (d->used / 4) & 0xf;
    if (steps == 0) steps = 1;
    d = p->dict = ensure_size(d, d->used + steps);
    unsigned home = d->used - d->split;
    for (unsigned i = 0; i < steps; i++) {
        if (d->split == home) {
            home *= 2;
            d->mask = home * 2 - 1;
            d->split = 0;
        }
        unsigned pos = d->split++;
        d->used++;
        Term l = d->slot[pos];
        if (is_tuple(l)) {
            if (slot_of(d, pd_hash(tuple_val(l)[1])) != pos) {
                d->slot[pos + home] = l;
                d->slot[pos] = NIL;
            }
            continue;
        }
        Term stay = NIL, move = NIL;
        for (; is_list(l); l = CDR(list_val(l))) {
            Term e = CAR(list_val(l));
            if (slot_of(d, pd_hash(tuple_val(e)[1])) == pos) stay = tb_cons(p, e, stay);
            else move = tb_cons(p, e, move);
        }
        d->slot[pos] = single(stay);
        d->slot[pos + home] = single(move);
    }
}

/* Merge the top `steps` slots back into their home slots. */
static void shrink(TbProcess *p) {
    TbDict *d = p->dict;
    unsigned steps = d->used * 3 / 10;
    if (d->used - steps < PD_INITIAL) steps = d->used - PD_INITIAL;
    for (unsigned i = 0; i < steps; i++) {
        if (d->split == 0) {
            d->mask = d->used - 1;
            d->split = d->used / 2;
        }
        d->split--;
        Term hi = d->slot[d->used - 1], lo = d->slot[d->split];
        if (hi != NIL) {
            if (lo == NIL) d->slot[d->split] = hi;
            else if (is_tuple(lo)) d->slot[d->split] = tb_cons(p, lo, is_tuple(hi) ? tb_cons(p, hi, NIL) : hi);
            else if (is_tuple(hi)) d->slot[d->split] = tb_cons(p, hi, lo);
            else {
                for (; is_list(hi); hi = CDR(list_val(hi))) lo = tb_cons(p, CAR(list_val(hi)), lo);
                d->slot[d->split] = lo;
            }
        }
        d->slot[--d->used] = NIL;
    }
    if (d->used <= d->size / 4) {
        unsigned size = array_size(d->used * 3 / 2);
        TbDict *nd = size < d->size ? realloc(d, sizeof *d + size * sizeof(Term)) : NULL;
        if (nd) { nd->size = size; p->dict = nd; }
    }
}

Term tb_pd_put(TbProcess *p, Term key, Term val) {
    TbDict *d = p->dict;
    if (!d) {
        d = p->dict = ensure_size(NULL, PD_INITIAL);
        d->used = PD_INITIAL;
        d->mask = PD_INITIAL * 2 - 1;
        d->split = 0;
        d->n = 0;
    }
    unsigned ix = slot_of(d, pd_hash(key));
    Term old = d->slot[ix];
    Term tpl = tb_tuple2(p, key, val);
    if (old == NIL) {
        d->slot[ix] = tpl;
        d->n++;
    } else if (is_tuple(old)) {
        if (tb_eq_exact_fast(tuple_val(old)[1], key)) { d->slot[ix] = tpl; return tuple_val(old)[2]; }
        d->slot[ix] = tb_cons(p, tpl, tb_cons(p, old, NIL));
        d->n++;
    } else {
        UWord at = 0;
        Term t = old;
        for (; is_list(t) && !tb_eq_exact_fast(tuple_val(CAR(list_val(t)))[1], key); t = CDR(list_val(t))) at++;
        if (!is_list(t)) {
            d->slot[ix] = tb_cons(p, tpl, old);
            d->n++;
        } else {
            /* rebuild the cells before the key, the new entry first (as ERTS) */
            Term prev = tuple_val(CAR(list_val(t)))[2];
            Term rest = CDR(list_val(t));
            Term *hp = tb_halloc(p, 2 * (at + 1));
            for (Term u = old; at-- > 0; u = CDR(list_val(u))) {
                hp[0] = CAR(list_val(u)); hp[1] = rest; rest = make_list(hp); hp += 2;
            }
            hp[0] = tpl; hp[1] = rest;
            d->slot[ix] = make_list(hp);
            return prev;
        }
    }
    if (d->used <= d->n) grow(p);
    return AM(undefined);
}

Term tb_pd_erase(TbProcess *p, Term key) {
    TbDict *d = p->dict;
    if (!d) return AM(undefined);
    unsigned ix = slot_of(d, pd_hash(key));
    Term old = d->slot[ix], ret = AM(undefined);
    if (is_tuple(old)) {
        if (!tb_eq_exact_fast(tuple_val(old)[1], key)) return ret;
        d->slot[ix] = NIL;
        ret = tuple_val(old)[2];
    } else if (is_list(old)) {
        UWord at = 0;
        Term t = old;
        for (; is_list(t) && !tb_eq_exact_fast(tuple_val(CAR(list_val(t)))[1], key); t = CDR(list_val(t))) at++;
        if (!is_list(t)) return ret;
        ret = tuple_val(CAR(list_val(t)))[2];
        Term rest = CDR(list_val(t));
        Term *hp = at ? tb_halloc(p, 2 * at) : NULL;
        Term *cells = hp;
        for (Term u = old; at-- > 0; u = CDR(list_val(u))) { hp[0] = CAR(list_val(u)); hp += 2; }
        for (Term *c = hp; c > cells; c -= 2) { c[-1] = rest; rest = make_list(c - 2); }
        d->slot[ix] = single(rest);
    } else {
        return ret;
    }
    d->n--;
    if (d->used > PD_INITIAL && d->used / 2 > d->n) shrink(p);
    return ret;
}

Term tb_pd_list(TbProcess *p, const TbDict *d, bool keys, Term (*copy)(TbProcess *, void *, Term), void *arg) {
    Term res = NIL;
    if (!d) return res;
    for (unsigned i = 0; i < d->used; i++) {
        Term b = d->slot[i];
        Term one[2] = {b, NIL};
        Term l = is_tuple(b) ? make_list(one) : b;
        for (; is_list(l); l = CDR(list_val(l))) {
            Term e = CAR(list_val(l));
            if (keys) e = tuple_val(e)[1];
            if (copy) e = copy(p, arg, e);
            res = tb_cons(p, e, res);
        }
    }
    return res;
}

Term tb_pd_keys_of(TbProcess *p, Term val) {
    const TbDict *d = p->dict;
    Term res = NIL;
    if (!d) return res;
    for (unsigned i = 0; i < d->used; i++) {
        Term b = d->slot[i];
        Term one[2] = {b, NIL};
        for (Term l = is_tuple(b) ? make_list(one) : b; is_list(l); l = CDR(list_val(l))) {
            const Term *kv = tuple_val(CAR(list_val(l)));
            if (tb_eq_exact_fast(kv[2], val)) res = tb_cons(p, kv[1], res);
        }
    }
    return res;
}

void tb_pd_free(TbProcess *p) {
    free(p->dict);
    p->dict = NULL;
}

/* ERTS's ProcDict: four unsigned ints, a word, then the slots. */
UWord tb_pd_bytes(const TbDict *d) { return d ? 4 * 4 + 8 + d->size * sizeof(Term) : 0; }
