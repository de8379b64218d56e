/* etf_decode.c — binary_to_term, as ERTS 25 does it: inflate a compressed
 * term, validate the whole encoding (scan), then build the term (build).
 *
 * scan mirrors ERTS's decoded_size: it checks every length against the
 * bytes present before anything is allocated.  build mirrors dec_term: it
 * never recurses.  Each slot still to be filled (a tuple element, a cons
 * cell half, a fun's free variable, a map key...) holds the address of the
 * next slot to fill, so the pending work is a chain threaded through the
 * very memory being built.  Maps are built last, innermost first, from
 * key/value arrays decoded in place.  build re-checks bounds itself: the
 * two passes differ on a few inputs exactly where ERTS's do. */
#include "etf.h"
#include "module.h"
#include "map.h"
#include "binary.h"
#include "float_fmt.h"
#include <zlib.h>
#include <stdlib.h>

/* Fun entries live in the loader's tables (emu/module.c).  find: the entry a
 * loaded module made; stub: find or create a placeholder with exactly these
 * fields (ERTS's erts_put_fun_entry2: a fun of an unknown or older module
 * still decodes; calling it raises like ERTS). */
TbFunEntry *tb_fun_entry_find(Term module, uint32_t index, uint32_t old_uniq, const uint8_t md5[16]);
TbFunEntry *tb_fun_entry_stub(Term module, uint32_t index, uint32_t old_index, uint32_t old_uniq,
                              const uint8_t md5[16], unsigned arity, unsigned num_free);

#define BIG_BYTES_MAX 4194296u              /* BIG_ARITY_MAX (2^19-1) limbs of 8 bytes */
#define ATOM_UTF8_BYTES_MAX (4 * TB_MAX_ATOM_CHARS)
#define UNCOMP_CHECK_LIMIT (32u * 1024 * 1024)  /* above this, measure before allocating */
#define MAX_FUN_FREE 255

