/* map.c — map operations: flatmaps (<= 32 keys, sorted key tuple + values)
 * here, hashmaps in map_hamt.c; iteration, order and map_next. */
#include "map.h"
#include "compare.h"
#include "atom.h"
#include <stdlib.h>

static inline const TbFlatMap *fm(Term t) { return (const TbFlatMap *)boxed_val(t); }
static inline const Term *fm_keys(const TbFlatMap *m) { return tuple_val(m->keys) + 1; }

/* ---------------- flatmaps ---------------- */

static Term *new_flat(TbProcess *p, UWord n, Term keys) {
    Term *hp = tb_halloc(p, FLATMAP_HEAD_WORDS + n);
    hp[0] = make_header(2 + n, HDR_SUB_FLATMAP);
    hp[1] = n;
    hp[2] = keys;
    return hp;
}

Term tb_flatmap_from_sorted(TbProcess *p, const Term *keys, const Term *vals, size_t n) {
    Term *kt = tb_halloc(p, 1 + n);
    kt[0] = make_arityval(n);
    memcpy(kt + 1, keys, n * sizeof(Term));
    Term *hp = new_flat(p, n, make_boxed(kt));
    memcpy(hp + FLATMAP_HEAD_WORDS, vals, n * sizeof(Term));
    return make_boxed(hp);
}

/* n <= 32 distinct keys in any order (sorted in place). */
Term tb_flatmap_from_unsorted(TbProcess *p, Term *keys, Term *vals, size_t n) {
    for (size_t i = 1; i < n; i++) {            /* insertion sort: n is small */
        Term k = keys[i], v = vals[i];
        size_t j = i;
        while (j > 0 && tb_cmp_exact(keys[j - 1], k) > 0) { keys[j] = keys[j - 1]; vals[j] = vals[j - 1]; j--; }
        keys[j] = k;
        vals[j] = v;
    }
    return tb_flatmap_from_sorted(p, keys, vals, n);
}

/* Index of key in a flatmap, -1 if absent. */
static long flat_find(const TbFlatMap *m, Term key) {
    const Term *ks = fm_keys(m);
    UWord n = m->size;
    if (is_immed(key)) {
        for (UWord i = 0; i < n; i++) if (ks[i] == key) return (long)i;
    } else {
        for (UWord i = 0; i < n; i++) if (tb_eq_exact_fast(ks[i], key)) return (long)i;
    }
    return -1;
}

