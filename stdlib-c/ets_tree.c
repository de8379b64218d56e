/* ets_tree.c — ordered_set: an AVL tree of objects in term order of their
 * keys (compare ==: 1 and 1.0 are the same key; inserting one replaces the
 * other, the stored key being the new object's).  Nodes are the objects
 * themselves (link[0] left, link[1] right, balance = h(right) - h(left)),
 * so an insert allocates nothing but the object.  Recursion depth is the
 * tree height (< 64 for any table that fits in memory). */
#include "ets.h"
#include "../emu/compare.h"
#include <stdlib.h>

static inline int kcmp(Term a, Term b) { return tb_cmp_fast(a, b); }

/* Rotate at *pp, whose balance is +-2.  True if the subtree got lower. */
static bool rebalance(TbEtsObj **pp) {
    TbEtsObj *n = *pp;
    int dir = n->balance > 0;
    int s = dir ? 1 : -1;
    TbEtsObj *c = n->link[dir];
    if (c->balance == -s) {
        TbEtsObj *g = c->link[!dir];
        c->link[!dir] = g->link[dir];
        g->link[dir] = c;
        n->link[dir] = g->link[!dir];
        g->link[!dir] = n;
        if (g->balance == s) { n->balance = (int8_t)-s; c->balance = 0; }
        else if (g->balance == -s) { n->balance = 0; c->balance = (int8_t)s; }
        else { n->balance = 0; c->balance = 0; }
        g->balance = 0;
        *pp = g;
        return true;
    }
    n->link[dir] = c->link[!dir];
    c->link[!dir] = n;
    *pp = c;
    if (c->balance == 0) {
        n->balance = (int8_t)s;
        c->balance = (int8_t)-s;
        return false;
    }
    n->balance = 0;
    c->balance = 0;
    return true;
}

/* True if the height grew. */
static bool ins(TbEtsTable *t, TbEtsObj **pp, TbEtsObj *o, Term key) {
    TbEtsObj *n = *pp;
    if (!n) {
        o->link[0] = o->link[1] = NULL;
        o->balance = 0;
        *pp = o;
        t->nitems++;
        t->obj_words += o->words;
        return true;
    }
    int c = kcmp(key, tb_ets_obj_key(t, n));
    if (c == 0) {
        o->link[0] = n->link[0];
        o->link[1] = n->link[1];
        o->balance = n->balance;
        *pp = o;
        t->obj_words += o->words;
        t->obj_words -= n->words;
        tb_ets_obj_free(n);
        return false;
    }
    int dir = c > 0;
    if (!ins(t, &n->link[dir], o, key)) return false;
    n->balance += dir ? 1 : -1;
    if (n->balance == 0) return false;
    if (n->balance == 1 || n->balance == -1) return true;
    rebalance(pp);
    return false;
}

void tb_ets_tree_insert(TbEtsTable *t, TbEtsObj *o) { ins(t, &t->root, o, tb_ets_obj_key(t, o)); }

TbEtsObj *tb_ets_tree_lookup(TbEtsTable *t, Term key) {
    TbEtsObj *n = t->root;
    while (n) {
        int c = kcmp(key, tb_ets_obj_key(t, n));
        if (c == 0) return n;
        n = n->link[c > 0];
    }
    return NULL;
}

/* Subtree `dir` of *pp got lower: true if *pp got lower too. */
static bool shrunk(TbEtsObj **pp, int dir) {
    TbEtsObj *n = *pp;
    n->balance -= dir ? 1 : -1;
    if (n->balance == 0) return true;
    if (n->balance == 1 || n->balance == -1) return false;
    return rebalance(pp);
}

static bool del_min(TbEtsObj **pp, TbEtsObj **out) {
    TbEtsObj *n = *pp;
    if (!n->link[0]) { *out = n; *pp = n->link[1]; return true; }
    if (!del_min(&n->link[0], out)) return false;
    return shrunk(pp, 0);
}

static bool del(TbEtsTable *t, TbEtsObj **pp, Term key, TbEtsObj **removed) {
    TbEtsObj *n = *pp;
    if (!n) return false;
    int c = kcmp(key, tb_ets_obj_key(t, n));
    if (c == 0) {
        *removed = n;
        if (!n->link[0] || !n->link[1]) { *pp = n->link[0] ? n->link[0] : n->link[1]; return true; }
        TbEtsObj *succ;
        bool dec = del_min(&n->link[1], &succ);
        succ->link[0] = n->link[0];
        succ->link[1] = n->link[1];
        succ->balance = n->balance;
        *pp = succ;
        return dec ? shrunk(pp, 1) : false;
    }
    int dir = c > 0;
    if (!del(t, &n->link[dir], key, removed)) return false;
    return shrunk(pp, dir);
}

