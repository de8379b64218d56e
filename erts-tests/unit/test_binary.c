/* test_binary.c — binaries, the bit syntax runtime and the binary BIFs.
 * Expected values come from real ERTS 25 (test_binary_vectors.h and the
 * literal values below, checked with erl). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include "emu/term.h"
#include "emu/atom.h"
#include "emu/process.h"
#include "emu/binary.h"
#include "emu/bits.h"
#include "test_binary_vectors.h"

/* ---- stubs for functions other helpers own (weak: the real ones win) ---- */
__attribute__((weak)) bool tb_integer_to_double(Term i, double *out) {
    if (is_small(i)) { *out = (double)small_val(i); return true; }
    double d = 0.0;                          /* ERTS's big_to_double: limb by limb */
    for (UWord n = big_size(i); n-- > 0;) d = d * 18446744073709551616.0 + (double)big_limbs(i)[n];
    if (!isfinite(d)) return false;
    *out = big_sign(i) ? -d : d;
    return true;
}

/* BIFs under test (declared here so the test does not depend on bif.def's state). */
#define DECL(f) Term f(TbProcess *p, Term *args);
DECL(bif_erlang_iolist_to_binary_1) DECL(bif_erlang_list_to_binary_1) DECL(bif_erlang_list_to_bitstring_1)
DECL(bif_erlang_iolist_size_1) DECL(bif_erlang_binary_to_list_1) DECL(bif_erlang_binary_to_list_3)
DECL(bif_erlang_bitstring_to_list_1) DECL(bif_erlang_split_binary_2) DECL(bif_erlang_bit_size_1)
DECL(bif_erlang_byte_size_1) DECL(bif_erlang_binary_part_2) DECL(bif_erlang_binary_part_3)
DECL(bif_erlang_atom_to_binary_2) DECL(bif_erlang_atom_to_list_1) DECL(bif_erlang_binary_to_atom_2)
DECL(bif_erlang_binary_to_existing_atom_2) DECL(bif_erlang_list_to_atom_1) DECL(bif_erlang_list_to_existing_atom_1)
DECL(bif_erlang_iolist_to_iovec_1)
DECL(bif_binary_part_2) DECL(bif_binary_part_3) DECL(bif_binary_at_2) DECL(bif_binary_first_1) DECL(bif_binary_last_1)
DECL(bif_binary_copy_1) DECL(bif_binary_copy_2) DECL(bif_binary_decode_unsigned_1) DECL(bif_binary_decode_unsigned_2)
DECL(bif_binary_encode_unsigned_1) DECL(bif_binary_encode_unsigned_2) DECL(bif_binary_referenced_byte_size_1)
DECL(bif_binary_list_to_bin_1) DECL(bif_binary_longest_common_prefix_1) DECL(bif_binary_longest_common_suffix_1)
DECL(bif_binary_match_2) DECL(bif_binary_match_3) DECL(bif_binary_matches_2) DECL(bif_binary_matches_3)
DECL(bif_binary_split_2) DECL(bif_binary_split_3) DECL(bif_binary_compile_pattern_1)

