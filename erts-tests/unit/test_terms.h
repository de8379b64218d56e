/* test_terms.h — test-only helpers shared by test_hash.c, test_compare.c
 * and test_print.c (include in exactly one .c per test binary):
 *   - tt_etf(): builds a term from term_to_binary bytes written by real erl
 *     (erts-tests/diff/hash_gen.sh), so tests run on the very terms erl
 *     hashed, compared and printed;
 *   - tt_unaligned(): the same bitstring as a sub binary at an odd bit offset;
 *   - stubs for functions other helpers are writing (bignums, maps): small,
 *     straightforward versions good enough to drive this area's code.
 * Hash maps (> 32 keys) use a fake node layout read by the tb_hashmap_view
 * stub: [header, is_head, bitmap, size, n, slots...]. */
#ifndef TEST_TERMS_H
#define TEST_TERMS_H
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "../../emu/term.h"
#include "../../emu/atom.h"
#include "../../emu/process.h"
#include "../../emu/module.h"
#include "../../emu/compare.h"
#include "../../emu/print.h"

static TbProcess *tt_p;

static void tt_setup(void) {
    tb_atom_init();
    if (!tt_p) tt_p = tb_process_new(1 << 16);
}

static Term *tt_alloc(size_t n) { return tb_halloc(tt_p, n); }

/* ---------------- stubs for other helpers ----------------
 * Weak where the real function (emu/big.c, emu/binary.c) may be linked in
 * instead; the map stubs are strong on purpose: they read the fake HAMT
 * layout above, so emu/map.c must not be linked into these tests. */

__attribute__((weak)) void tb_proc_bins_release(struct TbProcBin *list) { (void)list; }

__attribute__((weak)) int tb_big_cmp(Term a, Term b) {
    int sa = is_small(a) ? (small_val(a) < 0 ? -1 : 1) : (big_sign(a) ? -1 : 1);
    int sb = is_small(b) ? (small_val(b) < 0 ? -1 : 1) : (big_sign(b) ? -1 : 1);
    if (is_small(a) && is_small(b)) return small_val(a) < small_val(b) ? -1 : small_val(a) > small_val(b);
    if (sa != sb) return sa < sb ? -1 : 1;
    if (is_small(a)) return -sb;                 /* |small| < |big| */
    if (is_small(b)) return sa;
    UWord na = big_size(a), nb = big_size(b);
    int mag = 0;
    if (na != nb) mag = na < nb ? -1 : 1;
    else
        for (UWord i = na; i-- > 0;)
            if (big_limbs(a)[i] != big_limbs(b)[i]) { mag = big_limbs(a)[i] < big_limbs(b)[i] ? -1 : 1; break; }
    return sa < 0 ? -mag : mag;
}

__attribute__((weak)) size_t tb_integer_to_chars(Term t, unsigned base, char *buf, size_t cap) {
    (void)base;                                  /* decimal only */
    char tmp[4096];
    size_t n = 0;
    bool neg;
    if (is_small(t)) {
        neg = small_val(t) < 0;
        uint64_t v = neg ? -(uint64_t)small_val(t) : (uint64_t)small_val(t);
        do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    } else {
        neg = big_sign(t);
        UWord k = big_size(t), l[64];
        memcpy(l, big_limbs(t), k * 8);
        while (k) {                              /* divide by 10^19 repeatedly */
            unsigned __int128 r = 0;
            for (UWord i = k; i-- > 0;) {
                unsigned __int128 cur = (r << 64) | l[i];
                l[i] = (UWord)(cur / 10000000000000000000ull);
                r = cur % 10000000000000000000ull;
            }
            while (k && l[k - 1] == 0) k--;
            uint64_t chunk = (uint64_t)r;
            for (int d = 0; d < 19; d++) {
                tmp[n++] = (char)('0' + chunk % 10);
                chunk /= 10;
                if (!k && !chunk) break;
            }
        }
    }
    if (neg) tmp[n++] = '-';
    if (cap) {
        size_t w = n < cap - 1 ? n : cap - 1;
        for (size_t i = 0; i < w; i++) buf[i] = tmp[n - 1 - i];
        buf[w] = 0;
    }
    return n;
}

