/* bif_math.c — the math module's BIFs (math:pi/0 is Erlang code).
 * As ERTS: a non-number argument is badarg; a bignum beyond the double
 * range, or a result that is inf or nan, is badarith. */
#include "bif.h"
#include "../emu/arith.h"
#include <math.h>

/* Arguments are checked left to right, each fully. */
static bool math_arg(TbProcess *p, Term t, double *d) {
    if (tb_number_to_double(t, d)) return true;
    tb_error(p, is_integer(t) ? AM(badarith) : AM_badarg);
    return false;
}

static Term math_result(TbProcess *p, double r) {
    if (!isfinite(r)) BADARITH(p);
    return tb_make_float(p, r);
}

#define MATH1(name, fn)                                            \
    BIF_DECL(bif_math_##name##_1) {                                \
        double x;                                                  \
        if (!math_arg(p, args[0], &x)) return TB_NONE;             \
        return math_result(p, fn(x));                              \
    }
#define MATH2(name, fn)                                            \
    BIF_DECL(bif_math_##name##_2) {                                \
        double x, y;                                               \
        if (!math_arg(p, args[0], &x) || !math_arg(p, args[1], &y)) return TB_NONE; \
        return math_result(p, fn(x, y));                           \
    }

MATH1(sin, sin)
MATH1(cos, cos)
MATH1(tan, tan)
MATH1(asin, asin)
MATH1(acos, acos)
MATH1(atan, atan)
MATH1(sinh, sinh)
MATH1(cosh, cosh)
MATH1(tanh, tanh)
MATH1(asinh, asinh)
MATH1(acosh, acosh)
MATH1(atanh, atanh)
MATH1(exp, exp)
MATH1(log, log)
MATH1(log2, log2)
MATH1(log10, log10)
MATH1(sqrt, sqrt)
MATH1(erf, erf)
MATH1(erfc, erfc)
MATH1(ceil, ceil)
MATH1(floor, floor)
MATH2(atan2, atan2)
MATH2(pow, pow)
MATH2(fmod, fmod)
