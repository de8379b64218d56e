/* ets_hash.c — set, bag and duplicate_bag: linear hashing on the key.
 *
 * Buckets live in segments of 256 (so growing never copies the buckets).
 * The table splits one bucket for every insert that takes the object count
 * over the bucket count (ERTS's growth: slot/2 sees max(256, size) buckets)
 * and merges buckets back when the count falls under a quarter of them:
 * no operation ever rehashes the whole table.  While the table is fixed
 * (safe_fixtable, or a traversal in progress) nothing moves: deleted
 * objects stay in their chain marked dead, so next/2 from a deleted key
 * still works; the unfix purges them and catches up on resizing.
 *
 * Objects with the same key are adjacent in their chain, in insertion
 * order (lookup on a bag returns them in that order, as ERTS does). */
#include "ets.h"
#include <stdlib.h>

static inline TbEtsObj **bucket(TbEtsTable *t, UWord ix) {
    return &t->segs[ix >> TB_ETS_SEG_BITS][ix & (TB_ETS_SEG_SIZE - 1)];
}
static inline UWord hash_ix(const TbEtsTable *t, uint32_t h) {
    UWord ix = h & t->szm;
    if (ix >= t->nactive) ix &= t->szm >> 1;
    return ix;
}

static void ensure_seg(TbEtsTable *t, UWord ix) {
    UWord s = ix >> TB_ETS_SEG_BITS;
    if (s >= t->nsegs) {
        UWord n = t->nsegs * 2;
        while (n <= s) n *= 2;
        t->segs = realloc(t->segs, n * sizeof *t->segs);
        if (!t->segs) abort();
        memset(t->segs + t->nsegs, 0, (n - t->nsegs) * sizeof *t->segs);
        t->nsegs = n;
    }
    if (!t->segs[s]) {
        t->segs[s] = calloc(TB_ETS_SEG_SIZE, sizeof(TbEtsObj *));
        if (!t->segs[s]) abort();
    }
}

void tb_ets_hash_init(TbEtsTable *t) {
    t->nsegs = 16;
    t->segs = calloc(t->nsegs, sizeof *t->segs);
    if (!t->segs) abort();
    t->nactive = TB_ETS_MIN_BUCKETS;
    t->szm = TB_ETS_MIN_BUCKETS - 1;
    for (UWord ix = 0; ix < t->nactive; ix += TB_ETS_SEG_SIZE) ensure_seg(t, ix);
}

static void free_chains(TbEtsTable *t) {
    for (UWord ix = 0; ix < t->nactive; ix++) {
        TbEtsObj **b = bucket(t, ix);
        for (TbEtsObj *o = *b, *n; o; o = n) { n = o->link[0]; tb_ets_obj_free(o); }
        *b = NULL;
    }
}

void tb_ets_hash_free(TbEtsTable *t) {
    if (!t->segs) return;
    free_chains(t);
    for (UWord s = 0; s < t->nsegs; s++) free(t->segs[s]);
    free(t->segs);
    t->segs = NULL;
}

/* ---- resizing ---- */

static void split_one(TbEtsTable *t) {
    UWord ix = t->nactive;
    if (ix > t->szm) t->szm = (t->szm << 1) | 1;
    ensure_seg(t, ix);
    UWord from = ix & (t->szm >> 1);
    t->nactive++;
    TbEtsObj *keep = NULL, **kt = &keep, *mv = NULL, **mt = &mv;
    for (TbEtsObj *o = *bucket(t, from), *n; o; o = n) {
        n = o->link[0];
        if ((o->hash & t->szm) == ix) { *mt = o; mt = &o->link[0]; }
        else { *kt = o; kt = &o->link[0]; }
    }
    *kt = NULL;
    *mt = NULL;
    *bucket(t, from) = keep;
    *bucket(t, ix) = mv;
}

static void merge_one(TbEtsTable *t) {
    UWord ix = t->nactive - 1;
    UWord to = ix & (t->szm >> 1);
    TbEtsObj **pp = bucket(t, to);
    while (*pp) pp = &(*pp)->link[0];
    *pp = *bucket(t, ix);
    *bucket(t, ix) = NULL;
    t->nactive--;
    if (t->nactive == (t->szm >> 1) + 1) t->szm >>= 1;
    if ((ix & (TB_ETS_SEG_SIZE - 1)) == 0) {
        free(t->segs[ix >> TB_ETS_SEG_BITS]);
        t->segs[ix >> TB_ETS_SEG_BITS] = NULL;
    }
}

static void maybe_grow(TbEtsTable *t) {
    if (!tb_ets_is_fixed(t) && t->nitems > t->nactive) split_one(t);
}
static void maybe_shrink(TbEtsTable *t) {
    if (tb_ets_is_fixed(t)) return;
    for (int i = 0; i < 4 && t->nactive > TB_ETS_MIN_BUCKETS && t->nitems < t->nactive / 4; i++) merge_one(t);
}

