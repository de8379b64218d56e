/* bif_binary.c — erlang module BIFs on binaries, iolists and atom names. */
#include "bif.h"
#include "../emu/utf8.h"
#include "../emu/binary.h"
#include "../emu/bits.h"
#include <stdlib.h>

#define SYSTEM_LIMIT(p) return tb_error((p), AM(system_limit))

/* [b0, b1, ... | tail] in one allocation, cells in ascending order. */
static Term bytes_to_list(TbProcess *p, const uint8_t *b, size_t n, Term tail) {
    if (n == 0) return tail;
    Term *hp = tb_halloc(p, 2 * n);
    for (size_t i = 0; i < n; i++) {
        hp[2 * i] = make_small(b[i]);
        hp[2 * i + 1] = i + 1 < n ? make_list(hp + 2 * i + 2) : tail;
    }
    return make_list(hp);
}

/* n bytes starting at bit offset o as a list. */
static Term bits_bytes_to_list(TbProcess *p, const uint8_t *b, UWord o, size_t n, Term tail) {
    if (!(o & 7)) return bytes_to_list(p, b + (o >> 3), n, tail);
    if (n == 0) return tail;
    Term *hp = tb_halloc(p, 2 * n);
    for (size_t i = 0; i < n; i++) {
        uint8_t byte;
        tb_copy_bits(b, o + 8 * i, &byte, 0, 8);
        hp[2 * i] = make_small(byte);
        hp[2 * i + 1] = i + 1 < n ? make_list(hp + 2 * i + 2) : tail;
    }
    return make_list(hp);
}

/* An iolist (or bitstring list) as one new bitstring; TB_NONE if invalid. */
static Term iolist_to_bits(TbProcess *p, Term t, bool allow_bits) {
    UWord bits;
    TbBitWriter w;
    if (!tb_iolist_bits(t, allow_bits, &bits)) return TB_NONE;
    Term res = tb_bs_alloc(p, bits, &w);
    if (res == TB_NONE) return TB_NONE;
    if (bits & 7) memset(w.base, 0, (bits + 7) / 8);   /* bit writes merge into their bytes */
    tb_iolist_write(t, w.base);
    w.pos = bits;
    tb_bs_clear_tail(&w);
    return res;
}

BIF_DECL(bif_erlang_iolist_to_binary_1) {
    Term t = args[0];
    if (is_bitstring(t)) {
        if (bitstring_bitsize(t) & 7) BADARG(p);
        return t;
    }
    if (!is_list(t) && !is_nil(t)) BADARG(p);
    Term r = iolist_to_bits(p, t, false);
    if (r == TB_NONE) BADARG(p);
    return r;
}

BIF_DECL(bif_erlang_list_to_binary_1) {
    if (!is_list(args[0]) && !is_nil(args[0])) BADARG(p);
    Term r = iolist_to_bits(p, args[0], false);
    if (r == TB_NONE) BADARG(p);
    return r;
}

BIF_DECL(bif_erlang_list_to_bitstring_1) {
    if (!is_list(args[0]) && !is_nil(args[0])) BADARG(p);
    Term r = iolist_to_bits(p, args[0], true);
    if (r == TB_NONE) BADARG(p);
    return r;
}

BIF_DECL(bif_erlang_iolist_size_1) {
    size_t n;
    if (!tb_iolist_size(args[0], &n)) BADARG(p);
    return make_small((SWord)n);
}

BIF_DECL(bif_erlang_binary_to_list_1) {
    const uint8_t *b;
    UWord o, n;
    if (!is_bitstring(args[0])) BADARG(p);
    bitstring_view(args[0], &b, &o, &n);
    if (n & 7) BADARG(p);
    return bits_bytes_to_list(p, b, o, n >> 3, NIL);
}

