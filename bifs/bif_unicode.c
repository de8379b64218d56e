/* bif_unicode.c — unicode:characters_to_binary/2, characters_to_list/2,
 * bin_is_7bit/1 and io:printable_range/0.
 *
 * Chardata is walked iteratively.  On a bad code point the result is
 * {error, Converted, Rest} and on a truncated UTF sequence at the very end
 * {incomplete, Converted, Rest}, where Rest keeps the nesting of the input
 * from the failing element on, as ERTS builds it. */
#include "bif.h"
#include "../emu/binary.h"
#include "../emu/utf8.h"
#include <stdlib.h>

typedef enum { ENC_UTF8, ENC_LATIN1, ENC_UTF16_BE, ENC_UTF16_LE, ENC_UTF32_BE, ENC_UTF32_LE } Enc;

static bool parse_enc(Term t, Enc *e) {
    static Term am_big, am_little;
    if (!am_big) { am_big = AM(big); am_little = AM(little); }
    if (t == AM(unicode) || t == AM(utf8)) *e = ENC_UTF8;
    else if (t == AM(latin1)) *e = ENC_LATIN1;
    else if (t == AM(utf16)) *e = ENC_UTF16_BE;
    else if (t == AM(utf32)) *e = ENC_UTF32_BE;
    else if (is_tuple_arity(t, 2) && (tuple_val(t)[2] == am_big || tuple_val(t)[2] == am_little)) {
        bool le = tuple_val(t)[2] == am_little;
        if (tuple_val(t)[1] == AM(utf16)) *e = le ? ENC_UTF16_LE : ENC_UTF16_BE;
        else if (tuple_val(t)[1] == AM(utf32)) *e = le ? ENC_UTF32_LE : ENC_UTF32_BE;
        else return false;
    } else return false;
    return true;
}

/* Decode one code point from bytes [i, n): returns bytes used, 0 if the
 * sequence is invalid, -1 if it is a valid but truncated prefix. */
static int decode(Enc e, const uint8_t *b, size_t i, size_t n, uint32_t *cp) {
    size_t left = n - i;
    switch (e) {
    case ENC_LATIN1: *cp = b[i]; return 1;
    case ENC_UTF8: {
        uint8_t c = b[i];
        int k;
        if (c < 0x80) { *cp = c; return 1; }
        if ((c & 0xE0) == 0xC0) { k = 2; *cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { k = 3; *cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { k = 4; *cp = c & 0x07; }
        else return 0;
        for (int j = 1; j < k; j++) {
            if ((size_t)j >= left) return -1;
            if ((b[i + j] & 0xC0) != 0x80) return 0;
            *cp = (*cp << 6) | (b[i + j] & 0x3F);
        }
        if ((k == 2 && *cp < 0x80) || (k == 3 && *cp < 0x800) || (k == 4 && *cp < 0x10000) ||
            *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
            return 0;
        return k;
    }
    case ENC_UTF16_BE: case ENC_UTF16_LE: {
        bool le = e == ENC_UTF16_LE;
        if (left < 2) return -1;
        uint32_t w = le ? (uint32_t)(b[i] | b[i + 1] << 8) : (uint32_t)(b[i] << 8 | b[i + 1]);
        if (w < 0xD800 || w > 0xDFFF) { *cp = w; return 2; }
        if (w > 0xDBFF) return 0;
        if (left < 4) return -1;
        uint32_t w2 = le ? (uint32_t)(b[i + 2] | b[i + 3] << 8) : (uint32_t)(b[i + 2] << 8 | b[i + 3]);
        if (w2 < 0xDC00 || w2 > 0xDFFF) return 0;
        *cp = 0x10000 + ((w - 0xD800) << 10) + (w2 - 0xDC00);
        return 4;
    }
    default: {
        if (left < 4) return -1;
        bool le = e == ENC_UTF32_LE;
        *cp = le ? (uint32_t)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | (uint32_t)b[i + 3] << 24)
                 : ((uint32_t)b[i] << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3]);
        return *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF) ? 0 : 4;
    }
    }
}

typedef struct { uint32_t *v; size_t n, cap; } Cps;
static void push_cp(Cps *c, uint32_t cp) {
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        if (!c->v) abort();
    }
    c->v[c->n++] = cp;
}

typedef enum { CONV_OK, CONV_BADARG, CONV_ERROR, CONV_INCOMPLETE } ConvRes;

