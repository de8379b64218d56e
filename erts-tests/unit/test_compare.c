/* test_compare.c — term order against real erl 25: for every pair of the
 * terms in hg_cmp_terms (test_hash_data.h, from erts-tests/diff/hash_gen.sh)
 * erl's </==/>, =:= and map-key order (maps:keys of a 2-key map). */
#include <criterion/criterion.h>
#include "test_terms.h"
#include "test_hash_data.h"

/* BIFs under test (bifs/bif_compare.c) */
Term bif_eq_2(TbProcess *p, Term *a);
Term bif_neq_2(TbProcess *p, Term *a);
Term bif_exeq_2(TbProcess *p, Term *a);
Term bif_exneq_2(TbProcess *p, Term *a);
Term bif_lt_2(TbProcess *p, Term *a);
Term bif_gt_2(TbProcess *p, Term *a);
Term bif_le_2(TbProcess *p, Term *a);
Term bif_ge_2(TbProcess *p, Term *a);
Term bif_min_2(TbProcess *p, Term *a);
Term bif_max_2(TbProcess *p, Term *a);

#define NCMP (sizeof hg_cmp_terms / sizeof hg_cmp_terms[0])

TestSuite(compare, .init = tt_setup);

static Term terms[NCMP];

static void load(void) {
    for (size_t i = 0; i < NCMP; i++) terms[i] = tt_etf(hg_cmp_terms[i]);
}

static char sign_char(int c) { return c < 0 ? '<' : c > 0 ? '>' : '='; }

Test(compare, erl_matrix) {
    load();
    size_t checked = 0;
    for (size_t i = 0; i < NCMP; i++) {
        for (size_t j = 0; j < NCMP; j++) {
            Term a = terms[i], b = terms[j];
            char ord = hg_cmp_order[i][j], xord = hg_cmp_key_order[i][j];
            bool xeq = hg_cmp_exact_eq[i][j] == '1';
            cr_expect_eq(sign_char(tb_cmp(a, b)), ord, "cmp %zu %zu", i, j);
            cr_expect_eq(sign_char(tb_cmp_fast(a, b)), ord, "cmp_fast %zu %zu", i, j);
            cr_expect_eq(tb_eq(a, b), ord == '=', "eq %zu %zu", i, j);
            cr_expect_eq(tb_eq_fast(a, b), ord == '=', "eq_fast %zu %zu", i, j);
            cr_expect_eq(tb_eq_exact(a, b), xeq, "eq_exact %zu %zu", i, j);
            cr_expect_eq(tb_eq_exact_fast(a, b), xeq, "eq_exact_fast %zu %zu", i, j);
            cr_expect_eq(sign_char(tb_cmp_exact(a, b)), xord, "cmp_exact %zu %zu", i, j);
            checked++;
        }
    }
    cr_expect_gt(checked, 10000);
}

/* Bitstrings at odd bit offsets compare exactly like aligned ones. */
Test(compare, unaligned_bitstrings) {
    load();
    for (size_t i = 0; i < NCMP; i++) {
        if (!is_bitstring(terms[i])) continue;
        for (size_t j = 0; j < NCMP; j++) {
            Term ua = tt_unaligned(terms[i], 1 + (unsigned)(i % 7));
            Term ub = is_bitstring(terms[j]) ? tt_unaligned(terms[j], 1 + (unsigned)(j % 5)) : terms[j];
            cr_expect_eq(sign_char(tb_cmp(ua, ub)), hg_cmp_order[i][j], "%zu %zu", i, j);
            cr_expect_eq(tb_eq_exact(ua, ub), hg_cmp_exact_eq[i][j] == '1', "%zu %zu", i, j);
        }
    }
}

static Term call2(Term (*f)(TbProcess *, Term *), Term a, Term b) {
    Term args[2] = { a, b };
    return f(tt_p, args);
}

