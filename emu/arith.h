/* arith.h — Erlang arithmetic on any terms, exactly as ERTS 25: the slow
 * paths the interpreter takes when its inline small-integer case fails, and
 * what the operator BIFs (erlang:'+'/2 ...) call.
 *
 * All return TB_NONE with the exception raised on p:
 *   badarith  — an operand is not a number; a float operand to an integer-only
 *               operator (div rem band bor bxor bsl bsr bnot); division by
 *               zero; a float result that is inf or nan; a bignum operand too
 *               large to convert to a float when mixed with a float;
 *   system_limit — an integer result over TB_BIG_MAX_LIMBS limbs
 *               (1 bsl (1 bsl 40), (1 bsl 33554367) * 2).
 * div and rem truncate toward zero (rem has the dividend's sign); bitwise
 * operators see negative integers in infinite two's complement; bsl with a
 * negative count shifts right and vice versa (-1 bsr 1000 = -1). */
#ifndef TB_ARITH_H
#define TB_ARITH_H
#include "term.h"
#include "process.h"

Term tb_arith_add(TbProcess *p, Term a, Term b);
Term tb_arith_sub(TbProcess *p, Term a, Term b);
Term tb_arith_mul(TbProcess *p, Term a, Term b);
Term tb_arith_fdiv(TbProcess *p, Term a, Term b);     /* '/': always a float */
Term tb_arith_idiv(TbProcess *p, Term a, Term b);     /* div */
Term tb_arith_rem(TbProcess *p, Term a, Term b);
Term tb_arith_band(TbProcess *p, Term a, Term b);
Term tb_arith_bor(TbProcess *p, Term a, Term b);
Term tb_arith_bxor(TbProcess *p, Term a, Term b);
Term tb_arith_bsl(TbProcess *p, Term a, Term b);
Term tb_arith_bsr(TbProcess *p, Term a, Term b);
Term tb_arith_bnot(TbProcess *p, Term a);
Term tb_arith_neg(TbProcess *p, Term a);              /* unary '-' */
Term tb_arith_abs(TbProcess *p, Term a);              /* abs/1 (badarg, as the BIF) */

/* A number as a double, as fconv and mixed arithmetic see it: false for a
 * non-number or a bignum beyond the double range. */
bool tb_number_to_double(Term t, double *out);
/* A boxed float on p's heap. */
Term tb_make_float(TbProcess *p, double d);
#endif