/* Walk chardata; on failure *rest is the unconverted remainder. */
static ConvRes walk(TbProcess *p, Term data, Enc in, Cps *out, Term *rest) {
    Term stack_small[32], *stack = stack_small;   /* tails after each nesting level */
    size_t sp = 0, cap = 32;
    Term t = data;
    ConvRes r = CONV_OK;
    Term inner = TB_NONE;
    for (;;) {
        if (is_list(t)) {
            Term h = CAR(list_val(t));
            if (is_small(h)) {
                SWord c = small_val(h);
                if (c < 0 || c > 0x10FFFF || (in == ENC_LATIN1 && c > 255) || (c >= 0xD800 && c <= 0xDFFF)) {
                    r = CONV_ERROR; inner = t; break;
                }
                push_cp(out, (uint32_t)c);
                t = CDR(list_val(t));
                continue;
            }
            if (!is_list(h) && h != NIL && !is_binary(h)) { r = CONV_BADARG; break; }
            if (sp == cap) {
                cap *= 2;
                Term *ns = malloc(cap * sizeof(Term));
                if (!ns) abort();
                memcpy(ns, stack, sp * sizeof(Term));
                if (stack != stack_small) free(stack);
                stack = ns;
            }
            stack[sp++] = CDR(list_val(t));
            t = h;
            continue;
        }
        if (is_binary(t)) {
            size_t n;
            uint8_t *tmp = NULL;
            const uint8_t *b = tb_binary_aligned_bytes(t, &n, &tmp);
            size_t i = 0;
            while (i < n) {
                uint32_t cp;
                int k = decode(in, b, i, n, &cp);
                if (k <= 0) {
                    bool at_end = true;       /* nothing but [] follows */
                    for (size_t s = 0; s < sp; s++) if (stack[s] != NIL) at_end = false;
                    r = k < 0 && at_end ? CONV_INCOMPLETE : CONV_ERROR;
                    break;
                }
                push_cp(out, cp);
                i += (size_t)k;
            }
            free(tmp);
            if (r != CONV_OK) { inner = tb_binary_part(p, t, make_small((SWord)i), make_small((SWord)(n - i))); break; }
            t = NIL;
        } else if (t != NIL) {
            r = CONV_BADARG;
            break;
        }
        /* t done: pop to the enclosing tail */
        if (sp == 0) break;
        t = stack[--sp];
        if (!is_list(t) && t != NIL && !is_binary(t)) { r = CONV_BADARG; break; }   /* chardata may end in a binary */
    }
    if (r == CONV_ERROR || r == CONV_INCOMPLETE) {
        /* rebuild the nesting around the failing element */
        Term acc = inner;
        for (size_t s = sp; s-- > 0;) {
            Term *hp = tb_halloc(p, 2);
            hp[0] = acc; hp[1] = stack[s];
            acc = make_list(hp);
        }
        *rest = acc;
    }
    if (stack != stack_small) free(stack);
    return r;
}

static Term utf8_binary(TbProcess *p, const Cps *c) {
    size_t len = 0;
    for (size_t i = 0; i < c->n; i++) len += c->v[i] < 0x80 ? 1 : c->v[i] < 0x800 ? 2 : c->v[i] < 0x10000 ? 3 : 4;
    Term bin = tb_new_binary(p, NULL, len);
    uint8_t *o = tb_binary_bytes_for_write(bin);
    for (size_t i = 0; i < c->n; i++) o += tb_utf8_encode(c->v[i], o);
    return bin;
}

static Term cp_list(TbProcess *p, const Cps *c) {
    Term *hp = tb_halloc(p, 2 * c->n + 1);
    Term l = NIL;
    for (size_t i = c->n; i-- > 0;) { hp[0] = make_small(c->v[i]); hp[1] = l; l = make_list(hp); hp += 2; }
    return l;
}

static Term convert(TbProcess *p, Term data, Term enc, bool to_binary) {
    Enc in;
    if (!parse_enc(enc, &in)) BADARG(p);
    Cps c = {0};
    Term rest = NIL;
    ConvRes r = walk(p, data, in, &c, &rest);
    Term res;
    if (r == CONV_BADARG) { free(c.v); BADARG(p); }
    Term conv = to_binary ? utf8_binary(p, &c) : cp_list(p, &c);
    if (r == CONV_OK) res = conv;
    else {
        Term *hp = tb_halloc(p, 4);
        hp[0] = make_arityval(3);
        hp[1] = r == CONV_ERROR ? AM(error) : tb_atom_cstr("incomplete");
        hp[2] = conv; hp[3] = rest;
        res = make_boxed(hp);
    }
    free(c.v);
    return res;
}

BIF_DECL(bif_unicode_characters_to_binary_2) { return convert(p, args[0], args[1], true); }
BIF_DECL(bif_unicode_characters_to_list_2) { return convert(p, args[0], args[1], false); }

BIF_DECL(bif_unicode_bin_is_7bit_1) {
    if (!is_binary(args[0])) return AM_false;     /* ERTS: anything but a binary is not 7-bit */
    size_t n;
    uint8_t *tmp = NULL;
    const uint8_t *b = tb_binary_aligned_bytes(args[0], &n, &tmp);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) ok = b[i] < 0x80;
    free(tmp);
    return ok ? AM_true : AM_false;
}

BIF_DECL(bif_io_printable_range_0) { (void)p; (void)args; return AM(latin1); }
