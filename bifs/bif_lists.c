/* bif_lists.c — list BIFs of erlang and lists. */
#include "bif.h"
#include "../emu/compare.h"
#include "../emu/hash.h"
#include <stdlib.h>

BIF_DECL(bif_length_1) {
    SWord n = 0;
    Term l = args[0];
    for (; is_list(l); l = CDR(list_val(l))) n++;
    if (l != NIL) BADARG(p);
    return make_small(n);
}

BIF_DECL(bif_hd_1) {
    if (!is_list(args[0])) BADARG(p);
    return CAR(list_val(args[0]));
}

BIF_DECL(bif_tl_1) {
    if (!is_list(args[0])) BADARG(p);
    return CDR(list_val(args[0]));
}

/* Copy a proper list onto the heap with `tail` as its end. */
static Term copy_list(TbProcess *p, Term l, Term tail, bool *ok) {
    UWord n = 0;
    Term t = l;
    for (; is_list(t); t = CDR(list_val(t))) n++;
    *ok = t == NIL;
    if (!*ok || n == 0) return tail;
    Term *hp = tb_halloc(p, 2 * n);
    Term res = make_list(hp);
    for (t = l; is_list(t); t = CDR(list_val(t))) {
        hp[0] = CAR(list_val(t));
        hp[1] = make_list(hp + 2);
        hp += 2;
    }
    hp[-1] = tail;
    return res;
}

BIF_DECL(bif_append_2) {
    bool ok;
    if (args[0] == NIL) return args[1];
    Term r = copy_list(p, args[0], args[1], &ok);
    if (!ok) BADARG(p);
    return r;
}

/* A multiset of B's elements (=:=), so A -- B is linear, not |A|x|B|. */
typedef struct { Term t; uint32_t hash; UWord count; } Slot;

static Slot *ms_find(Slot *tab, UWord mask, Term t, uint32_t h) {
    for (UWord i = h & mask;; i = (i + 1) & mask) {
        Slot *s = &tab[i];
        if (s->t == TB_NONE || (s->hash == h && (s->t == t || tb_eq_exact(s->t, t)))) return s;
    }
}

BIF_DECL(bif_subtract_2) {
    /* Remove the first occurrence in A of each element of B. */
    UWord na = 0, nb = 0;
    Term t;
    for (t = args[0]; is_list(t); t = CDR(list_val(t))) na++;
    if (t != NIL) BADARG(p);
    for (t = args[1]; is_list(t); t = CDR(list_val(t))) nb++;
    if (t != NIL) BADARG(p);
    if (na == 0 || nb == 0) return args[0];
    UWord cap = 16;
    while (cap < 2 * nb) cap *= 2;
    Slot *tab = calloc(cap, sizeof *tab);
    Term *keep = malloc(na * sizeof(Term));
    if (!tab || !keep) abort();
    for (t = args[1]; is_list(t); t = CDR(list_val(t))) {
        Term e = CAR(list_val(t));
        uint32_t h = tb_make_hash2(e);
        Slot *s = ms_find(tab, cap - 1, e, h);
        if (s->t == TB_NONE) { s->t = e; s->hash = h; }
        s->count++;
    }
    UWord k = 0;
    for (t = args[0]; is_list(t); t = CDR(list_val(t))) {
        Term e = CAR(list_val(t));
        Slot *s = ms_find(tab, cap - 1, e, tb_make_hash2(e));
        if (s->t != TB_NONE && s->count > 0) { s->count--; continue; }
        keep[k++] = e;
    }
    Term *hp = tb_halloc(p, 2 * k);
    Term res = NIL;
    for (UWord j = k; j-- > 0;) {
        hp[0] = keep[j]; hp[1] = res; res = make_list(hp); hp += 2;
    }
    free(tab);
    free(keep);
    return res;
}

/* One pass while the heap has room (the common case: a walk of the list
 * costs a cache miss per cell); what does not fit is counted and built in
 * one fragment, its last cell pointing at the part on the heap. */
BIF_DECL(bif_lists_reverse_2) {
    Term l = args[0], acc = args[1];
    Term *hp = p->htop, *lim = p->stop - 1;          /* one word stays free (process.h) */
    while (is_list(l) && lim - hp >= 2) {
        const Term *c = list_val(l);
        hp[0] = CAR(c); hp[1] = acc; acc = make_list(hp); hp += 2;
        l = CDR(c);
    }
    if (!is_list(l)) {
        if (l != NIL) BADARG(p);                     /* nothing kept: htop is unchanged */
        p->htop = hp;
        return acc;
    }
    UWord n = 0;
    Term t = l;
    for (; is_list(t); t = CDR(list_val(t))) n++;
    if (t != NIL) BADARG(p);
    p->htop = hp;
    hp = tb_halloc(p, 2 * n);
    for (t = l; is_list(t); t = CDR(list_val(t))) {
        hp[0] = CAR(list_val(t)); hp[1] = acc; acc = make_list(hp); hp += 2;
    }
    return acc;
}

/* The element whose N-th field equals Key, or TB_NONE; *bad on a non-list. */
static Term keyfind(Term key, Term n, Term l, bool *bad) {
    *bad = !is_small(n) || small_val(n) < 1;
    if (*bad) return TB_NONE;
    UWord k = (UWord)small_val(n);
    for (; is_list(l); l = CDR(list_val(l))) {
        Term e = CAR(list_val(l));
        if (is_tuple(e) && tuple_arity(e) >= k) {
            Term f = tuple_val(e)[k];
            if (f == key || (!(is_immed(key) && is_immed(f)) && tb_eq(f, key))) return e;   /* ==, as ERTS */
        }
    }
    *bad = l != NIL;
    return TB_NONE;
}

BIF_DECL(bif_lists_keyfind_3) {
    bool bad;
    Term e = keyfind(args[0], args[1], args[2], &bad);
    if (bad) BADARG(p);
    return e == TB_NONE ? AM_false : e;
}

BIF_DECL(bif_lists_keymember_3) {
    bool bad;
    Term e = keyfind(args[0], args[1], args[2], &bad);
    if (bad) BADARG(p);
    return e == TB_NONE ? AM_false : AM_true;
}

BIF_DECL(bif_lists_keysearch_3) {
    bool bad;
    Term e = keyfind(args[0], args[1], args[2], &bad);
    if (bad) BADARG(p);
    if (e == TB_NONE) return AM_false;
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2); hp[1] = AM(value); hp[2] = e;
    return make_boxed(hp);
}

BIF_DECL(bif_lists_member_2) {
    Term x = args[0], l = args[1];
    for (; is_list(l); l = CDR(list_val(l))) {
        Term e = CAR(list_val(l));
        if (e == x || (!is_immed(x) && !is_immed(e) && tb_eq_exact(e, x))) return AM_true;
    }
    if (l != NIL) BADARG(p);
    return AM_false;
}