static inline uint32_t get16(const uint8_t *b) { return (uint32_t)b[0] << 8 | b[1]; }
static inline uint32_t get32(const uint8_t *b) {
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
static inline uint64_t get64(const uint8_t *b) { return (uint64_t)get32(b) << 32 | get32(b + 4); }

/* ================= pass 1: validate and size ================= */

#define NEED(k) do { if ((uint64_t)(k) > (uint64_t)(len - pos)) return false; } while (0)

/* A node name: any atom tag, inline. */
static bool scan_atom(const uint8_t *b, size_t len, size_t *ppos) {
    size_t pos = *ppos, n;
    NEED(1);
    switch (b[pos++]) {
    case ETF_ATOM: NEED(2); n = get16(b + pos); pos += 2; if (n > TB_MAX_ATOM_CHARS) return false; break;
    case ETF_SMALL_ATOM: NEED(1); n = b[pos++]; break;
    case ETF_ATOM_UTF8: NEED(2); n = get16(b + pos); pos += 2; if (n > ATOM_UTF8_BYTES_MAX) return false; break;
    case ETF_SMALL_ATOM_UTF8: NEED(1); n = b[pos++]; break;
    default: return false;
    }
    NEED(n);
    *ppos = pos + n;
    return true;
}

/* true if b[pos..len) starts with one complete term. */
static bool scan(const uint8_t *b, size_t len, size_t pos) {
    uint64_t terms = 1;            /* terms still to read; bounded by len */
    uint64_t n;
    while (terms) {
        terms--;
        NEED(1);
        switch (b[pos++]) {
        case ETF_SMALL_INTEGER: NEED(1); pos += 1; break;
        case ETF_INTEGER: NEED(4); pos += 4; break;
        case ETF_SMALL_BIG: NEED(1); n = b[pos]; NEED(2 + n); pos += 2 + n; break;
        case ETF_LARGE_BIG:
            NEED(4); n = get32(b + pos);
            if (n > BIG_BYTES_MAX) return false;
            NEED(5 + n); pos += 5 + n; break;
        case ETF_ATOM: case ETF_SMALL_ATOM: case ETF_ATOM_UTF8: case ETF_SMALL_ATOM_UTF8:
            pos--;
            if (!scan_atom(b, len, &pos)) return false;
            break;
        case ETF_NEW_FLOAT: NEED(8); pos += 8; break;
        case ETF_FLOAT: NEED(31); pos += 31; break;
        case ETF_PID: case ETF_NEW_PID: {
            unsigned extra = b[pos - 1] == ETF_PID ? 9 : 12;
            if (!scan_atom(b, len, &pos)) return false;
            NEED(extra); pos += extra; break;
        }
        case ETF_PORT: case ETF_NEW_PORT: case ETF_V4_PORT: {
            unsigned tag = b[pos - 1], extra = tag == ETF_PORT ? 5 : tag == ETF_NEW_PORT ? 8 : 12;
            if (!scan_atom(b, len, &pos)) return false;
            NEED(extra); pos += extra; break;
        }
        case ETF_REFERENCE:
            if (!scan_atom(b, len, &pos)) return false;
            NEED(5); pos += 5; break;
        case ETF_NEW_REFERENCE: case ETF_NEWER_REFERENCE: {
            unsigned cre = b[pos - 1] == ETF_NEW_REFERENCE ? 1 : 4;
            NEED(2); n = get16(b + pos); pos += 2;
            if (n > TB_EXT_REF_MAX) return false;
            if (!scan_atom(b, len, &pos)) return false;
            NEED(cre + 4 * n); pos += cre + 4 * n; break;
        }
        case ETF_NIL: break;
        case ETF_STRING: NEED(2); n = get16(b + pos); NEED(2 + n); pos += 2 + n; break;
        case ETF_LIST:
            NEED(4); n = get32(b + pos); pos += 4;
            NEED(n);               /* every element takes a byte: fail fast */
            terms += n + 1; break;
        case ETF_SMALL_TUPLE: NEED(1); terms += b[pos++]; break;
        case ETF_LARGE_TUPLE: NEED(4); n = get32(b + pos); pos += 4; NEED(n); terms += n; break;
        case ETF_MAP:
            NEED(4); n = get32(b + pos); pos += 4;
            if (n > TB_FLATMAP_LIMIT) {
                if (n >> 31) return false;
                NEED(2 * n);
            }
            terms += 2 * n; break;
        case ETF_BINARY: NEED(4); n = get32(b + pos); NEED(4 + n); pos += 4 + n; break;
        case ETF_BIT_BINARY: NEED(5); n = get32(b + pos); NEED(5 + n); pos += 5 + n; break;
        case ETF_EXPORT: terms += 3; break;
        case ETF_NEW_FUN:          /* the size field is not trusted (ERTS ignores it too) */
            NEED(29); n = get32(b + pos + 25); pos += 29;
            if (n > MAX_FUN_FREE) return false;
            terms += 4 + n; break;    /* module, old index, old uniq, creator, free vars */
        default: return false;    /* incl. FUN_EXT (unsupported since OTP 23), cache refs */
        }
    }
    return true;
}
#undef NEED

/* ================= pass 2: build ================= */

typedef struct {
    TbProcess *p;
    const uint8_t *b;
    size_t len, pos;          /* pos may pass len by 4: see refs */
    unsigned flags;
    Term *maps;               /* newest pending map record (a tuple, see MAP_EXT) */
} Dec;

#define NEED(k) do { if (d->pos > d->len || (uint64_t)(k) > (uint64_t)(d->len - d->pos)) goto fail; } while (0)
#define AT(i) (d->b[d->pos + (i)])

static Term dec_atom_text(Dec *d, const uint8_t *s, size_t n, bool latin1) {
    if (latin1) {
        if (!(d->flags & TB_ETF_SAFE)) return tb_atom_put_latin1(s, n);
        uint8_t u[2 * TB_MAX_ATOM_CHARS];
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (s[i] < 0x80) u[k++] = s[i];
            else { u[k++] = 0xC0 | (s[i] >> 6); u[k++] = 0x80 | (s[i] & 0x3F); }
        }
        return tb_atom_find(u, k);
    }
    return (d->flags & TB_ETF_SAFE) ? tb_atom_find(s, n) : tb_atom_put(s, n);
}