bool tb_ets_tree_delete_key(TbEtsTable *t, Term key) {
    TbEtsObj *r = NULL;
    del(t, &t->root, key, &r);
    if (!r) return false;
    t->nitems--;
    t->obj_words -= r->words;
    tb_ets_obj_free(r);
    return true;
}

void tb_ets_tree_replace(TbEtsTable *t, TbEtsObj *old, TbEtsObj *nw) {
    Term key = tb_ets_obj_key(t, old);
    TbEtsObj **pp = &t->root;
    while (*pp && *pp != old) pp = &(*pp)->link[kcmp(key, tb_ets_obj_key(t, *pp)) > 0];
    if (!*pp) return;
    nw->link[0] = old->link[0];
    nw->link[1] = old->link[1];
    nw->balance = old->balance;
    *pp = nw;
    t->obj_words += nw->words;
    t->obj_words -= old->words;
    tb_ets_obj_free(old);
}

TbEtsObj *tb_ets_tree_first(TbEtsTable *t) {
    TbEtsObj *n = t->root;
    if (n) while (n->link[0]) n = n->link[0];
    return n;
}
TbEtsObj *tb_ets_tree_last(TbEtsTable *t) {
    TbEtsObj *n = t->root;
    if (n) while (n->link[1]) n = n->link[1];
    return n;
}

TbEtsObj *tb_ets_tree_next(TbEtsTable *t, Term key) {
    TbEtsObj *n = t->root, *best = NULL;
    while (n) {
        if (kcmp(tb_ets_obj_key(t, n), key) > 0) { best = n; n = n->link[0]; }
        else n = n->link[1];
    }
    return best;
}
TbEtsObj *tb_ets_tree_prev(TbEtsTable *t, Term key) {
    TbEtsObj *n = t->root, *best = NULL;
    while (n) {
        if (kcmp(tb_ets_obj_key(t, n), key) < 0) { best = n; n = n->link[1]; }
        else n = n->link[0];
    }
    return best;
}

static void free_tree(TbEtsObj *n) {
    while (n) {
        free_tree(n->link[0]);
        TbEtsObj *r = n->link[1];
        tb_ets_obj_free(n);
        n = r;
    }
}
void tb_ets_tree_clear(TbEtsTable *t) {
    free_tree(t->root);
    t->root = NULL;
    t->nitems = 0;
    t->obj_words = 0;
}

/* ---- iteration ---- */

void tb_ets_tree_iter_init(TbEtsTable *t, TbEtsTreeIter *it, Term from, bool inclusive, bool reverse) {
    it->sp = 0;
    it->reverse = reverse;
    int fwd = !reverse;
    for (TbEtsObj *n = t->root; n;) {
        bool take;
        if (from == TB_NONE) take = true;
        else {
            int c = kcmp(tb_ets_obj_key(t, n), from);
            take = reverse ? (c < 0 || (inclusive && c == 0)) : (c > 0 || (inclusive && c == 0));
        }
        if (take) { it->st[it->sp++] = n; n = n->link[!fwd]; }
        else n = n->link[fwd];
    }
}

void tb_ets_tree_iter_range(TbEtsTable *t, TbEtsTreeIter *it, int (*cmp)(Term key, void *ctx), void *ctx, bool reverse) {
    it->sp = 0;
    it->reverse = reverse;
    for (TbEtsObj *n = t->root; n;) {
        int c = cmp(tb_ets_obj_key(t, n), ctx);
        bool take = reverse ? c <= 0 : c >= 0;
        if (take) { it->st[it->sp++] = n; n = n->link[reverse]; }
        else n = n->link[!reverse];
    }
}

TbEtsObj *tb_ets_tree_iter_next(TbEtsTreeIter *it) {
    if (it->sp == 0) return NULL;
    TbEtsObj *n = it->st[--it->sp];
    int side = it->reverse ? 0 : 1;
    for (TbEtsObj *c = n->link[side]; c; c = c->link[!side]) it->st[it->sp++] = c;
    return n;
}

TbEtsObj *tb_ets_tree_at(TbEtsTable *t, UWord i) {
    TbEtsTreeIter it;
    tb_ets_tree_iter_init(t, &it, TB_NONE, true, false);
    TbEtsObj *o;
    while ((o = tb_ets_tree_iter_next(&it)) && i-- > 0) {}
    return o;
}
