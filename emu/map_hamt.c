/* map_hamt.c — hashmaps (> 32 keys): the canonical hash trie described in
 * map.h.  Updates copy the path from the root; bulk builds sort the keys by
 * hash and build bottom-up. */
#include "map.h"
#include "compare.h"
#include <stdlib.h>
#include <stdio.h>

#define HAMT_MAX_DEPTH 256          /* 32 chunks of 8 levels: more is a broken hash */

static inline unsigned popc(unsigned x) { return tb_popcount(x); }

/* Hash bits for `lvl` from those of lvl-1 (rehash at each new chunk). */
static inline uint32_t next_hx(uint32_t hx, unsigned lvl, Term key) {
    return (lvl & 7) ? hx >> 4 : tb_map_chunk_hash(key, lvl >> 3);
}
static inline uint32_t hx_at(Term key, unsigned lvl) {
    return tb_map_chunk_hash(key, lvl >> 3) >> (4 * (lvl & 7));
}

static Term *new_node(TbProcess *p, bool head, UWord size, unsigned bm) {
    unsigned n = popc(bm);
    Term *hp = tb_halloc(p, (head ? 3 : 2) + n);
    hp[0] = make_header((head ? 2 : 1) + n, HDR_SUB_HASHMAP);
    hp[1] = make_small(bm | (head ? TB_HAMT_HEAD_FLAG : 0));
    if (head) hp[2] = make_small((SWord)size);
    return hp;
}

static inline Term make_leaf(TbProcess *p, Term k, Term v) {
    Term *c = tb_halloc(p, 2);
    c[0] = k;
    c[1] = v;
    return make_list(c);
}

/* ---------------- lookup ---------------- */

Term tb_hamt_get(Term map, Term key) {
    uint32_t hx = tb_map_internal_hash(key);
    Term *node = boxed_val(map);
    for (unsigned lvl = 0;;) {
        unsigned bm = tb_hamt_bitmap(node), bit = 1u << (hx & 0xf);
        if (!(bm & bit)) return TB_NONE;
        Term c = tb_hamt_slots(node)[popc(bm & (bit - 1))];
        if (is_list(c)) {
            const Term *l = list_val(c);
            return tb_eq_exact_fast(CAR(l), key) ? CDR(l) : TB_NONE;
        }
        node = boxed_val(c);
        lvl++;
        hx = next_hx(hx, lvl, key);
    }
}

/* ---------------- bulk build ---------------- */

typedef struct { uint32_t sw; uint32_t idx; Term leaf; } Ent;

/* Nibble-reversed hash: sorting by it sorts in trie (storage) order. */
static inline uint32_t swizzle(uint32_t h) {
    h = ((h & 0x0f0f0f0fu) << 4) | ((h >> 4) & 0x0f0f0f0fu);
    return __builtin_bswap32(h);
}
static int ent_cmp(const void *a, const void *b) {
    const Ent *x = a, *y = b;
    if (x->sw != y->sw) return x->sw < y->sw ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}
static inline Term ent_key(const Ent *e) { return CAR(list_val(e->leaf)); }

/* e[0..n) share the hash nibbles above lvl and are sorted by sw. */
static Term build(TbProcess *p, Ent *e, size_t n, unsigned lvl, bool head, UWord size) {
    if (lvl >= HAMT_MAX_DEPTH) { fprintf(stderr, "tbeam: map hash degenerate\n"); abort(); }
    if (lvl && (lvl & 7) == 0) {            /* keys collided on a whole chunk: rehash */
        for (size_t i = 0; i < n; i++) e[i].sw = swizzle(tb_map_chunk_hash(ent_key(&e[i]), lvl >> 3));
        qsort(e, n, sizeof *e, ent_cmp);
    }
    unsigned shift = 28 - 4 * (lvl & 7), bm = 0, ns = 0;
    Term slots[TB_HAMT_MAX_SLOTS];
    for (size_t i = 0; i < n;) {
        unsigned nib = (e[i].sw >> shift) & 0xf;
        size_t j = i + 1;
        while (j < n && ((e[j].sw >> shift) & 0xf) == nib) j++;
        bm |= 1u << nib;
        slots[ns++] = j - i == 1 ? e[i].leaf : build(p, e + i, j - i, lvl + 1, false, 0);
        i = j;
    }
    Term *hp = new_node(p, head, size, bm);
    memcpy(hp + (head ? 3 : 2), slots, ns * sizeof(Term));
    return make_boxed(hp);
}

/* Leaves (cons cells) in e[0..n) with idx = input position; later wins. */
static Term build_from_ents(TbProcess *p, Ent *e, size_t n) {
    for (size_t i = 0; i < n; i++) e[i].sw = swizzle(tb_map_internal_hash(ent_key(&e[i])));
    qsort(e, n, sizeof *e, ent_cmp);
    /* equal keys have equal hashes: drop all but the last of each key */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t j = i + 1; j < n && e[j].sw == e[i].sw; j++)
            if (tb_eq_exact(ent_key(&e[i]), ent_key(&e[j]))) { dup = true; break; }
        if (!dup) e[m++] = e[i];
    }
    if (m <= TB_FLATMAP_LIMIT) {
        Term ks[TB_FLATMAP_LIMIT], vs[TB_FLATMAP_LIMIT];
        for (size_t i = 0; i < m; i++) { ks[i] = CAR(list_val(e[i].leaf)); vs[i] = CDR(list_val(e[i].leaf)); }
        return tb_flatmap_from_unsorted(p, ks, vs, m);
    }
    return build(p, e, m, 0, true, m);
}