/* ---- operations ---- */

static inline bool live_key(const TbEtsTable *t, const TbEtsObj *o, uint32_t h, Term key) {
    return o->hash == h && tb_ets_key_eq(tb_ets_obj_key(t, o), key);
}

TbEtsObj *tb_ets_hash_lookup(TbEtsTable *t, Term key, bool with_dead) {
    uint32_t h = tb_ets_key_hash(key);
    for (TbEtsObj *o = *bucket(t, hash_ix(t, h)); o; o = o->link[0])
        if (live_key(t, o, h, key) && (with_dead || !o->dead)) return o;
    return NULL;
}

static void account_add(TbEtsTable *t, TbEtsObj *o) { t->nitems++; t->obj_words += o->words; }

/* append_group: bag/duplicate_bag place a new object after its key's group. */
void tb_ets_hash_insert(TbEtsTable *t, TbEtsObj *o, bool append_group) {
    Term key = tb_ets_obj_key(t, o);
    uint32_t h = tb_ets_key_hash(key);
    o->hash = h;
    TbEtsObj **head = bucket(t, hash_ix(t, h));
    TbEtsObj **pp = head;
    for (; *pp; pp = &(*pp)->link[0]) {
        TbEtsObj *c = *pp;
        if (!live_key(t, c, h, key)) continue;
        if (t->type == TB_ETS_SET) {             /* replace in place */
            o->link[0] = c->link[0];
            *pp = o;
            if (c->dead) { t->ndead--; t->nitems++; }
            t->obj_words += o->words;
            t->obj_words -= c->words;
            tb_ets_obj_free(c);
            return;
        }
        /* bag / duplicate_bag: walk the group */
        TbEtsObj **last = pp;
        for (TbEtsObj **q = pp; *q && live_key(t, *q, h, key); q = &(*q)->link[0]) {
            if (t->type == TB_ETS_BAG && !(*q)->dead && tb_ets_key_eq((*q)->term, o->term)) {
                tb_ets_obj_free(o);              /* already there */
                return;
            }
            last = q;
        }
        (void)append_group;
        o->link[0] = (*last)->link[0];
        (*last)->link[0] = o;
        account_add(t, o);
        maybe_grow(t);
        return;
    }
    o->link[0] = *head;
    *head = o;
    account_add(t, o);
    maybe_grow(t);
}

static void unlink_free(TbEtsTable *t, TbEtsObj **pp) {
    TbEtsObj *o = *pp;
    *pp = o->link[0];
    t->obj_words -= o->words;
    tb_ets_obj_free(o);
}

UWord tb_ets_hash_delete_key(TbEtsTable *t, Term key) {
    uint32_t h = tb_ets_key_hash(key);
    UWord n = 0;
    bool fixed = tb_ets_is_fixed(t);
    for (TbEtsObj **pp = bucket(t, hash_ix(t, h)); *pp;) {
        TbEtsObj *o = *pp;
        if (!live_key(t, o, h, key) || o->dead) { pp = &o->link[0]; continue; }
        n++;
        if (fixed) { o->dead = 1; t->ndead++; pp = &o->link[0]; }
        else unlink_free(t, pp);
    }
    t->nitems -= n;
    if (n) maybe_shrink(t);
    return n;
}

void tb_ets_hash_delete_obj(TbEtsTable *t, TbEtsObj *o) {
    if (o->dead) return;
    t->nitems--;
    if (tb_ets_is_fixed(t)) { o->dead = 1; t->ndead++; return; }
    for (TbEtsObj **pp = bucket(t, hash_ix(t, o->hash)); *pp; pp = &(*pp)->link[0])
        if (*pp == o) { unlink_free(t, pp); break; }
    maybe_shrink(t);
}

void tb_ets_hash_replace(TbEtsTable *t, TbEtsObj *old, TbEtsObj *nw) {
    nw->hash = old->hash;
    for (TbEtsObj **pp = bucket(t, hash_ix(t, old->hash)); *pp; pp = &(*pp)->link[0])
        if (*pp == old) {
            nw->link[0] = old->link[0];
            *pp = nw;
            t->obj_words += nw->words;
            t->obj_words -= old->words;
            tb_ets_obj_free(old);
            return;
        }
}

TbEtsObj *tb_ets_hash_bucket(TbEtsTable *t, UWord ix) {
    return ix < t->nactive ? *bucket(t, ix) : NULL;
}

TbEtsObj *tb_ets_hash_first_from(TbEtsTable *t, UWord ix) {
    for (; ix < t->nactive; ix++)
        for (TbEtsObj *o = *bucket(t, ix); o; o = o->link[0])
            if (!o->dead) return o;
    return NULL;
}

