/* arith.c — Erlang arithmetic operators on any mix of smalls, bignums and
 * floats (the interpreter inlines the small/small cases it can). */
#include "arith.h"
#include "big.h"
#include "atom.h"
#include <gmp.h>
#include <math.h>
#include <stdlib.h>

static Term badarith(TbProcess *p) { return tb_error(p, AM(badarith)); }
static Term system_limit(TbProcess *p) { return tb_error(p, AM(system_limit)); }

/* Scratch limbs: on the stack when small, else malloc'd (huge operands). */
#define TMP_LIMBS 64
typedef struct { UWord *p; UWord stack[TMP_LIMBS]; } Tmp;
static UWord *tmp_get(Tmp *t, size_t n) {
    t->p = n <= TMP_LIMBS ? t->stack : malloc(n * sizeof(UWord));
    if (!t->p) abort();
    return t->p;
}
static void tmp_free(Tmp *t) { if (t->p && t->p != t->stack) free(t->p); }

static int mag_cmp(const TbIntView *a, const TbIntView *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    return a->n ? mpn_cmp(a->d, b->d, (mp_size_t)a->n) : 0;
}

/* ---- floats ---- */

Term tb_make_float(TbProcess *p, double d) {
    return make_float_at(tb_halloc(p, FLOAT_WORDS), d);
}

bool tb_number_to_double(Term t, double *out) {
    if (is_small(t)) { *out = (double)small_val(t); return true; }
    if (is_float(t)) { *out = float_val(t); return true; }
    if (is_big(t)) return tb_integer_to_double(t, out);
    return false;
}

enum { F_ADD, F_SUB, F_MUL, F_DIV };
static Term float_op(TbProcess *p, Term a, Term b, int op) {
    double x, y, r;
    if (!tb_number_to_double(a, &x) || !tb_number_to_double(b, &y)) return badarith(p);
    switch (op) {
    case F_ADD: r = x + y; break;
    case F_SUB: r = x - y; break;
    case F_MUL: r = x * y; break;
    default: r = x / y; break;
    }
    if (!isfinite(r)) return badarith(p);
    return tb_make_float(p, r);
}

/* ---- sign and magnitude helpers ---- */

static Term copy_negated(TbProcess *p, Term big) {
    return tb_big_from_limbs(p, big_limbs(big), big_size(big), !big_sign(big));
}

static Term int_negate(TbProcess *p, Term t) {
    if (is_small(t)) return tb_make_integer(p, -small_val(t));
    return copy_negated(p, t);
}

/* a + b, or a - b when sub; both integers. */
static Term int_addsub(TbProcess *p, Term a, Term b, bool sub) {
    if (is_small(a) && is_small(b)) {
        SWord x = small_val(a), y = small_val(b);
        return tb_make_integer(p, sub ? x - y : x + y);
    }
    TbIntView va, vb;
    tb_int_view(a, &va);
    tb_int_view(b, &vb);
    bool bneg = vb.neg ^ sub;
    if (vb.n == 0) return a;
    if (va.n == 0) return sub ? int_negate(p, b) : b;
    const TbIntView *x = &va, *y = &vb;
    if (va.neg == bneg) {                           /* same sign: magnitudes add */
        if (x->n < y->n) { x = &vb; y = &va; }
        size_t alloc = x->n + 1;
        Term *hp = tb_big_alloc(p, alloc);
        UWord *r = hp + 1;
        r[x->n] = mpn_add(r, x->d, (mp_size_t)x->n, y->d, (mp_size_t)y->n);
        return tb_big_finish(p, hp, alloc, alloc, va.neg);
    }
    int c = mag_cmp(&va, &vb);
    if (c == 0) return make_small(0);
    bool rneg = va.neg;
    if (c < 0) { x = &vb; y = &va; rneg = bneg; }
    Term *hp = tb_big_alloc(p, x->n);
    mpn_sub(hp + 1, x->d, (mp_size_t)x->n, y->d, (mp_size_t)y->n);
    return tb_big_finish(p, hp, x->n, x->n, rneg);
}