/* An atom where the format demands one (node names, fun/export modules). */
static bool dec_atom(Dec *d, Term *out) {
    size_t n;
    bool latin1;
    NEED(1);
    switch (d->b[d->pos++]) {
    case ETF_ATOM: NEED(2); n = get16(&AT(0)); d->pos += 2; latin1 = true; if (n > TB_MAX_ATOM_CHARS) goto fail; break;
    case ETF_SMALL_ATOM: NEED(1); n = AT(0); d->pos += 1; latin1 = true; break;
    case ETF_ATOM_UTF8: NEED(2); n = get16(&AT(0)); d->pos += 2; latin1 = false; break;
    case ETF_SMALL_ATOM_UTF8: NEED(1); n = AT(0); d->pos += 1; latin1 = false; break;
    default: goto fail;
    }
    NEED(n);
    *out = dec_atom_text(d, &AT(0), n, latin1);
    d->pos += n;
    return *out != TB_NONE;
fail:
    return false;
}

/* SMALL_BIG/LARGE_BIG digits: n little-endian bytes after the sign byte.
 * Leading zero bytes are dropped and anything that fits a small is one. */
static bool dec_big(Dec *d, size_t n, Term *out) {
    NEED(1 + n);
    bool neg = AT(0) != 0;
    const uint8_t *dig = &AT(1);
    d->pos += 1 + n;
    while (n && dig[n - 1] == 0) n--;
    if (n <= 8) {
        uint64_t v = 0;
        for (size_t i = n; i-- > 0;) v = v << 8 | dig[i];
        if (!neg && v <= (uint64_t)MAX_SMALL) { *out = make_small((SWord)v); return true; }
        if (neg && v <= (uint64_t)MAX_SMALL + 1) { *out = make_small((SWord)(0 - v)); return true; }
    }
    size_t limbs = (n + 7) / 8;
    Term *hp = tb_halloc(d->p, 1 + limbs);
    hp[0] = make_header(limbs, neg ? HDR_SUB_NEG_BIG : HDR_SUB_POS_BIG);
    UWord *l = (UWord *)(hp + 1);
    l[limbs - 1] = 0;
    for (size_t i = 0; i < limbs; i++) {
        UWord w = 0;
        size_t k = n - i * 8 < 8 ? n - i * 8 : 8;
        for (size_t j = k; j-- > 0;) w = w << 8 | dig[i * 8 + j];
        l[i] = w;
    }
    *out = make_boxed(hp);
    return true;
fail:
    return false;
}

/* Any integer encoding whose value is a small: fun indexes, export arity.
 * (ERTS decodes a whole term there and then demands a small.) */
static bool dec_small_int(Dec *d, SWord *out) {
    Term t;
    NEED(1);
    switch (d->b[d->pos++]) {
    case ETF_SMALL_INTEGER: NEED(1); *out = AT(0); d->pos += 1; return true;
    case ETF_INTEGER: NEED(4); *out = (int32_t)get32(&AT(0)); d->pos += 4; return true;
    case ETF_SMALL_BIG: NEED(1); d->pos += 1; if (!dec_big(d, d->b[d->pos - 1], &t)) goto fail; break;
    case ETF_LARGE_BIG: NEED(4); d->pos += 4; if (!dec_big(d, get32(&AT(-4)), &t)) goto fail; break;
    default: goto fail;
    }
    if (!is_small(t)) goto fail;
    *out = small_val(t);
    return true;
fail:
    return false;
}

static inline bool is_local_node(Term node, uint32_t cre) {
    return node == TB_LOCAL_NODE && cre == TB_LOCAL_CREATION;
}

/* PID_EXT / NEW_PID_EXT body (tag already read). */
static bool dec_pid(Dec *d, unsigned tag, Term *out) {
    Term node;
    uint32_t num, ser, cre;
    if (!dec_atom(d, &node)) goto fail;
    NEED(tag == ETF_PID ? 9 : 12);
    num = get32(&AT(0));
    ser = get32(&AT(4));
    if (tag == ETF_PID) {
        cre = AT(8);
        if (cre > 3) goto fail;   /* old formats carry "tiny" creations only */
        d->pos += 9;
    } else {
        cre = get32(&AT(8));
        d->pos += 12;
    }
    if (is_local_node(node, cre)) {
        if (num > TB_PID_NUMBER_MAX || ser > TB_PID_SERIAL_MAX) goto fail;
        *out = tb_make_local_pid(num, ser);
        return true;
    }
    TbExtPid *e = (TbExtPid *)tb_halloc(d->p, EXT_PID_WORDS);
    *e = (TbExtPid){make_header(EXT_PID_WORDS - 1, HDR_SUB_EXT_PID), node, cre, 0, num, ser};
    *out = make_boxed((Term *)e);
    return true;
fail:
    return false;
}

