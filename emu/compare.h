/* compare.h — Erlang term order and equality, exactly as ERTS 25.
 *
 * Order: number < atom < reference < fun < port < pid < tuple < map < nil
 *        < list < bitstring.
 *   - Integers and floats compare by exact mathematical value (1 == 1.0,
 *     2^53+1 > 9007199254740992.0, bignums vs floats exact too).
 *   - Atoms by their UTF-8 text (= code point order), then length.
 *   - References: n[2], n[1], n[0] as unsigned (the order they print).
 *   - Funs: local funs before export funs; local: module, index, old_uniq,
 *     number of free variables, then the environment; export: module,
 *     function, arity.
 *   - Ports by number; pids by pid data (serial, then number).
 *   - Tuples by size, then element-wise.  Maps by size, then keys (in
 *     map-key order, see tb_cmp_exact), then values in key order.
 *   - Lists element-wise (tails compared as terms: [1|a] vs [1|b]).
 *   - Bitstrings bit-wise over the common length, then by bit length.
 *
 * All walkers use an explicit stack: deep terms never grow the C stack
 * (except maps > 32 keys, compared by emu/map.c's tb_map_cmp).
 */
#ifndef TB_COMPARE_H
#define TB_COMPARE_H
#include "term.h"

/* <0, 0, >0.  1 == 1.0 compares equal. */
int tb_cmp(Term a, Term b);
/* == */
bool tb_eq(Term a, Term b);
/* =:= (1 =/= 1.0; 0.0 =:= -0.0 holds in OTP 25). */
bool tb_eq_exact(Term a, Term b);
/* Map-key order (ERTS CMP_TERM with exact=1): like tb_cmp, except that an
 * integer and a float never compare equal: every integer sorts before every
 * float (maps:keys(#{1.0=>a,1=>b,0.5=>c}) =:= [1,0.5,1.0]). */
int tb_cmp_exact(Term a, Term b);

/* Fast inline front-ends for the interpreter: identical words and small
 * integers never leave the header. */
static inline bool tb_eq_fast(Term a, Term b) {
    if (a == b) return true;
    if (is_immed(a) && is_immed(b)) return false;   /* distinct immediates */
    return tb_eq(a, b);
}
static inline bool tb_eq_exact_fast(Term a, Term b) {
    if (a == b) return true;
    if (is_immed(a) || is_immed(b)) return false;   /* an immediate =:= only itself */
    if (is_boxed(a) && is_boxed(b) && *boxed_val(a) != *boxed_val(b) &&
        header_sub(*boxed_val(a)) == HDR_SUB_TUPLE)
        return false;                               /* a tuple, and not one of this arity */
    return tb_eq_exact(a, b);
}
static inline int tb_cmp_fast(Term a, Term b) {
    if (is_small(a) && is_small(b)) return (SWord)a < (SWord)b ? -1 : (a != b);
    return tb_cmp(a, b);
}
#endif
