/* map_hash.c — the hash that places keys in hashmaps: ERTS 25's
 * make_internal_hash (Bob Jenkins' MIX over the term's words), written from
 * its description.  Immediates hash their raw word; boxed terms and lists
 * walk an explicit stack, so deep keys never grow the C stack. */
#include "map.h"
#include "hash.h"
#include "module.h"
#include <stdlib.h>

#define HCONST    0x9e3779b9u   /* golden ratio; HCONST_n = n * HCONST */
#define HCONST_2  0x3c6ef372u
#define HCONST_4  0x78dde6e4u
#define HCONST_7  0x5384540fu
#define HCONST_8  0xf1bbcdc8u
#define HCONST_9  0x8ff34781u
#define HCONST_10 0x2e2ac13au
#define HCONST_11 0xcc623af3u
#define HCONST_12 0x6a99b4acu
#define HCONST_14 0xa708a81eu
#define HCONST_16 0xe3779b90u
#define HCONST_17 0x81af1549u
#define HCONST_18 0x1fe68f02u
#define HCONST_20 0x5c558274u
#define HCONST_21 0xfa8cfc2du
#define HCONST_22 0x98c475e6u

#define INTERNAL_HASH_SALT 3432918353u  /* 0xcc9e2d51: initial state, chunk 0 */
#define CHUNK1_STATE       0x4b90c3cbu  /* ERTS 25's state for levels 8..15 */

#define MIX(a, b, c) do {                        \
        a -= b; a -= c; a ^= (c >> 13);          \
        b -= c; b -= a; b ^= (a << 8);           \
        c -= a; c -= b; c ^= (b >> 13);          \
        a -= b; a -= c; a ^= (c >> 12);          \
        b -= c; b -= a; b ^= (a << 16);          \
        c -= a; c -= b; c ^= (b >> 5);           \
        a -= b; a -= c; a ^= (c >> 3);           \
        b -= c; b -= a; b ^= (a << 10);          \
        c -= a; c -= b; c ^= (b >> 15);          \
    } while (0)

static inline uint32_t h2(uint32_t h, uint32_t x, uint32_t y, uint32_t k) {
    uint32_t a = k + x, b = k + y;
    MIX(a, b, h);
    return h;
}
static inline uint32_t h1(uint32_t h, uint32_t x, uint32_t k) { return h2(h, x, 0, k); }
/* Light mixing of a type constant (ERTS CONST_HASH). */
static inline uint32_t hconst(uint32_t h, uint32_t k) {
    h ^= k;
    return (h << 17) ^ (h >> 15);
}

/* Stack words: terms to hash, or markers (header words never occur as terms). */
#define M_CDR      make_header(3, HDR_SUB_REF)    /* finished a cons' tail */

typedef struct { UWord *w, small[64]; size_t n, cap; } HStack;
static void hs_push(HStack *s, UWord x) {
    if (s->n == s->cap) {
        size_t cap = s->cap * 2;
        UWord *w = s->w == s->small ? malloc(cap * sizeof *w) : realloc(s->w, cap * sizeof *w);
        if (!w) abort();
        if (s->w == s->small) memcpy(w, s->small, sizeof s->small);
        s->w = w;
        s->cap = cap;
    }
    s->w[s->n++] = x;
}

