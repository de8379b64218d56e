/* bif_arith.c — erlang's arithmetic BIFs: the operators as functions,
 * number conversions, and integers/floats to and from text. */
#include "bif.h"
#include "bytebuf.h"
#include "../emu/arith.h"
#include "../emu/big.h"
#include "../emu/binary.h"
#include "../emu/float_fmt.h"
#include <math.h>
#include <stdlib.h>

/* ---- operators ---- */

BIF_DECL(bif_erlang_plus_2) { return tb_arith_add(p, args[0], args[1]); }
BIF_DECL(bif_erlang_minus_2) { return tb_arith_sub(p, args[0], args[1]); }
BIF_DECL(bif_erlang_times_2) { return tb_arith_mul(p, args[0], args[1]); }
BIF_DECL(bif_erlang_fdiv_2) { return tb_arith_fdiv(p, args[0], args[1]); }
BIF_DECL(bif_erlang_div_2) { return tb_arith_idiv(p, args[0], args[1]); }
BIF_DECL(bif_erlang_rem_2) { return tb_arith_rem(p, args[0], args[1]); }
BIF_DECL(bif_erlang_band_2) { return tb_arith_band(p, args[0], args[1]); }
BIF_DECL(bif_erlang_bor_2) { return tb_arith_bor(p, args[0], args[1]); }
BIF_DECL(bif_erlang_bxor_2) { return tb_arith_bxor(p, args[0], args[1]); }
BIF_DECL(bif_erlang_bsl_2) { return tb_arith_bsl(p, args[0], args[1]); }
BIF_DECL(bif_erlang_bsr_2) { return tb_arith_bsr(p, args[0], args[1]); }
BIF_DECL(bif_erlang_bnot_1) { return tb_arith_bnot(p, args[0]); }
BIF_DECL(bif_erlang_uminus_1) { return tb_arith_neg(p, args[0]); }
BIF_DECL(bif_erlang_uplus_1) {
    if (!is_number(args[0])) BADARITH(p);
    return args[0];
}

/* ---- number conversions ---- */

BIF_DECL(bif_erlang_abs_1) { return tb_arith_abs(p, args[0]); }

BIF_DECL(bif_erlang_float_1) {
    Term t = args[0];
    double d;
    if (is_float(t)) return t;
    if (!is_integer(t) || !tb_integer_to_double(t, &d)) BADARG(p);
    return tb_make_float(p, d);
}

/* trunc/round/floor/ceil: integers pass through, floats are rounded by fn. */
static Term to_integer(TbProcess *p, Term t, double (*fn)(double)) {
    if (is_integer(t)) return t;
    if (!is_float(t)) BADARG(p);
    return tb_double_to_integer(p, fn(float_val(t)));
}
BIF_DECL(bif_erlang_trunc_1) { return to_integer(p, args[0], trunc); }
BIF_DECL(bif_erlang_round_1) { return to_integer(p, args[0], round); }   /* halves away from zero */
BIF_DECL(bif_erlang_floor_1) { return to_integer(p, args[0], floor); }
BIF_DECL(bif_erlang_ceil_1) { return to_integer(p, args[0], ceil); }

/* ---- text helpers ---- */

/* A proper list of bytes 0..255 (list_to_float). */
static bool latin1_list(Term l, Buf *s) {
    for (; is_list(l); l = CDR(list_val(l))) {
        Term c = CAR(list_val(l));
        if (!is_small(c) || (UWord)small_val(c) > 255) return false;
        buf_put(s, (uint8_t)small_val(c));
    }
    return is_nil(l);
}

/* A proper list of characters as ERTS's list_to_integer reads it: any small
 * is taken modulo 256 ([$1, 256 + $2] is 12), but the sign must be exactly
 * $- or $+ as the first element. */
static bool integer_list(Term l, Buf *s) {
    bool first = true;
    for (; is_list(l); l = CDR(list_val(l)), first = false) {
        Term c = CAR(list_val(l));
        if (!is_small(c)) return false;
        uint8_t b = (uint8_t)small_val(c);
        if ((b == '-' || b == '+') && (!first || small_val(c) != b)) return false;
        buf_put(s, b);
    }
    return is_nil(l) && s->len > 0;
}

static bool get_base(Term t, unsigned *base) {
    if (!is_small(t) || small_val(t) < 2 || small_val(t) > 36) return false;
    *base = (unsigned)small_val(t);
    return true;
}

static Term make_char_list(TbProcess *p, const char *c, size_t n) {
    if (n == 0) return NIL;
    Term *hp = tb_halloc(p, 2 * n), l = NIL;
    for (size_t k = n; k-- > 0;) {
        hp[2 * k] = make_small((unsigned char)c[k]);
        hp[2 * k + 1] = l;
        l = make_list(hp + 2 * k);
    }
    return l;
}

