/* big.h — integers beyond small: bignums on the process heap and the
 * conversions every other part of the VM needs (text, doubles, bytes).
 *
 * A bignum is make_header(n, HDR_SUB_POS_BIG / HDR_SUB_NEG_BIG) followed by
 * n GMP limbs (64-bit, least significant first), always normalised: no high
 * zero limb, and never a value that fits in a small.  Arithmetic uses GMP's
 * mpn layer only.  Like ERTS, no integer may have more than TB_BIG_MAX_LIMBS
 * limbs (2^33554368 - 1 is the largest): beyond that, system_limit.
 *
 * Functions that build a term allocate with tb_halloc (never GC).  Those
 * returning TB_NONE have raised the exception on p (p->freason/fvalue). */
#ifndef TB_BIG_H
#define TB_BIG_H
#include "term.h"
#include "process.h"

#define TB_BIG_MAX_LIMBS ((size_t)(1u << 19) - 1)     /* ERTS BIG_ARITY_MAX */

/* ---- making integers ---- */
Term tb_make_integer(TbProcess *p, SWord v);
Term tb_make_uinteger(TbProcess *p, UWord v);
/* Value of a 128-bit two's complement integer (products of smalls). */
Term tb_make_integer128(TbProcess *p, __int128 v);
/* Any magnitude (high zero limbs allowed) and sign; small when it fits,
 * 0 for n == 0.  TB_NONE + system_limit if over TB_BIG_MAX_LIMBS. */
Term tb_big_from_limbs(TbProcess *p, const UWord *limbs, size_t n, bool neg);
/* Magnitude from little-endian bytes (bit syntax, external format, loader).
 * TB_NONE + system_limit if over TB_BIG_MAX_LIMBS. */
Term tb_integer_from_bytes(TbProcess *p, const uint8_t *le_bytes, size_t n, bool negative);
/* Two's complement little-endian bytes (signed: the top bit of the last
 * byte is the sign; unsigned: plain magnitude). */
Term tb_integer_from_twos_le(TbProcess *p, const uint8_t *le_bytes, size_t n, bool is_signed);
/* Exact integer of a finite double, truncated toward zero. */
Term tb_double_to_integer(TbProcess *p, double d);

/* ---- reading integers (i is a small or a bignum) ---- */
/* Term order between two integers: <0, 0, >0. */
int tb_big_cmp(Term a, Term b);
/* The double ERTS gets (its limb-by-limb sum: not always correctly rounded);
 * false when that overflows (float(1 bsl 1024) is badarg). */
bool tb_integer_to_double(Term i, double *out);
bool tb_integer_to_int64(Term i, int64_t *out);       /* false if out of range */
bool tb_integer_to_uint64(Term i, uint64_t *out);     /* false if negative or too big */
/* Minimal magnitude bytes, little-endian (0 bytes for 0).  Returns the
 * number of bytes; writes them only if cap is enough (cap 0: size query). */
size_t tb_integer_magnitude_bytes(Term i, uint8_t *le_out, size_t cap, bool *negative);
/* The low nbytes of i's infinite two's complement form, little-endian
 * (what <<I:N/little>> stores; sign-extends, truncates silently). */
void tb_integer_twos_le(Term i, uint8_t *le_out, size_t nbytes);
/* Number of bits of |i| (0 for 0). */
UWord tb_integer_bit_length(Term i);

/* ---- text ---- */
/* Digits of i in base 2..36, upper case ("FF"), '-' for negatives, no NUL.
 * If cap is too small (e.g. 0) nothing is written and an upper bound of the
 * length is returned; otherwise the exact length. */
size_t tb_integer_to_chars(Term i, unsigned base, char *buf, size_t cap);
/* list_to_integer syntax: [+-]?[0-9a-zA-Z]+ in base 2..36, nothing else.
 * Returns TB_NONE with badarg raised when s is not an integer, or
 * system_limit when it is too large. */
Term tb_chars_to_integer(TbProcess *p, const char *s, size_t len, unsigned base);

/* ---- for arith.c: building results in place ----
 * A view of any integer's magnitude: small ones use the inline limb. */
typedef struct TbIntView {
    const UWord *d;
    size_t n;            /* limbs, 0 for zero */
    bool neg;
    UWord one;
} TbIntView;
static inline void tb_int_view(Term t, TbIntView *v) {
    if (is_small(t)) {
        SWord s = small_val(t);
        v->neg = s < 0;
        v->one = s < 0 ? -(UWord)s : (UWord)s;
        v->d = &v->one;
        v->n = s != 0;
    } else {
        v->neg = big_sign(t);
        v->d = big_limbs(t);
        v->n = big_size(t);
    }
}
/* Heap room for a bignum of up to n limbs; the limbs are at hp + 1. */
static inline Term *tb_big_alloc(TbProcess *p, size_t n) { return tb_halloc(p, n + 1); }
/* Normalise the n limbs written at hp + 1 (of `alloc` reserved), give the
 * unused words back and return the term (a small if it fits).  TB_NONE +
 * system_limit if the value has more than TB_BIG_MAX_LIMBS limbs. */
Term tb_big_finish(TbProcess *p, Term *hp, size_t alloc, size_t n, bool neg);
#endif
