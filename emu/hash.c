/* hash.c — ERTS 25's make_hash2 (phash2) and make_hash (phash), rewritten
 * from the published algorithm; see hash.h.  Both walk terms with an
 * explicit stack (local array first, C heap when deeper). */
#include "hash.h"
#include "atom.h"
#include "module.h"
#include "print.h"
#include <stdlib.h>

/* ---- growable word stack ---- */

typedef struct { UWord *w; size_t sp, cap; UWord local[64]; } WStack;

static void ws_init(WStack *s) { s->w = s->local; s->sp = 0; s->cap = 64; }
static void ws_free(WStack *s) { if (s->w != s->local) free(s->w); }
static void ws_grow(WStack *s, size_t need) {
    size_t nc = s->cap * 2;
    while (nc < s->sp + need) nc *= 2;
    UWord *n = s->w == s->local ? malloc(nc * sizeof *n) : realloc(s->w, nc * sizeof *n);
    if (!n) abort();
    if (s->w == s->local) memcpy(n, s->local, sizeof s->local);
    s->w = n;
    s->cap = nc;
}
static inline void ws_push(WStack *s, UWord v) {
    if (s->sp == s->cap) ws_grow(s, 1);
    s->w[s->sp++] = v;
}
static inline UWord ws_pop(WStack *s) { return s->w[--s->sp]; }

/* ---- atom hash: hashpjw with the "latin1 clutch" (a C2/C3 lead byte and
 * its continuation count as one Latin-1 byte); cached per atom index ---- */

static uint32_t *atom_hash_cache;   /* value + 1; 0 = not computed yet */

static uint32_t hashpjw(const uint8_t *p, size_t len) {
    uint32_t h = 0, g;
    while (len--) {
        uint8_t v = *p++;
        if (len && (v & 0xFE) == 0xC2 && (*p & 0xC0) == 0x80) {
            v = (uint8_t)((v << 6) | (*p & 0x3F));
            p++;
            len--;
        }
        h = (h << 4) + v;
        if ((g = h & 0xf0000000u) != 0) {
            h ^= g >> 24;
            h ^= g;
        }
    }
    return h;
}