/* Digits of integer i in base into a string term (list or binary). */
static Term integer_to_text(TbProcess *p, Term i, Term base_t, bool binary) {
    unsigned base = 10;
    if (!is_integer(i) || (base_t != TB_NONE && !get_base(base_t, &base))) BADARG(p);
    char local[128];
    size_t n = tb_integer_to_chars(i, base, local, sizeof local);
    char *c = local;
    if (n > sizeof local) {
        c = malloc(n);
        if (!c) abort();
        n = tb_integer_to_chars(i, base, c, n);
    }
    Term r = binary ? tb_new_binary(p, (const uint8_t *)c, n) : make_char_list(p, c, n);
    if (c != local) free(c);
    return r;
}
BIF_DECL(bif_erlang_integer_to_list_1) { return integer_to_text(p, args[0], TB_NONE, false); }
BIF_DECL(bif_erlang_integer_to_list_2) { return integer_to_text(p, args[0], args[1], false); }
BIF_DECL(bif_erlang_integer_to_binary_1) { return integer_to_text(p, args[0], TB_NONE, true); }
BIF_DECL(bif_erlang_integer_to_binary_2) { return integer_to_text(p, args[0], args[1], true); }

static Term list_to_integer(TbProcess *p, Term l, Term base_t) {
    unsigned base = 10;
    if (base_t != TB_NONE && !get_base(base_t, &base)) BADARG(p);
    Buf s;
    buf_init(&s);
    Term r = integer_list(l, &s) ? tb_chars_to_integer(p, (const char *)s.b, s.len, base)
                                 : tb_error(p, AM_badarg);
    buf_free(&s);
    return r;
}
BIF_DECL(bif_erlang_list_to_integer_1) { return list_to_integer(p, args[0], TB_NONE); }
BIF_DECL(bif_erlang_list_to_integer_2) { return list_to_integer(p, args[0], args[1]); }

static Term binary_to_integer(TbProcess *p, Term bin, Term base_t) {
    unsigned base = 10;
    if (base_t != TB_NONE && !get_base(base_t, &base)) BADARG(p);
    size_t len;
    uint8_t *tmp;
    const uint8_t *b = tb_binary_aligned_bytes(bin, &len, &tmp);
    if (!b) BADARG(p);
    Term r = tb_chars_to_integer(p, (const char *)b, len, base);
    free(tmp);
    return r;
}
BIF_DECL(bif_erlang_binary_to_integer_1) { return binary_to_integer(p, args[0], TB_NONE); }
BIF_DECL(bif_erlang_binary_to_integer_2) { return binary_to_integer(p, args[0], args[1]); }

/* ---- floats and text ---- */

/* float_to_list/2 options (see float_fmt.h): the last format wins, N is
 * shared between formats, compact only affects decimals. */
static int format_float(double d, Term opts, char *out) {
    enum { DEFAULT, SHORT, DECIMALS, SCIENTIFIC } fmt = DEFAULT;
    SWord n = 20;
    bool compact = false;
    for (; is_list(opts); opts = CDR(list_val(opts))) {
        Term o = CAR(list_val(opts));
        if (o == AM(compact)) compact = true;
        else if (o == AM(short)) fmt = SHORT;
        else if (is_tuple_arity(o, 2) && is_small(tuple_val(o)[2]) &&
                 (tuple_val(o)[1] == AM(decimals) || tuple_val(o)[1] == AM(scientific))) {
            fmt = tuple_val(o)[1] == AM(decimals) ? DECIMALS : SCIENTIFIC;
            n = small_val(tuple_val(o)[2]);
        } else return -1;
    }
    if (!is_nil(opts)) return -1;
    int prec = (int)(int32_t)n;                     /* ERTS passes N on as a C int */
    switch (fmt) {
    case SHORT: return tb_float_fmt_short(d, out, TB_FLOAT_BUF);
    case DECIMALS: return tb_float_fmt_decimals(d, prec, compact, out, TB_FLOAT_BUF);
    case SCIENTIFIC: return tb_float_fmt_scientific(d, prec, out, TB_FLOAT_BUF);
    default: return tb_float_fmt_default(d, out, TB_FLOAT_BUF);
    }
}

static Term float_to_text(TbProcess *p, Term f, Term opts, bool binary) {
    char out[TB_FLOAT_BUF];
    if (!is_float(f)) BADARG(p);
    int n = format_float(float_val(f), opts, out);
    if (n < 0) BADARG(p);
    return binary ? tb_new_binary(p, (const uint8_t *)out, (size_t)n) : make_char_list(p, out, (size_t)n);
}
BIF_DECL(bif_erlang_float_to_list_1) { return float_to_text(p, args[0], NIL, false); }
BIF_DECL(bif_erlang_float_to_list_2) { return float_to_text(p, args[0], args[1], false); }
BIF_DECL(bif_erlang_float_to_binary_1) { return float_to_text(p, args[0], NIL, true); }
BIF_DECL(bif_erlang_float_to_binary_2) { return float_to_text(p, args[0], args[1], true); }

static Term parsed_float(TbProcess *p, const uint8_t *s, size_t len) {
    double d;
    if (tb_float_parse((const char *)s, len, &d) < 0) BADARG(p);
    return tb_make_float(p, d);
}

BIF_DECL(bif_erlang_list_to_float_1) {
    Buf s;
    buf_init(&s);
    Term r = latin1_list(args[0], &s) ? parsed_float(p, s.b, s.len) : tb_error(p, AM_badarg);
    buf_free(&s);
    return r;
}

BIF_DECL(bif_erlang_binary_to_float_1) {
    size_t len;
    uint8_t *tmp;
    const uint8_t *b = tb_binary_aligned_bytes(args[0], &len, &tmp);
    if (!b) BADARG(p);
    Term r = parsed_float(p, b, len);
    free(tmp);
    return r;
}