BIF_DECL(bif_erlang_binary_to_list_3) {
    const uint8_t *b;
    UWord o, n;
    if (!is_bitstring(args[0]) || !is_small(args[1]) || !is_small(args[2])) BADARG(p);
    bitstring_view(args[0], &b, &o, &n);
    SWord size = (SWord)(n >> 3), start = small_val(args[1]), stop = small_val(args[2]);
    if (start < 1 || start > size || stop < 1 || stop > size || stop < start) BADARG(p);
    return bits_bytes_to_list(p, b, o + 8 * (UWord)(start - 1), (size_t)(stop - start + 1), NIL);
}

BIF_DECL(bif_erlang_bitstring_to_list_1) {
    const uint8_t *b;
    UWord o, n;
    Term tail = NIL;
    if (!is_bitstring(args[0])) BADARG(p);
    bitstring_view(args[0], &b, &o, &n);
    if (n & 7) {
        Term rest = tb_make_sub_binary(p, args[0], n & ~(UWord)7, n & 7);
        Term *hp = tb_halloc(p, 2);
        hp[0] = rest;
        hp[1] = NIL;
        tail = make_list(hp);
    }
    return bits_bytes_to_list(p, b, o, n >> 3, tail);
}

BIF_DECL(bif_erlang_split_binary_2) {
    if (!is_bitstring(args[0]) || !is_small(args[1])) BADARG(p);
    UWord bits = bitstring_bitsize(args[0]);
    SWord pos = small_val(args[1]);
    if (pos < 0 || (UWord)pos > (bits >> 3)) BADARG(p);
    UWord cut = 8 * (UWord)pos;
    Term a = tb_make_sub_binary(p, args[0], 0, cut);
    Term b = tb_make_sub_binary(p, args[0], cut, bits - cut);
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2);
    hp[1] = a;
    hp[2] = b;
    return make_boxed(hp);
}

BIF_DECL(bif_erlang_bit_size_1) {
    if (!is_bitstring(args[0])) BADARG(p);
    return make_small((SWord)bitstring_bitsize(args[0]));
}

BIF_DECL(bif_erlang_byte_size_1) {
    if (!is_bitstring(args[0])) BADARG(p);
    return make_small((SWord)TB_NBYTES(bitstring_bitsize(args[0])));
}

BIF_DECL(bif_erlang_binary_part_3) { return tb_binary_part(p, args[0], args[1], args[2]); }

BIF_DECL(bif_erlang_binary_part_2) {
    if (!is_tuple_arity(args[1], 2)) BADARG(p);
    Term *t = tuple_val(args[1]);
    return tb_binary_part(p, args[0], t[1], t[2]);
}

/* ---- atom names ---- */

/* One UTF-8 sequence of an atom name (always valid). */
static inline uint32_t utf8_next(const uint8_t **s) {
    const uint8_t *p = *s;
    uint32_t c = *p++;
    if (c >= 0xF0) { c = (c & 0x07) << 18 | (p[0] & 0x3Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu); p += 3; }
    else if (c >= 0xE0) { c = (c & 0x0F) << 12 | (p[0] & 0x3Fu) << 6 | (p[1] & 0x3Fu); p += 2; }
    else if (c >= 0x80) { c = (c & 0x1F) << 6 | (p[0] & 0x3Fu); p += 1; }
    *s = p;
    return c;
}

static inline bool is_utf8_enc(Term enc) { return enc == AM(utf8) || enc == AM(unicode); }

BIF_DECL(bif_erlang_atom_to_binary_2) {
    Term a = args[0], enc = args[1];
    if (!is_atom(a)) BADARG(p);
    const TbAtom *e = atom_entry(a);
    if (is_utf8_enc(enc)) return tb_new_binary(p, e->name, e->len);
    if (enc != AM(latin1) || !e->latin1) BADARG(p);
    Term bin = tb_new_binary(p, NULL, e->nchars);
    uint8_t *out = tb_binary_bytes_for_write(bin);
    const uint8_t *s = e->name, *end = e->name + e->len;
    while (s < end) *out++ = (uint8_t)utf8_next(&s);
    return bin;
}