static TbProcess *P;
static void setup(void) { tb_atom_init(); P = tb_process_new(4096); }
static void teardown(void) { tb_process_free(P); }
TestSuite(bin, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static size_t unhex(const char *h, uint8_t *out) {
    size_t n = strlen(h) / 2;
    for (size_t i = 0; i < n; i++) { unsigned v; sscanf(h + 2 * i, "%2x", &v); out[i] = (uint8_t)v; }
    return n;
}

/* A fresh bitstring of nbits taken from hex. */
static Term mkbits(const char *hex, UWord nbits) {
    uint8_t buf[512];
    unhex(hex, buf);
    TbBitWriter w;
    Term t = tb_bs_alloc(P, nbits, &w);
    tb_copy_bits(buf, 0, w.base, 0, nbits);
    return t;
}
static Term mkbin(const char *s) { return tb_new_binary(P, (const uint8_t *)s, strlen(s)); }

static bool bits_eq(Term t, const char *hex, UWord nbits) {
    uint8_t buf[512];
    const uint8_t *b;
    UWord o, n;
    unhex(hex, buf);
    if (!is_bitstring(t)) return false;
    bitstring_view(t, &b, &o, &n);
    return n == nbits && tb_cmp_bits(b, o, buf, 0, n) == 0;
}
static bool bin_eq(Term t, const char *s) {
    size_t len;
    uint8_t *tmp;
    const uint8_t *b = tb_binary_aligned_bytes(t, &len, &tmp);
    bool ok = b && len == strlen(s) && memcmp(b, s, len) == 0;
    free(tmp);
    return ok;
}

/* Integer <-> sign + upper-case hex magnitude (like integer_to_list(V, 16)). */
static Term int_from_hex(unsigned neg, const char *hex) {
    UWord l[40] = {0};
    size_t n = strlen(hex);
    for (size_t i = 0; i < n; i++) {
        char c = hex[n - 1 - i];
        UWord v = (UWord)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        l[i / 16] |= v << (4 * (i % 16));
    }
    size_t nl = (n + 15) / 16;
    while (nl > 0 && l[nl - 1] == 0) nl--;
    if (nl == 0) return make_small(0);
    if (nl == 1 && l[0] <= (UWord)MAX_SMALL) return make_small(neg ? -(SWord)l[0] : (SWord)l[0]);
    if (nl == 1 && neg && l[0] == (UWord)MAX_SMALL + 1) return make_small(MIN_SMALL);
    Term *hp = tb_halloc(P, nl + 1);
    hp[0] = make_header(nl, neg ? HDR_SUB_NEG_BIG : HDR_SUB_POS_BIG);
    memcpy(hp + 1, l, nl * 8);
    return make_boxed(hp);
}
static void int_to_hex(Term t, unsigned *neg, char *out) {
    const UWord *l;
    UWord n, tmp;
    if (is_small(t)) {
        SWord v = small_val(t);
        *neg = v < 0;
        tmp = v < 0 ? (UWord)0 - (UWord)v : (UWord)v;
        l = &tmp;
        n = 1;
    } else {
        cr_assert(is_big(t));
        *neg = big_sign(t);
        l = big_limbs(t);
        n = big_size(t);
        cr_assert(l[n - 1] != 0, "bignum not normalised");
        cr_assert(n > 1 || l[0] > (UWord)MAX_SMALL + (*neg ? 1 : 0), "bignum that fits a small");
    }
    char *p = out;
    bool started = false;
    for (UWord i = n; i-- > 0;)
        for (int s = 60; s >= 0; s -= 4) {
            unsigned d = (unsigned)(l[i] >> s) & 15;
            if (!d && !started) continue;
            started = true;
            *p++ = "0123456789ABCDEF"[d];
        }
    if (!started) *p++ = '0';
    *p = 0;
}

static Term list_of(const int *v, size_t n) {
    Term l = NIL;
    for (size_t i = n; i-- > 0;) {
        Term *hp = tb_halloc(P, 2);
        hp[0] = make_small(v[i]);
        hp[1] = l;
        l = make_list(hp);
    }
    return l;
}
static Term cons(Term h, Term t) { Term *hp = tb_halloc(P, 2); hp[0] = h; hp[1] = t; return make_list(hp); }
static Term tup2(Term a, Term b) { Term *hp = tb_halloc(P, 3); hp[0] = make_arityval(2); hp[1] = a; hp[2] = b; return make_boxed(hp); }
static Term str(const char *s) {
    Term l = NIL;
    for (size_t i = strlen(s); i-- > 0;) l = cons(make_small((uint8_t)s[i]), l);
    return l;
}
static bool list_eq(Term l, const int *v, size_t n) {
    for (size_t i = 0; i < n; i++, l = CDR(list_val(l)))
        if (!is_list(l) || CAR(list_val(l)) != make_small(v[i])) return false;
    return is_nil(l);
}
static Term call1(Term (*f)(TbProcess *, Term *), Term a) { Term args[1] = {a}; return f(P, args); }
static Term call2(Term (*f)(TbProcess *, Term *), Term a, Term b) { Term args[2] = {a, b}; return f(P, args); }
static Term call3(Term (*f)(TbProcess *, Term *), Term a, Term b, Term c) { Term args[3] = {a, b, c}; return f(P, args); }
#define ERR(t, reason) do { cr_assert_eq((t), TB_NONE); cr_assert_eq(P->fvalue, AM(reason)); } while (0)

static int byte_at_(Term t, size_t i) {
    const uint8_t *b;
    UWord o, n;
    uint8_t v;
    bitstring_view(t, &b, &o, &n);
    tb_copy_bits(b, o + 8 * i, &v, 0, 8);
    return v;
}

/* ================= bit copies ================= */

static unsigned bit_at(const uint8_t *b, UWord i) { return (b[i >> 3] >> (7 - (i & 7))) & 1; }

Test(bin, copy_bits_random) {
    uint8_t src[40], dst[40], ref[40];
    srand(7);
    for (int iter = 0; iter < 20000; iter++) {
        for (int i = 0; i < 40; i++) { src[i] = (uint8_t)rand(); dst[i] = ref[i] = (uint8_t)rand(); }
        UWord so = (UWord)(rand() % 64), doff = (UWord)(rand() % 64), n = (UWord)(rand() % 200);
        for (UWord i = 0; i < n; i++) {
            UWord d = doff + i;
            ref[d >> 3] = (uint8_t)((ref[d >> 3] & ~(0x80 >> (d & 7))) | (bit_at(src, so + i) << (7 - (d & 7))));
        }
        tb_copy_bits(src, so, dst, doff, n);
        cr_assert(memcmp(dst, ref, 40) == 0, "copy so=%lu do=%lu n=%lu", so, doff, n);
        int c = tb_cmp_bits(src, so, dst, doff, n);
        cr_assert_eq(c, 0);
        if (n) {
            UWord k = (UWord)rand() % n, d = doff + k;
            dst[d >> 3] ^= (uint8_t)(0x80 >> (d & 7));
            c = tb_cmp_bits(src, so, dst, doff, n);
            cr_assert_eq(c < 0, bit_at(src, so + k) == 0);
            cr_assert_neq(c, 0);
        }
    }
}

/* ================= construction ================= */

Test(bin, integer_put_vectors) {
    for (size_t i = 0; i < sizeof int_put / sizeof int_put[0]; i++) {
        const IntPut *c = &int_put[i];
        TbBitWriter w;
        Term t = tb_bs_alloc(P, c->pre + c->size, &w);
        cr_assert_eq(tb_bs_put_integer(&w, make_small(0), c->pre, 0), TB_BS_OK);
        cr_assert_eq(tb_bs_put_integer(&w, int_from_hex(c->neg, c->mag), c->size, c->little ? TB_BSF_LITTLE : 0), TB_BS_OK);
        cr_assert_eq(w.pos, c->nbits);
        cr_assert(bits_eq(t, c->bits, c->nbits), "int_put[%zu]", i);
        /* native is little on this host */
        if (c->little) {
            t = tb_bs_alloc(P, c->pre + c->size, &w);
            tb_bs_put_integer(&w, make_small(0), c->pre, 0);
            tb_bs_put_integer(&w, int_from_hex(c->neg, c->mag), c->size, TB_BSF_NATIVE);
            cr_assert(bits_eq(t, c->bits, c->nbits), "int_put native [%zu]", i);
        }
    }
}

Test(bin, integer_get_vectors) {
    for (size_t i = 0; i < sizeof int_get / sizeof int_get[0]; i++) {
        const IntGet *c = &int_get[i];
        Term ms = tb_bs_start_match(P, mkbits(c->bits, c->nbits));
        cr_assert_neq(ms, TB_NONE);
        cr_assert(tb_bs_skip_bits(ms_val(ms), c->pre));
        Term out;
        unsigned flags = (c->little ? TB_BSF_LITTLE : 0) | (c->sign ? TB_BSF_SIGNED : 0);
        cr_assert(tb_bs_get_integer(P, ms_val(ms), c->size, flags, &out), "int_get[%zu]", i);
        char hex[80];
        unsigned neg;
        int_to_hex(out, &neg, hex);
        cr_assert(neg == c->neg && strcmp(hex, c->mag) == 0, "int_get[%zu]: got %s%s want %s%s", i,
                  neg ? "-" : "", hex, c->neg ? "-" : "", c->mag);
        cr_assert_eq(ms_val(ms)->offset, c->pre + c->size);
        /* one bit too many never matches and leaves the position alone */
        Term ms2 = tb_bs_start_match(P, mkbits(c->bits, c->nbits));
        ms_val(ms2)->offset = c->pre;
        cr_assert(!tb_bs_get_integer(P, ms_val(ms2), c->nbits - c->pre + 1, flags, &out));
        cr_assert_eq(ms_val(ms2)->offset, c->pre);
    }
}

Test(bin, integer_put_type_and_zero) {
    TbBitWriter w;
    tb_bs_alloc(P, 8, &w);
    cr_assert_eq(tb_bs_put_integer(&w, AM(ok), 8, 0), TB_BS_TYPE);
    cr_assert_eq(tb_bs_put_integer(&w, AM(ok), 0, 0), TB_BS_TYPE);       /* <<a:0>> is badarg */
    Term f = make_float_at(tb_halloc(P, FLOAT_WORDS), 1.5);
    cr_assert_eq(tb_bs_put_integer(&w, f, 8, 0), TB_BS_TYPE);
    cr_assert_eq(tb_bs_put_integer(&w, make_small(5), 0, 0), TB_BS_OK);
    cr_assert_eq(w.pos, 0);
    Term ms = tb_bs_start_match(P, mkbits("ff", 8)), out;
    cr_assert(tb_bs_get_integer(P, ms_val(ms), 0, TB_BSF_SIGNED, &out));
    cr_assert_eq(out, make_small(0));
}

Test(bin, integer_examples_from_erl) {
    TbBitWriter w;
    Term t = tb_bs_alloc(P, 12, &w);
    tb_bs_put_integer(&w, make_small(0xABC), 12, TB_BSF_LITTLE);
    cr_assert(bits_eq(t, "bca0", 12));                     /* <<188,10:4>> */
    t = tb_bs_alloc(P, 12, &w);
    tb_bs_put_integer(&w, make_small(-1), 12, TB_BSF_LITTLE);
    cr_assert(bits_eq(t, "fff0", 12));                     /* <<255,15:4>> */
    t = tb_bs_alloc(P, 20, &w);
    tb_bs_put_integer(&w, make_small(0x123456), 20, TB_BSF_LITTLE);
    cr_assert(bits_eq(t, "563420", 20));                   /* <<86,52,2:4>> */
    /* <<(1 bsl 70 + 16#12345):13/little>> = <<69,3:5>> */
    t = tb_bs_alloc(P, 13, &w);
    tb_bs_put_integer(&w, int_from_hex(0, "400000000000012345"), 13, TB_BSF_LITTLE);
    cr_assert(bits_eq(t, "4518", 13));
    /* <<(-(1 bsl 70) - 5):7>> = <<123:7>> */
    t = tb_bs_alloc(P, 7, &w);
    tb_bs_put_integer(&w, int_from_hex(1, "400000000000000005"), 7, 0);
    cr_assert(bits_eq(t, "f6", 7));
}

Test(bin, float_put_vectors) {
    for (size_t i = 0; i < sizeof float_put / sizeof float_put[0]; i++) {
        const FloatPut *c = &float_put[i];
        double d;
        memcpy(&d, &c->dbits, 8);
        TbBitWriter w;
        Term t = tb_bs_alloc(P, c->pre + c->size, &w);
        tb_bs_put_integer(&w, make_small(0), c->pre, 0);
        Term f = make_float_at(tb_halloc(P, FLOAT_WORDS), d);
        cr_assert_eq(tb_bs_put_float(&w, f, c->size, c->little ? TB_BSF_LITTLE : 0), TB_BS_OK);
        cr_assert(bits_eq(t, c->bits, c->nbits), "float_put[%zu]", i);
    }
}

Test(bin, float_get_vectors) {
    for (size_t i = 0; i < sizeof float_get / sizeof float_get[0]; i++) {
        const FloatGet *c = &float_get[i];
        Term ms = tb_bs_start_match(P, mkbits(c->bits, c->nbits)), out;
        tb_bs_skip_bits(ms_val(ms), c->pre);
        bool ok = tb_bs_get_float(P, ms_val(ms), c->size, c->little ? TB_BSF_LITTLE : 0, &out);
        cr_assert_eq(ok, (bool)c->ok, "float_get[%zu]", i);
        if (ok) {
            double d = float_val(out);
            uint64_t u;
            memcpy(&u, &d, 8);
            cr_assert_eq(u, c->dbits, "float_get[%zu]", i);
            cr_assert_eq(ms_val(ms)->offset, c->pre + c->size);
        } else {
            cr_assert_eq(ms_val(ms)->offset, c->pre);
        }
    }
}

Test(bin, float_put_special) {
    TbBitWriter w;
    Term t;
    /* small ints, bignums, errors like ERTS */
    t = tb_bs_alloc(P, 32, &w);
    cr_assert_eq(tb_bs_put_float(&w, make_small(5), 32, 0), TB_BS_OK);
    cr_assert(bits_eq(t, "40a00000", 32));
    tb_bs_alloc(P, 64, &w);
    cr_assert_eq(tb_bs_put_float(&w, make_small(5), 33, 0), TB_BS_INVALID);
    cr_assert_eq(tb_bs_put_float(&w, AM(ok), 33, 0), TB_BS_INVALID);   /* size is checked first */
    cr_assert_eq(tb_bs_put_float(&w, make_small(5), 0, 0), TB_BS_INVALID);
    cr_assert_eq(tb_bs_put_float(&w, AM(ok), 32, 0), TB_BS_TYPE);
    /* 2^1024 does not fit a double: no_float; 2^200 to 32 bits is +inf, no error */
    Term huge = int_from_hex(0, "1" "0000000000000000000000000000000000000000000000000000000000000000"
                                "0000000000000000000000000000000000000000000000000000000000000000"
                                "0000000000000000000000000000000000000000000000000000000000000000"
                                "0000000000000000000000000000000000000000000000000000000000000000");
    cr_assert_eq(tb_bs_put_float(&w, huge, 64, 0), TB_BS_NO_FLOAT);
    t = tb_bs_alloc(P, 32, &w);
    cr_assert_eq(tb_bs_put_float(&w, int_from_hex(0, "100000000000000000000000000000000000000000000000000"), 32, 0), TB_BS_OK);
    cr_assert(bits_eq(t, "7f800000", 32));
    /* 1.0e300 as 32 bits is +inf, as 16 bits too (<<124,0>>) */
    t = tb_bs_alloc(P, 16, &w);
    tb_bs_put_float(&w, make_float_at(tb_halloc(P, 2), 1.0e300), 16, 0);
    cr_assert(bits_eq(t, "7c00", 16));
    /* 1 + 2^-11 + 2^-40 rounds up in a direct double->half conversion: <<60,1>> */
    t = tb_bs_alloc(P, 16, &w);
    tb_bs_put_float(&w, make_float_at(tb_halloc(P, 2), 1 + ldexp(1, -11) + ldexp(1, -40)), 16, 0);
    cr_assert(bits_eq(t, "3c01", 16));
    /* a small converted straight to float (no double rounding): 2^59-1 */
    t = tb_bs_alloc(P, 32, &w);
    tb_bs_put_float(&w, make_small(MAX_SMALL), 32, 0);
    float f = (float)MAX_SMALL;
    uint32_t fu;
    memcpy(&fu, &f, 4);
    char want[9];
    snprintf(want, sizeof want, "%08x", fu);
    cr_assert(bits_eq(t, want, 32));
}

Test(bin, float_zero_size_matches_zero) {
    Term ms = tb_bs_start_match(P, mkbin("")), out;
    cr_assert(tb_bs_get_float(P, ms_val(ms), 0, 0, &out));
    cr_assert(is_float(out) && float_val(out) == 0.0);
    ms = tb_bs_start_match(P, mkbin("abc"));
    cr_assert(!tb_bs_get_float(P, ms_val(ms), 8, 0, &out));
    cr_assert(!tb_bs_get_float(P, ms_val(ms), 24, 0, &out));
}

Test(bin, half_float_conversions) {
    for (uint32_t h = 0; h < 0x10000; h++) {
        _Float16 x;
        uint16_t hh = (uint16_t)h;
        memcpy(&x, &hh, 2);
        double want = (double)x, got = tb_half_to_double(hh);
        if (isnan(want)) cr_assert(isnan(got));
        else cr_assert(want == got && signbit(want) == signbit(got), "half %04x", h);
    }
    srand(11);
    for (int i = 0; i < 2000000; i++) {
        uint64_t u = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
        /* keep exponents near the half range most of the time */
        if (i & 1) u = (u & 0x800FFFFFFFFFFFFFull) | ((uint64_t)(1023 - 30 + rand() % 50) << 52);
        double d;
        memcpy(&d, &u, 8);
        if (isnan(d)) continue;
        _Float16 x = (_Float16)d;
        uint16_t want;
        memcpy(&want, &x, 2);
        cr_assert_eq(tb_double_to_half(d), want, "double %016lx", (unsigned long)u);
    }
}

Test(bin, utf_put_vectors) {
    for (size_t i = 0; i < sizeof utf_cases / sizeof utf_cases[0]; i++) {
        const UtfCase *c = &utf_cases[i];
        TbBitWriter w;
        Term cp = make_small(c->cp);
        unsigned fl = c->little ? TB_BSF_LITTLE : 0;
        UWord sz = c->type == 1 ? tb_bs_utf8_bits(cp) : c->type == 2 ? tb_bs_utf16_bits(cp) : 32;
        Term t = tb_bs_alloc(P, c->pre + sz, &w);
        tb_bs_put_integer(&w, make_small(0), c->pre, 0);
        TbBsErr e = c->type == 1 ? tb_bs_put_utf8(&w, cp) : c->type == 2 ? tb_bs_put_utf16(&w, cp, fl) : tb_bs_put_utf32(&w, cp, fl);
        if (c->type == 3) cr_assert_eq(tb_bs_utf32_valid(cp), (bool)c->ok);
        cr_assert_eq(e, c->ok ? TB_BS_OK : TB_BS_TYPE, "utf_cases[%zu]", i);
        if (c->ok) {
            cr_assert_eq(c->pre + sz, c->nbits);
            cr_assert(bits_eq(t, c->bits, c->nbits), "utf_cases[%zu]", i);
            /* and read it back */
            Term ms = tb_bs_start_match(P, t), out;
            tb_bs_skip_bits(ms_val(ms), c->pre);
            bool ok = c->type == 1 ? tb_bs_get_utf8(ms_val(ms), &out)
                    : c->type == 2 ? tb_bs_get_utf16(ms_val(ms), fl, &out) : tb_bs_get_utf32(ms_val(ms), fl, &out);
            cr_assert(ok && out == cp && ms_val(ms)->offset == c->nbits);
        }
    }
    TbBitWriter w;
    tb_bs_alloc(P, 64, &w);
    cr_assert_eq(tb_bs_put_utf8(&w, AM(ok)), TB_BS_TYPE);
    cr_assert_eq(tb_bs_put_utf16(&w, int_from_hex(0, "100000000000000000"), 0), TB_BS_TYPE);
}

Test(bin, utf_get_vectors) {
    for (size_t i = 0; i < sizeof utf_get / sizeof utf_get[0]; i++) {
        const UtfGet *c = &utf_get[i];
        Term ms = tb_bs_start_match(P, mkbits(c->bits, c->nbits)), out;
        tb_bs_skip_bits(ms_val(ms), c->pre);
        unsigned fl = c->little ? TB_BSF_LITTLE : 0;
        TbMatchState *m = ms_val(ms);
        bool ok = c->type == 1 ? tb_bs_get_utf8(m, &out) : c->type == 2 ? tb_bs_get_utf16(m, fl, &out) : tb_bs_get_utf32(m, fl, &out);
        cr_assert_eq(ok, c->cp >= 0, "utf_get[%zu]", i);
        if (ok) {
            cr_assert_eq(out, make_small(c->cp), "utf_get[%zu]", i);
            cr_assert_eq(m->offset, c->pre + c->used);
        } else {
            cr_assert_eq(m->offset, c->pre);
        }
        m->offset = c->pre;
        bool ok2 = c->type == 1 ? tb_bs_skip_utf8(m) : c->type == 2 ? tb_bs_skip_utf16(m, fl) : tb_bs_skip_utf32(m, fl);
        cr_assert_eq(ok, ok2);
    }
    /* invalid utf32 values, aligned and not (ERTS 25 crashes on some of the latter) */
    const char *bad[] = {"00110000", "0000d800", "f67dfee3", "7f000000"};
    for (int i = 0; i < 4; i++) {
        Term out, ms = tb_bs_start_match(P, mkbits(bad[i], 32));
        cr_assert(!tb_bs_get_utf32(ms_val(ms), 0, &out));
    }
    Term out, ms = tb_bs_start_match(P, mkbits("00067dfee32c", 46));
    tb_bs_skip_bits(ms_val(ms), 12);
    cr_assert(!tb_bs_get_utf32(ms_val(ms), 0, &out));
}

Test(bin, binary_segments) {
    TbBitWriter w;
    Term src = mkbits("a5ff", 13), t;
    t = tb_bs_alloc(P, 3 + 13 + 5, &w);
    tb_bs_put_integer(&w, make_small(7), 3, 0);
    cr_assert_eq(tb_bs_put_binary_all(&w, src, 1), TB_BS_OK);
    cr_assert_eq(tb_bs_put_binary(&w, src, 5), TB_BS_OK);
    /* 111 1010010111111 10100 */
    cr_assert(bits_eq(t, "f4bfa0", 21));
    cr_assert_eq(tb_bs_put_binary(&w, src, 14), TB_BS_SHORT);
    cr_assert_eq(tb_bs_put_binary(&w, AM(ok), 1), TB_BS_TYPE);
    cr_assert_eq(tb_bs_put_binary_all(&w, src, 8), TB_BS_UNIT);
    cr_assert_eq(tb_bs_put_binary_all(&w, AM(ok), 8), TB_BS_TYPE);
    UWord bits;
    cr_assert_eq(tb_bs_binary_all_bits(AM(ok), &bits), TB_BS_TYPE);
    cr_assert_eq(tb_bs_binary_all_bits(src, &bits), TB_BS_OK);
    cr_assert_eq(bits, 13);
    /* string */
    t = tb_bs_alloc(P, 1 + 24, &w);
    tb_bs_put_integer(&w, make_small(1), 1, 0);
    tb_bs_put_string(&w, (const uint8_t *)"abc", 3);
    cr_assert(bits_eq(t, "b0b1318000", 25));
    /* sizes above the heap-binary limit become refc binaries */
    t = tb_bs_alloc(P, 65 * 8, &w);
    cr_assert(is_boxed_sub(t, HDR_SUB_REFC_BIN));
    t = tb_bs_alloc(P, 64 * 8, &w);
    cr_assert(is_boxed_sub(t, HDR_SUB_HEAP_BIN));
    t = tb_bs_alloc(P, 64 * 8 + 1, &w);
    cr_assert(is_boxed_sub(t, HDR_SUB_SUB_BIN) && bitstring_bitsize(t) == 513);
}

Test(bin, sizes_and_errors) {
    UWord b;
    cr_assert_eq(tb_bs_size_bits(make_small(3), 8, &b), TB_BS_OK);
    cr_assert_eq(b, 24);
    cr_assert_eq(tb_bs_size_bits(make_small(-1), 1, &b), TB_BS_SIZE);
    cr_assert_eq(tb_bs_size_bits(AM(ok), 1, &b), TB_BS_SIZE);
    cr_assert_eq(tb_bs_size_bits(make_small((SWord)1 << 58), 64, &b), TB_BS_LIMIT);
    cr_assert_eq(tb_bs_size_bits(int_from_hex(0, "10000000000000000"), 1, &b), TB_BS_LIMIT);
    cr_assert_eq(tb_bs_size_bits(int_from_hex(1, "10000000000000000"), 1, &b), TB_BS_SIZE);
    cr_assert(!tb_bs_match_size_bits(make_small(-1), 1, &b));
    cr_assert(!tb_bs_match_size_bits(AM(ok), 1, &b));
    cr_assert(!tb_bs_match_size_bits(int_from_hex(0, "10000000000000000"), 1, &b));
    cr_assert(!tb_bs_match_size_bits(make_small((SWord)1 << 58), 64, &b));
    cr_assert(tb_bs_match_size_bits(make_small(5), 3, &b) && b == 15);
    UWord total = ~(UWord)0 - 3;
    cr_assert_eq(tb_bs_add_bits(&total, 4), TB_BS_LIMIT);
    /* {1,integer,type,a} with badarg; {2,integer,size,N} with system_limit */
    Term c = tb_bs_error(P, TB_BS_TYPE, 1, AM(integer), AM(ok));
    cr_assert_eq(P->fvalue, AM(badarg));
    cr_assert(is_tuple_arity(c, 4) && tuple_val(c)[1] == make_small(1) && tuple_val(c)[2] == AM(integer) &&
              tuple_val(c)[3] == AM(type) && tuple_val(c)[4] == AM(ok));
    c = tb_bs_error(P, TB_BS_LIMIT, 2, AM(integer), make_small(9));
    cr_assert_eq(P->fvalue, AM(system_limit));
    cr_assert_eq(tuple_val(c)[3], tb_atom_cstr("size"));
    c = tb_bs_error(P, TB_BS_NO_FLOAT, 1, AM(float), make_small(9));
    cr_assert_eq(tuple_val(c)[3], tb_atom_cstr("no_float"));
}

/* ================= appends ================= */

static TbProcBin *pb_of(Term t) {
    UWord o;
    Term r = tb_real_binary(t, &o);
    return is_boxed_sub(r, HDR_SUB_REFC_BIN) ? (TbProcBin *)boxed_val(r) : NULL;
}

Test(bin, append_grows_in_place) {
    TbBitWriter w;
    TbBsErr e;
    Term acc = mkbin("start");
    Term first = TB_NONE;
    for (int i = 0; i < 5000; i++) {
        Term prev = acc;
        acc = tb_bs_append(P, acc, 8, 8, &w, &e);
        cr_assert_neq(acc, TB_NONE);
        tb_bs_put_integer(&w, make_small(i & 0xFF), 8, 0);
        if (i == 0) first = acc;
        else cr_assert_eq(pb_of(acc), pb_of(prev), "append %d copied", i);
        cr_assert_eq(bitstring_bitsize(acc), 8 * (6 + (UWord)i));
    }
    cr_assert_eq(pb_of(first), pb_of(acc));
    cr_assert(bits_eq(first, "737461727400", 48));   /* older versions keep their size */
    const uint8_t *b;
    UWord o, n;
    bitstring_view(acc, &b, &o, &n);
    for (int i = 0; i < 5000; i++) cr_assert_eq(b[5 + i], (uint8_t)i);
    /* appending to an older version must copy, not clobber */
    Term other = tb_bs_append(P, first, 8, 8, &w, &e);
    tb_bs_put_integer(&w, make_small('X'), 8, 0);
    cr_assert_neq(pb_of(other), pb_of(acc));
    cr_assert(bits_eq(other, "73746172740058", 56));
    bitstring_view(acc, &b, &o, &n);
    cr_assert_eq(b[6], 1);
    /* zero extra bits: the same term */
    cr_assert_eq(tb_bs_append(P, acc, 0, 8, &w, &e), acc);
    /* a copy starts with at least 256 bytes of room, like ERTS */
    cr_assert_eq(pb_of(other)->val->orig_size, 256);
}

Test(bin, append_bits_and_units) {
    TbBitWriter w;
    TbBsErr e;
    Term acc = mkbits("80", 1);
    for (int i = 0; i < 100; i++) {
        Term prev = acc;
        acc = tb_bs_append(P, acc, 3, 1, &w, &e);
        tb_bs_put_integer(&w, make_small(i % 8), 3, 0);
        if (i > 0) cr_assert_eq(pb_of(acc), pb_of(prev));
    }
    cr_assert_eq(bitstring_bitsize(acc), 301);
    Term ms = tb_bs_start_match(P, acc), out;
    cr_assert(tb_bs_get_integer(P, ms_val(ms), 1, 0, &out) && out == make_small(1));
    for (int i = 0; i < 100; i++) cr_assert(tb_bs_get_integer(P, ms_val(ms), 3, 0, &out) && out == make_small(i % 8));
    /* unit errors: <<X/binary, ...>> with a non-binary X (in place or not) */
    cr_assert_eq(tb_bs_append(P, acc, 8, 8, &w, &e), TB_NONE);
    cr_assert_eq(e, TB_BS_UNIT);
    cr_assert_eq(tb_bs_append(P, mkbits("20", 3), 8, 8, &w, &e), TB_NONE);
    cr_assert_eq(e, TB_BS_UNIT);
    cr_assert_eq(tb_bs_append(P, AM(ok), 8, 8, &w, &e), TB_NONE);
    cr_assert_eq(e, TB_BS_TYPE);
    /* <<(<<1,2:3>>)/bits, 1:5>> = <<1,65>> */
    Term g = tb_bs_append(P, mkbits("0140", 11), 5, 1, &w, &e);
    tb_bs_put_integer(&w, make_small(1), 5, 0);
    cr_assert(bits_eq(g, "0141", 16));
}

Test(bin, append_shared_or_matched_copies) {
    TbBitWriter w;
    TbBsErr e;
    Term a = tb_bs_append(P, mkbin("abc"), 8, 8, &w, &e);
    tb_bs_put_integer(&w, make_small('d'), 8, 0);
    TbProcBin *pb = pb_of(a);
    /* shared with another process (a message copy): never written in place */
    tb_binary_ref(pb->val);
    Term b = tb_bs_append(P, a, 8, 8, &w, &e);
    tb_bs_put_integer(&w, make_small('e'), 8, 0);
    cr_assert_neq(pb_of(b), pb);
    tb_binary_unref(pb->val);
    /* a match start freezes the binary: later appends copy */
    Term c = tb_bs_append(P, b, 8, 8, &w, &e);
    tb_bs_put_integer(&w, make_small('f'), 8, 0);
    cr_assert_eq(pb_of(c), pb_of(b));
    Term ms = tb_bs_start_match(P, c);
    cr_assert_eq(pb_of(c)->flags, 0);
    cr_assert_eq(pb_of(c)->val->orig_size, 6);                 /* slack given back */
    Term d = tb_bs_append(P, c, 8, 8, &w, &e);
    tb_bs_put_integer(&w, make_small('g'), 8, 0);
    cr_assert_neq(pb_of(d), pb_of(c));
    cr_assert(bin_eq(d, "abcdefg") && bin_eq(c, "abcdef") && bin_eq(a, "abcd"));
    Term out;
    cr_assert(tb_bs_get_binary_all(P, ms_val(ms), 8, &out) && bin_eq(out, "abcdef"));
}

Test(bin, private_append_and_init_writable) {
    TbBitWriter w;
    TbBsErr e;
    Term acc = tb_bs_init_writable(P, make_small(10));
    cr_assert_eq(bitstring_bitsize(acc), 0);
    cr_assert_eq(pb_of(acc)->val->orig_size, 10);
    for (int i = 0; i < 300; i++) {
        Term r = tb_bs_private_append(P, acc, 8, 1, &w, &e);
        cr_assert_eq(r, acc);                                  /* grown in place */
        tb_bs_put_integer(&w, make_small(i & 0xFF), 8, 0);
    }
    cr_assert_eq(bitstring_bitsize(acc), 2400);
    const uint8_t *b;
    UWord o, n;
    bitstring_view(acc, &b, &o, &n);
    for (int i = 0; i < 300; i++) cr_assert_eq(b[i], (uint8_t)i);
    cr_assert_eq(pb_of(tb_bs_init_writable(P, AM(ok)))->val->orig_size, 1024);
    cr_assert_eq(pb_of(tb_bs_init_writable(P, make_small(-3)))->val->orig_size, 1024);
    /* not writable: falls back to a copying append */
    Term h = tb_bs_private_append(P, mkbin("xy"), 8, 8, &w, &e);
    tb_bs_put_integer(&w, make_small('z'), 8, 0);
    cr_assert(bin_eq(h, "xyz"));
}

/* ================= matching ================= */

Test(bin, match_binary_and_tail) {
    Term src = tb_new_binary(P, (const uint8_t *)"0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz", 72);
    Term sub = tb_make_sub_binary(P, src, 4, 8 * 60);
    Term ms = tb_bs_start_match(P, sub), out;
    TbMatchState *m = ms_val(ms);
    cr_assert_eq(tb_bs_start_match(P, ms), ms);
    cr_assert_eq(m->orig, src);                                 /* always the real binary */
    cr_assert_eq(m->offset, 4);
    cr_assert(tb_bs_get_binary(P, m, 12, &out));
    cr_assert(is_boxed_sub(out, HDR_SUB_SUB_BIN));
    /* "0123..." shifted by 4 bits: 0x03 0x13 0x2 */
    cr_assert(bits_eq(out, "0313", 12));
    Term tail = tb_bs_get_tail(P, m);
    cr_assert_eq(bitstring_bitsize(tail), 8 * 60 - 12);
    cr_assert(!tb_bs_get_binary_all(P, m, 8, &out));            /* 468 bits: not a multiple of 8 */
    cr_assert(tb_bs_test_unit(m, 4) && !tb_bs_test_unit(m, 8));
    cr_assert(tb_bs_get_binary_all(P, m, 4, &out));
    cr_assert_eq(m->offset, m->size);
    cr_assert(tb_bs_test_tail(m, 0));
    cr_assert_eq(tb_bs_start_match(P, AM(ok)), TB_NONE);
    cr_assert_eq(tb_bs_start_match(P, make_small(1)), TB_NONE);
    /* positions */
    Term pos = tb_bs_get_position(m);
    m->offset = 4;
    tb_bs_set_position(m, pos);
    cr_assert_eq(m->offset, m->size);
}

Test(bin, match_string) {
    Term ms = tb_bs_start_match(P, mkbits("b0b1318000", 25));
    TbMatchState *m = ms_val(ms);
    cr_assert(tb_bs_skip_bits(m, 1));
    cr_assert(!tb_bs_match_string(m, (const uint8_t *)"abd", 24));
    cr_assert_eq(m->offset, 1);
    cr_assert(tb_bs_match_string(m, (const uint8_t *)"ab", 16));
    cr_assert(tb_bs_match_string(m, (const uint8_t *)"c", 8));
    cr_assert(!tb_bs_match_string(m, (const uint8_t *)"c", 8));
    cr_assert(!tb_bs_skip_bits(m, 1));
}

/* ================= ProcBins and GC ================= */

static TbProcBin *dead_one;
static TbProcBin *where_cb(TbProcBin *pb, void *ctx) { (void)ctx; return pb == dead_one ? NULL : pb; }

Test(bin, off_heap_bookkeeping) {
    uint8_t big[200] = {0};
    Term a = tb_new_binary(P, big, 100), b = tb_new_binary(P, big, 200), c = tb_new_binary(P, big, 64);
    cr_assert(is_boxed_sub(c, HDR_SUB_HEAP_BIN));
    TbProcBin *pa = (TbProcBin *)boxed_val(a), *pbb = (TbProcBin *)boxed_val(b);
    cr_assert_eq(P->off_heap, pbb);
    cr_assert_eq(pbb->next, pa);
    cr_assert_eq(P->off_heap_bytes, 300);
    TbBinary *keep = pa->val;
    tb_binary_ref(keep);                       /* watch the refcount from outside */
    dead_one = pa;
    tb_off_heap_sweep(P, where_cb, NULL);
    cr_assert_eq(P->off_heap, pbb);
    cr_assert_null(pbb->next);
    cr_assert_eq(P->off_heap_bytes, 200);
    cr_assert_eq(keep->refc, 1);
    tb_binary_unref(keep);
    /* a writable binary survives one GC without appends, then is shrunk */
    TbBitWriter w;
    TbBsErr e;
    Term acc = tb_bs_append(P, mkbin("abcdefghijklmnopqrstuvwxyz0123456789"), 8, 8, &w, &e);
    tb_bs_put_integer(&w, make_small('!'), 8, 0);
    TbProcBin *wp = pb_of(acc);
    cr_assert_eq(wp->val->orig_size, 256);
    tb_off_heap_gc_done(P);
    cr_assert_eq(wp->flags & (TB_PB_ACTIVE_WRITER | TB_PB_WRITABLE), TB_PB_WRITABLE);
    cr_assert_eq(wp->val->orig_size, 256);     /* 37 + 37*100/20 = 222 + 8 >= 256: kept */
    acc = tb_bs_append(P, acc, 8, 8, &w, &e);  /* still appendable in place */
    tb_bs_put_integer(&w, make_small('?'), 8, 0);
    cr_assert_eq(pb_of(acc), wp);
    cr_assert(bin_eq(acc, "abcdefghijklmnopqrstuvwxyz0123456789!?"));
}

Test(bin, sub_binaries) {
    Term b = mkbin("hello world");
    cr_assert_eq(tb_make_sub_binary(P, b, 0, 88), b);
    Term s1 = tb_make_sub_binary(P, b, 8, 64);
    Term s2 = tb_make_sub_binary(P, s1, 8, 16);
    cr_assert_eq(((TbSubBin *)boxed_val(s2))->orig, b);
    cr_assert_eq(((TbSubBin *)boxed_val(s2))->bitoffs, 16);
    cr_assert(bin_eq(s2, "ll"));
    cr_assert_eq(tb_make_sub_binary(P, s1, 0, 64), s1);
    Term odd = tb_make_sub_binary(P, b, 3, 16);
    size_t len;
    uint8_t *tmp;
    const uint8_t *bytes = tb_binary_aligned_bytes(odd, &len, &tmp);
    cr_assert(bytes && tmp && len == 2);
    cr_assert_eq(bytes[0], (uint8_t)(('h' << 3) | ('e' >> 5)));
    free(tmp);
    cr_assert_null(tb_binary_aligned_bytes(mkbits("00", 3), &len, &tmp));
}

/* ================= iolists ================= */

Test(bin, iolists) {
    /* [1,[2,<<3,4>>]|<<5>>] */
    Term inner = cons(make_small(2), cons(mkbits("0304", 16), NIL));
    Term l = cons(make_small(1), cons(inner, mkbits("05", 8)));
    size_t n;
    cr_assert(tb_iolist_size(l, &n) && n == 5);
    uint8_t out[8];
    cr_assert(tb_iolist_to_bytes(l, out));
    cr_assert(memcmp(out, "\1\2\3\4\5", 5) == 0);
    cr_assert(!tb_iolist_size(cons(make_small(256), NIL), &n));
    cr_assert(!tb_iolist_size(cons(make_small(-1), NIL), &n));
    cr_assert(!tb_iolist_size(cons(make_small(1), make_small(2)), &n));
    cr_assert(!tb_iolist_size(cons(mkbits("20", 3), NIL), &n));
    cr_assert(!tb_iolist_size(AM(ok), &n));
    cr_assert(tb_iolist_size(NIL, &n) && n == 0);
    cr_assert(tb_iolist_size(cons(NIL, cons(NIL, NIL)), &n) && n == 0);
    /* very deep nesting: no C recursion */
    Term deep = NIL;
    for (int i = 0; i < 200000; i++) deep = cons(deep, cons(make_small(i & 0x7F), NIL));
    cr_assert(tb_iolist_size(deep, &n) && n == 200000);
    Term deep2 = cons(make_small(7), NIL);
    for (int i = 0; i < 200000; i++) deep2 = cons(deep2, NIL);
    cr_assert(tb_iolist_size(deep2, &n) && n == 1);
}

/* ================= BIFs ================= */

Test(bin, bif_iolist_to_binary) {
    Term l = cons(make_small(1), cons(make_small(2), mkbits("03", 8)));
    Term r = call1(bif_erlang_iolist_to_binary_1, l);
    cr_assert(bin_eq(r, "\1\2\3"));
    Term b = mkbin("xyz");
    cr_assert_eq(call1(bif_erlang_iolist_to_binary_1, b), b);
    ERR(call1(bif_erlang_iolist_to_binary_1, mkbits("20", 3)), badarg);
    ERR(call1(bif_erlang_iolist_to_binary_1, cons(mkbits("20", 3), NIL)), badarg);
    ERR(call1(bif_erlang_iolist_to_binary_1, AM(ok)), badarg);
    ERR(call1(bif_erlang_list_to_binary_1, b), badarg);
    cr_assert(bin_eq(call1(bif_erlang_list_to_binary_1, NIL), ""));
    cr_assert_eq(call1(bif_erlang_iolist_size_1, l), make_small(3));
    cr_assert_eq(call1(bif_erlang_iolist_size_1, b), make_small(3));
    ERR(call1(bif_erlang_iolist_size_1, cons(make_small(300), NIL)), badarg);
    /* list_to_bitstring([<<1:3>>, 1, <<1:3>> | <<7:2>>]) = <<" '">> */
    Term lb = cons(mkbits("20", 3), cons(make_small(1), cons(mkbits("20", 3), mkbits("c0", 2))));
    cr_assert(bin_eq(call1(bif_erlang_list_to_bitstring_1, lb), " '"));
    ERR(call1(bif_erlang_list_to_bitstring_1, mkbits("20", 3)), badarg);
    /* a big result is a refc binary */
    Term big = NIL;
    for (int i = 0; i < 100; i++) big = cons(mkbin("0123456789"), big);
    r = call1(bif_erlang_iolist_to_binary_1, big);
    cr_assert(is_boxed_sub(r, HDR_SUB_REFC_BIN) && bitstring_bitsize(r) == 8000);
}

Test(bin, bif_binary_to_list) {
    int v123[] = {1, 2, 3}, v23[] = {2, 3}, v12[] = {1, 2};
    Term b = mkbits("010203", 24), bits = mkbits("01020380", 25);
    cr_assert(list_eq(call1(bif_erlang_binary_to_list_1, b), v123, 3));
    ERR(call1(bif_erlang_binary_to_list_1, bits), badarg);
    cr_assert(list_eq(call3(bif_erlang_binary_to_list_3, b, make_small(2), make_small(3)), v23, 2));
    cr_assert(list_eq(call3(bif_erlang_binary_to_list_3, bits, make_small(1), make_small(2)), v12, 2));
    cr_assert(list_eq(call3(bif_erlang_binary_to_list_3, bits, make_small(1), make_small(3)), v123, 3));
    ERR(call3(bif_erlang_binary_to_list_3, b, make_small(0), make_small(3)), badarg);
    ERR(call3(bif_erlang_binary_to_list_3, b, make_small(3), make_small(2)), badarg);
    ERR(call3(bif_erlang_binary_to_list_3, b, make_small(3), make_small(4)), badarg);
    /* unaligned sub binary */
    Term odd = tb_make_sub_binary(P, mkbits("0080c0", 24), 1, 16);
    int vodd[] = {1, 1};
    cr_assert(list_eq(call1(bif_erlang_binary_to_list_1, odd), vodd, 2));
    /* bitstring_to_list(<<1,2,3,1:1>>) = [1,2,3,<<1:1>>] */
    Term l = call1(bif_erlang_bitstring_to_list_1, bits);
    for (int i = 0; i < 3; i++, l = CDR(list_val(l))) cr_assert_eq(CAR(list_val(l)), make_small(i + 1));
    cr_assert(bits_eq(CAR(list_val(l)), "80", 1) && is_nil(CDR(list_val(l))));
    l = call1(bif_erlang_bitstring_to_list_1, mkbits("02", 7));
    cr_assert(bits_eq(CAR(list_val(l)), "02", 7));
    cr_assert(is_nil(call1(bif_erlang_bitstring_to_list_1, mkbin(""))));
}

Test(bin, bif_split_part_sizes) {
    Term bits = mkbits("01020380", 25);
    Term r = call2(bif_erlang_split_binary_2, bits, make_small(3));
    cr_assert(bits_eq(tuple_val(r)[1], "010203", 24) && bits_eq(tuple_val(r)[2], "80", 1));
    r = call2(bif_erlang_split_binary_2, bits, make_small(0));
    cr_assert(bits_eq(tuple_val(r)[1], "", 0) && tuple_val(r)[2] == bits);
    ERR(call2(bif_erlang_split_binary_2, bits, make_small(4)), badarg);
    ERR(call2(bif_erlang_split_binary_2, bits, make_small(-1)), badarg);
    ERR(call2(bif_erlang_split_binary_2, AM(ok), make_small(0)), badarg);
    cr_assert(bits_eq(call3(bif_erlang_binary_part_3, bits, make_small(1), make_small(1)), "02", 8));
    cr_assert(bits_eq(call2(bif_erlang_binary_part_2, bits, tup2(make_small(3), make_small(-2))), "0203", 16));
    cr_assert(bits_eq(call3(bif_erlang_binary_part_3, bits, make_small(3), make_small(0)), "", 0));
    ERR(call3(bif_erlang_binary_part_3, bits, make_small(3), make_small(1)), badarg);
    ERR(call3(bif_erlang_binary_part_3, bits, make_small(0), make_small(4)), badarg);
    ERR(call2(bif_erlang_binary_part_2, bits, tup2(make_small(3), make_small(-4))), badarg);
    ERR(call3(bif_erlang_binary_part_3, bits, make_small(4), make_small(-1)), badarg);
    ERR(call3(bif_erlang_binary_part_3, bits, int_from_hex(0, "10000000000000000"), make_small(0)), badarg);
    ERR(call2(bif_erlang_binary_part_2, bits, make_small(0)), badarg);
    cr_assert_eq(call1(bif_erlang_bit_size_1, bits), make_small(25));
    cr_assert_eq(call1(bif_erlang_byte_size_1, bits), make_small(4));
    cr_assert_eq(call1(bif_erlang_byte_size_1, mkbin("")), make_small(0));
    ERR(call1(bif_erlang_bit_size_1, AM(ok)), badarg);
}

Test(bin, bif_atoms) {
    Term a = tb_atom_cstr("åäö");
    cr_assert(bin_eq(call2(bif_erlang_atom_to_binary_2, a, AM(utf8)), "åäö"));
    cr_assert(bin_eq(call2(bif_erlang_atom_to_binary_2, a, AM(unicode)), "åäö"));
    cr_assert(bin_eq(call2(bif_erlang_atom_to_binary_2, a, AM(latin1)), "\xe5\xe4\xf6"));
    Term wide = tb_atom_cstr("\xc4\xac");            /* [300] */
    ERR(call2(bif_erlang_atom_to_binary_2, wide, AM(latin1)), badarg);
    ERR(call2(bif_erlang_atom_to_binary_2, AM(ok), AM(utf16)), badarg);
    ERR(call2(bif_erlang_atom_to_binary_2, str("a"), AM(utf8)), badarg);
    int v[] = {300, 97};
    cr_assert(list_eq(call1(bif_erlang_atom_to_list_1, tb_atom_cstr("\xc4\xac" "a")), v, 2));
    cr_assert(is_nil(call1(bif_erlang_atom_to_list_1, tb_atom_cstr(""))));
    /* binary_to_atom */
    cr_assert_eq(call2(bif_erlang_binary_to_atom_2, mkbin("ok"), AM(utf8)), AM(ok));
    cr_assert_eq(call2(bif_erlang_binary_to_atom_2, mkbin("\xe5\xe4\xf6"), AM(latin1)), a);
    ERR(call2(bif_erlang_binary_to_atom_2, mkbin("\xff\xff"), AM(utf8)), badarg);
    cr_assert_neq(call2(bif_erlang_binary_to_atom_2, mkbin("\xff\xff"), AM(latin1)), TB_NONE);
    ERR(call2(bif_erlang_binary_to_atom_2, mkbits("20", 3), AM(utf8)), badarg);
    ERR(call2(bif_erlang_binary_to_atom_2, mkbin("a"), AM(utf16)), badarg);
    char buf[1100];
    memset(buf, 'a', sizeof buf);
    buf[255] = 0;
    cr_assert_neq(call2(bif_erlang_binary_to_atom_2, mkbin(buf), AM(utf8)), TB_NONE);
    buf[255] = 'a'; buf[256] = 0;
    ERR(call2(bif_erlang_binary_to_atom_2, mkbin(buf), AM(utf8)), system_limit);
    ERR(call2(bif_erlang_binary_to_atom_2, mkbin(buf), AM(latin1)), system_limit);
    buf[255] = '\xff';                               /* 255 chars then a bad byte: system_limit */
    ERR(call2(bif_erlang_binary_to_atom_2, mkbin(buf), AM(utf8)), system_limit);
    buf[0] = '\xff';                                 /* bad first byte: badarg */
    ERR(call2(bif_erlang_binary_to_atom_2, mkbin(buf), AM(utf8)), badarg);
    ERR(call2(bif_erlang_binary_to_existing_atom_2, mkbin(buf), AM(utf8)), badarg);
    memset(buf, 'a', sizeof buf);
    buf[sizeof buf - 1] = 0;
    ERR(call2(bif_erlang_binary_to_existing_atom_2, mkbin(buf), AM(utf8)), badarg);
    ERR(call2(bif_erlang_binary_to_existing_atom_2, mkbin("nonexisting_atom_xyz"), AM(utf8)), badarg);
    cr_assert_eq(call2(bif_erlang_binary_to_existing_atom_2, mkbin("ok"), AM(latin1)), AM(ok));
    cr_assert_eq(call2(bif_erlang_binary_to_existing_atom_2, mkbin("\xe5\xe4\xf6"), AM(latin1)), a);
    /* list_to_atom */
    cr_assert_eq(call1(bif_erlang_list_to_atom_1, str("ok")), AM(ok));
    cr_assert_eq(call1(bif_erlang_list_to_atom_1, NIL), tb_atom_cstr(""));
    int cps[] = {300, 97};
    cr_assert_eq(call1(bif_erlang_list_to_atom_1, list_of(cps, 2)), tb_atom_cstr("\xc4\xac" "a"));
    int sur[] = {0xD800}, big[] = {0x110000}, neg[] = {-1};
    ERR(call1(bif_erlang_list_to_atom_1, list_of(sur, 1)), badarg);
    ERR(call1(bif_erlang_list_to_atom_1, list_of(big, 1)), badarg);
    ERR(call1(bif_erlang_list_to_atom_1, list_of(neg, 1)), badarg);
    ERR(call1(bif_erlang_list_to_atom_1, cons(make_small('a'), AM(ok))), badarg);
    ERR(call1(bif_erlang_list_to_atom_1, cons(mkbin("a"), NIL)), badarg);
    ERR(call1(bif_erlang_list_to_atom_1, AM(ok)), badarg);
    memset(buf, 'a', 256);
    buf[256] = 0;
    ERR(call1(bif_erlang_list_to_atom_1, str(buf)), system_limit);
    buf[255] = 0;
    Term l255 = str(buf);
    ERR(call1(bif_erlang_list_to_atom_1, cons(make_small('a'), cons(AM(ok), l255))), badarg);
    /* 255 chars then anything (even a bad element) is system_limit; then an improper tail is badarg */
    Term t = l255;
    Term *last = NULL;
    for (Term x = t; is_list(x); x = CDR(list_val(x))) last = list_val(x);
    CDR(last) = cons(AM(ok), NIL);
    ERR(call1(bif_erlang_list_to_atom_1, t), system_limit);
    ERR(call1(bif_erlang_list_to_existing_atom_1, t), badarg);
    CDR(last) = AM(ok);
    ERR(call1(bif_erlang_list_to_atom_1, t), badarg);
    ERR(call1(bif_erlang_list_to_existing_atom_1, str("nonexisting_atom_xyz2")), badarg);
    cr_assert_eq(call1(bif_erlang_list_to_existing_atom_1, str("ok")), AM(ok));
}

/* sizes of the binaries in an iovec, -1 terminated */
static bool iovec_sizes(Term l, const long *want) {
    for (; is_list(l); l = CDR(list_val(l)), want++)
        if (*want < 0 || bitstring_bitsize(CAR(list_val(l))) != 8 * (UWord)*want) return false;
    return is_nil(l) && *want < 0;
}
static Term copies(int byte, size_t n) {
    Term b = tb_new_binary(P, NULL, n);
    memset(tb_binary_bytes_for_write(b), byte, n);
    return b;
}

Test(bin, bif_iolist_to_iovec) {
    Term b1 = copies(1, 1000), b2 = copies(2, 300), b3 = copies(3, 255), b4 = copies(3, 256);
    Term one = make_small(1);
    /* shapes from real erl */
    long w1[] = {1000, 256, 745, -1}, w2[] = {300, 301, -1}, w3[] = {511, -1}, w4[] = {256, 257, -1},
         w5[] = {256, 256, -1}, w6[] = {257, 256, -1}, w7[] = {300, -1}, w8[] = {1000, -1}, w9[] = {5000, -1},
         w10[] = {456, -1};
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, cons(b1, cons(one, cons(b1, NIL)))), w1));
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, cons(b2, cons(one, cons(b2, NIL)))), w2));
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, cons(b3, cons(one, cons(b3, NIL)))), w3));
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, cons(b4, cons(one, cons(b4, NIL)))), w4));
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, cons(b4, cons(b4, NIL))), w5));
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, cons(one, cons(b4, cons(b4, NIL)))), w6));
    Term part = tb_make_sub_binary(P, b1, 8, 8 * 300);
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, cons(part, NIL)), w7));
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, b1), w8));
    Term l = NIL;
    for (int i = 0; i < 100; i++) l = cons(copies(1, 50), l);
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, l), w9));
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, cons(copies(1, 100), cons(copies(1, 100), cons(b4, NIL)))), w10));
    /* the middle piece of w1 is 1 then the first 255 bytes of b1; the tail is a sub binary of b1 */
    Term r = call1(bif_erlang_iolist_to_iovec_1, cons(b1, cons(one, cons(b1, NIL))));
    Term mid = CAR(list_val(CDR(list_val(r)))), tail = CAR(list_val(CDR(list_val(CDR(list_val(r))))));
    cr_assert_eq(byte_at_(mid, 0), 1);
    cr_assert_eq(pb_of(tail), pb_of(b1));
    cr_assert(is_nil(call1(bif_erlang_iolist_to_iovec_1, NIL)));
    cr_assert(is_nil(call1(bif_erlang_iolist_to_iovec_1, mkbin(""))));
    cr_assert(is_nil(call1(bif_erlang_iolist_to_iovec_1, cons(NIL, cons(mkbin(""), NIL)))));
    long w11[] = {4, -1};
    cr_assert(iovec_sizes(call1(bif_erlang_iolist_to_iovec_1, cons(one, cons(one, cons(mkbin("ab"), NIL)))), w11));
    ERR(call1(bif_erlang_iolist_to_iovec_1, cons(mkbits("80", 1), NIL)), badarg);
    ERR(call1(bif_erlang_iolist_to_iovec_1, cons(make_small(256), NIL)), badarg);
    ERR(call1(bif_erlang_iolist_to_iovec_1, AM(ok)), badarg);
    ERR(call1(bif_erlang_iolist_to_iovec_1, mkbits("80", 1)), badarg);
}