TbEtsObj *tb_ets_hash_next(TbEtsTable *t, Term key, bool *bad) {
    uint32_t h = tb_ets_key_hash(key);
    UWord ix = hash_ix(t, h);
    TbEtsObj *o = *bucket(t, ix);
    while (o && !live_key(t, o, h, key)) o = o->link[0];
    if (!o) { *bad = true; return NULL; }
    while (o && live_key(t, o, h, key)) o = o->link[0];
    for (; o; o = o->link[0])
        if (!o->dead) return o;
    return tb_ets_hash_first_from(t, ix + 1);
}

void tb_ets_hash_unfix(TbEtsTable *t) {
    if (t->ndead) {
        for (UWord ix = 0; ix < t->nactive; ix++)
            for (TbEtsObj **pp = bucket(t, ix); *pp;) {
                if ((*pp)->dead) unlink_free(t, pp);
                else pp = &(*pp)->link[0];
            }
        t->ndead = 0;
    }
    while (t->nitems > t->nactive) split_one(t);
    while (t->nactive > TB_ETS_MIN_BUCKETS && t->nitems < t->nactive / 4) merge_one(t);
}

void tb_ets_hash_clear(TbEtsTable *t) {
    if (tb_ets_is_fixed(t)) {
        for (UWord ix = 0; ix < t->nactive; ix++)
            for (TbEtsObj *o = *bucket(t, ix); o; o = o->link[0])
                if (!o->dead) { o->dead = 1; t->ndead++; }
        t->nitems = 0;
        return;
    }
    free_chains(t);
    t->nitems = 0;
    t->obj_words = 0;
    while (t->nactive > TB_ETS_MIN_BUCKETS) merge_one(t);
}

/* ================= dispatch on the table type ================= */

void tb_ets_insert(TbEtsTable *t, TbEtsObj *o) {
    tb_ets_obj_set_key(t, o);
    if (t->type == TB_ETS_OSET) tb_ets_tree_insert(t, o);
    else tb_ets_hash_insert(t, o, true);
}

TbEtsObj *tb_ets_lookup(TbEtsTable *t, Term key) {
    return t->type == TB_ETS_OSET ? tb_ets_tree_lookup(t, key) : tb_ets_hash_lookup(t, key, false);
}

bool tb_ets_member(TbEtsTable *t, Term key) { return tb_ets_lookup(t, key) != NULL; }

/* The next live object with the same key (bags), or NULL. */
TbEtsObj *tb_ets_key_next(TbEtsTable *t, TbEtsObj *o) {
    if (t->type == TB_ETS_OSET || t->type == TB_ETS_SET) return NULL;
    Term key = tb_ets_obj_key(t, o);
    for (TbEtsObj *c = o->link[0]; c && live_key(t, c, o->hash, key); c = c->link[0])
        if (!c->dead) return c;
    return NULL;
}

UWord tb_ets_delete_key(TbEtsTable *t, Term key) {
    if (t->type == TB_ETS_OSET) return tb_ets_tree_delete_key(t, key) ? 1 : 0;
    return tb_ets_hash_delete_key(t, key);
}

void tb_ets_delete_obj(TbEtsTable *t, TbEtsObj *o) {
    if (t->type == TB_ETS_OSET) tb_ets_tree_delete_key(t, tb_ets_obj_key(t, o));
    else tb_ets_hash_delete_obj(t, o);
}

void tb_ets_replace_obj(TbEtsTable *t, TbEtsObj *old, TbEtsObj *nw) {
    tb_ets_obj_set_key(t, nw);
    if (t->type == TB_ETS_OSET) tb_ets_tree_replace(t, old, nw);
    else tb_ets_hash_replace(t, old, nw);
}

void tb_ets_delete_all(TbEtsTable *t) {
    if (t->type == TB_ETS_OSET) tb_ets_tree_clear(t);
    else tb_ets_hash_clear(t);
}

void tb_ets_free_storage(TbEtsTable *t) {
    if (t->type == TB_ETS_OSET) tb_ets_tree_clear(t);
    else tb_ets_hash_free(t);
}

TbEtsObj *tb_ets_first(TbEtsTable *t) {
    return t->type == TB_ETS_OSET ? tb_ets_tree_first(t) : tb_ets_hash_first_from(t, 0);
}
TbEtsObj *tb_ets_last(TbEtsTable *t) {
    return t->type == TB_ETS_OSET ? tb_ets_tree_last(t) : tb_ets_hash_first_from(t, 0);
}
TbEtsObj *tb_ets_next(TbEtsTable *t, Term key, bool *bad) {
    *bad = false;
    return t->type == TB_ETS_OSET ? tb_ets_tree_next(t, key) : tb_ets_hash_next(t, key, bad);
}
TbEtsObj *tb_ets_prev(TbEtsTable *t, Term key, bool *bad) {
    *bad = false;
    return t->type == TB_ETS_OSET ? tb_ets_tree_prev(t, key) : tb_ets_hash_next(t, key, bad);
}