BIF_DECL(bif_erlang_atom_to_list_1) {
    if (!is_atom(args[0])) BADARG(p);
    const TbAtom *e = atom_entry(args[0]);
    if (e->nchars == 0) return NIL;
    Term *hp = tb_halloc(p, 2 * (size_t)e->nchars);
    const uint8_t *s = e->name;
    for (uint32_t i = 0; i < e->nchars; i++) {
        hp[2 * i] = make_small(utf8_next(&s));
        hp[2 * i + 1] = i + 1 < e->nchars ? make_list(hp + 2 * i + 2) : NIL;
    }
    return make_list(hp);
}

/* ERTS's scan of a UTF-8 atom name: stops with system_limit as soon as a
 * 256th character starts, with badarg at the first bad sequence before. */
enum { NAME_OK, NAME_BAD, NAME_LONG };
static int check_utf8_name(const uint8_t *s, size_t n) {
    size_t i = 0;
    for (unsigned count = 0; i < n; count++) {
        if (count == TB_MAX_ATOM_CHARS) return NAME_LONG;
        uint32_t c = s[i], cp;
        size_t k;
        if (c < 0x80) { i++; continue; }
        if ((c & 0xE0) == 0xC0) { k = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { k = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { k = 3; cp = c & 0x07; }
        else return NAME_BAD;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (s[i + j] & 0xC0) != 0x80) return NAME_BAD;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return NAME_BAD;
        i += k + 1;
    }
    return NAME_OK;
}

static Term binary_to_atom(TbProcess *p, Term bin, Term enc, bool must_exist) {
    size_t len;
    uint8_t *tmp;
    const uint8_t *s = tb_binary_aligned_bytes(bin, &len, &tmp);
    Term a = TB_NONE;
    if (!s) BADARG(p);
    if (enc == AM(latin1)) {
        if (len > TB_MAX_ATOM_CHARS) {
            free(tmp);
            if (must_exist) BADARG(p);
            SYSTEM_LIMIT(p);
        }
        if (must_exist) {
            uint8_t buf[2 * TB_MAX_ATOM_CHARS];
            size_t n = 0;
            for (size_t i = 0; i < len; i++) {
                if (s[i] < 0x80) buf[n++] = s[i];
                else { buf[n++] = 0xC0 | (s[i] >> 6); buf[n++] = 0x80 | (s[i] & 0x3F); }
            }
            a = tb_atom_find(buf, n);
        } else {
            a = tb_atom_put_latin1(s, len);
            if (a == TB_NONE) { free(tmp); SYSTEM_LIMIT(p); }   /* atom table full */
        }
    } else if (is_utf8_enc(enc)) {
        if (len > 4 * TB_MAX_ATOM_CHARS) {
            free(tmp);
            if (must_exist) BADARG(p);
            SYSTEM_LIMIT(p);
        }
        a = tb_atom_find(s, len);
        if (a == TB_NONE && !must_exist) {
            int r = check_utf8_name(s, len);
            if (r == NAME_OK) {
                a = tb_atom_put(s, len);
                if (a == TB_NONE) { free(tmp); SYSTEM_LIMIT(p); }
            } else {
                free(tmp);
                if (r == NAME_LONG) SYSTEM_LIMIT(p);
                BADARG(p);
            }
        }
    }
    free(tmp);
    if (a == TB_NONE) BADARG(p);
    return a;
}

BIF_DECL(bif_erlang_binary_to_atom_2) { return binary_to_atom(p, args[0], args[1], false); }
BIF_DECL(bif_erlang_binary_to_existing_atom_2) { return binary_to_atom(p, args[0], args[1], true); }

/* A list of code points as UTF-8 (ERTS's erts_unicode_list_to_buf):
 * NAME_LONG as soon as a 256th element exists, NAME_BAD otherwise. */
static int list_to_name(Term l, uint8_t *buf, size_t *len) {
    size_t n = 0;
    unsigned count = 0;
    while (is_list(l)) {
        if (count++ == TB_MAX_ATOM_CHARS) return NAME_LONG;
        Term *c = list_val(l);
        Term h = CAR(c);
        if (!is_small(h)) return NAME_BAD;
        SWord v = small_val(h);
        if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return NAME_BAD;
        n += tb_utf8_encode((uint32_t)v, buf + n);
        l = CDR(c);
    }
    if (!is_nil(l)) return NAME_BAD;
    *len = n;
    return NAME_OK;
}

BIF_DECL(bif_erlang_list_to_atom_1) {
    uint8_t buf[4 * TB_MAX_ATOM_CHARS];
    size_t n;
    int r = list_to_name(args[0], buf, &n);
    if (r == NAME_LONG) SYSTEM_LIMIT(p);
    if (r != NAME_OK) BADARG(p);
    Term a = tb_atom_put(buf, n);
    if (a == TB_NONE) SYSTEM_LIMIT(p);       /* atom table full */
    return a;
}

BIF_DECL(bif_erlang_list_to_existing_atom_1) {
    uint8_t buf[4 * TB_MAX_ATOM_CHARS];
    size_t n;
    if (list_to_name(args[0], buf, &n) != NAME_OK) BADARG(p);
    Term a = tb_atom_find(buf, n);
    if (a == TB_NONE) BADARG(p);
    return a;
}

/* ---- erlang:iolist_to_iovec/1 ----
 * ERTS's iol2v algorithm, so the result has the same shape: bytes and small
 * binaries (< 256 bytes) are gathered in an accumulator, large binaries are
 * referenced as they are, and an accumulator smaller than 256 bytes is
 * topped up from a following large binary.  ERTS may also yield half-way
 * and cut the accumulator there; tbeam never yields, like ERTS on inputs
 * that fit its reduction budget. */
#define IOL2V_SMALL 256
#define IOL2V_ACC_LIMIT (IOL2V_SMALL * 32)

typedef struct {
    TbProcess *p;
    Term *res;                 /* result terms, in order */
    size_t nres, capres;
    TbBinary *acc;
    size_t acc_size;
} Iol2v;

static void iol2v_emit(Iol2v *s, Term t) {
    if (s->nres == s->capres) {
        s->capres = s->capres ? 2 * s->capres : 16;
        s->res = realloc(s->res, s->capres * sizeof(Term));
        if (!s->res) abort();
    }
    s->res[s->nres++] = t;
}

static void iol2v_promote(Iol2v *s) {
    TbBinary *b = realloc(s->acc, sizeof(TbBinary) + (s->acc_size ? s->acc_size : 1));
    if (!b) abort();
    b->orig_size = s->acc_size;
    iol2v_emit(s, tb_make_proc_bin(s->p, b, s->acc_size));
    s->acc = NULL;
    s->acc_size = 0;
}

/* Room for `extra` more bytes, growing like ERTS (which matters for where
 * the accumulator is cut). */
static void iol2v_expand(Iol2v *s, size_t extra) {
    size_t need = s->acc_size + extra;
    if (!s->acc) {
        s->acc = tb_binary_alloc(need > IOL2V_SMALL ? need : IOL2V_SMALL);
        return;
    }
    size_t cap = s->acc->orig_size;
    if (need <= cap) return;
    if (cap >= IOL2V_ACC_LIMIT) {
        iol2v_promote(s);
        iol2v_expand(s, extra);
        return;
    }
    size_t n = need > 2 * cap ? need : 2 * cap;
    TbBinary *b = realloc(s->acc, sizeof(TbBinary) + n);
    if (!b) abort();
    b->orig_size = n;
    s->acc = b;
}

static bool iol2v_binary(Iol2v *s, Term bin) {
    const uint8_t *b;
    UWord o, n;
    bitstring_view(bin, &b, &o, &n);
    if (n & 7) return false;
    size_t size = n >> 3;
    if (size == 0) return true;
    UWord base_offs;
    Term real = tb_real_binary(bin, &base_offs);
    if (is_boxed_sub(real, HDR_SUB_REFC_BIN)) {
        tb_proc_bin_freeze((TbProcBin *)boxed_val(real));
        bitstring_view(bin, &b, &o, &n);
    }
    bool acc_small = s->acc_size < IOL2V_SMALL, bin_small = size < IOL2V_SMALL;
    if (!bin_small && (s->acc_size == 0 || !acc_small)) {
        if (s->acc_size) iol2v_promote(s);
        iol2v_emit(s, bin);
    } else if (bin_small || size + s->acc_size < 2 * IOL2V_SMALL) {
        iol2v_expand(s, size);
        tb_copy_bits(b, o, s->acc->data + s->acc_size, 0, n);
        s->acc_size += size;
    } else {
        size_t spill = IOL2V_SMALL - s->acc_size;
        iol2v_expand(s, spill);
        tb_copy_bits(b, o, s->acc->data + s->acc_size, 0, 8 * spill);
        s->acc_size += spill;
        Term tail = tb_make_sub_binary(s->p, bin, 8 * spill, 8 * (size - spill));
        iol2v_promote(s);
        iol2v_emit(s, tail);
    }
    return true;
}

BIF_DECL(bif_erlang_iolist_to_iovec_1) {
    Term t = args[0];
    if (is_nil(t)) return NIL;
    if (is_bitstring(t)) {
        UWord bits = bitstring_bitsize(t);
        if (bits & 7) BADARG(p);
        if (bits == 0) return NIL;
        Term *hp = tb_halloc(p, 2);
        hp[0] = t;
        hp[1] = NIL;
        return make_list(hp);
    }
    if (!is_list(t)) BADARG(p);
    Iol2v s = {p, NULL, 0, 0, NULL, 0};
    Term stack_local[32], *stack = stack_local;
    size_t sp = 0, scap = 32;
    bool ok = true;
    for (;;) {
        while (is_list(t)) {
            Term *c = list_val(t);
            Term h = CAR(c);
            if (is_small(h)) {             /* a run of bytes, copied at once */
                size_t run = 0;
                Term q = t;
                while (is_list(q) && is_small(CAR(list_val(q)))) { run++; q = CDR(list_val(q)); }
                iol2v_expand(&s, run);
                uint8_t *out = s.acc->data + s.acc_size;
                for (; t != q; t = CDR(list_val(t))) {
                    UWord v = (UWord)small_val(CAR(list_val(t)));
                    if (v > 255) { ok = false; goto done; }
                    *out++ = (uint8_t)v;
                }
                s.acc_size += run;
                continue;
            }
            if (is_bitstring(h)) {
                if (!iol2v_binary(&s, h)) { ok = false; goto done; }
                t = CDR(c);
            } else if (is_list(h) || is_nil(h)) {
                if (!is_nil(CDR(c))) {
                    if (sp == scap) {
                        Term *ns = malloc(2 * scap * sizeof(Term));
                        if (!ns) abort();
                        memcpy(ns, stack, sp * sizeof(Term));
                        if (stack != stack_local) free(stack);
                        stack = ns;
                        scap *= 2;
                    }
                    stack[sp++] = CDR(c);
                }
                t = h;
            } else {
                ok = false;
                goto done;
            }
        }
        if (is_bitstring(t)) {
            if (!iol2v_binary(&s, t)) { ok = false; goto done; }
        } else if (!is_nil(t)) {
            ok = false;
            goto done;
        }
        if (sp == 0) break;
        t = stack[--sp];
    }
    if (s.acc_size) iol2v_promote(&s);
done:
    if (stack != stack_local) free(stack);
    if (s.acc) free(s.acc);
    Term res = NIL;
    if (ok && s.nres) {
        Term *hp = tb_halloc(p, 2 * s.nres);
        for (size_t i = 0; i < s.nres; i++) {
            hp[2 * i] = s.res[i];
            hp[2 * i + 1] = i + 1 < s.nres ? make_list(hp + 2 * i + 2) : NIL;
        }
        res = make_list(hp);
    }
    free(s.res);
    if (!ok) BADARG(p);
    return res;
}