static bool dec_port(Dec *d, unsigned tag, Term *out) {
    Term node;
    uint64_t num;
    uint32_t cre;
    if (!dec_atom(d, &node)) goto fail;
    if (tag == ETF_V4_PORT) { NEED(12); num = get64(&AT(0)); cre = get32(&AT(8)); d->pos += 12; }
    else if (tag == ETF_NEW_PORT) { NEED(8); num = get32(&AT(0)); cre = get32(&AT(4)); d->pos += 8; }
    else { NEED(5); num = get32(&AT(0)); cre = AT(4); d->pos += 5; if (cre > 3) goto fail; }
    if (is_local_node(node, cre)) {
        if (num > TB_PORT_NUMBER_MAX) goto fail;
        *out = make_port((UWord)num);
        return true;
    }
    TbExtPort *e = (TbExtPort *)tb_halloc(d->p, EXT_PORT_WORDS);
    *e = (TbExtPort){make_header(EXT_PORT_WORDS - 1, HDR_SUB_EXT_PORT), node, cre, 0, num};
    *out = make_boxed((Term *)e);
    return true;
fail:
    return false;
}

/* REFERENCE_EXT, NEW_REFERENCE_EXT, NEWER_REFERENCE_EXT.  Like ERTS, the
 * first number word is read even when the count is 0: with NEWER it may lie
 * past the end (ERTS reads garbage there; we skip it unread). */
static bool dec_ref(Dec *d, unsigned tag, Term *out) {
    Term node;
    uint32_t n = 1, cre, num[TB_EXT_REF_MAX] = {0};
    if (tag != ETF_REFERENCE) { NEED(2); n = get16(&AT(0)); d->pos += 2; }
    if (n > TB_EXT_REF_MAX) goto fail;
    if (!dec_atom(d, &node)) goto fail;
    if (tag == ETF_REFERENCE) {
        NEED(5);
        num[0] = get32(&AT(0)); cre = AT(4); d->pos += 5;
        if (num[0] > TB_REF_N0_MAX || cre > 3) goto fail;
    } else if (tag == ETF_NEW_REFERENCE) {
        NEED(5);
        cre = AT(0); num[0] = get32(&AT(1)); d->pos += 5;
        if (cre > 3 || num[0] > TB_REF_N0_MAX) goto fail;
    } else {
        NEED(4);
        cre = get32(&AT(0)); d->pos += 4;
        if (d->pos + 4 <= d->len) num[0] = get32(&AT(0));
        else if (n) goto fail;
        d->pos += 4;
    }
    if (n) {
        NEED(4 * (n - 1));
        for (uint32_t i = 1; i < n; i++) num[i] = get32(&AT(4 * (i - 1)));
        d->pos += 4 * (n - 1);
    }
    if (is_local_node(node, cre)) {
        /* ordinary local refs only: 1..3 words (ERTS pads with zeros); the
         * 4/5-word pid refs of ERTS never name a live process of ours */
        if (n == 0 || n > 3 || num[0] > TB_REF_N0_MAX) goto fail;
        TbRefThing *r = (TbRefThing *)tb_halloc(d->p, REF_THING_WORDS);
        r->header = make_header(REF_THING_WORDS - 1, HDR_SUB_REF);
        r->num[0] = num[0]; r->num[1] = num[1]; r->num[2] = num[2]; r->num[3] = 0;
        *out = make_boxed((Term *)r);
        return true;
    }
    TbExtRef *e = (TbExtRef *)tb_halloc(d->p, EXT_REF_WORDS);
    memset(e, 0, sizeof *e);
    e->header = make_header(EXT_REF_WORDS - 1, HDR_SUB_EXT_REF);
    e->node = node;
    e->creation = cre;
    e->len = n;
    memcpy(e->num, num, n * sizeof num[0]);
    *out = make_boxed((Term *)e);
    return true;
fail:
    return false;
}