/* Where key would go in sorted keys. */
static UWord flat_insert_pos(const Term *ks, UWord n, Term key) {
    UWord lo = 0, hi = n;
    while (lo < hi) {
        UWord mid = (lo + hi) / 2;
        if (tb_cmp_exact(ks[mid], key) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* Same keys tuple, one value replaced. */
static Term flat_with_value(TbProcess *p, Term map, UWord i, Term val) {
    const TbFlatMap *m = fm(map);
    if (m->values[i] == val) return map;
    Term *hp = new_flat(p, m->size, m->keys);
    memcpy(hp + FLATMAP_HEAD_WORDS, m->values, m->size * sizeof(Term));
    hp[FLATMAP_HEAD_WORDS + i] = val;
    return make_boxed(hp);
}

static Term flat_put(TbProcess *p, Term map, Term key, Term val) {
    const TbFlatMap *m = fm(map);
    long i = flat_find(m, key);
    if (i >= 0) return flat_with_value(p, map, (UWord)i, val);
    UWord n = m->size;
    const Term *ks = fm_keys(m);
    if (n == TB_FLATMAP_LIMIT) {                     /* grows into a hashmap */
        Term k2[TB_FLATMAP_LIMIT + 1], v2[TB_FLATMAP_LIMIT + 1];
        memcpy(k2, ks, n * sizeof(Term));
        memcpy(v2, m->values, n * sizeof(Term));
        k2[n] = key;
        v2[n] = val;
        return tb_hamt_from_pairs(p, k2, v2, n + 1);
    }
    UWord pos = flat_insert_pos(ks, n, key);
    Term *kt = tb_halloc(p, 2 + n);
    kt[0] = make_arityval(n + 1);
    memcpy(kt + 1, ks, pos * sizeof(Term));
    kt[1 + pos] = key;
    memcpy(kt + 2 + pos, ks + pos, (n - pos) * sizeof(Term));
    m = fm(map);
    Term *hp = new_flat(p, n + 1, make_boxed(kt));
    Term *vs = hp + FLATMAP_HEAD_WORDS;
    memcpy(vs, m->values, pos * sizeof(Term));
    vs[pos] = val;
    memcpy(vs + pos + 1, m->values + pos, (n - pos) * sizeof(Term));
    return make_boxed(hp);
}

static Term flat_remove_at(TbProcess *p, Term map, UWord i) {
    const TbFlatMap *m = fm(map);
    UWord n = m->size;
    const Term *ks = fm_keys(m);
    Term *kt = tb_halloc(p, n);
    kt[0] = make_arityval(n - 1);
    memcpy(kt + 1, ks, i * sizeof(Term));
    memcpy(kt + 1 + i, ks + i + 1, (n - 1 - i) * sizeof(Term));
    Term *hp = new_flat(p, n - 1, make_boxed(kt));
    memcpy(hp + FLATMAP_HEAD_WORDS, m->values, i * sizeof(Term));
    memcpy(hp + FLATMAP_HEAD_WORDS + i, m->values + i + 1, (n - 1 - i) * sizeof(Term));
    return make_boxed(hp);
}

/* ---------------- dispatch ---------------- */

static inline bool is_hamt_head(Term t) { return is_hashmap(t) && tb_hamt_is_head(boxed_val(t)); }

Term tb_map_get(Term map, Term key) {
    if (is_flatmap(map)) {
        const TbFlatMap *m = fm(map);
        long i = flat_find(m, key);
        return i < 0 ? TB_NONE : m->values[i];
    }
    if (is_hamt_head(map)) return tb_hamt_get(map, key);
    return TB_NONE;
}

UWord tb_map_size(Term map) {
    if (is_flatmap(map)) return fm(map)->size;
    if (is_hamt_head(map)) return (UWord)small_val(boxed_val(map)[2]);
    return 0;
}

Term tb_map_from_pairs(TbProcess *p, Term *keys, Term *vals, size_t n) {
    if (n > TB_FLATMAP_LIMIT) return tb_hamt_from_pairs(p, keys, vals, n);
    Term ks[TB_FLATMAP_LIMIT], vs[TB_FLATMAP_LIMIT];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {             /* later duplicates win */
        size_t j = 0;
        while (j < m && !tb_eq_exact_fast(ks[j], keys[i])) j++;
        ks[j] = keys[i];
        vs[j] = vals[i];
        if (j == m) m++;
    }
    return tb_flatmap_from_unsorted(p, ks, vs, m);
}

Term tb_map_put(TbProcess *p, Term map, Term key, Term val) {
    if (is_flatmap(map)) return flat_put(p, map, key, val);
    return tb_hamt_put(p, map, key, val, false);
}

Term tb_map_update(TbProcess *p, Term map, Term key, Term val) {
    if (is_flatmap(map)) {
        long i = flat_find(fm(map), key);
        return i < 0 ? TB_NONE : flat_with_value(p, map, (UWord)i, val);
    }
    return tb_hamt_put(p, map, key, val, true);
}

Term tb_map_take(TbProcess *p, Term map, Term key, Term *val) {
    if (is_flatmap(map)) {
        long i = flat_find(fm(map), key);
        if (i < 0) return TB_NONE;
        *val = fm(map)->values[i];
        return flat_remove_at(p, map, (UWord)i);
    }
    Term v = TB_NONE;
    Term r = tb_hamt_remove(p, map, key, &v);
    if (v == TB_NONE) return TB_NONE;
    *val = v;
    return r;
}

Term tb_map_remove(TbProcess *p, Term map, Term key) {
    Term v, r = tb_map_take(p, map, key, &v);
    return r == TB_NONE ? map : r;
}

/* Pairs of a then b, b winning, rebuilt in one go. */
static Term merge_rebuild(TbProcess *p, Term a, Term b) {
    size_t na = tb_map_size(a), nb = tb_map_size(b), n = 0;
    Term *ks = malloc((na + nb) * 2 * sizeof(Term));
    if (!ks) abort();
    Term *vs = ks + na + nb, k, v;
    TbMapIter it;
    tb_map_iter_init_storage(&it, a);
    while (tb_map_iter_next(&it, &k, &v)) { ks[n] = k; vs[n] = v; n++; }
    tb_map_iter_init_storage(&it, b);
    while (tb_map_iter_next(&it, &k, &v)) { ks[n] = k; vs[n] = v; n++; }
    Term r = tb_map_from_pairs(p, ks, vs, n);
    free(ks);
    return r;
}

Term tb_map_merge(TbProcess *p, Term a, Term b) {
    UWord na = tb_map_size(a), nb = tb_map_size(b);
    if (nb == 0) return a;
    if (na == 0) return b;
    if (is_flatmap(a) && is_flatmap(b)) {
        const TbFlatMap *x = fm(a), *y = fm(b);
        const Term *xk = fm_keys(x), *yk = fm_keys(y);
        Term ks[2 * TB_FLATMAP_LIMIT], vs[2 * TB_FLATMAP_LIMIT];
        UWord i = 0, j = 0, n = 0;
        while (i < na && j < nb) {               /* merge two sorted key lists */
            int c = tb_cmp_exact(xk[i], yk[j]);
            if (c < 0) { ks[n] = xk[i]; vs[n++] = x->values[i++]; }
            else { ks[n] = yk[j]; vs[n++] = y->values[j++]; i += (c == 0); }
        }
        while (i < na) { ks[n] = xk[i]; vs[n++] = x->values[i++]; }
        while (j < nb) { ks[n] = yk[j]; vs[n++] = y->values[j++]; }
        if (n == nb) return b;                   /* a's keys all in b: b wins every one */
        if (n <= TB_FLATMAP_LIMIT) return tb_flatmap_from_sorted(p, ks, vs, n);
        return tb_hamt_from_pairs(p, ks, vs, n);
    }
    Term k, v;
    TbMapIter it;
    if (nb <= na / 8) {                          /* few updates into a big map */
        tb_map_iter_init_storage(&it, b);
        while (tb_map_iter_next(&it, &k, &v)) a = tb_map_put(p, a, k, v);
        return a;
    }
    if (na <= nb / 8) {                          /* few new keys into a big map */
        tb_map_iter_init_storage(&it, a);
        while (tb_map_iter_next(&it, &k, &v))
            if (tb_map_get(b, k) == TB_NONE) b = tb_map_put(p, b, k, v);
        return b;
    }
    return merge_rebuild(p, a, b);
}

static Term badmap(TbProcess *p, Term m) {
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2);
    hp[1] = AM(badmap);
    hp[2] = m;
    p->fvalue = make_boxed(hp);
    return TB_NONE;
}
static Term badkey(TbProcess *p, Term k) {
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2);
    hp[1] = AM(badkey);
    hp[2] = k;
    p->fvalue = make_boxed(hp);
    return TB_NONE;
}

Term tb_map_put_many(TbProcess *p, Term map, const Term *kv, size_t n, bool exact) {
    if (!is_map(map)) return badmap(p, map);
    if (exact) {
        for (size_t i = 0; i < n; i++)
            if (tb_map_get(map, kv[2 * i]) == TB_NONE) return badkey(p, kv[2 * i]);
    }
    if (!is_flatmap(map)) {
        for (size_t i = 0; i < n; i++) map = tb_map_put(p, map, kv[2 * i], kv[2 * i + 1]);
        return map;
    }
    const TbFlatMap *m = fm(map);
    UWord sz = m->size;
    const Term *ks = fm_keys(m);
    /* positions of existing keys; new keys collected (deduplicated, later wins) */
    Term nk[TB_FLATMAP_LIMIT], nv[TB_FLATMAP_LIMIT];
    size_t nnew = 0;
    Term *vals = NULL;
    for (size_t i = 0; i < n; i++) {
        Term k = kv[2 * i], v = kv[2 * i + 1];
        long at = flat_find(m, k);
        if (at >= 0) {
            if (!vals) {
                if (m->values[at] == v) continue;
                Term *hp = new_flat(p, sz, m->keys);  /* copy values, share the keys tuple */
                m = fm(map);
                memcpy(hp + FLATMAP_HEAD_WORDS, m->values, sz * sizeof(Term));
                vals = hp + FLATMAP_HEAD_WORDS;
                map = make_boxed(hp);
                m = fm(map);
            }
            vals[at] = v;
            continue;
        }
        size_t j = 0;
        while (j < nnew && !tb_eq_exact_fast(nk[j], k)) j++;
        if (j == nnew) {
            if (sz + nnew == TB_FLATMAP_LIMIT) {     /* too many: a hashmap, built in one go */
                Term *all = malloc((sz + n) * 2 * sizeof(Term));
                if (!all) abort();
                Term *av = all + sz + n;
                memcpy(all, ks, sz * sizeof(Term));
                memcpy(av, m->values, sz * sizeof(Term));
                size_t t = sz;
                for (size_t q = 0; q < nnew; q++) { all[t] = nk[q]; av[t++] = nv[q]; }
                for (size_t q = i; q < n; q++) { all[t] = kv[2 * q]; av[t++] = kv[2 * q + 1]; }
                Term r = tb_map_from_pairs(p, all, av, t);
                free(all);
                return r;
            }
            nnew++;
        }
        nk[j] = k;
        nv[j] = v;
    }
    if (nnew == 0) return map;
    /* sort the new keys, merge them into a new keys tuple */
    for (size_t i = 1; i < nnew; i++) {
        Term k = nk[i], v = nv[i];
        size_t j = i;
        while (j > 0 && tb_cmp_exact(nk[j - 1], k) > 0) { nk[j] = nk[j - 1]; nv[j] = nv[j - 1]; j--; }
        nk[j] = k;
        nv[j] = v;
    }
    UWord total = sz + nnew;
    Term *kt = tb_halloc(p, 1 + total);
    Term *hp = new_flat(p, total, make_boxed(kt));
    m = fm(map);
    ks = fm_keys(m);
    kt[0] = make_arityval(total);
    Term *ok = kt + 1, *ov = hp + FLATMAP_HEAD_WORDS;
    size_t a = 0, b = 0, o = 0;
    while (a < sz || b < nnew) {
        if (b == nnew || (a < sz && tb_cmp_exact(ks[a], nk[b]) < 0)) { ok[o] = ks[a]; ov[o++] = m->values[a++]; }
        else { ok[o] = nk[b]; ov[o++] = nv[b++]; }
    }
    return make_boxed(hp);
}

/* ---------------- iteration ---------------- */

static void iter_init(TbMapIter *it, Term map, bool reverse) {
    it->reverse = reverse;
    it->sp = -1;
    it->i = it->n = 0;
    it->hamt = !is_flatmap(map);
    if (!it->hamt) {
        const TbFlatMap *m = fm(map);
        it->flat_keys = fm_keys(m);
        it->flat_vals = m->values;
        it->n = m->size;
        return;
    }
    if (!is_hashmap(map)) { it->hamt = false; return; }
    Term *node = boxed_val(map);
    it->sp = 0;
    it->st[0].slots = tb_hamt_slots(node);
    it->st[0].n = (int)tb_popcount(tb_hamt_bitmap(node));
    it->st[0].pos = reverse ? it->st[0].n - 1 : 0;
}

void tb_map_iter_init(TbMapIter *it, Term map) { iter_init(it, map, true); }
void tb_map_iter_init_storage(TbMapIter *it, Term map) { iter_init(it, map, false); }

bool tb_map_iter_next(TbMapIter *it, Term *k, Term *v) {
    if (!it->hamt) {
        if (it->i >= it->n) return false;
        *k = it->flat_keys[it->i];
        *v = it->flat_vals[it->i];
        it->i++;
        return true;
    }
    int step = it->reverse ? -1 : 1;
    while (it->sp >= 0) {
        int sp = it->sp, pos = it->st[sp].pos;
        if (pos < 0 || pos >= it->st[sp].n) { it->sp--; continue; }
        Term s = it->st[sp].slots[pos];
        it->st[sp].pos = pos + step;
        if (is_list(s)) {
            *k = CAR(list_val(s));
            *v = CDR(list_val(s));
            return true;
        }
        if (sp + 1 >= TB_MAP_ITER_DEPTH) continue;   /* needs 128-bit hash collisions */
        Term *node = boxed_val(s);
        it->sp = ++sp;
        it->st[sp].slots = tb_hamt_slots(node);
        it->st[sp].n = (int)tb_popcount(tb_hamt_bitmap(node));
        it->st[sp].pos = it->reverse ? it->st[sp].n - 1 : 0;
    }
    return false;
}

static Term build_list(TbProcess *p, Term map, int what) {
    UWord n = tb_map_size(map);
    Term *hp = tb_halloc(p, n * (what == 2 ? 5 : 2)), res = NIL, k, v;
    TbMapIter it;
    tb_map_iter_init_storage(&it, map);              /* consing reverses: to_list order */
    if (!it.hamt) {                                  /* flatmap: in key order */
        for (UWord i = n; i-- > 0;) {
            k = it.flat_keys[i];
            v = it.flat_vals[i];
            Term e = what == 0 ? k : what == 1 ? v : TB_NONE;
            if (what == 2) { hp[0] = make_arityval(2); hp[1] = k; hp[2] = v; e = make_boxed(hp); hp += 3; }
            hp[0] = e; hp[1] = res; res = make_list(hp); hp += 2;
        }
        return res;
    }
    while (tb_map_iter_next(&it, &k, &v)) {
        Term e = what == 0 ? k : what == 1 ? v : TB_NONE;
        if (what == 2) { hp[0] = make_arityval(2); hp[1] = k; hp[2] = v; e = make_boxed(hp); hp += 3; }
        hp[0] = e; hp[1] = res; res = make_list(hp); hp += 2;
    }
    return res;
}
Term tb_map_keys(TbProcess *p, Term map) { return build_list(p, map, 0); }
Term tb_map_values(TbProcess *p, Term map) { return build_list(p, map, 1); }
Term tb_map_to_list(TbProcess *p, Term map) { return build_list(p, map, 2); }

/* ---------------- order ---------------- */

bool tb_map_eq_exact(Term a, Term b) {
    if (a == b) return true;
    if (is_flatmap(a) != is_flatmap(b)) return false;
    if (is_flatmap(a)) {
        const TbFlatMap *x = fm(a), *y = fm(b);
        if (x->size != y->size) return false;
        if (x->keys != y->keys && !tb_eq_exact(x->keys, y->keys)) return false;
        for (UWord i = 0; i < x->size; i++)
            if (!tb_eq_exact_fast(x->values[i], y->values[i])) return false;
        return true;
    }
    /* equal key sets give identical tries: compare node by node */
    Term *na = boxed_val(a), *nb = boxed_val(b);
    if (na[1] != nb[1] || (tb_hamt_is_head(na) && na[2] != nb[2])) return false;
    unsigned n = (unsigned)tb_popcount(tb_hamt_bitmap(na));
    const Term *sa = tb_hamt_slots(na), *sb = tb_hamt_slots(nb);
    for (unsigned i = 0; i < n; i++) {
        Term x = sa[i], y = sb[i];
        if (is_list(x) != is_list(y)) return false;
        if (is_list(x)) {
            if (!tb_eq_exact_fast(CAR(list_val(x)), CAR(list_val(y))) ||
                !tb_eq_exact_fast(CDR(list_val(x)), CDR(list_val(y)))) return false;
        } else if (!tb_map_eq_exact(x, y)) {     /* recursion bounded by the trie depth */
            return false;
        }
    }
    return true;
}

static int sgn(int c) { return (c > 0) - (c < 0); }

/* Order of two keys in storage (hash) order; they are different keys. */
static int hash_order(Term a, Term b) {
    for (unsigned chunk = 0; chunk < 32; chunk++) {
        uint32_t ha = tb_map_chunk_hash(a, chunk), hb = tb_map_chunk_hash(b, chunk);
        for (int i = 0; i < 8; i++, ha >>= 4, hb >>= 4)
            if ((ha & 0xf) != (hb & 0xf)) return (ha & 0xf) < (hb & 0xf) ? -1 : 1;
    }
    return 0;
}

/* Both maps of the same size.  The smallest key (map-key order) present in
 * only one map decides (its map is smaller); with equal key sets, the
 * values of the smallest key whose values differ. */
int tb_map_cmp_ex(Term a, Term b, bool exact) {
    UWord na = tb_map_size(a), nb = tb_map_size(b);
    if (na != nb) return na < nb ? -1 : 1;
    if (is_flatmap(a) && is_flatmap(b)) {
        const TbFlatMap *x = fm(a), *y = fm(b);
        const Term *xk = fm_keys(x), *yk = fm_keys(y);
        if (x->keys != y->keys)
            for (UWord i = 0; i < na; i++) {
                int c = tb_cmp_exact(xk[i], yk[i]);
                if (c) return sgn(c);
            }
        for (UWord i = 0; i < na; i++) {
            int c = exact ? tb_cmp_exact(x->values[i], y->values[i]) : tb_cmp(x->values[i], y->values[i]);
            if (c) return sgn(c);
        }
        return 0;
    }
    /* walk both in storage order, like a merge of two hash-sorted lists */
    TbMapIter ia, ib;
    Term ka, va, kb, vb, min_key = TB_NONE;
    int res = 0;
    bool keys_differ = false;
    tb_map_iter_init_storage(&ia, a);
    tb_map_iter_init_storage(&ib, b);
    bool ha = tb_map_iter_next(&ia, &ka, &va), hb = tb_map_iter_next(&ib, &kb, &vb);
    while (ha || hb) {
        int o;
        if (ha && hb) {
            o = tb_eq_exact_fast(ka, kb) ? 0 : hash_order(ka, kb);
            if (o == 0 && !tb_eq_exact_fast(ka, kb)) o = tb_cmp_exact(ka, kb);  /* broken hash only */
        }
        else o = ha ? -1 : 1;
        if (o == 0) {
            if (!keys_differ) {
                int c = exact ? tb_cmp_exact(va, vb) : tb_cmp(va, vb);
                if (c && (min_key == TB_NONE || tb_cmp_exact(ka, min_key) < 0)) { min_key = ka; res = sgn(c); }
            }
            ha = tb_map_iter_next(&ia, &ka, &va);
            hb = tb_map_iter_next(&ib, &kb, &vb);
        } else {
            Term k = o < 0 ? ka : kb;
            if (!keys_differ || tb_cmp_exact(k, min_key) < 0) { min_key = k; res = o < 0 ? -1 : 1; }
            keys_differ = true;
            if (o < 0) ha = tb_map_iter_next(&ia, &ka, &va);
            else hb = tb_map_iter_next(&ib, &kb, &vb);
        }
    }
    return res;
}

int tb_map_cmp(Term a, Term b) { return tb_map_cmp_ex(a, b, false); }

/* ---------------- erts_internal:map_next/3 ---------------- */

#define PATH_PER_WORD 16            /* 4-bit slot indexes per 64-bit path digit */
#define HAMT_PATH_MAX 64           /* trie depth limit for paths (8 levels per 32-bit hash) */

static Term make_path(TbProcess *p, const unsigned *idx, unsigned depth) {
    UWord limbs[HAMT_PATH_MAX / PATH_PER_WORD + 1] = {0};
    unsigned nl = (depth + PATH_PER_WORD - 1) / PATH_PER_WORD;
    for (unsigned d = 0; d < depth; d++) limbs[d / PATH_PER_WORD] |= (UWord)idx[d] << (4 * (d % PATH_PER_WORD));
    while (nl > 1 && limbs[nl - 1] == 0) nl--;
    if (nl <= 1 && limbs[0] <= (UWord)MAX_SMALL) return make_small((SWord)limbs[0]);
    Term *hp = tb_halloc(p, 1 + nl);
    hp[0] = make_header(nl, HDR_SUB_POS_BIG);
    memcpy(hp + 1, limbs, nl * sizeof(UWord));
    return make_boxed(hp);
}

Term tb_map_next(TbProcess *p, Term path, Term map, Term acc) {
    bool iter = acc == AM(iterator);
    if (!is_map(map) || (!iter && !is_list(acc) && !is_nil(acc))) return TB_NONE;
    if (is_flatmap(map)) {
        const TbFlatMap *m = fm(map);
        if (!is_small(path) || small_val(path) < 0 || (UWord)small_val(path) > m->size) return TB_NONE;
        UWord n = m->size;
        Term res = iter ? AM(none) : acc;
        Term *hp = tb_halloc(p, n * (iter ? 4 : 5));
        m = fm(map);
        const Term *ks = fm_keys(m);
        for (UWord i = n; i-- > 0;) {
            hp[0] = make_arityval(iter ? 3 : 2);
            hp[1] = ks[i];
            hp[2] = m->values[i];
            if (iter) { hp[3] = res; res = make_boxed(hp); hp += 4; }
            else { Term t = make_boxed(hp); hp[3] = t; hp[4] = res; res = make_list(hp + 3); hp += 5; }
        }
        return res;
    }
    if (!tb_hamt_is_head(boxed_val(map))) return TB_NONE;
    /* the path: 4 bits of slot index per level, root first, from the low end */
    const UWord *digits;
    UWord one, ndig;
    if (is_small(path) && small_val(path) >= 0) { one = (UWord)small_val(path); digits = &one; ndig = 1; }
    else if (is_big(path) && !big_sign(path)) { digits = big_limbs(path); ndig = big_size(path); }
    else return TB_NONE;
    UWord size = tb_map_size(map);
    SWord fc = p->fcalls / 4;
    UWord elems = fc > 1 ? (UWord)fc : 1;
    if (elems > size) elems = size;
    if (path == make_small(0) && elems > TB_FLATMAP_LIMIT) elems = TB_FLATMAP_LIMIT;

    struct { const Term *slots; unsigned idx, n; } st[HAMT_PATH_MAX];
    unsigned sp = 0;
    Term *hp = tb_halloc(p, elems * (iter ? 4 : 5) + 4);
    Term res = acc, *patch = NULL, node = map;
    UWord left = elems;
    /* descend along the path (then slot 0) to the first leaf to return */
    for (unsigned lvl = 0;; lvl++) {
        if (sp == HAMT_PATH_MAX) return TB_NONE;
        Term *nd = boxed_val(node);
        unsigned n = (unsigned)tb_popcount(tb_hamt_bitmap(nd));
        UWord d = lvl / PATH_PER_WORD;
        unsigned e = d < ndig ? (unsigned)(digits[d] >> (4 * (lvl % PATH_PER_WORD))) & 0xf : 0;
        if (e >= n) return TB_NONE;
        const Term *sl = tb_hamt_slots(nd);
        st[sp].slots = sl;
        st[sp].idx = e + 1;
        st[sp].n = n;
        sp++;
        if (is_list(sl[e])) break;
        node = sl[e];
    }
#define EMIT(leaf) do {                                                        \
        const Term *l_ = list_val(leaf);                                       \
        if (iter) {                                                            \
            hp[0] = make_arityval(3); hp[1] = CAR(l_); hp[2] = CDR(l_);        \
            if (patch) *patch = make_boxed(hp); else res = make_boxed(hp);     \
            patch = &hp[3]; hp += 4;                                           \
        } else {                                                               \
            hp[0] = make_arityval(2); hp[1] = CAR(l_); hp[2] = CDR(l_);        \
            hp[3] = make_boxed(hp); hp[4] = res; res = make_list(hp + 3);      \
            hp += 5;                                                           \
        }                                                                      \
        left--;                                                                \
    } while (0)
    EMIT(st[sp - 1].slots[st[sp - 1].idx - 1]);
    /* depth-first from there; st[i].idx is the next slot to visit */
    while (sp > 0 && left > 0) {
        unsigned t = sp - 1;
        if (st[t].idx >= st[t].n) { sp--; continue; }
        Term s = st[t].slots[st[t].idx++];
        if (is_list(s)) { EMIT(s); continue; }
        if (sp == HAMT_PATH_MAX) return TB_NONE;
        Term *nd = boxed_val(s);
        st[sp].slots = tb_hamt_slots(nd);
        st[sp].idx = 0;
        st[sp].n = (unsigned)tb_popcount(tb_hamt_bitmap(nd));
        sp++;
    }
#undef EMIT
    while (sp > 0 && st[sp - 1].idx >= st[sp - 1].n) sp--;   /* drop finished nodes */
    if (sp == 0) {
        if (iter) *patch = AM(none);
        return res;
    }
    /* path to the next leaf: deepest level's next slot, ancestors' current slots */
    unsigned idx[HAMT_PATH_MAX];
    for (unsigned i = 0; i < sp; i++) idx[i] = st[i].idx - (i + 1 < sp);
    Term np = make_path(p, idx, sp);
    Term *c = tb_halloc(p, 4);
    if (iter) {
        c[0] = np; c[1] = map;
        *patch = make_list(c);
        return res;
    }
    c[2] = map; c[3] = res;
    c[0] = np; c[1] = make_list(c + 2);
    return make_list(c);
}