Term tb_arith_add(TbProcess *p, Term a, Term b) {
    if (is_integer(a) && is_integer(b)) return int_addsub(p, a, b, false);
    return float_op(p, a, b, F_ADD);
}

Term tb_arith_sub(TbProcess *p, Term a, Term b) {
    if (is_integer(a) && is_integer(b)) return int_addsub(p, a, b, true);
    return float_op(p, a, b, F_SUB);
}

Term tb_arith_mul(TbProcess *p, Term a, Term b) {
    if (!is_integer(a) || !is_integer(b)) return float_op(p, a, b, F_MUL);
    if (is_small(a) && is_small(b))
        return tb_make_integer128(p, (__int128)small_val(a) * small_val(b));
    TbIntView va, vb;
    tb_int_view(a, &va);
    tb_int_view(b, &vb);
    if (va.n == 0 || vb.n == 0) return make_small(0);
    if (va.n + vb.n - 1 > TB_BIG_MAX_LIMBS) return system_limit(p);   /* the product has at least this many */
    const TbIntView *x = &va, *y = &vb;
    if (x->n < y->n) { x = &vb; y = &va; }
    size_t alloc = x->n + y->n;
    Term *hp = tb_big_alloc(p, alloc);
    UWord *r = hp + 1;
    if (y->n == 1) r[x->n] = mpn_mul_1(r, x->d, (mp_size_t)x->n, y->d[0]);
    else if (x->d == y->d) mpn_sqr(r, x->d, (mp_size_t)x->n);
    else mpn_mul(r, x->d, (mp_size_t)x->n, y->d, (mp_size_t)y->n);
    return tb_big_finish(p, hp, alloc, alloc, va.neg != vb.neg);
}

Term tb_arith_fdiv(TbProcess *p, Term a, Term b) {
    return float_op(p, a, b, F_DIV);
}

/* ---- div and rem: truncating, rem takes the dividend's sign ---- */

static Term int_divrem(TbProcess *p, Term a, Term b, bool want_rem) {
    if (!is_integer(a) || !is_integer(b)) return badarith(p);
    if (is_small(a) && is_small(b)) {
        SWord x = small_val(a), y = small_val(b);
        if (y == 0) return badarith(p);
        return want_rem ? make_small(x % y) : tb_make_integer(p, x / y);
    }
    TbIntView va, vb;
    tb_int_view(a, &va);
    tb_int_view(b, &vb);
    if (vb.n == 0) return badarith(p);
    if (mag_cmp(&va, &vb) < 0) return want_rem ? a : make_small(0);
    size_t nn = va.n, dn = vb.n, qn = nn - dn + 1;
    Tmp t;
    Term *hp, res;
    if (want_rem) {
        UWord *q = tmp_get(&t, qn);
        hp = tb_big_alloc(p, dn);
        mpn_tdiv_qr(q, hp + 1, 0, va.d, (mp_size_t)nn, vb.d, (mp_size_t)dn);
        res = tb_big_finish(p, hp, dn, dn, va.neg);
    } else {
        UWord *r = tmp_get(&t, dn);
        hp = tb_big_alloc(p, qn);
        mpn_tdiv_qr(hp + 1, r, 0, va.d, (mp_size_t)nn, vb.d, (mp_size_t)dn);
        res = tb_big_finish(p, hp, qn, qn, va.neg != vb.neg);
    }
    tmp_free(&t);
    return res;
}

Term tb_arith_idiv(TbProcess *p, Term a, Term b) { return int_divrem(p, a, b, false); }
Term tb_arith_rem(TbProcess *p, Term a, Term b) { return int_divrem(p, a, b, true); }

/* ---- bitwise: negative x is ~(|x| - 1) in infinite two's complement ---- */