static bool dec_float_text(Dec *d, Term *out) {
    double f;
    NEED(31);
    /* ERTS hands the bytes to strtod as a C string: the text runs to the
     * first NUL even past the 31 bytes (we stop at the buffer's end). */
    if (tb_float_parse((const char *)&AT(0), d->len - d->pos, &f) != 0) goto fail;
    d->pos += 31;
    *out = make_float_at(tb_halloc(d->p, FLOAT_WORDS), f);
    return true;
fail:
    return false;
}

static bool dec_bits(Dec *d, unsigned tag, Term *out) {
    NEED(tag == ETF_BINARY ? 4 : 5);
    size_t n = get32(&AT(0));
    UWord bits = (UWord)n * 8;
    if (tag == ETF_BIT_BINARY) {
        unsigned tail = AT(4);
        if ((tail == 0) != (n == 0) || tail > 8) goto fail;
        if (n) bits -= 8 - tail;
        d->pos += 5;
    } else {
        d->pos += 4;
    }
    NEED(n);
    Term bin = tb_new_binary(d->p, &AT(0), n);
    d->pos += n;
    *out = bits == (UWord)n * 8 ? bin : tb_make_sub_binary(d->p, bin, 0, bits);
    return true;
fail:
    return false;
}

/* Pending slots: *slot holds the next slot's address (0 ends the chain). */
#define PUSH_SLOT(s) do { Term *s_ = (s); *s_ = (Term)(UWord)next; next = s_; } while (0)