static uint32_t hash_from(Term t, uint32_t hash) {
    if (is_immed(t)) return h2(hash, (uint32_t)t, (uint32_t)(t >> 32), HCONST);
    HStack s;                      /* no initializer: it would zero the 512-byte array */
    s.n = 0;
    s.cap = 64;
    s.w = s.small;
    for (;;) {
        switch (primary_tag(t)) {
        case TAG_PRIMARY_LIST: {
            const Term *c = list_val(t);
            unsigned n = 0;
            uint32_t sh = 0;
            while (is_small(CAR(c)) && (UWord)small_val(CAR(c)) < 256) {   /* strings: 4 chars a word */
                sh = (sh << 8) + (uint32_t)small_val(CAR(c));
                if (n == 3) { hash = h1(hash, sh, HCONST_4); n = 0; sh = 0; }
                else n++;
                t = CDR(c);
                if (!is_list(t)) break;
                c = list_val(t);
            }
            if (n) hash = h2(hash, sh, n, HCONST_22);
            if (is_list(t)) {
                Term tl = CDR(c);
                hash = hconst(hash, HCONST_17);
                hs_push(&s, tl);
                if (!is_list(tl)) hs_push(&s, M_CDR);
                t = CAR(c);
            }
            continue;       /* t is the head, or the non-list tail of a string */
        }
        case TAG_PRIMARY_BOXED: {
            const Term *b = boxed_val(t);
            Term hdr = b[0];
            switch (header_sub(hdr)) {
            case HDR_SUB_TUPLE: {
                UWord n = header_arity(hdr);
                hash = h1(hash, (uint32_t)n, HCONST_9);
                if (n == 0) goto pop;
                for (UWord i = n; i > 1; i--) hs_push(&s, b[i]);
                t = b[1];
                continue;
            }
            case HDR_SUB_FLATMAP: {         /* pairs in key order: k0, v0, k1, ... */
                const TbFlatMap *m = (const TbFlatMap *)b;
                hash = h1(hash, (uint32_t)m->size, HCONST_16);
                const Term *ks = tuple_val(m->keys) + 1;
                for (UWord i = m->size; i-- > 0;) {
                    hs_push(&s, m->values[i]);
                    hs_push(&s, ks[i]);
                }
                goto pop;
            }
            case HDR_SUB_HASHMAP: {         /* identical maps iterate alike: slots last first */
                Term *node = (Term *)b;
                if (tb_hamt_is_head(node)) {
                    UWord size = (UWord)small_val(node[2]);
                    hash = h1(hash, (uint32_t)size, HCONST_16);
                    if (size == 0) goto pop;
                }
                unsigned n = (unsigned)tb_popcount(tb_hamt_bitmap(node));
                const Term *sl = tb_hamt_slots(node);
                for (unsigned i = 0; i < n; i++) {
                    if (is_list(sl[i])) {
                        hs_push(&s, CDR(list_val(sl[i])));
                        hs_push(&s, CAR(list_val(sl[i])));
                    } else {
                        hs_push(&s, sl[i]);
                    }
                }
                goto pop;
            }
            case HDR_SUB_FUN: {
                const TbFunThing *f = (const TbFunThing *)b;
                UWord nf = header_arity(hdr) - 2;
                hash = h2(hash, (uint32_t)nf, (uint32_t)f->fe->module_name, HCONST_20);
                hash = h2(hash, f->fe->index, f->fe->old_uniq, HCONST_21);
                if (nf == 0) goto pop;
                for (UWord i = nf; i > 1; i--) hs_push(&s, f->env[i - 1]);
                t = f->env[0];
                continue;
            }
            case HDR_SUB_EXPORT: {
                UWord ep = (UWord)export_fun_val(t);     /* export entries never move */
                hash = h2(hash, (uint32_t)ep, (uint32_t)(ep >> 32), HCONST_14);
                goto pop;
            }
            case HDR_SUB_REFC_BIN:
            case HDR_SUB_HEAP_BIN:
            case HDR_SUB_SUB_BIN:
                hash = tb_hash2_bits(hash, t);
                goto pop;
            case HDR_SUB_POS_BIG:
            case HDR_SUB_NEG_BIG: {
                uint32_t con = header_sub(hdr) == HDR_SUB_NEG_BIG ? HCONST_10 : HCONST_11;
                UWord n = header_arity(hdr);
                for (UWord i = 0; i < n; i++)
                    hash = h2(hash, (uint32_t)b[1 + i], (uint32_t)(b[1 + i] >> 32), con);
                goto pop;
            }
            case HDR_SUB_REF: {
                const uint32_t *num = tb_ref_numbers(make_boxed(b));
                hash = h1(hash, num[0], HCONST_7);
                hash = h2(hash, num[1], num[2], HCONST_8);
                goto pop;
            }
            case HDR_SUB_FLOAT: {
                double d = float_val(t);
                uint64_t u;
                if (d == 0.0) d = 0.0;                   /* -0.0 hashes as 0.0 */
                memcpy(&u, &d, 8);
                hash = h2(hash, (uint32_t)u, (uint32_t)(u >> 32), HCONST_12);
                goto pop;
            }
            default: {              /* external pids/ports/refs (reserved): raw words */
                UWord n = header_arity(hdr);
                hash = h1(hash, (uint32_t)hdr, HCONST_2);
                for (UWord i = 1; i <= n; i++) hash = h2(hash, (uint32_t)b[i], (uint32_t)(b[i] >> 32), HCONST_2);
                goto pop;
            }
            }
        }
        default:                    /* immediate */
            hash = h2(hash, (uint32_t)t, (uint32_t)(t >> 32), HCONST);
            goto pop;
        }
    pop:
        for (;;) {
            if (s.n == 0) {
                if (s.w != s.small) free(s.w);
                return hash;
            }
            t = s.w[--s.n];
            if (t == M_CDR) { hash = hconst(hash, HCONST_18); continue; }
            break;
        }
    }
}

uint32_t tb_map_internal_hash(Term key) { return hash_from(key, INTERNAL_HASH_SALT); }

uint32_t tb_map_chunk_hash(Term key, unsigned chunk) {
    if (chunk == 0) return hash_from(key, INTERNAL_HASH_SALT);
    /* Chunks >= 2 need 64-bit collisions: unobservable, any fixed state will do. */
    uint32_t st = CHUNK1_STATE;
    for (unsigned c = 1; c < chunk; c++) st = h1(st, c + 1, HCONST);
    return hash_from(key, st);
}