Test(compare, bifs) {
    load();
    for (size_t i = 0; i < NCMP; i++) {
        for (size_t j = 0; j < NCMP; j++) {
            Term a = terms[i], b = terms[j];
            char o = hg_cmp_order[i][j];
            bool x = hg_cmp_exact_eq[i][j] == '1';
            cr_expect_eq(call2(bif_eq_2, a, b), o == '=' ? AM_true : AM_false);
            cr_expect_eq(call2(bif_neq_2, a, b), o != '=' ? AM_true : AM_false);
            cr_expect_eq(call2(bif_exeq_2, a, b), x ? AM_true : AM_false);
            cr_expect_eq(call2(bif_exneq_2, a, b), !x ? AM_true : AM_false);
            cr_expect_eq(call2(bif_lt_2, a, b), o == '<' ? AM_true : AM_false);
            cr_expect_eq(call2(bif_gt_2, a, b), o == '>' ? AM_true : AM_false);
            cr_expect_eq(call2(bif_le_2, a, b), o != '>' ? AM_true : AM_false);
            cr_expect_eq(call2(bif_ge_2, a, b), o != '<' ? AM_true : AM_false);
            /* erl: both return the first argument when they compare equal */
            cr_expect_eq(call2(bif_min_2, a, b), o == '>' ? b : a);
            cr_expect_eq(call2(bif_max_2, a, b), o == '<' ? b : a);
        }
    }
    /* max(1, 1.0) =:= 1, max(1.0, 1) =:= 1.0, min likewise (erl 25) */
    Term one = make_small(1), fone = tt_float(1.0);
    cr_expect_eq(call2(bif_max_2, one, fone), one);
    cr_expect_eq(call2(bif_max_2, fone, one), fone);
    cr_expect_eq(call2(bif_min_2, one, fone), one);
    cr_expect_eq(call2(bif_min_2, fone, one), fone);
}

/* ---- deep and long terms: explicit stack, no C recursion ---- */

static Term deep_list(size_t n, Term bottom) {
    Term t = bottom;
    for (size_t i = 0; i < n; i++) t = tt_list(&t, 1, NIL);
    return t;
}
static Term deep_tuple(size_t n, Term bottom) {
    Term t = bottom;
    for (size_t i = 0; i < n; i++) { Term e[2] = { make_small(7), t }; t = tt_tuple(e, 2); }
    return t;
}
static Term deep_map(size_t n, Term bottom) {
    Term t = bottom, k = tb_atom_cstr("k");
    for (size_t i = 0; i < n; i++) t = tt_map(&k, &t, 1);
    return t;
}
static Term long_list(size_t n, Term last) {
    Term *el = malloc(n * sizeof(Term));
    for (size_t i = 0; i < n; i++) el[i] = i + 1 == n ? last : tt_tuple((Term[]){ make_small((SWord)i) }, 1);
    Term l = tt_list(el, n, NIL);
    free(el);
    return l;
}

Test(compare, deep_terms) {
    size_t n = 1000000;
    Term one = make_small(1), fone = tt_float(1.0), two = make_small(2);
    Term builders_a[4], builders_b[4], builders_c[4];
    builders_a[0] = deep_list(n, one);   builders_b[0] = deep_list(n, fone);   builders_c[0] = deep_list(n, two);
    builders_a[1] = deep_tuple(n, one);  builders_b[1] = deep_tuple(n, fone);  builders_c[1] = deep_tuple(n, two);
    builders_a[2] = deep_map(n, one);    builders_b[2] = deep_map(n, fone);    builders_c[2] = deep_map(n, two);
    builders_a[3] = long_list(n, one);   builders_b[3] = long_list(n, fone);   builders_c[3] = long_list(n, two);
    for (int k = 0; k < 4; k++) {
        Term a = builders_a[k], b = builders_b[k], c = builders_c[k];
        cr_expect(tb_eq(a, b), "kind %d", k);                 /* 1 == 1.0 at the bottom */
        cr_expect(!tb_eq_exact(a, b), "kind %d", k);
        cr_expect(tb_eq_exact(a, a), "kind %d", k);
        cr_expect_eq(tb_cmp(a, b), 0, "kind %d", k);
        cr_expect_lt(tb_cmp_exact(a, b), 0, "kind %d", k);    /* integer before float */
        cr_expect_lt(tb_cmp(a, c), 0, "kind %d", k);
        cr_expect_gt(tb_cmp(c, b), 0, "kind %d", k);
    }
}

