/* etf_encode.c — term_to_binary / term_to_iovec / external_size, byte for
 * byte as ERTS 25.  One walker runs twice: first counting bytes (buf NULL),
 * then writing them into a binary of exactly that size.  The walk keeps its
 * pending work on an explicit stack, so term depth costs no C stack. */
#include "etf.h"
#include "module.h"
#include "map.h"
#include "binary.h"
#include "compare.h"
#include <zlib.h>
#include <stdlib.h>
#include <stdio.h>

#define STRING_MAX 0xFFFFu            /* longest list written as STRING_EXT */
#define IOV_REF_MIN_BITS (64 * 8)     /* term_to_iovec references binaries above this */

/* TbFunEntry has no uniq/old_index of its own: for funs of loaded code the
 * uniq is the module's MD5 and old_index equals index (OTP 23+ compilers). */
static const uint8_t *fe_uniq(const TbFunEntry *fe) {
    static const uint8_t zero[16];
    return fe->module ? fe->module->md5 : zero;
}
static uint32_t fe_old_index(const TbFunEntry *fe) { return fe->index; }

/* ---- the writer ---- */

typedef struct { size_t off; Term bin; size_t bytes; } IovRef;

typedef struct {
    uint8_t *buf;             /* NULL while counting */
    size_t pos;               /* bytes produced so far, referenced ones included */
    size_t hole;              /* bytes referenced instead of copied (term_to_iovec) */
    int minor;
    bool deterministic, iovec;
    int err;                  /* ENC_OK / ENC_LIMIT / ENC_BADARG */
    IovRef *refs;
    size_t nrefs, caprefs;
} Enc;
enum { ENC_OK, ENC_LIMIT, ENC_BADARG };

static inline uint8_t *wp(Enc *e) { return e->buf + (e->pos - e->hole); }
static inline void put8(Enc *e, unsigned v) {
    if (e->buf) *wp(e) = (uint8_t)v;
    e->pos += 1;
}
static inline void put16(Enc *e, unsigned v) {
    if (e->buf) { uint8_t *w = wp(e); w[0] = (uint8_t)(v >> 8); w[1] = (uint8_t)v; }
    e->pos += 2;
}
static inline void put32(Enc *e, uint32_t v) {
    if (e->buf) { uint8_t *w = wp(e); w[0] = v >> 24; w[1] = v >> 16; w[2] = v >> 8; w[3] = (uint8_t)v; }
    e->pos += 4;
}
static inline void put64(Enc *e, uint64_t v) { put32(e, (uint32_t)(v >> 32)); put32(e, (uint32_t)v); }
static inline void putn(Enc *e, const void *s, size_t n) {
    if (e->buf && n) memcpy(wp(e), s, n);
    e->pos += n;
}

/* ---- the work stack ---- */

enum { K_TERM, K_ELEMS, K_LIST, K_PAIRS, K_FUNSIZE, K_FREE };
typedef struct {
    unsigned kind;
    Term t;                   /* K_TERM: the term; K_LIST: the remaining cells */
    const Term *a, *b;        /* K_ELEMS: elements; K_PAIRS: keys, values; K_FREE: block */
    size_t n, stride;         /* count; K_PAIRS: distance between pairs; K_FUNSIZE: n = field, stride = its offset */
} Item;

typedef struct { Item *v; size_t n, cap; Item local[32]; } Stack;