static Term build(Dec *d) {
    Term res = 0;
    Term *next = &res, *objp = NULL, *hp;
    size_t n;
    while (next) {
        objp = next;
        next = (Term *)(UWord)*objp;
        *objp = NIL;
        NEED(1);
        unsigned tag = d->b[d->pos++];
        switch (tag) {
        case ETF_SMALL_INTEGER: NEED(1); *objp = make_small(AT(0)); d->pos += 1; break;
        case ETF_INTEGER: NEED(4); *objp = make_small((int32_t)get32(&AT(0))); d->pos += 4; break;
        case ETF_SMALL_BIG: NEED(1); n = AT(0); d->pos += 1; if (!dec_big(d, n, objp)) goto fail; break;
        case ETF_LARGE_BIG:
            NEED(4); n = get32(&AT(0)); d->pos += 4;
            if (n > BIG_BYTES_MAX || !dec_big(d, n, objp)) goto fail;
            break;
        case ETF_ATOM: case ETF_SMALL_ATOM: case ETF_ATOM_UTF8: case ETF_SMALL_ATOM_UTF8:
            d->pos--;
            if (!dec_atom(d, objp)) goto fail;
            break;
        case ETF_NEW_FLOAT: {
            NEED(8);
            uint64_t u = get64(&AT(0));
            double f;
            memcpy(&f, &u, 8);
            if (!__builtin_isfinite(f)) goto fail;
            d->pos += 8;
            *objp = make_float_at(tb_halloc(d->p, FLOAT_WORDS), f);
            break;
        }
        case ETF_FLOAT: if (!dec_float_text(d, objp)) goto fail; break;
        case ETF_PID: case ETF_NEW_PID: if (!dec_pid(d, tag, objp)) goto fail; break;
        case ETF_PORT: case ETF_NEW_PORT: case ETF_V4_PORT: if (!dec_port(d, tag, objp)) goto fail; break;
        case ETF_REFERENCE: case ETF_NEW_REFERENCE: case ETF_NEWER_REFERENCE:
            if (!dec_ref(d, tag, objp)) goto fail;
            break;
        case ETF_NIL: break;
        case ETF_STRING:
            NEED(2); n = get16(&AT(0)); d->pos += 2;
            NEED(n);
            if (n) {
                hp = tb_halloc(d->p, 2 * n);
                for (size_t i = 0; i < n; i++) {
                    hp[2 * i] = make_small(AT(i));
                    hp[2 * i + 1] = make_list(hp + 2 * i + 2);
                }
                hp[2 * n - 1] = NIL;
                *objp = make_list(hp);
                d->pos += n;
            }
            break;
        case ETF_LIST:
            NEED(4); n = get32(&AT(0)); d->pos += 4;
            NEED(n);
            if (n == 0) { PUSH_SLOT(objp); break; }   /* just the tail */
            hp = tb_halloc(d->p, 2 * n);
            *objp = make_list(hp);
            PUSH_SLOT(&hp[2 * n - 1]);                /* tail, decoded last */
            for (size_t i = n; i-- > 0;) {
                if (i + 1 < n) hp[2 * i + 1] = make_list(hp + 2 * i + 2);
                PUSH_SLOT(&hp[2 * i]);
            }
            break;
        case ETF_SMALL_TUPLE: case ETF_LARGE_TUPLE:
            if (tag == ETF_SMALL_TUPLE) { NEED(1); n = AT(0); d->pos += 1; }
            else { NEED(4); n = get32(&AT(0)); d->pos += 4; NEED(n); }
            hp = tb_halloc(d->p, n + 1);
            hp[0] = make_arityval(n);
            *objp = make_boxed(hp);
            for (size_t i = n; i > 0; i--) PUSH_SLOT(&hp[i]);
            break;
        case ETF_MAP: {
            NEED(4); n = get32(&AT(0)); d->pos += 4;
            if (n > TB_FLATMAP_LIMIT && (n >> 31 || (uint64_t)2 * n > d->len - d->pos)) goto fail;
            /* record: a tuple {link, objp, K1..Kn, V1..Vn}; link and objp are
             * raw pointers until the map is built (see finish_maps) */
            hp = tb_halloc(d->p, 3 + 2 * n);
            hp[0] = make_arityval(2 + 2 * n);
            hp[1] = (Term)(UWord)d->maps;
            hp[2] = (Term)(UWord)objp;
            d->maps = hp;
            for (size_t i = n; i-- > 0;) {
                PUSH_SLOT(&hp[3 + n + i]);
                PUSH_SLOT(&hp[3 + i]);
            }
            break;
        }
        case ETF_BINARY: case ETF_BIT_BINARY: if (!dec_bits(d, tag, objp)) goto fail; break;
        case ETF_EXPORT: {
            Term m, f;
            SWord a;
            if (!dec_atom(d, &m) || !dec_atom(d, &f) || !dec_small_int(d, &a)) goto fail;
            if (a < 0 || a > (SWord)UINT32_MAX) goto fail;
            TbExport *e = (d->flags & TB_ETF_SAFE) ? tb_export_find(m, f, (unsigned)a)
                                                   : tb_export_get(m, f, (unsigned)a);
            if (!e) goto fail;
            hp = tb_halloc(d->p, 2);
            hp[0] = make_header(1, HDR_SUB_EXPORT);
            hp[1] = (Term)(UWord)e;
            *objp = make_boxed(hp);
            break;
        }
        case ETF_NEW_FUN: {
            NEED(29);
            unsigned arity = AT(4);
            const uint8_t *uniq = &AT(5);
            uint32_t index = get32(&AT(21)), nfree = get32(&AT(25));
            Term mod, creator;
            SWord old_index, old_uniq;
            d->pos += 29;
            if (nfree > MAX_FUN_FREE || !dec_atom(d, &mod) || !dec_small_int(d, &old_index)
                || !dec_small_int(d, &old_uniq))
                goto fail;
            NEED(1);
            tag = d->b[d->pos++];
            if ((tag != ETF_PID && tag != ETF_NEW_PID) || !dec_pid(d, tag, &creator)) goto fail;
            TbFunEntry *fe = tb_fun_entry_find(mod, index, (uint32_t)old_uniq, uniq);
            if (!fe || fe->num_free != nfree || fe->arity != arity + nfree)
                fe = tb_fun_entry_stub(mod, index, (uint32_t)old_index, (uint32_t)old_uniq, uniq, arity, nfree);
            if (!fe) goto fail;
            TbFunThing *fun = (TbFunThing *)tb_halloc(d->p, FUN_THING_WORDS + nfree);
            fun->header = make_header(2 + nfree, HDR_SUB_FUN);
            fun->fe = fe;
            fun->creator = creator;
            *objp = make_boxed((Term *)fun);
            for (size_t i = nfree; i-- > 0;) PUSH_SLOT(&fun->env[i]);
            break;
        }
        default:
            goto fail;
        }
    }
    objp = NULL;

    /* Maps, newest first: an inner map is always newer than the maps that
     * contain it, so it is finished before they hash or sort it. */
    while (d->maps) {
        Term *rec = d->maps;
        n = (header_arity(rec[0]) - 2) / 2;
        Term m = tb_map_from_pairs(d->p, rec + 3, rec + 3 + n, n);
        if (m == TB_NONE || tb_map_size(m) != n) goto fail;    /* duplicate keys */
        *(Term *)(UWord)rec[2] = m;
        d->maps = (Term *)(UWord)rec[1];
        rec[1] = rec[2] = NIL;
    }
    return res;

fail:
    /* Leave every word we allocated a valid term. */
    if (objp) *objp = NIL;
    while (next) { Term *s = next; next = (Term *)(UWord)*s; *s = NIL; }
    while (d->maps) { Term *rec = d->maps; d->maps = (Term *)(UWord)rec[1]; rec[1] = rec[2] = NIL; }
    return TB_NONE;
}
#undef NEED
#undef AT