/* Numbers: exact value comparison at the edges (erl 25 results). */
Test(compare, number_edges) {
    /* 2^53 + 1 > 9007199254740992.0; 2^59 == 5.764607523034235e17 */
    Term a = make_small(((SWord)1 << 53) + 1), f = tt_float(9007199254740992.0);
    cr_expect_gt(tb_cmp(a, f), 0);
    cr_expect_lt(tb_cmp(f, a), 0);
    Term big59 = tt_integer((const uint8_t *)"\0\0\0\0\0\0\0\x08", 8, false);
    cr_expect(is_big(big59));
    cr_expect(tb_eq(big59, tt_float(576460752303423488.0)));
    cr_expect_lt(tb_cmp(big59, tt_float(576460752303423616.0)), 0);
    cr_expect_gt(tb_cmp(big59, tt_float(576460752303423360.0)), 0);
    cr_expect_lt(tb_cmp(make_small(MAX_SMALL), tt_float(576460752303423488.0)), 0);
    cr_expect_eq(tb_cmp(make_small(MIN_SMALL), tt_float(-576460752303423488.0)), 0);
    cr_expect_gt(tb_cmp(make_small(2), tt_float(1.5)), 0);
    cr_expect_lt(tb_cmp(make_small(-2), tt_float(-1.5)), 0);
    cr_expect_gt(tb_cmp(make_small(-1), tt_float(-1.5)), 0);
    cr_expect_lt(tb_cmp(make_small(0), tt_float(5e-324)), 0);
    cr_expect_gt(tb_cmp(make_small(0), tt_float(-5e-324)), 0);
    cr_expect(tb_eq(make_small(0), tt_float(-0.0)));
    cr_expect(tb_eq_exact(tt_float(0.0), tt_float(-0.0)));   /* OTP 25 */
    /* 2^1100 vs 1.0e308 and the largest double */
    uint8_t b[139] = { 0 };
    b[137] = 0x10;                                             /* 2^1100 */
    Term huge = tt_integer(b, 139, false), nhuge = tt_integer(b, 139, true);
    cr_expect_gt(tb_cmp(huge, tt_float(1.7976931348623157e308)), 0);
    cr_expect_lt(tb_cmp(nhuge, tt_float(-1.7976931348623157e308)), 0);
    cr_expect_gt(tb_cmp(huge, tt_float(-1.0)), 0);
    cr_expect_lt(tb_cmp(nhuge, tt_float(0.5)), 0);
}

/* Hash maps (> 32 keys) in map-key order: the smallest key whose values
 * differ exactly decides (erl 25: B = #{1..33 => same}, A = B#{5 => 5.0,
 * 20 => 19}: A < B, but A sorts after B as a map key). */
/* #{1..n => I} minus key `skip`, plus key `extra`, with 5 => f5 (if f5 != 0) and 20 => v20 */
static Term map_1_to_n(size_t n, SWord skip, SWord extra, double f5, SWord v20) {
    Term ks[40], vs[40];
    size_t m = 0;
    for (SWord i = 1; i <= (SWord)n; i++) {
        if (i == skip) continue;
        ks[m] = make_small(i);
        vs[m] = i == 5 && f5 != 0 ? tt_float(f5) : i == 20 ? make_small(v20) : make_small(i);
        m++;
    }
    if (extra) { ks[m] = make_small(extra); vs[m] = make_small(extra); m++; }
    return tt_map(ks, vs, m);
}

Test(compare, hashmaps) {
    Term b = map_1_to_n(33, 0, 0, 0, 20);
    Term a = map_1_to_n(33, 0, 0, 5.0, 19);
    Term a2 = map_1_to_n(33, 0, 0, 5.0, 20);
    Term c = map_1_to_n(33, 33, 34, 0, 20);
    cr_assert(is_hashmap(b));
    cr_expect_lt(tb_cmp(a, b), 0);
    cr_expect(!tb_eq(a, b));
    cr_expect_gt(tb_cmp_exact(a, b), 0);
    cr_expect_eq(tb_cmp(a2, b), 0);
    cr_expect(tb_eq(a2, b));
    cr_expect(!tb_eq_exact(a2, b));
    cr_expect_gt(tb_cmp_exact(a2, b), 0);
    cr_expect_gt(tb_cmp(c, b), 0);
    cr_expect_gt(tb_cmp_exact(c, b), 0);
    cr_expect_lt(tb_cmp_exact(b, c), 0);
    cr_expect(tb_eq_exact(b, map_1_to_n(33, 0, 0, 0, 20)));
}