/* fake HAMT: [hdr, is_head, bitmap, size, n, slots...] */
void tb_hashmap_view(Term node, TbHamtView *v) {
    const Term *w = boxed_val(node);
    v->is_head = w[1] != 0;
    v->bitmap = w[2];
    v->size = w[3];
    v->n = (unsigned)w[4];
    v->slots = w + 5;
}

typedef struct { Term k, v; } TtPair;

static size_t tt_map_pairs(Term m, TtPair *out) {
    size_t n = 0;
    if (is_flatmap(m)) {
        const TbFlatMap *f = (const TbFlatMap *)boxed_val(m);
        for (UWord i = 0; i < f->size; i++) out[n++] = (TtPair){ tuple_val(f->keys)[1 + i], f->values[i] };
        return n;
    }
    Term stack[64];
    int sp = 0;
    stack[sp++] = m;
    while (sp) {
        TbHamtView v;
        tb_hashmap_view(stack[--sp], &v);
        for (unsigned i = 0; i < v.n; i++) {
            if (is_list(v.slots[i])) out[n++] = (TtPair){ CAR(list_val(v.slots[i])), CDR(list_val(v.slots[i])) };
            else stack[sp++] = v.slots[i];
        }
    }
    return n;
}

UWord tb_map_size(Term m) {
    return is_flatmap(m) ? ((const TbFlatMap *)boxed_val(m))->size : boxed_val(m)[3];
}

Term tb_map_get(Term m, Term key) {
    static TtPair ps[4096];
    size_t n = tt_map_pairs(m, ps);
    for (size_t i = 0; i < n; i++)
        if (tb_eq_exact(ps[i].k, key)) return ps[i].v;
    return TB_NONE;
}

static int tt_pair_cmp(const void *x, const void *y) { return tb_cmp_exact(((const TtPair *)x)->k, ((const TtPair *)y)->k); }

int tb_map_cmp(Term a, Term b) {
    static TtPair pa[4096], pb[4096];
    size_t na = tt_map_pairs(a, pa), nb = tt_map_pairs(b, pb);
    if (na != nb) return na < nb ? -1 : 1;
    qsort(pa, na, sizeof *pa, tt_pair_cmp);
    qsort(pb, nb, sizeof *pb, tt_pair_cmp);
    for (size_t i = 0; i < na; i++) {
        int c = tb_cmp_exact(pa[i].k, pb[i].k);
        if (c) return c;
    }
    for (size_t i = 0; i < na; i++) {
        int c = tb_cmp(pa[i].v, pb[i].v);
        if (c) return c;
    }
    return 0;
}

bool tb_map_eq_exact(Term a, Term b) {
    static TtPair pa[4096];
    size_t na = tt_map_pairs(a, pa);
    if (na != tb_map_size(b)) return false;
    for (size_t i = 0; i < na; i++) {
        Term v = tb_map_get(b, pa[i].k);
        if (v == TB_NONE || !tb_eq_exact(v, pa[i].v)) return false;
    }
    return true;
}

/* ---------------- term builders ---------------- */

static Term tt_list(const Term *elems, size_t n, Term tail) {
    Term l = tail;
    Term *hp = tt_alloc(2 * n);
    for (size_t i = n; i-- > 0;) {
        hp[2 * i] = elems[i];
        hp[2 * i + 1] = l;
        l = make_list(hp + 2 * i);
    }
    return l;
}

static Term tt_tuple(const Term *elems, size_t n) {
    Term *hp = tt_alloc(n + 1);
    hp[0] = make_arityval(n);
    memcpy(hp + 1, elems, n * sizeof(Term));
    return make_boxed(hp);
}