Term tb_hamt_from_pairs(TbProcess *p, Term *keys, Term *vals, size_t n) {
    Ent *e = malloc(n * sizeof *e);
    if (!e) abort();
    Term *hp = tb_halloc(p, 2 * n);
    for (size_t i = 0; i < n; i++) {
        hp[0] = keys[i];
        hp[1] = vals[i];
        e[i].leaf = make_list(hp);
        e[i].idx = (uint32_t)i;
        hp += 2;
    }
    Term r = build_from_ents(p, e, n);
    free(e);
    return r;
}

/* ---------------- insert ---------------- */

/* A subtree holding two leaves whose keys differ; h1/h2 are their hash
 * bits for `lvl`. */
static Term split(TbProcess *p, unsigned lvl, uint32_t h1, Term l1, uint32_t h2, Term l2) {
    unsigned nibs[HAMT_MAX_DEPTH];
    unsigned d = 0;
    Term k1 = CAR(list_val(l1)), k2 = CAR(list_val(l2));
    while ((h1 & 0xf) == (h2 & 0xf)) {
        if (d == HAMT_MAX_DEPTH) { fprintf(stderr, "tbeam: map hash degenerate\n"); abort(); }
        nibs[d++] = h1 & 0xf;
        lvl++;
        h1 = next_hx(h1, lvl, k1);
        h2 = next_hx(h2, lvl, k2);
    }
    unsigned a = h1 & 0xf, b = h2 & 0xf;
    Term *hp = new_node(p, false, 0, (1u << a) | (1u << b));
    hp[2] = a < b ? l1 : l2;
    hp[3] = a < b ? l2 : l1;
    Term t = make_boxed(hp);
    while (d--) {
        hp = new_node(p, false, 0, 1u << nibs[d]);
        hp[2] = t;
        t = make_boxed(hp);
    }
    return t;
}

/* Copy of node with slot idx replaced by child (or inserted at idx when
 * bit is new to the bitmap). */
static Term node_with(TbProcess *p, Term *node, unsigned bit, unsigned idx, Term child, bool insert, UWord size) {
    bool head = tb_hamt_is_head(node);
    unsigned bm = tb_hamt_bitmap(node), n = popc(bm);
    const Term *old = tb_hamt_slots(node);
    Term *hp = new_node(p, head, size, insert ? bm | bit : bm);
    Term *s = hp + (head ? 3 : 2);
    memcpy(s, old, idx * sizeof(Term));
    s[idx] = child;
    if (insert) memcpy(s + idx + 1, old + idx, (n - idx) * sizeof(Term));
    else memcpy(s + idx + 1, old + idx + 1, (n - idx - 1) * sizeof(Term));
    return make_boxed(hp);
}

enum { PUT_SAME, PUT_REPLACED, PUT_ADDED, PUT_ABSENT };

static Term put_rec(TbProcess *p, Term nodet, unsigned lvl, uint32_t hx, Term key, Term val,
                    bool update_only, int *st, UWord size) {
    Term *node = boxed_val(nodet);
    unsigned bm = tb_hamt_bitmap(node), bit = 1u << (hx & 0xf), idx = popc(bm & (bit - 1));
    bool head = tb_hamt_is_head(node);
    if (!(bm & bit)) {
        if (update_only) { *st = PUT_ABSENT; return nodet; }
        *st = PUT_ADDED;
        return node_with(p, node, bit, idx, make_leaf(p, key, val), true, size + 1);
    }
    Term c = tb_hamt_slots(node)[idx], nc;
    if (is_list(c)) {
        const Term *l = list_val(c);
        if (tb_eq_exact_fast(CAR(l), key)) {
            if (CDR(l) == val) { *st = PUT_SAME; return nodet; }
            *st = PUT_REPLACED;
            nc = make_leaf(p, CAR(l), val);
        } else {
            if (update_only) { *st = PUT_ABSENT; return nodet; }
            *st = PUT_ADDED;
            nc = split(p, lvl + 1, hx_at(CAR(l), lvl + 1), c, next_hx(hx, lvl + 1, key), make_leaf(p, key, val));
        }
    } else {
        nc = put_rec(p, c, lvl + 1, next_hx(hx, lvl + 1, key), key, val, update_only, st, 0);
        if (*st == PUT_SAME || *st == PUT_ABSENT) return nodet;
    }
    return node_with(p, node, bit, idx, nc, false, head ? size + (*st == PUT_ADDED) : 0);
}