Test(bin, bif_binary_module_basics) {
    Term bits = mkbits("01020380", 25), abc = mkbin("abc");
    cr_assert(bits_eq(call3(bif_binary_part_3, bits, make_small(0), make_small(3)), "010203", 24));
    ERR(call3(bif_binary_part_3, bits, make_small(0), make_small(4)), badarg);
    cr_assert(bin_eq(call2(bif_binary_part_2, abc, tup2(make_small(1), make_small(1))), "b"));
    cr_assert_eq(call2(bif_binary_at_2, abc, make_small(0)), make_small('a'));
    ERR(call2(bif_binary_at_2, abc, make_small(-1)), badarg);
    ERR(call2(bif_binary_at_2, abc, make_small(3)), badarg);
    ERR(call2(bif_binary_at_2, bits, make_small(2)), badarg);       /* bitstrings refused */
    cr_assert_eq(call1(bif_binary_first_1, abc), make_small('a'));
    cr_assert_eq(call1(bif_binary_last_1, abc), make_small('c'));
    ERR(call1(bif_binary_first_1, mkbin("")), badarg);
    ERR(call1(bif_binary_last_1, mkbin("")), badarg);
    ERR(call1(bif_binary_last_1, bits), badarg);
    cr_assert(bin_eq(call2(bif_binary_copy_2, mkbin("ab"), make_small(3)), "ababab"));
    cr_assert(bin_eq(call2(bif_binary_copy_2, mkbin("ab"), make_small(0)), ""));
    cr_assert(bin_eq(call2(bif_binary_copy_2, mkbin(""), make_small((SWord)1 << 58)), ""));
    ERR(call2(bif_binary_copy_2, mkbin("ab"), make_small(-1)), badarg);
    ERR(call2(bif_binary_copy_2, mkbin("ab"), AM(ok)), badarg);
    ERR(call1(bif_binary_copy_1, bits), badarg);
    cr_assert(bin_eq(call1(bif_binary_copy_1, abc), "abc"));
    /* decode/encode_unsigned */
    cr_assert_eq(call1(bif_binary_decode_unsigned_1, mkbits("0102", 16)), make_small(258));
    cr_assert_eq(call2(bif_binary_decode_unsigned_2, mkbits("0102", 16), AM(little)), make_small(513));
    cr_assert_eq(call1(bif_binary_decode_unsigned_1, mkbin("")), make_small(0));
    ERR(call1(bif_binary_decode_unsigned_1, bits), badarg);
    ERR(call2(bif_binary_decode_unsigned_2, abc, AM(ok)), badarg);
    char hex[80];
    unsigned neg;
    int_to_hex(call1(bif_binary_decode_unsigned_1, copies(255, 20)), &neg, hex);
    cr_assert(!neg && strcmp(hex, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF") == 0);
    int_to_hex(call2(bif_binary_decode_unsigned_2, mkbits("010000000000000000", 72), AM(little)), &neg, hex);
    cr_assert_str_eq(hex, "1");
    cr_assert(bits_eq(call1(bif_binary_encode_unsigned_1, make_small(0)), "00", 8));
    cr_assert(bits_eq(call2(bif_binary_encode_unsigned_2, make_small(256), AM(little)), "0001", 16));
    cr_assert(bits_eq(call1(bif_binary_encode_unsigned_1, int_from_hex(0, "400000000000000000")), "400000000000000000", 72));
    cr_assert(bits_eq(call2(bif_binary_encode_unsigned_2, int_from_hex(0, "FFFFFFFFFFFFFFFF"), AM(little)), "ffffffffffffffff", 64));
    ERR(call1(bif_binary_encode_unsigned_1, make_small(-1)), badarg);
    ERR(call1(bif_binary_encode_unsigned_1, int_from_hex(1, "400000000000000000")), badarg);
    ERR(call2(bif_binary_encode_unsigned_2, make_small(5), AM(ok)), badarg);
    /* referenced_byte_size */
    Term big = copies(0, 1000);
    cr_assert_eq(call1(bif_binary_referenced_byte_size_1, tb_make_sub_binary(P, big, 80, 80)), make_small(1000));
    cr_assert_eq(call1(bif_binary_referenced_byte_size_1, bits), make_small(4));
    ERR(call1(bif_binary_referenced_byte_size_1, AM(ok)), badarg);
    cr_assert(bin_eq(call1(bif_binary_list_to_bin_1, cons(make_small('x'), cons(mkbin("y"), NIL))), "xy"));
    ERR(call1(bif_binary_list_to_bin_1, mkbin("y")), badarg);
    ERR(call1(bif_binary_list_to_bin_1, cons(mkbits("80", 1), NIL)), badarg);
    /* longest_common_* */
    cr_assert_eq(call1(bif_binary_longest_common_prefix_1, cons(mkbin("abc"), cons(mkbin("abd"), NIL))), make_small(2));
    cr_assert_eq(call1(bif_binary_longest_common_prefix_1, cons(mkbin("abc"), NIL)), make_small(3));
    cr_assert_eq(call1(bif_binary_longest_common_prefix_1, cons(mkbin("abc"), cons(mkbin(""), NIL))), make_small(0));
    ERR(call1(bif_binary_longest_common_prefix_1, NIL), badarg);
    ERR(call1(bif_binary_longest_common_prefix_1, abc), badarg);
    ERR(call1(bif_binary_longest_common_prefix_1, cons(abc, mkbin("a"))), badarg);
    ERR(call1(bif_binary_longest_common_prefix_1, cons(abc, cons(mkbits("61", 9), NIL))), badarg);
    cr_assert_eq(call1(bif_binary_longest_common_suffix_1, cons(mkbin("abc"), cons(mkbin("bc"), cons(mkbin("c"), NIL)))), make_small(1));
}

static bool is_pos_len(Term t, long pos, long len) {
    return is_tuple_arity(t, 2) && tuple_val(t)[1] == make_small(pos) && tuple_val(t)[2] == make_small(len);
}
static Term scope(long s, long l) { return cons(tup2(tb_atom_cstr("scope"), tup2(make_small(s), make_small(l))), NIL); }
static bool parts_eq(Term l, const char **want) {
    for (; is_list(l); l = CDR(list_val(l)), want++)
        if (!*want || !bin_eq(CAR(list_val(l)), *want)) return false;
    return is_nil(l) && !*want;
}

Test(bin, bif_binary_search) {
    Term s = mkbin("abcabc");
    Term pats = cons(mkbin("bc"), cons(mkbin("c"), cons(mkbin("abc"), NIL)));
    cr_assert(is_pos_len(call2(bif_binary_match_2, s, mkbin("bc")), 1, 2));
    cr_assert(is_pos_len(call2(bif_binary_match_2, s, pats), 0, 3));            /* leftmost, then longest */
    Term p2 = cons(mkbin("bc"), cons(mkbin("c"), NIL));
    cr_assert(is_pos_len(call3(bif_binary_match_3, s, p2, scope(2, 4)), 2, 1));
    cr_assert(is_pos_len(call3(bif_binary_match_3, s, p2, scope(6, -4)), 2, 1));
    cr_assert_eq(call2(bif_binary_match_2, s, mkbin("x")), AM(nomatch));
    cr_assert_eq(call3(bif_binary_match_3, mkbin("abc"), mkbin("c"), scope(3, 0)), AM(nomatch));
    ERR(call3(bif_binary_match_3, mkbin("abc"), mkbin("c"), scope(4, 0)), badarg);
    cr_assert(is_pos_len(call3(bif_binary_match_3, mkbin("abc"), mkbin("c"), scope(3, -3)), 2, 1));
    Term two = cons(tup2(tb_atom_cstr("scope"), tup2(make_small(0), make_small(3))), scope(0, 2));
    cr_assert_eq(call3(bif_binary_match_3, mkbin("abc"), mkbin("c"), two), AM(nomatch));   /* last scope wins */
    ERR(call2(bif_binary_match_2, s, mkbin("")), badarg);
    ERR(call2(bif_binary_match_2, s, NIL), badarg);
    ERR(call2(bif_binary_match_2, mkbits("80", 1), mkbin("a")), badarg);
    ERR(call2(bif_binary_match_2, s, cons(mkbin("c"), mkbin("d"))), badarg);
    ERR(call3(bif_binary_match_3, s, mkbin("c"), cons(tb_atom_cstr("global"), NIL)), badarg);
    ERR(call3(bif_binary_match_3, s, mkbin("c"), AM(ok)), badarg);
    /* matches */
    Term m = call2(bif_binary_matches_2, s, cons(mkbin("bc"), cons(mkbin("c"), cons(mkbin("a"), NIL))));
    long want[][2] = {{0, 1}, {1, 2}, {3, 1}, {4, 2}};
    for (int i = 0; i < 4; i++, m = CDR(list_val(m))) cr_assert(is_pos_len(CAR(list_val(m)), want[i][0], want[i][1]));
    cr_assert(is_nil(m));
    m = call2(bif_binary_matches_2, mkbin("aaaa"), cons(mkbin("aa"), cons(mkbin("a"), NIL)));
    cr_assert(is_pos_len(CAR(list_val(m)), 0, 2) && is_pos_len(CAR(list_val(CDR(list_val(m)))), 2, 2));
    m = call3(bif_binary_matches_3, mkbin("abcbc"), mkbin("bc"), scope(2, 3));
    cr_assert(is_pos_len(CAR(list_val(m)), 3, 2) && is_nil(CDR(list_val(m))));
    cr_assert(is_nil(call3(bif_binary_matches_3, mkbin("abcbc"), mkbin("bcbc"), scope(0, 4))));
    /* split */
    Term comma = mkbin(","), g = cons(tb_atom_cstr("global"), NIL);
    Term trim = tb_atom_cstr("trim"), trim_all = tb_atom_cstr("trim_all");
    const char *e1[] = {"a", "b,,c", NULL}, *e2[] = {"a", "b", "", "c", NULL}, *e3[] = {"a", "b", "c", NULL};
    const char *e4[] = {",a", "", "", ",c,", NULL}, *e5[] = {"abc", NULL}, *e6[] = {"", "bc", NULL};
    const char *e7[] = {"ab", NULL}, *e8[] = {"", "", "", "", NULL}, *e9[] = {"", NULL}, *e0[] = {NULL};
    cr_assert(parts_eq(call2(bif_binary_split_2, mkbin("a,b,,c"), comma), e1));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin("a,b,,c"), comma, g), e2));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin("a,b,,c,"), comma, cons(tb_atom_cstr("global"), cons(trim, NIL))), e2));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin(",a,b,,c,"), comma, cons(tb_atom_cstr("global"), cons(trim_all, NIL))), e3));
    Term sc = cons(tb_atom_cstr("global"), scope(1, 4));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin(",a,b,,c,"), cons(comma, cons(mkbin("b"), NIL)), sc), e4));
    cr_assert(parts_eq(call2(bif_binary_split_2, mkbin("abc"), mkbin("x")), e5));
    cr_assert(parts_eq(call2(bif_binary_split_2, mkbin("abc"), mkbin("a")), e6));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin("abc"), mkbin("a"), cons(trim, NIL)), e6));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin("abc"), mkbin("c"), cons(trim, NIL)), e7));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin("abc"), mkbin("c"), cons(trim_all, NIL)), e7));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin("aaa"), mkbin("a"), g), e8));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin("aaa"), mkbin("a"), cons(tb_atom_cstr("global"), cons(trim, NIL))), e0));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin(""), mkbin("a"), g), e9));
    cr_assert(parts_eq(call3(bif_binary_split_3, mkbin(""), mkbin("a"), cons(trim_all, NIL)), e0));
    ERR(call3(bif_binary_split_3, mkbin("xay"), mkbin("a"), cons(AM(ok), NIL)), badarg);
    /* compiled patterns */
    Term cp = call1(bif_binary_compile_pattern_1, cons(mkbin("b"), cons(mkbin("bc"), NIL)));
    cr_assert(is_tuple_arity(cp, 2) && tuple_val(cp)[1] == tb_atom_cstr("ac"));
    m = call2(bif_binary_matches_2, mkbin("abc"), cp);
    cr_assert(is_pos_len(CAR(list_val(m)), 1, 2));
    cp = call1(bif_binary_compile_pattern_1, cons(mkbin("a"), NIL));
    cr_assert(tuple_val(cp)[1] == tb_atom_cstr("bm"));
    cr_assert(is_pos_len(call2(bif_binary_match_2, mkbin("xa"), cp), 1, 1));
    ERR(call1(bif_binary_compile_pattern_1, mkbin("")), badarg);
    ERR(call1(bif_binary_compile_pattern_1, NIL), badarg);
    ERR(call1(bif_binary_compile_pattern_1, cons(mkbin("a"), cons(mkbin(""), NIL))), badarg);
}