static Term tt_heap_bin(const uint8_t *data, size_t len) {
    Term *hp = tt_alloc(heap_bin_words(len));
    TbHeapBin *hb = (TbHeapBin *)hp;
    hb->header = make_header(heap_bin_words(len) - 1, HDR_SUB_HEAP_BIN);
    hb->size = len;
    if (len) memcpy(hb->data, data, len);
    return make_boxed(hp);
}

static Term tt_sub_bin(Term orig, UWord bitoffs, UWord bitsize) {
    TbSubBin *sb = (TbSubBin *)tt_alloc(SUB_BIN_WORDS);
    sb->header = make_header(3, HDR_SUB_SUB_BIN);
    sb->orig = orig;
    sb->bitoffs = bitoffs;
    sb->bitsize = bitsize;
    return make_boxed((Term *)sb);
}

/* The same bits placed 2 bytes + `shift` bits into a fresh binary. */
static Term tt_unaligned(Term bits, unsigned shift) {
    const uint8_t *p;
    UWord off, size;
    bitstring_view(bits, &p, &off, &size);
    size_t total = 16 + shift + size, nbytes = (total + 7) / 8 + 1;
    uint8_t *buf = calloc(nbytes, 1);
    for (size_t i = 0; i < 16 + shift; i++) if (i % 3 == 0) buf[i / 8] |= 0x80 >> (i % 8);   /* junk before */
    for (UWord i = 0; i < size; i++) {
        UWord s = off + i;
        if (p[s / 8] & (0x80 >> (s % 8))) {
            UWord d = 16 + shift + i;
            buf[d / 8] |= 0x80 >> (d % 8);
        }
    }
    for (size_t i = total; i < nbytes * 8; i++) buf[i / 8] |= 0x80 >> (i % 8);             /* junk after */
    Term orig = tt_heap_bin(buf, nbytes);
    free(buf);
    return tt_sub_bin(orig, 16 + shift, size);
}

static Term tt_integer(const uint8_t *le, size_t n, bool neg) {
    size_t limbs = (n + 7) / 8;
    UWord l[limbs ? limbs : 1];
    memset(l, 0, sizeof l);
    for (size_t i = 0; i < n; i++) l[i / 8] |= (UWord)le[i] << (8 * (i % 8));
    while (limbs && l[limbs - 1] == 0) limbs--;
    if (limbs == 0) return make_small(0);
    if (limbs == 1 && l[0] <= (UWord)MAX_SMALL + (neg ? 1 : 0))
        return make_small(neg ? -(SWord)l[0] : (SWord)l[0]);
    Term *hp = tt_alloc(1 + limbs);
    hp[0] = make_header(limbs, neg ? HDR_SUB_NEG_BIG : HDR_SUB_POS_BIG);
    memcpy(hp + 1, l, limbs * 8);
    return make_boxed(hp);
}

static Term tt_float(double d) { return make_float_at(tt_alloc(FLOAT_WORDS), d); }

/* Fake HAMT (see top): inner nodes of up to 8 leaves under one head. */
static Term tt_fake_hashmap(const Term *ks, const Term *vs, size_t n) {
    size_t ninner = (n + 7) / 8;
    Term inner[ninner];
    for (size_t j = 0; j < ninner; j++) {
        size_t cnt = n - 8 * j < 8 ? n - 8 * j : 8;
        Term *hp = tt_alloc(5 + cnt);
        hp[0] = make_header(4 + cnt, HDR_SUB_HASHMAP);
        hp[1] = 0; hp[2] = 0xff; hp[3] = 0; hp[4] = cnt;
        for (size_t i = 0; i < cnt; i++) {
            Term *c = tt_alloc(2);
            c[0] = ks[8 * j + i];
            c[1] = vs[8 * j + i];
            hp[5 + i] = make_list(c);
        }
        inner[j] = make_boxed(hp);
    }
    Term *hp = tt_alloc(5 + ninner);
    hp[0] = make_header(4 + ninner, HDR_SUB_HASHMAP);
    hp[1] = 1; hp[2] = 0xffff; hp[3] = n; hp[4] = ninner;
    memcpy(hp + 5, inner, ninner * sizeof(Term));
    return make_boxed(hp);
}