static void push(Stack *s, Item it) {
    if (s->n == s->cap) {
        size_t cap = s->cap * 2;
        Item *v = s->v == s->local ? malloc(cap * sizeof *v) : realloc(s->v, cap * sizeof *v);
        if (!v) abort();
        if (s->v == s->local) memcpy(v, s->local, sizeof s->local);
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = it;
}

/* ---- leaves ---- */

static void enc_atom(Enc *e, Term a) {
    const TbAtom *at = atom_entry(a);
    if (e->minor >= 2 || !at->latin1) {
        if (at->len > 255) { put8(e, ETF_ATOM_UTF8); put16(e, at->len); }
        else { put8(e, ETF_SMALL_ATOM_UTF8); put8(e, at->len); }
        putn(e, at->name, at->len);
        return;
    }
    put8(e, ETF_ATOM);
    put16(e, at->nchars);
    if (at->len == at->nchars) { putn(e, at->name, at->len); return; }
    for (uint32_t i = 0; i < at->len; i++) {        /* UTF-8 -> Latin-1 */
        uint8_t c = at->name[i];
        if (c >= 0x80) { c = (uint8_t)((c & 0x03) << 6 | (at->name[i + 1] & 0x3F)); i++; }
        put8(e, c);
    }
}

static void enc_magnitude(Enc *e, uint64_t m, unsigned nbytes) {
    for (unsigned i = 0; i < nbytes; i++) put8(e, (uint8_t)(m >> (8 * i)));
}

static void enc_small(Enc *e, SWord v) {
    if (v >= 0 && v < 256) { put8(e, ETF_SMALL_INTEGER); put8(e, (unsigned)v); return; }
    if (v >= INT32_MIN && v <= INT32_MAX) { put8(e, ETF_INTEGER); put32(e, (uint32_t)v); return; }
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    unsigned n = (unsigned)(64 - __builtin_clzll(m) + 7) / 8;
    put8(e, ETF_SMALL_BIG);
    put8(e, n);
    put8(e, v < 0);
    enc_magnitude(e, m, n);
}

static void enc_big(Enc *e, Term t) {
    UWord k = big_size(t);
    const UWord *l = big_limbs(t);
    while (k > 1 && l[k - 1] == 0) k--;            /* defensive: limbs are normalised */
    unsigned top = (unsigned)(64 - __builtin_clzll(l[k - 1] | 1) + 7) / 8;
    size_t n = (k - 1) * 8 + top;
    if (n < 256) { put8(e, ETF_SMALL_BIG); put8(e, (unsigned)n); }
    else { put8(e, ETF_LARGE_BIG); put32(e, (uint32_t)n); }
    put8(e, big_sign(t));
    if (e->buf) {
        uint8_t *w = wp(e);
        for (UWord i = 0; i + 1 < k; i++)
            for (unsigned j = 0; j < 8; j++) *w++ = (uint8_t)(l[i] >> (8 * j));
        for (unsigned j = 0; j < top; j++) *w++ = (uint8_t)(l[k - 1] >> (8 * j));
    }
    e->pos += n;
}

static void enc_float(Enc *e, double d) {
    if (e->minor == 0) {          /* FLOAT_EXT: "%.20e" in 31 NUL-padded bytes */
        char txt[32] = {0};
        snprintf(txt, sizeof txt - 1, "%.20e", d);
        put8(e, ETF_FLOAT);
        putn(e, txt, 31);
        return;
    }
    uint64_t u;
    memcpy(&u, &d, 8);
    put8(e, ETF_NEW_FLOAT);
    put64(e, u);
}

static void enc_pid_parts(Enc *e, Term node, uint32_t num, uint32_t ser, uint32_t cre) {
    put8(e, ETF_NEW_PID);
    enc_atom(e, node);
    put32(e, num);
    put32(e, ser);
    put32(e, cre);
}

static void enc_port_parts(Enc *e, Term node, uint64_t num, uint32_t cre) {
    if (num > UINT32_MAX) { put8(e, ETF_V4_PORT); enc_atom(e, node); put64(e, num); }
    else { put8(e, ETF_NEW_PORT); enc_atom(e, node); put32(e, (uint32_t)num); }
    put32(e, cre);
}

static void enc_ref_parts(Enc *e, Term node, uint32_t cre, const uint32_t *num, unsigned n) {
    put8(e, ETF_NEWER_REFERENCE);
    put16(e, n);
    enc_atom(e, node);
    put32(e, cre);
    for (unsigned i = 0; i < n; i++) put32(e, num[i]);
}

/* Bits [off, off+bits) of src, byte-aligned at dst, unused tail bits zero. */
static void copy_bits(uint8_t *dst, const uint8_t *src, UWord off, UWord bits) {
    size_t nbytes = (bits + 7) / 8;
    if (!nbytes) return;
    if ((off & 7) == 0) {
        memcpy(dst, src + off / 8, nbytes);
    } else {
        unsigned s = off & 7;
        const uint8_t *p = src + off / 8;
        for (size_t i = 0; i < nbytes; i++) {
            UWord left = bits - 8 * i;          /* bits still wanted, >= 1 */
            unsigned v = (unsigned)p[i] << s;
            if (left > 8 - s) v |= p[i + 1] >> (8 - s);
            dst[i] = (uint8_t)v;
        }
    }
    if (bits & 7) dst[nbytes - 1] &= (uint8_t)(0xFF << (8 - (bits & 7)));
}

static void enc_bits(Enc *e, Term t) {
    const uint8_t *bytes;
    UWord off, bits;
    bitstring_view(t, &bytes, &off, &bits);
    size_t nbytes = (bits + 7) / 8;
    unsigned tail = bits & 7;
    if (nbytes >= UINT32_MAX) { e->err = ENC_LIMIT; return; }
    if (tail) { put8(e, ETF_BIT_BINARY); put32(e, (uint32_t)nbytes); put8(e, tail); }
    else { put8(e, ETF_BINARY); put32(e, (uint32_t)nbytes); }
    if (e->iovec && bits > IOV_REF_MIN_BITS && (off & 7) == 0) {
        /* referenced in place; the trailing partial byte is copied */
        size_t whole = bits / 8;
        if (e->buf) {
            if (e->nrefs == e->caprefs) {
                e->caprefs = e->caprefs ? 2 * e->caprefs : 8;
                e->refs = realloc(e->refs, e->caprefs * sizeof *e->refs);
                if (!e->refs) abort();
            }
            e->refs[e->nrefs++] = (IovRef){e->pos - e->hole, t, whole};
        }
        e->pos += whole;
        e->hole += whole;
        if (tail) {
            uint8_t last = bytes[off / 8 + whole] & (uint8_t)(0xFF << (8 - tail));
            put8(e, last);
        }
        return;
    }
    if (e->buf) copy_bits(wp(e), bytes, off, bits);
    e->pos += nbytes;
}

/* Immediates and other terms without sub-terms; false if t has some. */
static bool enc_leaf(Enc *e, Term t) {
    switch (primary_tag(t)) {
    case TAG_PRIMARY_IMMED1:
        switch (t & TAG_IMMED1_MASK) {
        case TAG_IMMED1_SMALL: enc_small(e, small_val(t)); return true;
        case TAG_IMMED1_PID:
            enc_pid_parts(e, TB_LOCAL_NODE, tb_pid_number(t), tb_pid_serial(t), TB_LOCAL_CREATION);
            return true;
        case TAG_IMMED1_PORT: enc_port_parts(e, TB_LOCAL_NODE, port_val(t), TB_LOCAL_CREATION); return true;
        default:
            if (is_atom(t)) enc_atom(e, t);
            else if (is_nil(t)) put8(e, ETF_NIL);
            else e->err = ENC_BADARG;               /* catch words are not terms */
            return true;
        }
    case TAG_PRIMARY_BOXED:
        switch (header_sub(boxed_header(t))) {
        case HDR_SUB_POS_BIG: case HDR_SUB_NEG_BIG: enc_big(e, t); return true;
        case HDR_SUB_FLOAT: enc_float(e, float_val(t)); return true;
        case HDR_SUB_REFC_BIN: case HDR_SUB_HEAP_BIN: case HDR_SUB_SUB_BIN: enc_bits(e, t); return true;
        case HDR_SUB_REF: {
            enc_ref_parts(e, TB_LOCAL_NODE, TB_LOCAL_CREATION, tb_ref_numbers(t), 3);
            return true;
        }
        case HDR_SUB_EXT_PID: {
            const TbExtPid *x = ext_pid_val(t);
            enc_pid_parts(e, x->node, x->number, x->serial, x->creation);
            return true;
        }
        case HDR_SUB_EXT_PORT: {
            const TbExtPort *x = ext_port_val(t);
            enc_port_parts(e, x->node, x->number, x->creation);
            return true;
        }
        case HDR_SUB_EXT_REF: {
            const TbExtRef *x = ext_ref_val(t);
            enc_ref_parts(e, x->node, x->creation, x->num, x->len);
            return true;
        }
        case HDR_SUB_EXPORT: {
            const TbExport *x = export_fun_val(t);
            put8(e, ETF_EXPORT);
            enc_atom(e, x->module);
            enc_atom(e, x->function);
            enc_small(e, x->arity);
            return true;
        }
        default: return false;
        }
    default:
        return false;
    }
}

typedef struct { Term k, v; } Pair;
static int pair_cmp(const void *a, const void *b) { return tb_cmp_exact(((const Pair *)a)->k, ((const Pair *)b)->k); }

static void enc_list(Enc *e, Stack *st, Term t) {
    size_t n = 0;
    Term l = t;
    bool str = true;
    for (; is_list(l); l = CDR(list_val(l))) {
        Term h = CAR(list_val(l));
        if (!is_small(h) || (UWord)small_val(h) > 255 || n == STRING_MAX) { str = false; break; }
        n++;
    }
    if (str && is_nil(l)) {
        put8(e, ETF_STRING);
        put16(e, (unsigned)n);
        if (e->buf) {
            uint8_t *w = wp(e);
            for (l = t; is_list(l); l = CDR(list_val(l))) *w++ = (uint8_t)small_val(CAR(list_val(l)));
        }
        e->pos += n;
        return;
    }
    for (; is_list(l); l = CDR(list_val(l))) n++;
    put8(e, ETF_LIST);
    put32(e, (uint32_t)n);
    push(st, (Item){.kind = K_LIST, .t = t});
}

static void enc_map(Enc *e, Stack *st, Term t) {
    put8(e, ETF_MAP);
    if (is_flatmap(t)) {
        const TbFlatMap *m = (const TbFlatMap *)boxed_val(t);
        put32(e, (uint32_t)m->size);
        if (m->size)
            push(st, (Item){.kind = K_PAIRS, .a = tuple_val(m->keys) + 1, .b = m->values, .n = m->size, .stride = 1});
        return;
    }
    size_t n = tb_map_size(t), i = 0;
    put32(e, (uint32_t)n);
    if (!n) return;
    Pair *pv = malloc(n * sizeof *pv);
    if (!pv) abort();
    TbMapIter it;
    Term k, v;
    tb_map_iter_init(&it, t);
    while (i < n && tb_map_iter_next(&it, &k, &v)) pv[i++] = (Pair){k, v};
    if (e->deterministic && e->buf) qsort(pv, i, sizeof *pv, pair_cmp);
    push(st, (Item){.kind = K_FREE, .a = (const Term *)pv});
    if (i) push(st, (Item){.kind = K_PAIRS, .a = &pv[0].k, .b = &pv[0].v, .n = i, .stride = 2});
}

static void enc_fun(Enc *e, Stack *st, Term t) {
    const TbFunThing *f = (const TbFunThing *)boxed_val(t);
    const TbFunEntry *fe = f->fe;
    UWord nfree = header_arity(f->header) - 2;
    put8(e, ETF_NEW_FUN);
    size_t field = e->pos, phys = e->pos - e->hole;
    put32(e, 0);                              /* size, patched when the env is done */
    put8(e, fe->arity - fe->num_free);
    putn(e, fe_uniq(fe), 16);
    put32(e, fe->index);
    put32(e, (uint32_t)nfree);
    enc_atom(e, fe->module_name);
    enc_small(e, fe_old_index(fe));
    enc_small(e, fe->old_uniq);
    if (!enc_leaf(e, f->creator)) e->err = ENC_BADARG;
    push(st, (Item){.kind = K_FUNSIZE, .n = field, .stride = phys});
    if (nfree) push(st, (Item){.kind = K_ELEMS, .a = f->env, .n = nfree});
}

/* Encode t (no version byte).  Returns ENC_OK or an error. */
static int walk(Enc *e, Term root) {
    Stack st;
    st.v = st.local;
    st.n = 0;
    st.cap = sizeof st.local / sizeof st.local[0];
    push(&st, (Item){.kind = K_TERM, .t = root});
    while (st.n && e->err == ENC_OK) {
        Item it = st.v[--st.n];
        Term t;
        switch (it.kind) {
        case K_TERM: t = it.t; break;
        case K_ELEMS:
            t = it.a[0];
            if (it.n > 1) push(&st, (Item){.kind = K_ELEMS, .a = it.a + 1, .n = it.n - 1});
            break;
        case K_LIST: {                        /* run through leaf elements inline */
            Term l = it.t;
            for (;;) {
                Term *c = list_val(l);
                t = CAR(c);
                l = CDR(c);
                if (!is_list(l)) { push(&st, (Item){.kind = K_TERM, .t = l}); break; }
                if (!enc_leaf(e, t)) { push(&st, (Item){.kind = K_LIST, .t = l}); break; }
            }
            break;
        }
        case K_PAIRS:
            t = it.a[0];
            if (it.n > 1)
                push(&st, (Item){.kind = K_PAIRS, .a = it.a + it.stride, .b = it.b + it.stride,
                                 .n = it.n - 1, .stride = it.stride});
            push(&st, (Item){.kind = K_TERM, .t = it.b[0]});
            break;
        case K_FUNSIZE:
            if (e->buf) {
                uint32_t sz = (uint32_t)(e->pos - it.n);
                uint8_t *w = e->buf + it.stride;
                w[0] = sz >> 24; w[1] = sz >> 16; w[2] = sz >> 8; w[3] = (uint8_t)sz;
            }
            continue;
        default: /* K_FREE */
            free((void *)it.a);
            continue;
        }
        if (enc_leaf(e, t)) continue;
        if (is_list(t)) { enc_list(e, &st, t); continue; }
        Term *b = boxed_val(t);
        switch (header_sub(*b)) {
        case HDR_SUB_TUPLE: {
            UWord n = header_arity(*b);
            if (n <= 255) { put8(e, ETF_SMALL_TUPLE); put8(e, (unsigned)n); }
            else { put8(e, ETF_LARGE_TUPLE); put32(e, (uint32_t)n); }
            if (n) push(&st, (Item){.kind = K_ELEMS, .a = b + 1, .n = n});
            break;
        }
        case HDR_SUB_FLATMAP: case HDR_SUB_HASHMAP: enc_map(e, &st, t); break;
        case HDR_SUB_FUN: enc_fun(e, &st, t); break;
        default: e->err = ENC_BADARG; break;   /* match states are not terms */
        }
    }
    while (st.n)                              /* error exit: release map arrays */
        if (st.v[--st.n].kind == K_FREE) free((void *)st.v[st.n].a);
    if (st.v != st.local) free(st.v);
    return e->err;
}

static Term raise_enc(TbProcess *p, int err) {
    return tb_error(p, err == ENC_LIMIT ? AM(system_limit) : AM(badarg));
}

bool tb_etf_encoded_size(Term t, int minor_version, size_t *size) {
    Enc e = {.minor = minor_version};
    if (walk(&e, t) != ENC_OK) return false;
    *size = 1 + e.pos;
    return true;
}

/* ERTS keeps the compressed form only if it is not longer: zlib gets an
 * output buffer of the plain size minus the 5 header bytes. */
static Term compress_term(TbProcess *p, const uint8_t *raw, size_t n, int level) {
    size_t cap = n < 5 ? 0 : n - 5;
    uint8_t *out = malloc(cap ? cap : 1);
    if (!out) abort();
    z_stream s;
    memset(&s, 0, sizeof s);
    bool ok = false;
    if (deflateInit(&s, level) == Z_OK) {
        s.next_in = (Bytef *)raw;
        s.avail_in = (uInt)n;
        s.next_out = out;
        s.avail_out = (uInt)cap;
        ok = deflate(&s, Z_FINISH) == Z_STREAM_END;
        deflateEnd(&s);
    }
    Term bin;
    if (ok) {
        bin = tb_new_binary(p, NULL, 6 + s.total_out);
        uint8_t *w = tb_binary_bytes_for_write(bin);
        w[0] = ETF_VERSION;
        w[1] = ETF_COMPRESSED;
        w[2] = (uint8_t)(n >> 24); w[3] = (uint8_t)(n >> 16); w[4] = (uint8_t)(n >> 8); w[5] = (uint8_t)n;
        memcpy(w + 6, out, s.total_out);
    } else {
        bin = tb_new_binary(p, NULL, 1 + n);
        uint8_t *w = tb_binary_bytes_for_write(bin);
        w[0] = ETF_VERSION;
        memcpy(w + 1, raw, n);
    }
    free(out);
    return bin;
}

Term tb_etf_encode(TbProcess *p, Term t, int minor_version, int compress_level, bool deterministic) {
    Enc e = {.minor = minor_version, .deterministic = deterministic};
    int err = walk(&e, t);
    if (err) return raise_enc(p, err);
    size_t n = e.pos;
    if (compress_level == 0) {
        Term bin = tb_new_binary(p, NULL, 1 + n);
        uint8_t *w = tb_binary_bytes_for_write(bin);
        w[0] = ETF_VERSION;
        Enc w2 = {.buf = w + 1, .minor = minor_version, .deterministic = deterministic};
        walk(&w2, t);
        return bin;
    }
    uint8_t *raw = malloc(n ? n : 1);
    if (!raw) abort();
    Enc w2 = {.buf = raw, .minor = minor_version, .deterministic = deterministic};
    walk(&w2, t);
    Term bin = compress_term(p, raw, n, compress_level);
    free(raw);
    return bin;
}

static Term cons(TbProcess *p, Term h, Term t) {
    Term *c = tb_halloc(p, 2);
    c[0] = h;
    c[1] = t;
    return make_list(c);
}

Term tb_etf_encode_iovec(TbProcess *p, Term t, int minor_version, int compress_level, bool deterministic) {
    if (compress_level != 0) {
        Term bin = tb_etf_encode(p, t, minor_version, compress_level, deterministic);
        return bin == TB_NONE ? TB_NONE : cons(p, bin, NIL);
    }
    Enc e = {.minor = minor_version, .deterministic = deterministic, .iovec = true};
    int err = walk(&e, t);
    if (err) return raise_enc(p, err);
    size_t common = 1 + e.pos - e.hole;
    Term cbin = tb_new_binary(p, NULL, common);
    uint8_t *w = tb_binary_bytes_for_write(cbin);
    w[0] = ETF_VERSION;
    Enc w2 = {.buf = w + 1, .minor = minor_version, .deterministic = deterministic, .iovec = true};
    walk(&w2, t);
    /* [common piece, referenced binary, common piece, ...], empty pieces left out */
    Term list = NIL;
    size_t end = common;
    for (size_t i = w2.nrefs; i-- > 0;) {
        const IovRef *r = &w2.refs[i];
        size_t off = 1 + r->off;
        if (end > off) list = cons(p, tb_make_sub_binary(p, cbin, off * 8, (end - off) * 8), list);
        Term rb = bitstring_bitsize(r->bin) == r->bytes * 8 ? r->bin
                                                            : tb_make_sub_binary(p, r->bin, 0, r->bytes * 8);
        list = cons(p, rb, list);
        end = off;
    }
    if (end > 0) list = cons(p, tb_make_sub_binary(p, cbin, 0, end * 8), list);
    free(w2.refs);
    return list;
}