uint32_t tb_atom_hash(Term atom) {
    UWord i = atom_val(atom);
    uint32_t *c = __atomic_load_n(&atom_hash_cache, __ATOMIC_ACQUIRE);
    if (!c) {
        uint32_t *n = calloc(TB_MAX_ATOMS, sizeof *n);   /* untouched pages stay virtual */
        if (!n) abort();
        uint32_t *expect = NULL;
        if (__atomic_compare_exchange_n(&atom_hash_cache, &expect, n, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            c = n;
        else { free(n); c = expect; }
    }
    uint32_t v = __atomic_load_n(&c[i], __ATOMIC_RELAXED);
    if (v) return v - 1;
    const TbAtom *a = atom_entry(atom);
    uint32_t h = hashpjw(a->name, a->len);
    __atomic_store_n(&c[i], h + 1, __ATOMIC_RELAXED);   /* h < 2^28: no wrap */
    return h;
}

/* ---- shared helpers ---- */

static inline bool is_byte_term(Term t) { return (t & ~((UWord)0xFF << 4)) == TAG_IMMED1_SMALL; }

/* k (1..8) bits at absolute bit position pos, right-aligned. */
static inline unsigned get_bits(const uint8_t *p, UWord pos, unsigned k) {
    const uint8_t *q = p + (pos >> 3);
    unsigned o = pos & 7, v = (unsigned)q[0] << 8;
    if (o + k > 8) v |= q[1];
    return (v >> (16 - o - k)) & ((1u << k) - 1);
}

static inline void double_words(double d, uint32_t *lo, uint32_t *hi) {
    uint64_t u;
    if (d == 0.0) d = 0.0;                      /* -0.0 hashes like 0.0 */
    memcpy(&u, &d, 8);
    *lo = (uint32_t)u;
    *hi = (uint32_t)(u >> 32);
}

/* ERTS pid number: the low 15 bits of the pid data. */
static inline uint32_t pid_number(Term t) { return (uint32_t)(pid_val(t) & 0x7fff); }

/* ================= make_hash2 (phash2) ================= */

#define HCONST    0x9e3779b9u
#define HCONST_2  0x3c6ef372u
#define HCONST_3  0xdaa66d2bu
#define HCONST_4  0x78dde6e4u
#define HCONST_5  0x1715609du
#define HCONST_6  0xb54cda56u
#define HCONST_7  0x5384540fu
#define HCONST_9  0x8ff34781u
#define HCONST_10 0x2e2ac13au
#define HCONST_11 0xcc623af3u
#define HCONST_12 0x6a99b4acu
#define HCONST_13 0x08d12e65u
#define HCONST_14 0xa708a81eu
#define HCONST_15 0x454021d7u
#define HCONST_16 0xe3779b90u
#define HCONST_19 0xbe1e08bbu

#define MIX(a, b, c) do {                   \
    a -= b; a -= c; a ^= (c >> 13);         \
    b -= c; b -= a; b ^= (a << 8);          \
    c -= a; c -= b; c ^= (b >> 13);         \
    a -= b; a -= c; a ^= (c >> 12);         \
    b -= c; b -= a; b ^= (a << 16);         \
    c -= a; c -= b; c ^= (b >> 5);          \
    a -= b; a -= c; a ^= (c >> 3);          \
    b -= c; b -= a; b ^= (a << 10);         \
    c -= a; c -= b; c ^= (b >> 15);         \
} while (0)

static inline uint32_t h2(uint32_t hash, uint32_t x, uint32_t y, uint32_t k) {
    uint32_t a = k + x, b = k + y;
    MIX(a, b, hash);
    return hash;
}
static inline uint32_t h1(uint32_t hash, uint32_t x, uint32_t k) { return h2(hash, x, 0, k); }

/* NIL_DEF in ERTS's tag_val_def numbering */
#define ERTS_NIL_DEF 2u

static inline uint32_t small_hash2(uint32_t hash, SWord x) {
    if (x < -((SWord)1 << 27) || x >= ((SWord)1 << 27)) {
        /* hashed like the equivalent one-limb bignum */
        uint64_t m = x < 0 ? -(uint64_t)x : (uint64_t)x;
        return h2(hash, (uint32_t)m, (uint32_t)(m >> 32), x < 0 ? HCONST_10 : HCONST_11);
    }
    int32_t y = (int32_t)x;
    if (y < 0) hash = h1(hash, (uint32_t)-y, HCONST);   /* negatives are mixed twice */
    return h1(hash, (uint32_t)y, HCONST);
}

static uint32_t block_hash(const uint8_t *p, UWord bitpos, uint32_t len, uint32_t initval) {
    uint32_t a = HCONST, b = HCONST, c = initval, left = len;
    uint8_t buf[12];
    const uint8_t *k;
    bool aligned = (bitpos & 7) == 0;
    const uint8_t *base = p + (bitpos >> 3);
    UWord done = 0;
    for (; left >= 12; left -= 12, done += 12) {
        if (aligned) k = base + done;
        else {
            for (unsigned i = 0; i < 12; i++) buf[i] = (uint8_t)get_bits(p, bitpos + 8 * (done + i), 8);
            k = buf;
        }
        a += k[0] + ((uint32_t)k[1] << 8) + ((uint32_t)k[2] << 16) + ((uint32_t)k[3] << 24);
        b += k[4] + ((uint32_t)k[5] << 8) + ((uint32_t)k[6] << 16) + ((uint32_t)k[7] << 24);
        c += k[8] + ((uint32_t)k[9] << 8) + ((uint32_t)k[10] << 16) + ((uint32_t)k[11] << 24);
        MIX(a, b, c);
    }
    if (aligned) k = base + done;
    else {
        for (uint32_t i = 0; i < left; i++) buf[i] = (uint8_t)get_bits(p, bitpos + 8 * (done + i), 8);
        k = buf;
    }
    c += len;
    switch (left) {                      /* all cases fall through */
    case 11: c += (uint32_t)k[10] << 24; /* fall through */
    case 10: c += (uint32_t)k[9] << 16;  /* fall through */
    case 9:  c += (uint32_t)k[8] << 8;   /* fall through */
    case 8:  b += (uint32_t)k[7] << 24;  /* fall through */
    case 7:  b += (uint32_t)k[6] << 16;  /* fall through */
    case 6:  b += (uint32_t)k[5] << 8;   /* fall through */
    case 5:  b += k[4];                  /* fall through */
    case 4:  a += (uint32_t)k[3] << 24;  /* fall through */
    case 3:  a += (uint32_t)k[2] << 16;  /* fall through */
    case 2:  a += (uint32_t)k[1] << 8;   /* fall through */
    case 1:  a += k[0];                  /* fall through */
    default: break;
    }
    MIX(a, b, c);
    return c;
}

/* Shared with the map hash (emu/map_hash.c): ERTS hashes bitstrings the same way in both. */
uint32_t tb_hash2_bits(uint32_t hash, Term t) {
    const uint8_t *p;
    UWord off, size;
    bitstring_view(t, &p, &off, &size);
    uint32_t sz = (uint32_t)(size >> 3);       /* ERTS truncates the byte size to 32 bits */
    unsigned tail = size & 7;
    uint32_t con = HCONST_13 + hash;
    if (sz == 0 && tail == 0) return con;
    hash = block_hash(p, off, sz, con);
    if (tail) hash = h2(hash, tail, get_bits(p, off + 8 * (size >> 3), tail), HCONST_15);
    return hash;
}

#define HASH_MAP_TAIL make_header(1, HDR_SUB_REF)
#define HASH_MAP_PAIR make_header(2, HDR_SUB_REF)

uint32_t tb_make_hash2(Term t) {
    if (is_atom(t)) return tb_atom_hash(t);     /* unmixed, as ERTS */
    if (is_small(t)) return small_hash2(0, small_val(t));

    WStack s;
    ws_init(&s);
    uint32_t hash = 0, xor_pairs = 0;
    for (;;) {
        switch (primary_tag(t)) {
        case TAG_PRIMARY_LIST: {
            const Term *p = list_val(t);
            uint32_t sh = 0;
            int c = 0;
            while (is_byte_term(CAR(p))) {         /* strings: 4 chars per mix */
                sh = (sh << 8) + (uint32_t)small_val(CAR(p));
                if (c == 3) { hash = h1(hash, sh, HCONST_4); c = 0; sh = 0; }
                else c++;
                t = CDR(p);
                if (!is_list(t)) break;
                p = list_val(t);
            }
            if (c > 0) hash = h1(hash, sh, HCONST_4);
            if (is_list(t)) {
                ws_push(&s, CDR(p));
                t = CAR(p);
            }
            continue;                               /* hash the head or the tail */
        }
        case TAG_PRIMARY_BOXED: {
            const Term *bp = boxed_val(t);
            switch (header_sub(*bp)) {
            case HDR_SUB_TUPLE: {
                UWord n = header_arity(*bp);
                hash = h1(hash, (uint32_t)n, HCONST_9);
                if (n == 0) goto common;
                if (s.sp + n > s.cap) ws_grow(&s, n);
                for (UWord i = n; i > 1; i--) s.w[s.sp++] = bp[i];
                t = bp[1];
                continue;
            }
            case HDR_SUB_FLATMAP: {
                const TbFlatMap *m = (const TbFlatMap *)bp;
                UWord n = m->size;
                hash = h1(hash, (uint32_t)n, HCONST_16);
                if (n == 0) goto common;
                /* pairs are hashed from 0 each and xor-ed: order-independent */
                const Term *ks = tuple_val(m->keys) + 1;
                if (s.sp + 3 + 3 * n > s.cap) ws_grow(&s, 3 + 3 * n);
                s.w[s.sp++] = xor_pairs;
                s.w[s.sp++] = hash;
                s.w[s.sp++] = HASH_MAP_TAIL;
                for (UWord i = n; i-- > 0;) {
                    s.w[s.sp++] = HASH_MAP_PAIR;
                    s.w[s.sp++] = m->values[i];
                    s.w[s.sp++] = ks[i];
                }
                hash = 0;
                xor_pairs = 0;
                goto common;
            }
            case HDR_SUB_HASHMAP: {
                TbHamtView v;
                tb_hashmap_view(t, &v);
                if (v.is_head) {
                    hash = h1(hash, (uint32_t)v.size, HCONST_16);
                    if (v.size == 0) goto common;
                    ws_push(&s, xor_pairs);
                    ws_push(&s, hash);
                    ws_push(&s, HASH_MAP_TAIL);
                    hash = 0;
                    xor_pairs = 0;
                }
                for (unsigned i = 0; i < v.n; i++) {
                    Term e = v.slots[i];
                    if (is_list(e)) {
                        ws_push(&s, HASH_MAP_PAIR);
                        ws_push(&s, CDR(list_val(e)));
                        ws_push(&s, CAR(list_val(e)));
                    } else {
                        ws_push(&s, e);             /* inner node */
                    }
                }
                goto common;
            }
            case HDR_SUB_FUN: {
                const TbFunThing *f = (const TbFunThing *)bp;
                UWord nf = header_arity(f->header) - 2;
                hash = h2(hash, (uint32_t)nf, tb_atom_hash(f->fe->module_name), HCONST);
                hash = h2(hash, f->fe->index, f->fe->old_uniq, HCONST);
                if (nf == 0) goto common;
                if (s.sp + nf > s.cap) ws_grow(&s, nf);
                for (UWord i = nf; i > 1; i--) s.w[s.sp++] = f->env[i - 1];
                t = f->env[0];
                continue;
            }
            case HDR_SUB_EXPORT: {
                const TbExport *e = export_fun_val(t);
                hash = h2(hash, e->arity, tb_atom_hash(e->module), HCONST);
                hash = h1(hash, tb_atom_hash(e->function), HCONST_14);
                goto common;
            }
            case HDR_SUB_REFC_BIN:
            case HDR_SUB_HEAP_BIN:
            case HDR_SUB_SUB_BIN:
                hash = tb_hash2_bits(hash, t);
                goto common;
            case HDR_SUB_POS_BIG:
            case HDR_SUB_NEG_BIG: {
                UWord n = big_size(t);
                const UWord *l = big_limbs(t);
                uint32_t con = big_sign(t) ? HCONST_10 : HCONST_11;
                for (UWord i = 0; i < n; i++) hash = h2(hash, (uint32_t)l[i], (uint32_t)(l[i] >> 32), con);
                goto common;
            }
            case HDR_SUB_FLOAT: {
                uint32_t lo, hi;
                double_words(float_val(t), &lo, &hi);
                hash = h2(hash, hi, lo, HCONST_12);
                goto common;
            }
            case HDR_SUB_REF:
                hash = h1(hash, tb_ref_numbers(make_boxed(bp))[0], HCONST_7);
                goto common;
            default:
                /* remote pids/ports/refs have no layout yet: mix their words */
                for (UWord i = 1; i <= header_arity(*bp); i++)
                    hash = h2(hash, (uint32_t)bp[i], (uint32_t)(bp[i] >> 32), HCONST_7);
                goto common;
            }
        }
        case TAG_PRIMARY_IMMED1:
            switch (t & TAG_IMMED1_MASK) {
            case TAG_IMMED1_PID:
                hash = h1(hash, pid_number(t), HCONST_5);
                goto common;
            case TAG_IMMED1_PORT: {
                uint64_t n = port_val(t);
                hash = h2(hash, (uint32_t)n, (uint32_t)(n >> 32), HCONST_6);
                goto common;
            }
            case TAG_IMMED1_SMALL:
                hash = small_hash2(hash, small_val(t));
                goto common;
            default:
                if (is_atom(t)) {
                    if (hash == 0) hash = tb_atom_hash(t);
                    else hash = h1(hash, tb_atom_hash(t), HCONST_3);
                } else if (is_nil(t)) {
                    if (hash == 0) hash = 3468870702u;
                    else hash = h1(hash, ERTS_NIL_DEF, HCONST_2);
                }
                goto common;
            }
        default:
            goto common;                            /* not a term: ignore */
        }
    common:
        for (;;) {
            if (s.sp == 0) {
                ws_free(&s);
                return hash;
            }
            t = ws_pop(&s);
            if (t == HASH_MAP_TAIL) {
                hash = (uint32_t)ws_pop(&s);
                hash = h1(hash, xor_pairs, HCONST_19);
                xor_pairs = (uint32_t)ws_pop(&s);
            } else if (t == HASH_MAP_PAIR) {
                xor_pairs ^= hash;
                hash = 0;
            } else {
                break;
            }
        }
    }
}

/* ================= make_hash (phash) ================= */

#define FUNNY_NUMBER1  268440163u
#define FUNNY_NUMBER2  268439161u
#define FUNNY_NUMBER3  268435459u
#define FUNNY_NUMBER4  268436141u
#define FUNNY_NUMBER5  268438633u
#define FUNNY_NUMBER6  268437017u
#define FUNNY_NUMBER8  268437511u
#define FUNNY_NUMBER9  268439627u
#define FUNNY_NUMBER10 268440479u
#define FUNNY_NUMBER11 268440577u
#define FUNNY_NUMBER12 268440581u
#define FUNNY_NUMBER13 268440593u
#define FUNNY_NUMBER14 268440611u

/* bytes of x, least significant first */
static inline uint32_t step32(uint32_t hash, uint32_t x, uint32_t p) {
    return (((hash * p + (x & 0xFF)) * p + ((x >> 8) & 0xFF)) * p + ((x >> 16) & 0xFF)) * p + (x >> 24);
}

static uint32_t bits_hash1(uint32_t hash, Term t) {
    const uint8_t *p;
    UWord off, size;
    bitstring_view(t, &p, &off, &size);
    UWord sz = size >> 3;
    unsigned tail = size & 7;
    if ((off & 7) == 0) {
        const uint8_t *q = p + (off >> 3);
        for (UWord i = 0; i < sz; i++) hash = hash * FUNNY_NUMBER1 + q[i];
    } else {
        for (UWord i = 0; i < sz; i++) hash = hash * FUNNY_NUMBER1 + get_bits(p, off + 8 * i, 8);
    }
    if (tail) {
        unsigned b = get_bits(p, off + 8 * sz, tail);
        hash = (hash * FUNNY_NUMBER1 + b) * FUNNY_NUMBER12 + tail;
    }
    return hash * FUNNY_NUMBER4 + (uint32_t)sz;
}

/* stack frame kinds (the low bits of the top word) */
enum { MH_ARRAY, MH_TUPLE, MH_CDR_PRE, MH_CDR_POST };

uint32_t tb_make_hash(Term t) {
    WStack s;
    ws_init(&s);
    uint32_t hash = 0;

    for (;;) {
    again:
        switch (primary_tag(t)) {
        case TAG_PRIMARY_LIST: {
        list: {
            const Term *p = list_val(t);
            while (is_byte_term(CAR(p))) {
                hash = hash * FUNNY_NUMBER2 + (uint32_t)small_val(CAR(p));
                if (!is_list(CDR(p))) {
                    ws_push(&s, MH_CDR_POST);
                    t = CDR(p);
                    goto again;
                }
                p = list_val(CDR(p));
            }
            ws_push(&s, CDR(p));
            ws_push(&s, MH_CDR_PRE);
            t = CAR(p);
            goto again;
        }
        }
        case TAG_PRIMARY_BOXED: {
            const Term *bp = boxed_val(t);
            switch (header_sub(*bp)) {
            case HDR_SUB_TUPLE: {
                UWord n = header_arity(*bp);
                ws_push(&s, n);                     /* arity, mixed in at the end */
                ws_push(&s, (UWord)(bp + 1));
                ws_push(&s, n);
                ws_push(&s, MH_TUPLE);
                break;
            }
            case HDR_SUB_FLATMAP:
            case HDR_SUB_HASHMAP:
                hash = hash * FUNNY_NUMBER13 + FUNNY_NUMBER14 + tb_make_hash2(t);
                break;
            case HDR_SUB_FUN: {
                const TbFunThing *f = (const TbFunThing *)bp;
                UWord nf = header_arity(f->header) - 2;
                hash = hash * FUNNY_NUMBER10 + (uint32_t)nf;
                hash = hash * FUNNY_NUMBER1 + tb_atom_hash(f->fe->module_name);
                hash = hash * FUNNY_NUMBER2 + f->fe->index;
                hash = hash * FUNNY_NUMBER2 + f->fe->old_uniq;
                if (nf > 0) {
                    if (nf > 1) {
                        ws_push(&s, (UWord)&f->env[1]);
                        ws_push(&s, nf - 1);
                        ws_push(&s, MH_ARRAY);
                    }
                    t = f->env[0];
                    goto again;
                }
                break;
            }
            case HDR_SUB_EXPORT: {
                const TbExport *e = export_fun_val(t);
                hash = hash * FUNNY_NUMBER11 + e->arity;
                hash = hash * FUNNY_NUMBER1 + tb_atom_hash(e->module);
                hash = hash * FUNNY_NUMBER1 + tb_atom_hash(e->function);
                break;
            }
            case HDR_SUB_REFC_BIN:
            case HDR_SUB_HEAP_BIN:
            case HDR_SUB_SUB_BIN:
                hash = bits_hash1(hash, t);
                break;
            case HDR_SUB_POS_BIG:
            case HDR_SUB_NEG_BIG: {
                UWord n = big_size(t);
                const UWord *l = big_limbs(t);
                for (UWord i = 0; i < n; i++) {
                    UWord d = l[i];
                    int k = (i == n - 1 && !(d >> 32)) ? 4 : 8;
                    for (int j = 0; j < k; j++, d >>= 8) hash = hash * FUNNY_NUMBER2 + (uint32_t)(d & 0xff);
                }
                hash *= big_sign(t) ? FUNNY_NUMBER4 : FUNNY_NUMBER3;
                break;
            }
            case HDR_SUB_FLOAT: {
                uint32_t lo, hi;
                double_words(float_val(t), &lo, &hi);
                hash = hash * FUNNY_NUMBER6 + (lo ^ hi);
                break;
            }
            case HDR_SUB_REF:
                hash = step32(hash, tb_ref_numbers(make_boxed(bp))[0], FUNNY_NUMBER9) * FUNNY_NUMBER10;
                break;
            default:
                for (UWord i = 1; i <= header_arity(*bp); i++)
                    hash = step32(hash, (uint32_t)bp[i], FUNNY_NUMBER9);
                hash *= FUNNY_NUMBER10;
                break;
            }
            break;
        }
        case TAG_PRIMARY_IMMED1:
            switch (t & TAG_IMMED1_MASK) {
            case TAG_IMMED1_SMALL: {
                SWord y1 = small_val(t);
                uint64_t y2 = y1 < 0 ? -(uint64_t)y1 : (uint64_t)y1;
                hash = step32(hash, (uint32_t)y2, FUNNY_NUMBER2);
                if (y2 >> 32) hash = step32(hash, (uint32_t)(y2 >> 32), FUNNY_NUMBER2);
                hash *= y1 < 0 ? FUNNY_NUMBER4 : FUNNY_NUMBER3;
                break;
            }
            case TAG_IMMED1_PID:
                hash = step32(hash, pid_number(t), FUNNY_NUMBER5) * FUNNY_NUMBER6;
                break;
            case TAG_IMMED1_PORT: {
                uint64_t n = port_val(t);
                if (n >> 32) hash = step32(hash, (uint32_t)(n >> 32), FUNNY_NUMBER11);
                hash = step32(hash, (uint32_t)n, FUNNY_NUMBER9) * FUNNY_NUMBER10;
                break;
            }
            default:
                if (is_atom(t)) hash = hash * FUNNY_NUMBER1 + tb_atom_hash(t);
                else if (is_nil(t)) hash = hash * FUNNY_NUMBER3 + 1;
                break;
            }
            break;
        default:
            break;
        }

        /* next item from the stack */
        for (;;) {
            if (s.sp == 0) {
                ws_free(&s);
                return hash;
            }
            UWord op = ws_pop(&s);
            if (op == MH_CDR_POST) {
                hash *= FUNNY_NUMBER8;
                continue;
            }
            if (op == MH_CDR_PRE) {
                t = (Term)ws_pop(&s);
                if (!is_list(t)) {
                    ws_push(&s, MH_CDR_POST);
                    goto again;
                }
                goto list;
            }
            /* MH_ARRAY / MH_TUPLE: [.. (arity) ptr n op] */
            UWord n = s.w[s.sp - 1];
            const Term *p = (const Term *)s.w[s.sp - 2];
            if (n) {
                t = *p;
                s.w[s.sp - 2] = (UWord)(p + 1);
                s.w[s.sp - 1] = n - 1;
                ws_push(&s, op);
                goto again;
            }
            s.sp -= 2;
            if (op == MH_TUPLE) hash = hash * FUNNY_NUMBER9 + (uint32_t)ws_pop(&s);
        }
    }
}