enum { B_AND, B_OR, B_XOR };

static Term bitop(TbProcess *p, Term a, Term b, int op) {
    if (!is_integer(a) || !is_integer(b)) return badarith(p);
    if (is_small(a) && is_small(b)) {
        SWord x = small_val(a), y = small_val(b);
        return make_small(op == B_AND ? x & y : op == B_OR ? x | y : x ^ y);
    }
    TbIntView va, vb, *A = &va, *B = &vb;
    tb_int_view(a, &va);
    tb_int_view(b, &vb);
    if (va.neg && !vb.neg) { A = &vb; B = &va; }
    /* now: (pos, pos), (pos, neg) or (neg, neg); negatives become |x| - 1 */
    Tmp ta = {0}, tb = {0};
    const UWord *x = A->d, *y = B->d;
    if (A->neg) { UWord *t = tmp_get(&ta, A->n); mpn_sub_1(t, A->d, (mp_size_t)A->n, 1); x = t; }
    if (B->neg) { UWord *t = tmp_get(&tb, B->n); mpn_sub_1(t, B->d, (mp_size_t)B->n, 1); y = t; }
    size_t xn = A->n, yn = B->n, n = xn > yn ? xn : yn;
    Term *hp = tb_big_alloc(p, n + 1);
    UWord *r = hp + 1;
    int kind = A->neg + B->neg;                     /* 0 pp, 1 pn, 2 nn */
    bool rneg;
#define LOOP(expr) for (size_t i = 0; i < n; i++) { UWord X = i < xn ? x[i] : 0, Y = i < yn ? y[i] : 0; r[i] = (expr); }
    switch (op) {
    case B_AND:
        if (kind == 0) { LOOP(X & Y); rneg = false; }
        else if (kind == 1) { LOOP(X & ~Y); rneg = false; }    /* a & ~b' */
        else { LOOP(X | Y); rneg = true; }                      /* ~(a' | b') */
        break;
    case B_OR:
        if (kind == 0) { LOOP(X | Y); rneg = false; }
        else if (kind == 1) { LOOP(Y & ~X); rneg = true; }     /* ~(b' & ~a) */
        else { LOOP(X & Y); rneg = true; }                      /* ~(a' & b') */
        break;
    default:
        if (kind == 1) { LOOP(X ^ Y); rneg = true; }           /* ~(a ^ b') */
        else { LOOP(X ^ Y); rneg = false; }
        break;
    }
#undef LOOP
    r[n] = 0;
    if (rneg) mpn_add_1(r, r, (mp_size_t)(n + 1), 1);      /* ~v is -(v + 1) */
    tmp_free(&ta);
    tmp_free(&tb);
    return tb_big_finish(p, hp, n + 1, n + 1, rneg);
}

Term tb_arith_band(TbProcess *p, Term a, Term b) { return bitop(p, a, b, B_AND); }
Term tb_arith_bor(TbProcess *p, Term a, Term b) { return bitop(p, a, b, B_OR); }
Term tb_arith_bxor(TbProcess *p, Term a, Term b) { return bitop(p, a, b, B_XOR); }

Term tb_arith_bnot(TbProcess *p, Term a) {
    if (is_small(a)) return make_small(~small_val(a));
    if (!is_big(a)) return badarith(p);
    size_t n = big_size(a);
    const UWord *l = big_limbs(a);
    Term *hp = tb_big_alloc(p, n + 1);
    UWord *r = hp + 1;
    if (big_sign(a)) {                              /* bnot -m = m - 1 */
        mpn_sub_1(r, l, (mp_size_t)n, 1);
        return tb_big_finish(p, hp, n + 1, n, false);
    }
    r[n] = mpn_add_1(r, l, (mp_size_t)n, 1);        /* bnot m = -(m + 1) */
    return tb_big_finish(p, hp, n + 1, n + 1, true);
}

/* ---- shifts ---- */

