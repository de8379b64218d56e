/* bif_string.c — string:list_to_integer/1 and string:list_to_float/1, the
 * C halves of string:to_integer/1 and string:to_float/1: read a number from
 * the front of a character list and return it with the rest of the list, or
 * {error, no_integer | no_float | not_a_list}, as ERTS's bif.c does. */
#include "bif.h"
#include "bytebuf.h"
#include "../emu/big.h"
#include "../emu/float_fmt.h"
#include "../emu/arith.h"
#include <stdlib.h>

static Term error_tuple(TbProcess *p, Term why) { return tb_tuple2(p, AM(error), why); }
static bool char_is(Term c, char ch) { return c == make_small((unsigned char)ch); }
/* digits are read modulo 256, as ERTS's list_to_integer does ([$1, 256 + $2] is 12) */
static bool is_digit_char(Term c) { return is_small(c) && (((UWord)small_val(c) & 0xFF) - '0') < 10; }

/* [+-]? DIGIT+ then anything; an improper tail after the digits is the rest. */
BIF_DECL(bif_string_list_to_integer_1) {
    Term l = args[0];
    if (l == NIL) return error_tuple(p, CATOM("no_integer"));
    if (!is_list(l)) return error_tuple(p, CATOM("not_a_list"));
    Buf c;
    buf_init(&c);
    Term h = CAR(list_val(l));
    if (char_is(h, '-') || char_is(h, '+')) {
        buf_put(&c, (uint8_t)small_val(h));
        l = CDR(list_val(l));
    }
    size_t digits = 0;
    for (; is_list(l) && is_digit_char(CAR(list_val(l))); l = CDR(list_val(l)), digits++)
        buf_put(&c, (uint8_t)(small_val(CAR(list_val(l))) & 0xFF));
    Term r = digits ? tb_chars_to_integer(p, (const char *)c.b, c.len, 10) : TB_NONE;
    buf_free(&c);
    if (r == TB_NONE) return error_tuple(p, CATOM("no_integer"));
    return tb_tuple2(p, r, l);
}

/* ERTS's scanner: [+-]? INT [.,] FRAC ([eE] [+-]? EXP)?, the longest prefix
 * of that shape; an `e` not followed by an exponent is left in the rest. */
enum { SIGN, INT, FRAC, EXP_SIGN, EXP0, EXP1, END };

BIF_DECL(bif_string_list_to_float_1) {
    Term l = args[0];
    if (l == NIL) return error_tuple(p, CATOM("no_float"));
    if (!is_list(l)) return error_tuple(p, CATOM("not_a_list"));
    Buf c;
    buf_init(&c);
    int part = SIGN;
    size_t at_e = 0;            /* where an e started, to give it back */
    Term l_at_e = NIL;
    for (;;) {
        Term h = CAR(list_val(l));
        if (!is_small(h)) break;
        SWord ch = small_val(h);
        bool skip = false;
        if (ch == '-' || ch == '+') {
            if (part == SIGN) { part = INT; skip = ch == '+'; }
            else if (part == EXP_SIGN) part = EXP0;
            else { if (part == EXP0) { c.len = at_e; l = l_at_e; } part = END; }
        } else if (ch == '.' || ch == ',') {
            if (part == INT) part = FRAC;
            else { if (part == EXP_SIGN || part == EXP0) { c.len = at_e; l = l_at_e; } part = END; }
        } else if (ch == 'e' || ch == 'E') {
            if (part == FRAC) { at_e = c.len; l_at_e = l; part = EXP_SIGN; }
            else { if (part == EXP0 || part == EXP_SIGN) { c.len = at_e; l = l_at_e; } part = END; }
        } else if (ch >= '0' && ch <= '9') {
            if (part == SIGN) part = INT;
            else if (part == EXP_SIGN || part == EXP0) part = EXP1;
        } else {
            break;
        }
        if (part == END) {
            if (c.len < 3) { buf_free(&c); return error_tuple(p, CATOM("no_float")); }
            goto done;
        }
        if (!skip) buf_put(&c, (uint8_t)ch);
        l = CDR(list_val(l));
        if (!is_list(l)) break;
    }
    if (part == EXP_SIGN || part == EXP0) { c.len = at_e; l = l_at_e; }
done:;
    double d;
    bool ok = c.len > 0 && tb_float_parse((const char *)c.b, c.len, &d) == 0;
    buf_free(&c);
    if (!ok) return error_tuple(p, CATOM("no_float"));
    return tb_tuple2(p, tb_make_float(p, d), l);
}