static Term tt_map(const Term *ks, const Term *vs, size_t n) {
    if (n > TB_FLATMAP_LIMIT) return tt_fake_hashmap(ks, vs, n);
    Term keys = tt_tuple(ks, n);
    Term *hp = tt_alloc(FLATMAP_HEAD_WORDS + n);
    TbFlatMap *m = (TbFlatMap *)hp;
    m->header = make_header(2 + n, HDR_SUB_FLATMAP);
    m->size = n;
    m->keys = keys;
    memcpy(m->values, vs, n * sizeof(Term));
    return make_boxed(hp);
}

/* ---------------- external term format ---------------- */

static uint32_t tt_u32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint16_t tt_u16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static Term tt_dec(const uint8_t **pp);

static Term tt_dec_atom(const uint8_t **pp) {
    const uint8_t *p = *pp;
    uint8_t tag = *p++;
    size_t len;
    bool latin1 = tag == 100 || tag == 115;
    if (tag == 100 || tag == 118) { len = tt_u16(p); p += 2; }
    else { len = *p++; }
    *pp = p + len;
    return latin1 ? tb_atom_put_latin1(p, len) : tb_atom_put(p, len);
}

static Term tt_dec(const uint8_t **pp) {
    const uint8_t *p = *pp;
    uint8_t tag = *p++;
    Term r;
    switch (tag) {
    case 97: r = make_small(*p++); break;
    case 98: r = make_small((int32_t)tt_u32(p)); p += 4; break;
    case 110: case 111: {
        size_t n;
        if (tag == 110) n = *p++;
        else { n = tt_u32(p); p += 4; }
        bool neg = *p++;
        r = tt_integer(p, n, neg);
        p += n;
        break;
    }
    case 70: {
        uint64_t u = 0;
        for (int i = 0; i < 8; i++) u = u << 8 | p[i];
        double d;
        memcpy(&d, &u, 8);
        r = tt_float(d);
        p += 8;
        break;
    }
    case 100: case 115: case 118: case 119:
        *pp = p - 1;
        return tt_dec_atom(pp);
    case 104: case 105: {
        size_t n;
        if (tag == 104) n = *p++;
        else { n = tt_u32(p); p += 4; }
        Term *el = malloc((n + 1) * sizeof(Term));
        for (size_t i = 0; i < n; i++) el[i] = tt_dec(&p);
        r = tt_tuple(el, n);
        free(el);
        break;
    }
    case 106: r = NIL; break;
    case 107: {
        size_t n = tt_u16(p);
        p += 2;
        Term *el = malloc((n + 1) * sizeof(Term));
        for (size_t i = 0; i < n; i++) el[i] = make_small(p[i]);
        r = tt_list(el, n, NIL);
        free(el);
        p += n;
        break;
    }
    case 108: {
        size_t n = tt_u32(p);
        p += 4;
        Term *el = malloc((n + 1) * sizeof(Term));
        for (size_t i = 0; i < n; i++) el[i] = tt_dec(&p);
        Term tail = tt_dec(&p);
        r = tt_list(el, n, tail);
        free(el);
        break;
    }
    case 109: {
        size_t n = tt_u32(p);
        r = tt_heap_bin(p + 4, n);
        p += 4 + n;
        break;
    }
    case 77: {
        size_t n = tt_u32(p);
        unsigned bits = p[4];
        Term orig = tt_heap_bin(p + 5, n);
        r = tt_sub_bin(orig, 0, n ? (n - 1) * 8 + bits : 0);
        p += 5 + n;
        break;
    }
    case 116: {
        size_t n = tt_u32(p);
        p += 4;
        Term *ks = malloc((n + 1) * sizeof(Term)), *vs = malloc((n + 1) * sizeof(Term));
        for (size_t i = 0; i < n; i++) { ks[i] = tt_dec(&p); vs[i] = tt_dec(&p); }
        r = tt_map(ks, vs, n);
        free(ks);
        free(vs);
        break;
    }
    case 88: case 103: {                         /* NEW_PID_EXT / PID_EXT */
        (void)tt_dec_atom(&p);
        uint32_t id = tt_u32(p), serial = tt_u32(p + 4);
        p += tag == 88 ? 12 : 9;
        r = make_pid((UWord)serial << 15 | id);
        break;
    }
    case 89: case 102: {                         /* NEW_PORT_EXT / PORT_EXT */
        (void)tt_dec_atom(&p);
        r = make_port(tt_u32(p));
        p += tag == 89 ? 8 : 5;
        break;
    }
    case 120: {                                  /* V4_PORT_EXT */
        (void)tt_dec_atom(&p);
        uint64_t id = (uint64_t)tt_u32(p) << 32 | tt_u32(p + 4);
        r = make_port(id);
        p += 12;
        break;
    }
    case 90: {                                   /* NEWER_REFERENCE_EXT */
        size_t n = tt_u16(p);
        p += 2;
        (void)tt_dec_atom(&p);
        p += 4;
        TbRefThing *rt = (TbRefThing *)tt_alloc(REF_THING_WORDS);
        rt->header = make_header(REF_THING_WORDS - 1, HDR_SUB_REF);
        memset(rt->num, 0, sizeof rt->num);
        for (size_t i = 0; i < n; i++) if (i < 3) rt->num[i] = tt_u32(p + 4 * i);
        p += 4 * n;
        r = make_boxed((Term *)rt);
        break;
    }
    case 112: {                                  /* NEW_FUN_EXT */
        uint8_t arity = p[4];
        uint32_t index = tt_u32(p + 21), nfree = tt_u32(p + 25);
        p += 29;
        TbFunEntry *fe = calloc(1, sizeof *fe);
        fe->module_name = tt_dec_atom(&p);
        (void)tt_dec(&p);                        /* OldIndex */
        Term ou = tt_dec(&p);
        Term pid = tt_dec(&p);
        fe->index = index;
        fe->old_uniq = (uint32_t)small_val(ou);
        fe->arity = arity + nfree;
        fe->num_free = nfree;
        Term *hp = tt_alloc(FUN_THING_WORDS + nfree);
        TbFunThing *f = (TbFunThing *)hp;
        f->header = make_header(2 + nfree, HDR_SUB_FUN);
        f->fe = fe;
        f->creator = pid;
        for (uint32_t i = 0; i < nfree; i++) f->env[i] = tt_dec(&p);
        r = make_boxed(hp);
        break;
    }
    case 113: {                                  /* EXPORT_EXT */
        TbExport *e = calloc(1, sizeof *e);
        e->module = tt_dec_atom(&p);
        e->function = tt_dec_atom(&p);
        e->arity = (unsigned)small_val(tt_dec(&p));
        Term *hp = tt_alloc(2);
        hp[0] = make_header(1, HDR_SUB_EXPORT);
        hp[1] = (Term)e;
        r = make_boxed(hp);
        break;
    }
    default:
        fprintf(stderr, "test_terms.h: unsupported ETF tag %u\n", tag);
        abort();
    }
    *pp = p;
    return r;
}

static unsigned tt_hexval(char c) { return c <= '9' ? (unsigned)(c - '0') : (unsigned)(c - 'a' + 10); }

/* term_to_binary bytes as hex -> term */
static Term tt_etf(const char *hex) {
    size_t n = strlen(hex) / 2;
    uint8_t *b = malloc(n);
    for (size_t i = 0; i < n; i++) b[i] = (uint8_t)(tt_hexval(hex[2 * i]) << 4 | tt_hexval(hex[2 * i + 1]));
    if (b[0] != 131) abort();
    const uint8_t *p = b + 1;
    Term t = tt_dec(&p);
    if ((size_t)(p - b) != n) abort();
    free(b);
    return t;
}
#endif