/* a * 2^s (s > 0) or floor(a / 2^-s) (s < 0); a an integer. */
static Term shift_by(TbProcess *p, Term a, SWord s) {
    if (s == 0 || a == make_small(0)) return a;
    if (is_small(a)) {
        SWord v = small_val(a);
        if (s < 0) return make_small(s <= -64 ? (v < 0 ? -1 : 0) : v >> -s);
        if (s < 64) return tb_make_integer128(p, (__int128)v * ((__int128)1 << s));
    }
    TbIntView va;
    tb_int_view(a, &va);
    UWord bits = (UWord)(va.n - 1) * 64 + (UWord)(64 - __builtin_clzll(va.d[va.n - 1]));
    if (s > 0) {
        if ((UWord)s > TB_BIG_MAX_LIMBS * 64 || (bits + (UWord)s + 63) / 64 > TB_BIG_MAX_LIMBS)
            return system_limit(p);
        size_t w = (size_t)s / 64, sh = (size_t)s % 64, alloc = va.n + w + 1;
        Term *hp = tb_big_alloc(p, alloc);
        UWord *r = hp + 1;
        memset(r, 0, w * sizeof(UWord));
        if (sh) r[w + va.n] = mpn_lshift(r + w, va.d, (mp_size_t)va.n, (unsigned)sh);
        else { memcpy(r + w, va.d, va.n * sizeof(UWord)); r[w + va.n] = 0; }
        return tb_big_finish(p, hp, alloc, alloc, va.neg);
    }
    UWord n = -(UWord)s;
    if (n >= bits) return make_small(va.neg ? -1 : 0);
    size_t w = n / 64, sh = n % 64, qn = va.n - w;
    Term *hp = tb_big_alloc(p, qn + 1);
    UWord *r = hp + 1;
    if (sh) mpn_rshift(r, va.d + w, (mp_size_t)qn, (unsigned)sh);
    else memcpy(r, va.d + w, qn * sizeof(UWord));
    r[qn] = 0;
    if (va.neg) {                                   /* round toward -infinity */
        bool lost = sh && (va.d[w] & (((UWord)1 << sh) - 1));
        for (size_t i = 0; i < w && !lost; i++) lost = va.d[i] != 0;
        if (lost) mpn_add_1(r, r, (mp_size_t)(qn + 1), 1);
    }
    return tb_big_finish(p, hp, qn + 1, qn + 1, va.neg);
}

static Term shift(TbProcess *p, Term a, Term b, bool right) {
    if (!is_integer(a) || !is_integer(b)) return badarith(p);
    if (is_big(b)) {                                /* a count no real shift can have */
        if (a == make_small(0)) return a;
        if (big_sign(b) == right) return system_limit(p);
        bool neg = is_small(a) ? small_val(a) < 0 : big_sign(a);
        return make_small(neg ? -1 : 0);
    }
    SWord s = small_val(b);
    return shift_by(p, a, right ? -s : s);
}

Term tb_arith_bsl(TbProcess *p, Term a, Term b) { return shift(p, a, b, false); }
Term tb_arith_bsr(TbProcess *p, Term a, Term b) { return shift(p, a, b, true); }

/* ---- unary ---- */

Term tb_arith_neg(TbProcess *p, Term a) {
    if (is_small(a)) return tb_make_integer(p, -small_val(a));
    if (is_float(a)) return tb_make_float(p, -float_val(a));
    if (is_big(a)) return copy_negated(p, a);
    return badarith(p);
}

Term tb_arith_abs(TbProcess *p, Term a) {
    if (is_small(a)) return small_val(a) < 0 ? tb_make_integer(p, -small_val(a)) : a;
    if (is_float(a)) return float_val(a) < 0.0 ? tb_make_float(p, -float_val(a)) : a;   /* abs(-0.0) is -0.0 */
    if (is_big(a)) return big_sign(a) ? copy_negated(p, a) : a;
    BADARG(p);
}