/* TB_NONE when update_only and the key is absent. */
Term tb_hamt_put(TbProcess *p, Term map, Term key, Term val, bool update_only) {
    int st;
    UWord size = (UWord)small_val(boxed_val(map)[2]);
    Term r = put_rec(p, map, 0, tb_map_internal_hash(key), key, val, update_only, &st, size);
    return st == PUT_ABSENT ? TB_NONE : r;
}

/* ---------------- remove ---------------- */

/* New subtree without key: a node, or a lone leaf when an inner node
 * shrinks to one leaf (canonical shape); TB_NONE if key is absent. */
static Term remove_rec(TbProcess *p, Term nodet, unsigned lvl, uint32_t hx, Term key, Term *val, UWord size) {
    Term *node = boxed_val(nodet);
    unsigned bm = tb_hamt_bitmap(node), bit = 1u << (hx & 0xf), idx = popc(bm & (bit - 1)), n = popc(bm);
    bool head = tb_hamt_is_head(node);
    if (!(bm & bit)) return TB_NONE;
    Term *s = tb_hamt_slots(node), c = s[idx];
    if (is_list(c)) {
        if (!tb_eq_exact_fast(CAR(list_val(c)), key)) return TB_NONE;
        *val = CDR(list_val(c));
        if (!head && n == 2 && is_list(s[idx ^ 1])) return s[idx ^ 1];
        Term *hp = new_node(p, head, size - 1, bm & ~bit);
        Term *d = hp + (head ? 3 : 2);
        memcpy(d, s, idx * sizeof(Term));
        memcpy(d + idx, s + idx + 1, (n - idx - 1) * sizeof(Term));
        return make_boxed(hp);
    }
    Term nc = remove_rec(p, c, lvl + 1, next_hx(hx, lvl + 1, key), key, val, 0);
    if (nc == TB_NONE) return TB_NONE;
    if (!head && n == 1 && is_list(nc)) return nc;      /* keep collapsing upwards */
    return node_with(p, node, bit, idx, nc, false, head ? size - 1 : 0);
}

/* The same map if key is absent; *val gets the removed value. */
Term tb_hamt_remove(TbProcess *p, Term map, Term key, Term *val) {
    UWord size = (UWord)small_val(boxed_val(map)[2]);
    if (size == TB_FLATMAP_LIMIT + 1) {             /* shrinks to a flatmap */
        Term v = tb_hamt_get(map, key);
        if (v == TB_NONE) return map;
        *val = v;
        Term ks[TB_FLATMAP_LIMIT + 1], vs[TB_FLATMAP_LIMIT + 1], k;
        size_t n = 0;
        TbMapIter it;
        tb_map_iter_init_storage(&it, map);
        while (tb_map_iter_next(&it, &k, &v))
            if (!tb_eq_exact_fast(k, key) && n < TB_FLATMAP_LIMIT) { ks[n] = k; vs[n] = v; n++; }
        return tb_flatmap_from_unsorted(p, ks, vs, n);
    }
    Term r = remove_rec(p, map, 0, tb_map_internal_hash(key), key, val, size);
    return r == TB_NONE ? map : r;
}

/* ---------------- GC/copy layout ---------------- */

UWord tb_hashmap_words(const Term *node) { return header_arity(node[0]) + 1; }

void tb_hashmap_term_words(const Term *node, UWord *first, UWord *count) {
    *first = 1;
    *count = header_arity(node[0]);
}

/* ---------------- printing ---------------- */

void tb_hashmap_view(Term node, TbHamtView *out) {
    Term *n = boxed_val(node);
    out->is_head = tb_hamt_is_head(n);
    out->bitmap = tb_hamt_bitmap(n);
    out->size = out->is_head ? (UWord)small_val(n[2]) : 0;
    out->n = popc((unsigned)out->bitmap);
    out->slots = tb_hamt_slots(n);
}

typedef struct { char *buf; size_t cap, len; } Out;
static void out_s(Out *o, const char *s, size_t n) {
    if (o->len < o->cap) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void print_node(Out *o, Term node, size_t (*print)(char *, size_t, Term)) {
    TbHamtView v;
    char tmp[24];
    tb_hashmap_view(node, &v);
    int k = snprintf(tmp, sizeof tmp, "%s<%lx>{", v.is_head ? "#" : "", (unsigned long)v.bitmap);
    out_s(o, tmp, (size_t)k);
    for (unsigned i = 0; i < v.n; i++) {
        if (i) out_s(o, ",", 1);
        Term s = v.slots[i];
        if (is_list(s)) {
            size_t room = o->len < o->cap ? o->cap - o->len : 0;
            size_t need = print(room ? o->buf + o->len : NULL, room, s);
            o->len += need;
        } else {
            print_node(o, s, print);        /* depth bounded by the hash bits */
        }
    }
    out_s(o, "}", 1);
}

size_t tb_map_print_hashmap(char *buf, size_t cap, Term map, size_t (*print)(char *, size_t, Term)) {
    Out o = { buf, cap, 0 };
    print_node(&o, map, print);
    if (cap) buf[o.len < cap ? o.len : cap - 1] = 0;
    return o.len;
}