/* ================= compressed terms ================= */

/* Size the zlib stream really inflates to (0 on a broken stream), without
 * keeping the output: used before trusting a large announced size. */
static uint64_t inflated_size(const uint8_t *in, size_t inlen) {
    uint8_t tmp[16384];
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit(&s) != Z_OK) return 0;
    s.next_in = (Bytef *)in;
    s.avail_in = inlen > UINT32_MAX ? UINT32_MAX : (uInt)inlen;
    uint64_t total = 0;
    int r;
    do {
        s.next_out = tmp;
        s.avail_out = sizeof tmp;
        r = inflate(&s, Z_NO_FLUSH);
        total += sizeof tmp - s.avail_out;
    } while (r == Z_OK);
    inflateEnd(&s);
    return r == Z_STREAM_END ? total : 0;
}

/* Inflate exactly dest bytes; the stream must end there.  Returns a
 * malloc'd buffer and the compressed bytes consumed, or NULL. */
static uint8_t *inflate_exact(const uint8_t *in, size_t inlen, size_t dest, size_t *consumed) {
    if (dest > UNCOMP_CHECK_LIMIT && inflated_size(in, inlen) != dest) return NULL;
    uint8_t *out = malloc(dest ? dest : 1);
    if (!out) return NULL;
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit(&s) != Z_OK) { free(out); return NULL; }
    s.next_in = (Bytef *)in;
    s.avail_in = inlen > UINT32_MAX ? UINT32_MAX : (uInt)inlen;
    s.next_out = out;
    s.avail_out = (uInt)dest;
    int r = inflate(&s, Z_FINISH);
    bool ok = r == Z_STREAM_END && s.avail_out == 0;
    *consumed = s.total_in;
    if (inflateEnd(&s) != Z_OK) ok = false;
    if (!ok) { free(out); return NULL; }
    return out;
}

Term tb_etf_decode(TbProcess *p, const uint8_t *buf, size_t len, size_t *used, unsigned flags) {
    if (len < 1 || buf[0] != ETF_VERSION) return TB_NONE;
    const uint8_t *data = buf + 1;
    size_t dlen = len - 1, zused = 0;
    uint8_t *tmp = NULL;
    if (dlen >= 5 && data[0] == ETF_COMPRESSED) {
        size_t dest = get32(data + 1);
        tmp = inflate_exact(data + 5, dlen - 5, dest, &zused);
        if (!tmp) return TB_NONE;
        data = tmp;
        dlen = dest;
    }
    Term t = TB_NONE;
    if (scan(data, dlen, 0)) {
        Dec d = {p, data, dlen, 0, flags, NULL};
        t = build(&d);
        if (t != TB_NONE && used) *used = tmp ? 6 + zused : 1 + d.pos;
    }
    free(tmp);
    return t;
}
