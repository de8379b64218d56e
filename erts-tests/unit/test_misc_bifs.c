/* test_misc_bifs.c — bifs/bif_misc.c, bif_calendar.c, bif_convert.c and
 * bif_system.c.  Every expected value and badarg below was taken from real
 * erl 25 (OTP 25.2.3) on Debian 12; where tbeam must differ (one scheduler)
 * the comment says so.  Results are compared as erlang:display/1 text. */
#include "../../emu/pdict.h"
#include "../../emu/scheduler.h"
#include <criterion/criterion.h>
#include <time.h>
#include <sys/utsname.h>
#include "test_terms.h"
#include "../../bifs/bif.h"
#include "../../emu/binary.h"

/* ---------------- stand-in for emu/module.c (needs the interpreter) ---------------- */

static TbModule *fake_modules;
TbModule *tb_module_first(void) { return fake_modules; }
/* bifs/bif_memory.c (needs the process table): no memory items here */
Term tb_system_info_memory(TbProcess *p, Term item) { (void)p; (void)item; return TB_NONE; }
/* emu/port.c (needs the poll set): no ports here */
UWord tb_port_count(void) { return 0; }

/* ---------------- helpers ---------------- */

static TbProcess *P;
static TbScheduler sched;                         /* statistics/1 reads the scheduler's counters */

static void setup(void) {
    (void)tt_etf;
    tt_setup();
    P = tb_process_new(1 << 14);
    P->id = make_pid(5);                          /* <0.5.0> */
    P->sched = &sched;
    setenv("TZ", "UTC", 1);
    tzset();
}

TestSuite(misc_bifs, .init = setup);

#define A(s) tb_atom_cstr(s)
#define I(v) make_small(v)
#define NARGS(...) (sizeof((Term[]){ __VA_ARGS__ }) / sizeof(Term))
#define TUP(...) tt_tuple((Term[]){ __VA_ARGS__ }, NARGS(__VA_ARGS__))
#define LIST(...) tt_list((Term[]){ __VA_ARGS__ }, NARGS(__VA_ARGS__), NIL)
#define CALL(fn, ...) fn(P, (Term[]){ __VA_ARGS__ })
#define CALL0(fn) fn(P, (Term[]){ 0 })

static Term S(const char *s) {                    /* a string (list of bytes) */
    size_t n = strlen(s);
    Term l = NIL;
    for (size_t i = n; i-- > 0;) l = tt_list((Term[]){ make_small((uint8_t)s[i]) }, 1, l);
    return l;
}
static Term Sn(const char *s, size_t n) {
    Term l = NIL;
    for (size_t i = n; i-- > 0;) l = tt_list((Term[]){ make_small((uint8_t)s[i]) }, 1, l);
    return l;
}
static Term B(const char *s) { return tt_heap_bin((const uint8_t *)s, strlen(s)); }
static Term Bn(const uint8_t *s, size_t n) { return tt_heap_bin(s, n); }

/* 2^k (k < 128) as a positive or negative integer term. */
static Term pow2(unsigned k, bool neg) {
    uint8_t le[17] = { 0 };
    le[k / 8] = (uint8_t)(1u << (k % 8));
    return tt_integer(le, 17, neg);
}
static Term int64_term(int64_t v) {
    uint8_t le[8];
    uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
    for (int i = 0; i < 8; i++) le[i] = (uint8_t)(m >> (8 * i));
    return tt_integer(le, 8, v < 0);
}

/* A flatmap from keys already in map-key order. */
static Term fmap(const Term *keys, const Term *vals, size_t n) {
    Term kt = tt_tuple(keys, n);
    Term *hp = tt_alloc(FLATMAP_HEAD_WORDS + n);
    hp[0] = make_header(2 + n, HDR_SUB_FLATMAP);
    hp[1] = n;
    hp[2] = kt;
    memcpy(hp + FLATMAP_HEAD_WORDS, vals, n * sizeof(Term));
    return make_boxed(hp);
}

static int64_t as_int64(Term t) {
    if (is_small(t)) return small_val(t);
    cr_assert(is_big(t) && big_size(t) == 1);
    return big_sign(t) ? -(int64_t)big_limbs(t)[0] : (int64_t)big_limbs(t)[0];
}

static const char *show(Term t) {
    static char buf[8192];
    tb_print_term(buf, sizeof buf, t);
    return buf;
}

#define EXPECT_SHOW(expr, text) do {                                         \
        Term r_ = (expr);                                                    \
        cr_expect_neq(r_, TB_NONE, "%s raised", #expr);                      \
        if (r_ != TB_NONE) cr_expect_str_eq(show(r_), text, "%s", #expr);    \
    } while (0)
#define EXPECT_BADARG(expr) do {                                             \
        P->fvalue = NIL;                                                     \
        Term r_ = (expr);                                                    \
        cr_expect_eq(r_, TB_NONE, "%s gave %s", #expr, r_ == TB_NONE ? "" : show(r_)); \
        cr_expect_eq(P->fvalue, AM_badarg, "%s: reason", #expr);             \
    } while (0)

static Term data1000(void) {                      /* [X rem 256 || X <- lists:seq(0, 999)] */
    Term l = NIL;
    for (int i = 999; i >= 0; i--) l = tt_list((Term[]){ I(i % 256) }, 1, l);
    return l;
}

/* ================= bif_misc.c ================= */

Test(misc_bifs, crc32) {
    EXPECT_SHOW(CALL(bif_crc32_1, B("hello")), "907060870");
    EXPECT_SHOW(CALL(bif_crc32_1, LIST(B("he"), I('l'), LIST(I('l'), B("o")))), "907060870");
    EXPECT_SHOW(CALL(bif_crc32_1, NIL), "0");
    EXPECT_SHOW(CALL(bif_crc32_1, B("")), "0");
    EXPECT_SHOW(CALL(bif_crc32_1, data1000()), "1961098049");
    uint8_t zeros[1000] = { 0 };
    EXPECT_SHOW(CALL(bif_crc32_1, Bn(zeros, 1000)), "101390208");
    EXPECT_BADARG(CALL(bif_crc32_1, A("atom")));
    EXPECT_BADARG(CALL(bif_crc32_1, LIST(I(256))));
    EXPECT_BADARG(CALL(bif_crc32_1, LIST(I(-1))));
    EXPECT_BADARG(CALL(bif_crc32_1, tt_list((Term[]){ I(1) }, 1, I(2))));
    Term bits = tt_sub_bin(B("a"), 0, 3);          /* <<3:3>> */
    EXPECT_BADARG(CALL(bif_crc32_1, bits));
    EXPECT_BADARG(CALL(bif_crc32_1, LIST(bits)));
    EXPECT_SHOW(CALL(bif_crc32_2, I(123), B("hello")), "3088217944");
    EXPECT_SHOW(CALL(bif_crc32_2, I(0xFFFFFFFF), B("hello")), "265137764");
    EXPECT_BADARG(CALL(bif_crc32_2, I(-1), B("hello")));
    EXPECT_BADARG(CALL(bif_crc32_2, I(1LL << 32), B("hello")));
    EXPECT_BADARG(CALL(bif_crc32_2, pow2(64, false), B("hello")));
    EXPECT_BADARG(CALL(bif_crc32_2, tt_float(1.0), B("hello")));
    EXPECT_BADARG(CALL(bif_crc32_2, I(1), A("bad")));
}

Test(misc_bifs, crc32_unaligned_and_deep) {
    /* <<_:3, Sub:7/binary, _:5>> = <<"abcdefgh">> */
    Term sub = tt_sub_bin(B("abcdefgh"), 3, 56);
    EXPECT_SHOW(CALL(bif_crc32_1, sub), "3471210727");
    EXPECT_SHOW(CALL(bif_adler32_1, sub), "50004214");
    EXPECT_SHOW(CALL(bif_md5_1, sub), "<<44,27,215,143,113,164,199,148,209,254,153,228,235,34,226,236>>");
    EXPECT_SHOW(CALL(bif_crc32_1, LIST(sub, tt_list((Term[]){ I(1) }, 1, B("\2")))), "4180480081");
    /* 10000 levels deep: [[[...[104]...]]] then the rest */
    Term deep = LIST(I('h'));
    for (int i = 0; i < 10000; i++) deep = LIST(deep);
    EXPECT_SHOW(CALL(bif_crc32_1, LIST(deep, S("ello"))), "907060870");
}

Test(misc_bifs, crc32_combine) {
    Term a = CALL(bif_crc32_1, B("he")), b = CALL(bif_crc32_1, B("llo"));
    EXPECT_SHOW(CALL(bif_crc32_combine_3, a, b, I(3)), "907060870");
    EXPECT_SHOW(CALL(bif_crc32_combine_3, I(1), I(2), I(0)), "3");
    EXPECT_BADARG(CALL(bif_crc32_combine_3, I(1), I(2), I(-1)));
    EXPECT_BADARG(CALL(bif_crc32_combine_3, I(1), I(2), I(1LL << 32)));
    EXPECT_BADARG(CALL(bif_crc32_combine_3, I(1LL << 32), I(2), I(1)));
    EXPECT_BADARG(CALL(bif_crc32_combine_3, I(1), I(2), pow2(64, false)));
    EXPECT_BADARG(CALL(bif_crc32_combine_3, I(1), I(2), tt_float(1.0)));
}

Test(misc_bifs, adler32) {
    EXPECT_SHOW(CALL(bif_adler32_1, B("hello")), "103547413");
    EXPECT_SHOW(CALL(bif_adler32_1, NIL), "1");
    EXPECT_SHOW(CALL(bif_adler32_1, data1000()), "486795068");
    EXPECT_SHOW(CALL(bif_adler32_2, I(5), B("hello")), "104858137");
    EXPECT_SHOW(CALL(bif_adler32_2, I(0), B("")), "0");
    EXPECT_SHOW(CALL(bif_adler32_2, I(0xFFFFFFFF), B("hello")), "108724770");
    EXPECT_BADARG(CALL(bif_adler32_2, I(1LL << 32), B("hello")));
    /* zlib normalises the sum whenever ERTS hands it a binary, even empty */
    Term big = I(0xFFFFFFFF);
    EXPECT_SHOW(CALL(bif_adler32_2, big, B("")), "917518");
    EXPECT_SHOW(CALL(bif_adler32_2, big, LIST(B(""))), "917518");
    EXPECT_SHOW(CALL(bif_adler32_2, big, NIL), "4294967295");
    EXPECT_SHOW(CALL(bif_adler32_2, big, LIST(NIL)), "4294967295");
    EXPECT_SHOW(CALL(bif_adler32_2, big, tt_list((Term[]){ LIST(B("")) }, 1, B(""))), "917518");
    EXPECT_SHOW(CALL(bif_adler32_2, big, tt_list((Term[]){ NIL }, 1, B(""))), "917518");
}

Test(misc_bifs, adler32_combine) {
    Term a = CALL(bif_adler32_1, B("he")), b = CALL(bif_adler32_1, B("llo"));
    EXPECT_SHOW(CALL(bif_adler32_combine_3, a, b, I(3)), "103547413");
    EXPECT_SHOW(CALL(bif_adler32_combine_3, I(1), I(2), I(0)), "1");
    EXPECT_SHOW(CALL(bif_adler32_combine_3, I(0xFFFFFFFF), I(0xFFFFFFFF), I(1LL << 31)), "2244673548");
    EXPECT_BADARG(CALL(bif_adler32_combine_3, I(1), I(2), I(1LL << 32)));
    EXPECT_BADARG(CALL(bif_adler32_combine_3, I(1), I(2), I(1LL << 40)));
}

Test(misc_bifs, md5) {
    const char *hello = "<<93,65,64,42,188,75,42,118,185,113,157,145,16,23,197,146>>";
    EXPECT_SHOW(CALL(bif_md5_1, B("hello")), hello);
    EXPECT_SHOW(CALL(bif_md5_1, LIST(S("he"), B("llo"))), hello);
    EXPECT_SHOW(CALL(bif_md5_1, B("")), "<<212,29,140,217,143,0,178,4,233,128,9,152,236,248,66,126>>");
    EXPECT_BADARG(CALL(bif_md5_1, A("bad")));
    Term d = data1000();
    uint8_t raw[1000];
    for (int i = 0; i < 1000; i++) raw[i] = (uint8_t)i;
    const char *d1000 = "<<203,236,189,176,253,213,206,193,226,66,73,59,96,8,204,121>>";
    EXPECT_SHOW(CALL(bif_md5_1, d), d1000);
    EXPECT_SHOW(CALL(bif_md5_1, Bn(raw, 1000)), d1000);
    /* padding edges: 55, 56 and 64 bytes */
    EXPECT_SHOW(CALL(bif_md5_1, Bn(raw, 55)), "<<105,18,238,101,255,242,217,249,206,37,8,205,223,139,205,160>>");
    EXPECT_SHOW(CALL(bif_md5_1, Bn(raw, 56)), "<<81,253,209,172,218,114,64,93,253,250,3,252,184,88,150,215>>");
    EXPECT_SHOW(CALL(bif_md5_1, Bn(raw, 64)), "<<178,211,245,107,193,151,253,152,93,89,101,7,155,94,113,72>>");
}

Test(misc_bifs, md5_context) {
    Term c = CALL0(bif_md5_init_0);
    cr_assert(is_binary(c));
    cr_expect_eq(bitstring_bitsize(c), 88 * 8);
    const uint8_t *b;
    UWord off, bits;
    bitstring_view(c, &b, &off, &bits);
    static const uint8_t head[24] = { 1, 35, 69, 103, 137, 171, 205, 239, 254, 220, 186, 152, 118, 84, 50, 16 };
    cr_expect_arr_eq(b + off / 8, head, 24);       /* state words, then a zero bit count */

    Term c2 = CALL(bif_md5_update_2, c, B("hello"));
    bitstring_view(c2, &b, &off, &bits);
    cr_expect_eq(b[16], 40);                      /* 40 bits counted, low word first */
    cr_expect_arr_eq(b + 24, "hello", 5);         /* buffered input */
    EXPECT_SHOW(CALL(bif_md5_final_1, c2), "<<93,65,64,42,188,75,42,118,185,113,157,145,16,23,197,146>>");
    EXPECT_SHOW(CALL(bif_md5_final_1, c), "<<212,29,140,217,143,0,178,4,233,128,9,152,236,248,66,126>>");

    /* incremental over 100 + 900 bytes: bit count <<32,3,0,...>> and the same digest */
    uint8_t raw[1000];
    for (int i = 0; i < 1000; i++) raw[i] = (uint8_t)i;
    Term c3 = CALL(bif_md5_update_2, c, Bn(raw, 100));
    bitstring_view(c3, &b, &off, &bits);
    static const uint8_t cnt[8] = { 32, 3, 0, 0, 0, 0, 0, 0 };
    cr_expect_arr_eq(b + 16, cnt, 8);
    EXPECT_SHOW(CALL(bif_md5_final_1, CALL(bif_md5_update_2, c3, Bn(raw + 100, 900))),
                "<<203,236,189,176,253,213,206,193,226,66,73,59,96,8,204,121>>");

    /* any 88-byte binary is a context (ERTS does not check it) */
    uint8_t zero[89] = { 0 };
    Term z = Bn(zero, 88);
    Term zu = CALL(bif_md5_update_2, z, B("a"));
    bitstring_view(zu, &b, &off, &bits);
    uint8_t expect[88] = { 0 };
    expect[16] = 8;
    expect[24] = 'a';
    cr_expect_arr_eq(b, expect, 88);
    EXPECT_SHOW(CALL(bif_md5_final_1, z), "<<176,230,65,201,152,204,62,174,111,162,248,114,109,152,205,221>>");
    /* an unaligned 88-byte context works too */
    EXPECT_SHOW(CALL(bif_md5_final_1, tt_unaligned(c2, 3)),
                "<<93,65,64,42,188,75,42,118,185,113,157,145,16,23,197,146>>");

    EXPECT_BADARG(CALL(bif_md5_update_2, B("\1\2\3"), B("hello")));
    EXPECT_BADARG(CALL(bif_md5_final_1, B("\1\2\3")));
    EXPECT_BADARG(CALL(bif_md5_update_2, Bn(zero, 87), B("a")));
    EXPECT_BADARG(CALL(bif_md5_update_2, Bn(zero, 89), B("a")));
    EXPECT_BADARG(CALL(bif_md5_update_2, tt_sub_bin(Bn(zero, 89), 0, 88 * 8 + 4), B("a")));
    EXPECT_BADARG(CALL(bif_md5_update_2, c, A("bad")));
    EXPECT_BADARG(CALL(bif_md5_final_1, A("bad")));
}

Test(misc_bifs, delete_insert_element) {
    Term abc = TUP(A("a"), A("b"), A("c")), a1 = TUP(A("a")), e;
    e = tt_tuple((Term[]){ NIL }, 0);
    EXPECT_SHOW(CALL(bif_delete_element_2, I(2), abc), "{a,c}");
    EXPECT_SHOW(CALL(bif_delete_element_2, I(1), abc), "{b,c}");
    EXPECT_SHOW(CALL(bif_delete_element_2, I(3), abc), "{a,b}");
    EXPECT_SHOW(CALL(bif_delete_element_2, I(1), a1), "{}");
    EXPECT_BADARG(CALL(bif_delete_element_2, I(0), a1));
    EXPECT_BADARG(CALL(bif_delete_element_2, I(2), a1));
    EXPECT_BADARG(CALL(bif_delete_element_2, I(1), e));
    EXPECT_BADARG(CALL(bif_delete_element_2, pow2(60, false), a1));
    EXPECT_BADARG(CALL(bif_delete_element_2, I(1), LIST(A("a"))));
    Term ab = TUP(A("a"), A("b"));
    EXPECT_SHOW(CALL(bif_insert_element_3, I(1), ab, A("x")), "{x,a,b}");
    EXPECT_SHOW(CALL(bif_insert_element_3, I(2), ab, A("x")), "{a,x,b}");
    EXPECT_SHOW(CALL(bif_insert_element_3, I(3), ab, A("x")), "{a,b,x}");
    EXPECT_SHOW(CALL(bif_insert_element_3, I(1), e, A("x")), "{x}");
    EXPECT_BADARG(CALL(bif_insert_element_3, I(4), ab, A("x")));
    EXPECT_BADARG(CALL(bif_insert_element_3, I(0), ab, A("x")));
    EXPECT_BADARG(CALL(bif_insert_element_3, I(2), e, A("x")));
    EXPECT_BADARG(CALL(bif_insert_element_3, A("a"), e, A("x")));
    EXPECT_BADARG(CALL(bif_insert_element_3, I(1), NIL, A("x")));
}

Test(misc_bifs, unique_integer) {
    /* monotonic ones share a counter: the first is MIN_SMALL, positive ones start at 1 */
    EXPECT_SHOW(CALL(bif_unique_integer_1, LIST(A("monotonic"))), "-576460752303423488");
    EXPECT_SHOW(CALL(bif_unique_integer_1, LIST(A("monotonic"))), "-576460752303423487");
    EXPECT_SHOW(CALL(bif_unique_integer_1, LIST(A("monotonic"), A("positive"))), "3");
    EXPECT_SHOW(CALL(bif_unique_integer_1, LIST(A("positive"), A("monotonic"), A("positive"))), "4");
    Term a = CALL0(bif_unique_integer_0), b = CALL(bif_unique_integer_1, NIL);
    cr_expect(is_small(a) && is_small(b) && a != b && small_val(a) < 0);
    Term c = CALL(bif_unique_integer_1, LIST(A("positive")));
    cr_expect(is_small(c) && small_val(c) > 0);
    EXPECT_BADARG(CALL(bif_unique_integer_1, LIST(A("foo"))));
    EXPECT_BADARG(CALL(bif_unique_integer_1, tt_list((Term[]){ A("positive") }, 1, A("foo"))));
    EXPECT_BADARG(CALL(bif_unique_integer_1, A("foo")));
    EXPECT_BADARG(CALL(bif_unique_integer_1, A("positive")));
}

Test(misc_bifs, small_process_bifs) {
    P->fcalls = 5000;
    EXPECT_SHOW(CALL(bif_bump_reductions_1, I(10)), "true");
    cr_expect_eq(P->fcalls, 4990);
    EXPECT_SHOW(CALL(bif_bump_reductions_1, I(1LL << 50)), "true");
    cr_expect_eq(P->fcalls, 990);                 /* at most one slice (4000) */
    EXPECT_BADARG(CALL(bif_bump_reductions_1, I(-1)));
    EXPECT_BADARG(CALL(bif_bump_reductions_1, pow2(60, false)));
    EXPECT_BADARG(CALL(bif_bump_reductions_1, A("a")));
    /* erlang:yield/0 traps to the scheduler now: proc_spawn.erl tests it against erl */
    EXPECT_SHOW(CALL0(bif_display_nl_0), "true");

    /* put(1, 1), put(2, 1.0), put(3, 1): erl gives [3,1], [2], [] */
    tb_pd_put(P, I(1), I(1));
    tb_pd_put(P, I(2), tt_float(1.0));
    tb_pd_put(P, I(3), I(1));
    EXPECT_SHOW(CALL(bif_get_keys_1, I(1)), "[3,1]");
    EXPECT_SHOW(CALL(bif_get_keys_1, tt_float(1.0)), "[2]");
    EXPECT_SHOW(CALL(bif_get_keys_1, A("x")), "[]");
    tb_pd_free(P);
    EXPECT_SHOW(CALL(bif_get_keys_1, I(1)), "[]");

    EXPECT_SHOW(CALL(bif_subtract_2, LIST(I(1), I(2), I(3), I(1)), LIST(I(1))), "[2,3,1]");
    EXPECT_BADARG(CALL(bif_subtract_2, tt_list((Term[]){ I(1), I(2) }, 2, I(3)), LIST(I(1))));
    EXPECT_BADARG(CALL(bif_subtract_2, LIST(I(1), I(2)), tt_list((Term[]){ I(1) }, 1, I(2))));
}

/* ================= bif_calendar.c ================= */

static Term DT(SWord y, SWord mo, SWord d, SWord h, SWord mi, SWord s) {
    return TUP(TUP(I(y), I(mo), I(d)), TUP(I(h), I(mi), I(s)));
}

Test(misc_bifs, localtime_to_universaltime_utc) {
    EXPECT_SHOW(CALL(bif_localtime_to_universaltime_2, DT(2020, 1, 1, 0, 0, 0), AM_true), "{{2019,12,31},{23,0,0}}");
    EXPECT_SHOW(CALL(bif_localtime_to_universaltime_2, DT(2020, 1, 1, 0, 0, 0), AM_false), "{{2020,1,1},{0,0,0}}");
    EXPECT_SHOW(CALL(bif_localtime_to_universaltime_2, DT(2020, 1, 1, 0, 0, 0), AM_undefined), "{{2020,1,1},{0,0,0}}");
    EXPECT_BADARG(CALL(bif_localtime_to_universaltime_2, DT(2020, 1, 1, 0, 0, 0), A("foo")));
    static const struct { SWord f[6]; const char *res; } cases[] = {
        { { 2020, 2, 30, 0, 0, 0 }, NULL }, { { 2020, 2, 29, 0, 0, 0 }, "{{2020,2,29},{0,0,0}}" },
        { { 2019, 2, 29, 0, 0, 0 }, NULL }, { { 1900, 2, 29, 0, 0, 0 }, NULL },
        { { 2000, 2, 29, 0, 0, 0 }, "{{2000,2,29},{0,0,0}}" }, { { 1, 1, 1, 0, 0, 0 }, NULL },
        { { 0, 1, 1, 0, 0, 0 }, NULL }, { { -1, 1, 1, 0, 0, 0 }, NULL },
        { { 1969, 12, 31, 23, 59, 59 }, "{{1969,12,31},{23,59,59}}" }, { { 1600, 1, 1, 0, 0, 0 }, NULL },
        { { 1902, 1, 1, 0, 0, 0 }, "{{1902,1,1},{0,0,0}}" }, { { 1901, 12, 14, 0, 0, 0 }, NULL },
        { { 9999, 12, 31, 23, 59, 59 }, "{{9999,12,31},{23,59,59}}" },
        { { 10000, 1, 1, 0, 0, 0 }, "{{10000,1,1},{0,0,0}}" },
        { { 2038, 1, 19, 3, 14, 8 }, "{{2038,1,19},{3,14,8}}" },
        { { 100000, 1, 1, 0, 0, 0 }, "{{100000,1,1},{0,0,0}}" }, { { 1LL << 40, 1, 1, 0, 0, 0 }, NULL },
        { { 2020, 1, 1, 24, 0, 0 }, NULL }, { { 2020, 1, 1, 23, 60, 0 }, NULL },
        { { 2020, 1, 1, 23, 59, 60 }, NULL }, { { 2020, 1, 1, -1, 0, 0 }, NULL },
        { { 2020, 13, 1, 0, 0, 0 }, NULL }, { { 2020, 0, 1, 0, 0, 0 }, NULL }, { { 2020, 1, 0, 0, 0, 0 }, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const SWord *f = cases[i].f;
        Term dt = DT(f[0], f[1], f[2], f[3], f[4], f[5]);
        if (cases[i].res) EXPECT_SHOW(CALL(bif_localtime_to_universaltime_2, dt, AM_false), cases[i].res);
        else EXPECT_BADARG(CALL(bif_localtime_to_universaltime_2, dt, AM_false));
    }
    EXPECT_BADARG(CALL(bif_localtime_to_universaltime_2, TUP(TUP(I(2020), I(1), I(1)), TUP(I(0), I(0))), AM_false));
    EXPECT_BADARG(CALL(bif_localtime_to_universaltime_2, TUP(TUP(I(2020), I(1), tt_float(1.0)), TUP(I(0), I(0), I(0))), AM_false));
    EXPECT_BADARG(CALL(bif_localtime_to_universaltime_2, TUP(TUP(I(2020), I(1), I(1)), TUP(I(0), I(0), I(0)), A("x")), AM_false));
}

Test(misc_bifs, universaltime_to_localtime_utc) {
    EXPECT_SHOW(CALL(bif_universaltime_to_localtime_1, DT(2020, 1, 1, 0, 0, 0)), "{{2020,1,1},{0,0,0}}");
    EXPECT_SHOW(CALL(bif_universaltime_to_localtime_1, DT(1969, 12, 31, 23, 59, 59)), "{{1969,12,31},{23,59,59}}");
    EXPECT_SHOW(CALL(bif_universaltime_to_localtime_1, DT(10000, 1, 1, 0, 0, 0)), "{{10000,1,1},{0,0,0}}");
    EXPECT_SHOW(CALL(bif_universaltime_to_localtime_1, DT(100000, 1, 1, 0, 0, 0)), "{{100000,1,1},{0,0,0}}");
    EXPECT_BADARG(CALL(bif_universaltime_to_localtime_1, DT(2020, 2, 30, 0, 0, 0)));
    EXPECT_BADARG(CALL(bif_universaltime_to_localtime_1, DT(1, 1, 1, 0, 0, 0)));
    EXPECT_BADARG(CALL(bif_universaltime_to_localtime_1, DT(0, 1, 1, 0, 0, 0)));
    EXPECT_BADARG(CALL(bif_universaltime_to_localtime_1, DT(1600, 1, 1, 0, 0, 0)));
    EXPECT_BADARG(CALL(bif_universaltime_to_localtime_1, DT(2020, 1, 1, 24, 0, 0)));
    EXPECT_BADARG(CALL(bif_universaltime_to_localtime_1, A("foo")));
}

Test(misc_bifs, stockholm_time_zone) {
    setenv("TZ", "Europe/Stockholm", 1);
    tzset();
    EXPECT_SHOW(CALL(bif_localtime_to_universaltime_2, DT(2020, 6, 1, 12, 0, 0), AM_true), "{{2020,6,1},{10,0,0}}");
    EXPECT_SHOW(CALL(bif_localtime_to_universaltime_2, DT(2020, 6, 1, 12, 0, 0), AM_false), "{{2020,6,1},{11,0,0}}");
    EXPECT_SHOW(CALL(bif_localtime_to_universaltime_2, DT(2020, 6, 1, 12, 0, 0), AM_undefined), "{{2020,6,1},{10,0,0}}");
    EXPECT_SHOW(CALL(bif_localtime_to_universaltime_2, DT(2020, 3, 29, 2, 30, 0), AM_undefined), "{{2020,3,29},{1,30,0}}");
    EXPECT_SHOW(CALL(bif_localtime_to_universaltime_2, DT(1950, 6, 1, 12, 0, 0), AM_undefined), "{{1950,6,1},{11,0,0}}");
    EXPECT_SHOW(CALL(bif_universaltime_to_localtime_1, DT(2020, 6, 1, 0, 0, 0)), "{{2020,6,1},{2,0,0}}");
}

Test(misc_bifs, posix_time) {
    EXPECT_SHOW(CALL(bif_universaltime_to_posixtime_1, DT(2020, 1, 1, 0, 0, 0)), "1577836800");
    EXPECT_SHOW(CALL(bif_universaltime_to_posixtime_1, DT(1969, 12, 31, 23, 59, 59)), "-1");
    EXPECT_SHOW(CALL(bif_universaltime_to_posixtime_1, DT(1600, 1, 1, 0, 0, 0)), "-11676096000");
    EXPECT_SHOW(CALL(bif_universaltime_to_posixtime_1, DT(10000, 1, 1, 0, 0, 0)), "253402300800");
    EXPECT_SHOW(CALL(bif_universaltime_to_posixtime_1, DT(100000, 1, 1, 0, 0, 0)), "3093527980800");
    EXPECT_BADARG(CALL(bif_universaltime_to_posixtime_1, DT(1, 1, 1, 0, 0, 0)));
    EXPECT_BADARG(CALL(bif_universaltime_to_posixtime_1, DT(0, 1, 1, 0, 0, 0)));
    EXPECT_BADARG(CALL(bif_universaltime_to_posixtime_1, DT(-5, 1, 1, 0, 0, 0)));
    EXPECT_BADARG(CALL(bif_universaltime_to_posixtime_1, DT(1LL << 40, 1, 1, 0, 0, 0)));
    EXPECT_BADARG(CALL(bif_universaltime_to_posixtime_1, DT(2020, 2, 30, 0, 0, 0)));

    static const struct { int64_t t; const char *res; } cases[] = {
        { 0, "{{1970,1,1},{0,0,0}}" }, { -1, "{{1969,12,31},{23,59,59}}" },
        { 1LL << 35, "{{3058,10,26},{3,46,8}}" }, { -62135596800, "{{1,1,1},{0,0,0}}" },
        { -62135596801, "{{0,12,31},{23,59,59}}" },
        { -62167219200, "{{-1,12,31},{0,0,0}}" },          /* ERTS's truncating formula */
        { -62167219201, "{{-1,12,30},{23,59,59}}" }, { 1LL << 40, "{{36812,2,20},{0,36,16}}" },
        { 1LL << 50, "{{35680317,9,25},{18,57,4}}" }, { 1LL << 59, "{{18267316009,3,8},{6,58,8}}" },
        { 1LL << 60, "{{36534630048,5,13},{13,56,16}}" }, { 253402300799, "{{9999,12,31},{23,59,59}}" },
        { 253402300800, "{{10000,1,1},{0,0,0}}" }, { -86400 * 366, "{{1968,12,31},{0,0,0}}" },
        { INT64_MAX, "{{292277026596,12,4},{15,30,7}}" }, { INT64_MIN, "{{-292277022657,1,26},{8,29,52}}" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        EXPECT_SHOW(CALL(bif_posixtime_to_universaltime_1, int64_term(cases[i].t)), cases[i].res);
    EXPECT_BADARG(CALL(bif_posixtime_to_universaltime_1, pow2(63, false)));
    EXPECT_BADARG(CALL(bif_posixtime_to_universaltime_1, tt_integer((const uint8_t[]){ 1, 0, 0, 0, 0, 0, 0, 0x80 }, 8, true)));
    EXPECT_BADARG(CALL(bif_posixtime_to_universaltime_1, pow2(64, false)));
    EXPECT_BADARG(CALL(bif_posixtime_to_universaltime_1, tt_float(1.0)));
}

Test(misc_bifs, clocks) {
    time_t before = time(NULL);
    Term d = CALL0(bif_date_0), t = CALL0(bif_time_0), lt = CALL0(bif_localtime_0), ut = CALL0(bif_universaltime_0);
    time_t after = time(NULL);
    cr_assert(is_tuple_arity(d, 3) && is_tuple_arity(t, 3) && is_tuple_arity(lt, 2) && is_tuple_arity(ut, 2));
    Term secs = CALL(bif_universaltime_to_posixtime_1, ut);
    cr_expect(small_val(secs) >= before && small_val(secs) <= after);
    cr_expect(tb_eq_exact(CALL(bif_localtime_to_universaltime_2, lt, AM_undefined), ut) || after != before);

    Term ts = CALL0(bif_timestamp_0);
    cr_assert(is_tuple_arity(ts, 3));
    int64_t us = small_val(tuple_val(ts)[1]) * 1000000000000LL + small_val(tuple_val(ts)[2]) * 1000000 + small_val(tuple_val(ts)[3]);
    cr_expect(us / 1000000 >= before && us / 1000000 <= after + 1);
    int64_t prev = 0;
    for (int i = 0; i < 1000; i++) {               /* now/0 strictly increases */
        Term n = CALL0(bif_now_0);
        const Term *e = tuple_val(n);
        cr_assert(small_val(e[3]) < 1000000 && small_val(e[2]) < 1000000);
        int64_t v = small_val(e[1]) * 1000000000000LL + small_val(e[2]) * 1000000 + small_val(e[3]);
        cr_assert_gt(v, prev);
        prev = v;
    }
}

Test(misc_bifs, time_offset) {
    struct timespec r, m;
    clock_gettime(CLOCK_REALTIME, &r);
    clock_gettime(CLOCK_MONOTONIC, &m);
    int64_t expect = (r.tv_sec - m.tv_sec) * 1000000000LL + (r.tv_nsec - m.tv_nsec);
    Term o = CALL0(bif_time_offset_0);            /* ~1.8e18: a bignum, as in ERTS */
    int64_t ns = as_int64(o);
    cr_expect(llabs(ns - expect) < 100000000);
    Term s = CALL(bif_time_offset_1, A("second"));
    cr_expect(llabs(small_val(s) - ns / 1000000000) <= 1);
    cr_expect(llabs(small_val(CALL(bif_time_offset_1, A("seconds"))) - ns / 1000000000) <= 1);
    cr_expect(llabs(small_val(CALL(bif_time_offset_1, I(1))) - ns / 1000000000) <= 1);
    cr_expect(llabs(small_val(CALL(bif_time_offset_1, A("millisecond"))) - ns / 1000000) <= 100);
    cr_expect(llabs(as_int64(CALL(bif_time_offset_1, A("perf_counter"))) - ns) <= 100000000);
    cr_expect(llabs(as_int64(CALL(bif_time_offset_1, A("native"))) - ns) <= 100000000);
    cr_expect(llabs(as_int64(CALL(bif_time_offset_1, I(1000000000))) - ns) <= 100000000);
    /* integer units beyond a word: floor(offset * 2^70 / 10^9), a bignum */
    Term big = CALL(bif_time_offset_1, pow2(70, false));
    cr_assert(is_big(big) && !big_sign(big) && big_size(big) == 2);
    unsigned __int128 v = (unsigned __int128)big_limbs(big)[1] << 64 | big_limbs(big)[0];
    int64_t back = (int64_t)(((v >> 40) * 1000000000) >> 30);
    cr_expect(llabs(back - ns) < 100000000);
    EXPECT_BADARG(CALL(bif_time_offset_1, A("foo")));
    EXPECT_BADARG(CALL(bif_time_offset_1, I(0)));
    EXPECT_BADARG(CALL(bif_time_offset_1, I(-1)));
    EXPECT_BADARG(CALL(bif_time_offset_1, pow2(70, true)));
    EXPECT_BADARG(CALL(bif_time_offset_1, tt_float(1.0)));
    EXPECT_BADARG(CALL(bif_time_offset_1, NIL));
}

/* ================= bif_convert.c ================= */

static Term ref3(uint32_t a, uint32_t b, uint32_t c) {   /* #Ref<0.a.b.c> */
    TbRefThing *r = (TbRefThing *)tt_alloc(REF_THING_WORDS);
    r->header = make_header(REF_THING_WORDS - 1, HDR_SUB_REF);
    r->num[2] = a; r->num[1] = b; r->num[0] = c; r->num[3] = 0;
    return make_boxed((Term *)r);
}

Test(misc_bifs, to_list) {
    EXPECT_SHOW(CALL(bif_pid_to_list_1, make_pid(5)), "\"<0.5.0>\"");
    EXPECT_SHOW(CALL(bif_pid_to_list_1, make_pid(3u << 15 | 77)), "\"<0.77.3>\"");
    EXPECT_BADARG(CALL(bif_pid_to_list_1, A("foo")));
    EXPECT_BADARG(CALL(bif_pid_to_list_1, ref3(1, 2, 3)));
    EXPECT_SHOW(CALL(bif_port_to_list_1, make_port(0)), "\"#Port<0.0>\"");
    EXPECT_BADARG(CALL(bif_port_to_list_1, A("foo")));
    EXPECT_SHOW(CALL(bif_ref_to_list_1, ref3(1560108996, 50593794, 252738)), "\"#Ref<0.1560108996.50593794.252738>\"");
    EXPECT_BADARG(CALL(bif_ref_to_list_1, A("foo")));
}

Test(misc_bifs, funs) {
    TbFunEntry fe = { .module_name = A("t6"), .name = A("-main/0-fun-6-"), .arity = 1, .num_free = 0,
                      .index = 0, .old_uniq = 83402442 };
    TbFunEntry fe2 = { .module_name = A("t6"), .name = A("-main/0-fun-7-"), .arity = 2, .num_free = 1,
                       .index = 1, .old_uniq = 83402442 };
    Term *hp = tt_alloc(3 + 4);
    hp[0] = make_header(2, HDR_SUB_FUN); hp[1] = (Term)&fe; hp[2] = make_pid(5);
    hp[3] = make_header(3, HDR_SUB_FUN); hp[4] = (Term)&fe2; hp[5] = make_pid(5); hp[6] = I(5);
    Term f = make_boxed(hp), g = make_boxed(hp + 3);
    TbExport e1 = { .module = A("lists"), .function = A("map"), .arity = 2 };
    TbExport e2 = { .module = A("A b"), .function = A("c d"), .arity = 0 };
    TbExport e3 = { .module = AM(erlang), .function = AM(plus), .arity = 2 };
    Term *xp = tt_alloc(6);
    xp[0] = make_header(1, HDR_SUB_EXPORT); xp[1] = (Term)&e1;
    xp[2] = make_header(1, HDR_SUB_EXPORT); xp[3] = (Term)&e2;
    xp[4] = make_header(1, HDR_SUB_EXPORT); xp[5] = (Term)&e3;
    Term x1 = make_boxed(xp), x2 = make_boxed(xp + 2), x3 = make_boxed(xp + 4);

    EXPECT_SHOW(CALL(bif_fun_to_list_1, f), "\"#Fun<t6.0.83402442>\"");
    EXPECT_SHOW(CALL(bif_fun_to_list_1, g), "\"#Fun<t6.1.83402442>\"");
    EXPECT_SHOW(CALL(bif_fun_to_list_1, x1), "\"fun lists:map/2\"");
    EXPECT_SHOW(CALL(bif_fun_to_list_1, x2), "\"fun 'A b':'c d'/0\"");
    EXPECT_SHOW(CALL(bif_fun_to_list_1, x3), "\"fun erlang:'+'/2\"");
    EXPECT_BADARG(CALL(bif_fun_to_list_1, A("foo")));
    EXPECT_BADARG(CALL(bif_fun_to_list_1, make_pid(5)));
    /* fun 'äb':f/0 -> UTF-8 bytes, unquoted */
    TbExport e4 = { .module = tb_atom_put((const uint8_t *)"\xc3\xa4" "b", 3), .function = A("f"), .arity = 0 };
    Term *yp = tt_alloc(2);
    yp[0] = make_header(1, HDR_SUB_EXPORT); yp[1] = (Term)&e4;
    Term u = CALL(bif_fun_to_list_1, make_boxed(yp));
    static const uint8_t want[] = { 102, 117, 110, 32, 195, 164, 98, 58, 102, 47, 48 };
    size_t n = 0;
    for (; is_list(u); u = CDR(list_val(u)), n++)
        cr_expect(n < sizeof want && small_val(CAR(list_val(u))) == want[n]);
    cr_expect(u == NIL && n == sizeof want);

    EXPECT_SHOW(CALL(bif_fun_info_mfa_1, f), "{t6,'-main/0-fun-6-',1}");
    EXPECT_SHOW(CALL(bif_fun_info_mfa_1, g), "{t6,'-main/0-fun-7-',1}");
    EXPECT_SHOW(CALL(bif_fun_info_mfa_1, x1), "{lists,map,2}");
    EXPECT_SHOW(CALL(bif_fun_info_mfa_1, x2), "{'A b','c d',0}");
    EXPECT_BADARG(CALL(bif_fun_info_mfa_1, A("foo")));
}

static char zeros_buf[128];
static const char *zpad(const char *pre, int nz, const char *post) {
    static char buf[256];
    memset(zeros_buf, '0', (size_t)nz);
    zeros_buf[nz] = 0;
    snprintf(buf, sizeof buf, "%s%s%s", pre, zeros_buf, post);
    return buf;
}

Test(misc_bifs, list_to_pid) {
    static const struct { const char *s; const char *res; } cases[] = {
        { "<0.5.0>", "<0.5.0>" }, { "<0.32767.0>", "<0.32767.0>" }, { "<0.32768.0>", NULL },
        { "<0.268435455.0>", NULL }, { "<0.0.8191>", "<0.0.8191>" }, { "<0.0.8192>", NULL },
        { "<0.0.4294967295>", NULL }, { "<0.0.18446744073709551615>", NULL },
        { "<0.0.18446744073709551616>", "<0.0.0>" },   /* wraps like ERTS's Uint */
        { "<1.2.3>", NULL }, { "<0.1.2", NULL }, { "<0.1.2>x", NULL }, { "< 0.1.2>", NULL },
        { "<0.1>", NULL }, { "<00.01.02>", "<0.1.2>" }, { "", NULL }, { "<0.1.2.3>", NULL },
        { "<-0.1.2>", NULL }, { "<0.1.2>\n", NULL }, { "<0.1.+2>", NULL },
        { "<0.123456789012345678901234567890.0>", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].res) EXPECT_SHOW(CALL(bif_list_to_pid_1, S(cases[i].s)), cases[i].res);
        else EXPECT_BADARG(CALL(bif_list_to_pid_1, S(cases[i].s)));
    }
    EXPECT_SHOW(CALL(bif_list_to_pid_1, S(zpad("<", 56, "0.1.2>"))), "<0.1.2>");   /* 63 bytes */
    EXPECT_SHOW(CALL(bif_list_to_pid_1, S(zpad("<", 57, "0.1.2>"))), "<0.1.2>");   /* 64 */
    EXPECT_BADARG(CALL(bif_list_to_pid_1, S(zpad("<", 58, "0.1.2>"))));            /* 65 */
    EXPECT_SHOW(CALL(bif_list_to_pid_1, Sn("<0.1.2>\0", 8)), "<0.1.2>");          /* NUL ends the text */
    EXPECT_SHOW(CALL(bif_list_to_pid_1, Sn("<0.1.2>\0x", 9)), "<0.1.2>");
    EXPECT_BADARG(CALL(bif_list_to_pid_1, LIST(I('<'), I(256), I('>'))));
    EXPECT_BADARG(CALL(bif_list_to_pid_1, LIST(S("<0.1.2>"))));
    EXPECT_BADARG(CALL(bif_list_to_pid_1, B("<0.1.2>")));
    EXPECT_BADARG(CALL(bif_list_to_pid_1, A("a")));
    EXPECT_BADARG(CALL(bif_list_to_pid_1, tt_list((Term[]){ I('<'), I('0'), I('.'), I('1'), I('.'), I('2') }, 6, I('>'))));
}

Test(misc_bifs, list_to_port) {
    static const struct { const char *s; const char *res; } cases[] = {
        { "#Port<0.5>", "#Port<0.5>" }, { "#Port<0.0>", "#Port<0.0>" }, { "#Port<1.5>", NULL },
        { "#Port<0.4294967295>", NULL }, { "#Port<0.4294967296>", NULL },
        { "#Port<0.268435455>", "#Port<0.268435455>" }, { "#Port<0.268435456>", NULL },
        { "#Port<0.5>x", NULL }, { "#Port<0.5", NULL }, { "#Port<0.+5>", NULL }, { "#Port<0. 5>", NULL },
        { "#Port<0.05>", "#Port<0.5>" }, { "#Port<0.5>\n", NULL }, { "#Port< 0.5>", NULL },
        { "#Port<0.5.6>", NULL }, { "#Port<-0.5>", NULL }, { "#Port<0.-5>", NULL }, { "#port<0.5>", NULL },
        { "#Port<0.55555555555555555555555>", NULL }, { "#Port<0.99999999999>", NULL },
        { "#Port<4294967296.5>", "#Port<0.5>" },       /* node kept in 32 bits */
        { "#Port<18446744073709551616.5>", "#Port<0.5>" }, { "#Port<0.18446744073709551621>", "#Port<0.5>" },
        { "#Port<0x.5>", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].res) EXPECT_SHOW(CALL(bif_list_to_port_1, S(cases[i].s)), cases[i].res);
        else EXPECT_BADARG(CALL(bif_list_to_port_1, S(cases[i].s)));
    }
    EXPECT_SHOW(CALL(bif_list_to_port_1, Sn("#Port<0.5>\0", 11)), "#Port<0.5>");
    EXPECT_SHOW(CALL(bif_list_to_port_1, S(zpad("#Port<", 28, "0.5>"))), "#Port<0.5>");   /* 38 bytes */
    EXPECT_BADARG(CALL(bif_list_to_port_1, S(zpad("#Port<", 29, "0.5>"))));           /* 39 */
}

Test(misc_bifs, list_to_ref) {
    /* tbeam has one scheduler, so the scheduler id field (low 17 bits of the
     * middle number) may be 0 or 1; erl on two schedulers also takes 2. */
    static const struct { const char *s; const char *res; } cases[] = {
        { "#Ref<0.1.0.3>", "#Ref<0.1.0.3>" }, { "#Ref<0.0.0.0>", "#Ref<0.0.0.0>" },
        { "#Ref<0.1.1.3>", "#Ref<0.1.1.3>" }, { "#Ref<0.0.0.262143>", "#Ref<0.0.0.262143>" },
        { "#Ref<0.4294967295.4294967295.262143>", NULL }, { "#Ref<0.1.2.262144>", NULL },
        { "#Ref<0.1.2>", NULL }, { "#Ref<0.1>", NULL }, { "#Ref<0.1.0.3.4>", NULL },
        { "#Ref<0.1.2.3.4.5>", NULL }, { "#Ref<0.1.2.3.4.5.6>", NULL }, { "#Ref<1.1.0.3>", NULL },
        { "#Ref<0.4294967296.0.3>", NULL }, { "#Ref<0.1.0.3>x", NULL }, { "#Ref<0.1.0.3", NULL },
        { "#Ref<0..0.3>", NULL }, { "#ref<0.1.0.3>", NULL }, { "#Ref<0.0.3.0>", NULL },
        { "#Ref<0.0.131072.0>", "#Ref<0.0.131072.0>" }, { "#Ref<0.0.131073.0>", "#Ref<0.0.131073.0>" },
        { "#Ref<0.0.262144.0>", "#Ref<0.0.262144.0>" }, { "#Ref<0.4294967295.0.0>", "#Ref<0.4294967295.0.0>" },
        { "#Ref<4294967296.1.0.3>", NULL }, { "#Ref<18446744073709551616.1.0.3>", "#Ref<0.1.0.3>" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].res) EXPECT_SHOW(CALL(bif_list_to_ref_1, S(cases[i].s)), cases[i].res);
        else EXPECT_BADARG(CALL(bif_list_to_ref_1, S(cases[i].s)));
    }
    Term r = CALL(bif_list_to_ref_1, S("#Ref<0.1.0.3>"));
    cr_assert(is_ref(r));
    const TbRefThing *rt = (const TbRefThing *)boxed_val(r);
    cr_expect(rt->num[0] == 3 && rt->num[1] == 0 && rt->num[2] == 1);
    EXPECT_SHOW(CALL(bif_list_to_ref_1, S(zpad("#Ref<", 58, "0.1.0.3>"))), "#Ref<0.1.0.3>");   /* 71 bytes */
    EXPECT_BADARG(CALL(bif_list_to_ref_1, S(zpad("#Ref<", 59, "0.1.0.3>"))));               /* 72 */
    EXPECT_SHOW(CALL(bif_list_to_ref_1, Sn("#Ref<0.1.0.3>\0", 14)), "#Ref<0.1.0.3>");
    /* round trip */
    Term r2 = ref3(7, 1, 99);
    EXPECT_SHOW(CALL(bif_list_to_ref_1, CALL(bif_ref_to_list_1, r2)), "#Ref<0.7.1.99>");
}

/* ================= bif_system.c ================= */

Test(misc_bifs, system_info_values) {
    EXPECT_SHOW(CALL(bif_system_info_1, A("otp_release")), "\"25\"");
    EXPECT_SHOW(CALL(bif_system_info_1, A("version")), "\"13.1.5\"");
    EXPECT_SHOW(CALL(bif_system_info_1, A("machine")), "\"BEAM\"");
    EXPECT_SHOW(CALL(bif_system_info_1, A("wordsize")), "8");
    EXPECT_SHOW(CALL(bif_system_info_1, TUP(A("wordsize"), A("internal"))), "8");
    EXPECT_SHOW(CALL(bif_system_info_1, TUP(A("wordsize"), A("external"))), "8");
    EXPECT_BADARG(CALL(bif_system_info_1, TUP(A("wordsize"), A("foo"))));
    EXPECT_BADARG(CALL(bif_system_info_1, TUP(A("wordsize"), I(1))));
    EXPECT_BADARG(CALL(bif_system_info_1, TUP(A("foo"))));
    EXPECT_BADARG(CALL(bif_system_info_1, TUP(A("foo"), A("bar"))));
    EXPECT_BADARG(CALL(bif_system_info_1, A("foo")));
    EXPECT_BADARG(CALL(bif_system_info_1, S("foo")));
    EXPECT_BADARG(CALL(bif_system_info_1, I(1)));
    EXPECT_BADARG(CALL(bif_system_info_1, A("backtrace_depth")));   /* not an item in 25 */
    EXPECT_BADARG(CALL(bif_system_info_1, A("async_dist")));
    EXPECT_BADARG(CALL(bif_system_info_1, A("halt_flush_timeout")));
    EXPECT_SHOW(CALL(bif_system_info_1, A("process_limit")), "262144");
    EXPECT_SHOW(CALL(bif_system_info_1, A("atom_limit")), "1048576");
    EXPECT_SHOW(CALL(bif_system_info_1, A("port_limit")), "65536");
    EXPECT_SHOW(CALL(bif_system_info_1, A("ets_limit")), "8192");
    Term ac = CALL(bif_system_info_1, A("atom_count"));
    cr_expect_eq(small_val(ac), (SWord)tb_atom_count);
    EXPECT_SHOW(CALL(bif_system_info_1, A("endian")), "little");
    EXPECT_SHOW(CALL(bif_system_info_1, A("creation")), "0");
    EXPECT_SHOW(CALL(bif_system_info_1, A("smp_support")), "true");
    EXPECT_SHOW(CALL(bif_system_info_1, A("threads")), "true");
    EXPECT_SHOW(CALL(bif_system_info_1, A("thread_pool_size")), "1");
    EXPECT_SHOW(CALL(bif_system_info_1, A("hipe_architecture")), "undefined");
    EXPECT_SHOW(CALL(bif_system_info_1, A("build_type")), "opt");
    EXPECT_SHOW(CALL(bif_system_info_1, A("emu_type")), "opt");
    EXPECT_SHOW(CALL(bif_system_info_1, A("emu_flavor")), "emu");
    EXPECT_SHOW(CALL(bif_system_info_1, A("debug_compiled")), "false");
    EXPECT_SHOW(CALL(bif_system_info_1, A("heap_type")), "private");
    EXPECT_SHOW(CALL(bif_system_info_1, A("min_heap_size")), "{min_heap_size,233}");
    EXPECT_SHOW(CALL(bif_system_info_1, A("min_bin_vheap_size")), "{min_bin_vheap_size,46422}");
    EXPECT_SHOW(CALL(bif_system_info_1, A("fullsweep_after")), "{fullsweep_after,65535}");
    EXPECT_SHOW(CALL(bif_system_info_1, A("garbage_collection")),
                "[{max_heap_size,0},{min_bin_vheap_size,46422},{min_heap_size,233},{fullsweep_after,65535}]");
    EXPECT_SHOW(CALL(bif_system_info_1, A("max_heap_size")), "#{error_logger=>true,kill=>true,size=>0}");
    EXPECT_SHOW(CALL(bif_system_info_1, A("message_queue_data")), "on_heap");
    EXPECT_SHOW(CALL(bif_system_info_1, A("compat_rel")), "25");
    EXPECT_SHOW(CALL(bif_system_info_1, A("driver_version")), "\"3.3\"");
    EXPECT_SHOW(CALL(bif_system_info_1, A("nif_version")), "\"2.16\"");
    EXPECT_SHOW(CALL(bif_system_info_1, A("time_warp_mode")), "no_time_warp");
    EXPECT_SHOW(CALL(bif_system_info_1, A("time_offset")), "final");
    EXPECT_SHOW(CALL(bif_system_info_1, A("time_correction")), "true");
    EXPECT_SHOW(CALL(bif_system_info_1, A("tolerant_timeofday")), "enabled");
    EXPECT_SHOW(CALL(bif_system_info_1, A("os_type")), "{unix,linux}");
    EXPECT_SHOW(CALL(bif_system_info_1, A("c_compiler_used")), "{gnuc,{12,2,0}}");
    EXPECT_SHOW(CALL(bif_system_info_1, A("system_architecture")), "\"x86_64-pc-linux-gnu\"");
    EXPECT_SHOW(CALL(bif_system_info_1, A("context_reductions")), "4000");
    EXPECT_SHOW(CALL(bif_system_info_1, A("trace_control_word")), "0");
    EXPECT_SHOW(CALL(bif_system_info_1, A("sequential_tracer")), "{sequential_tracer,false}");
    EXPECT_SHOW(CALL(bif_system_info_1, A("dist_ctrl")), "[]");
    EXPECT_SHOW(CALL(bif_system_info_1, A("dist_buf_busy_limit")), "1048576");
    EXPECT_SHOW(CALL(bif_system_info_1, A("outstanding_system_requests_limit")), "4");
    EXPECT_SHOW(CALL(bif_system_info_1, A("modified_timing_level")), "undefined");
    EXPECT_SHOW(CALL(bif_system_info_1, A("scheduler_bind_type")), "unbound");
    EXPECT_SHOW(CALL(bif_system_info_1, A("cpu_quota")), "unknown");
    EXPECT_SHOW(CALL(bif_system_info_1, A("update_cpu_info")), "unchanged");
    EXPECT_SHOW(CALL(bif_system_info_1, A("taints")), "[]");
    EXPECT_SHOW(CALL(bif_system_info_1, A("delayed_node_table_gc")), "60");
    /* one scheduler (erl here reports 2 and smp:2:2 / ds:2:2:10 / [jit:ns]) */
    EXPECT_SHOW(CALL(bif_system_info_1, A("schedulers")), "1");
    EXPECT_SHOW(CALL(bif_system_info_1, A("schedulers_online")), "1");
    EXPECT_SHOW(CALL(bif_system_info_1, A("dirty_io_schedulers")), "10");
    EXPECT_SHOW(CALL(bif_system_info_1, A("schedulers_state")), "{1,1,1}");
    EXPECT_SHOW(CALL(bif_system_info_1, A("scheduler_bindings")), "{unbound}");
    EXPECT_SHOW(CALL(bif_system_info_1, A("multi_scheduling")), "enabled");
    EXPECT_SHOW(CALL(bif_system_info_1, A("system_version")),
                "\"Erlang/OTP 25 [erts-13.1.5] [source] [64-bit] [smp:1:1] [ds:1:1:10] [async-threads:1]\\n\"");

    Term dist = CALL(bif_system_info_1, A("dist"));
    cr_assert(is_binary(dist));
    const uint8_t *b;
    UWord off, bits;
    bitstring_view(dist, &b, &off, &bits);
    const char *want = "=node:'nonode@nohost'\n=no_distribution\n";
    cr_expect_eq(bits / 8, strlen(want));
    cr_expect_arr_eq(b, want, strlen(want));

    struct utsname u;
    uname(&u);
    Term ov = CALL(bif_system_info_1, A("os_version"));
    cr_assert(is_tuple_arity(ov, 3));
    cr_expect_eq(small_val(tuple_val(ov)[1]), atoi(u.release));
    Term lp = CALL(bif_system_info_1, A("logical_processors"));
    cr_expect(is_small(lp) && small_val(lp) >= 1);
    cr_expect(is_small(CALL(bif_system_info_1, A("logical_processors_available"))));
    cr_expect(is_integer(CALL(bif_system_info_1, A("start_time"))));
    Term src = CALL(bif_system_info_1, A("os_monotonic_time_source"));
    cr_expect_eq(strncmp(show(src), "[{function,clock_gettime},{clock_id,'CLOCK_MONOTONIC'},{resolution,1000000000},{extended,no},{parallel,yes},{time,", 110), 0, "%s", show(src));
    src = CALL(bif_system_info_1, A("os_system_time_source"));
    cr_expect_eq(strncmp(show(src), "[{function,clock_gettime},{clock_id,'CLOCK_REALTIME'},{resolution,1000000000},{parallel,yes},{time,", 97), 0, "%s", show(src));
}

Test(misc_bifs, heap_sizes) {
    Term l = CALL(bif_system_info_1, A("heap_sizes"));
    Term e[200];
    int n = 0;
    for (; is_list(l) && n < 200; l = CDR(list_val(l))) e[n++] = CAR(list_val(l));
    cr_assert_eq(n, 137);
    cr_expect_str_eq(show(LIST(e[0], e[1], e[2], e[3], e[4], e[5], e[22], e[23])), "[12,38,51,90,142,233,833026,999631]");
    cr_expect_str_eq(show(e[136]), "885767171276247");
    cr_expect_str_eq(show(e[70]), "5264502560");
}

Test(misc_bifs, pre_loaded_and_loaded) {
    EXPECT_SHOW(CALL0(bif_pre_loaded_0),
                "[persistent_term,counters,atomics,erts_dirty_process_signal_handler,erts_literal_area_collector,"
                "erl_tracer,erts_internal,erlang,erl_prim_loader,prim_zip,prim_net,prim_socket,socket_registry,"
                "zlib,prim_file,prim_inet,prim_eval,prim_buffer,init,erl_init,erts_code_purger]");
    EXPECT_SHOW(CALL0(bif_loaded_0), "[]");
    static UWord code[1];
    /* m3 was deleted (only old code left): not loaded */
    TbModule m3 = { .name = A("gone") }, m2 = { .name = A("lists"), .code = code, .next = &m3 },
             m1 = { .name = A("t"), .code = code, .next = &m2 };
    fake_modules = &m1;
    EXPECT_SHOW(CALL0(bif_loaded_0), "[t,lists]");
    fake_modules = NULL;
}

Test(misc_bifs, system_flag) {
    EXPECT_SHOW(CALL(bif_system_flag_2, A("backtrace_depth"), I(10)), "8");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("backtrace_depth"), I(10000)), "10");
    EXPECT_BADARG(CALL(bif_system_flag_2, A("backtrace_depth"), I(-1)));
    EXPECT_SHOW(CALL(bif_system_flag_2, A("backtrace_depth"), I(8)), "64");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("fullsweep_after"), I(100)), "65535");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("fullsweep_after"), I(70000)), "100");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("fullsweep_after"), I(65535)), "65535");
    EXPECT_BADARG(CALL(bif_system_flag_2, A("fullsweep_after"), I(-1)));
    EXPECT_SHOW(CALL(bif_system_flag_2, A("min_heap_size"), I(1000)), "233");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("min_heap_size"), I(233)), "1598");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("min_bin_vheap_size"), I(46422)), "46422");
    EXPECT_BADARG(CALL(bif_system_flag_2, A("foo"), I(1)));
    EXPECT_BADARG(CALL(bif_system_flag_2, A("display_items"), I(5)));
    EXPECT_SHOW(CALL(bif_system_flag_2, A("debug_flags"), A("x")), "true");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("schedulers_online"), I(1)), "1");
    EXPECT_BADARG(CALL(bif_system_flag_2, A("schedulers_online"), I(2)));   /* erl: 2 ok here (2 cores) */
    EXPECT_BADARG(CALL(bif_system_flag_2, A("schedulers_online"), I(0)));
    EXPECT_SHOW(CALL(bif_system_flag_2, A("trace_control_word"), I(0)), "0");
    EXPECT_BADARG(CALL(bif_system_flag_2, A("trace_control_word"), I(-1)));
    EXPECT_SHOW(CALL(bif_system_flag_2, A("max_heap_size"), I(0)), "#{error_logger=>true,kill=>true,size=>0}");
    Term m = fmap((Term[]){ A("kill"), A("size") }, (Term[]){ AM_false, I(5000) }, 2);
    EXPECT_SHOW(CALL(bif_system_flag_2, A("max_heap_size"), m), "#{error_logger=>true,kill=>true,size=>0}");
    EXPECT_SHOW(CALL(bif_system_info_1, A("max_heap_size")), "#{error_logger=>true,kill=>false,size=>5000}");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("max_heap_size"), I(0)), "#{error_logger=>true,kill=>false,size=>5000}");
    EXPECT_BADARG(CALL(bif_system_flag_2, A("max_heap_size"), I(10)));
    EXPECT_SHOW(CALL(bif_system_flag_2, A("multi_scheduling"), A("block")), "blocked");
    EXPECT_SHOW(CALL(bif_system_info_1, A("multi_scheduling")), "blocked");
    EXPECT_SHOW(CALL(bif_system_info_1, A("multi_scheduling_blockers")), "[<0.5.0>]");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("multi_scheduling"), A("unblock")), "enabled");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("multi_scheduling"), A("block_normal")), "blocked_normal");
    EXPECT_SHOW(CALL(bif_system_flag_2, A("multi_scheduling"), A("unblock_normal")), "enabled");
    EXPECT_BADARG(CALL(bif_system_flag_2, A("multi_scheduling"), A("foo")));
    EXPECT_SHOW(CALL(bif_system_flag_2, A("time_offset"), A("finalize")), "final");
    EXPECT_BADARG(CALL(bif_system_flag_2, A("time_offset"), A("x")));
    EXPECT_BADARG(CALL(bif_system_flag_2, A("system_logger"), A("x")));
    EXPECT_BADARG(CALL(bif_system_flag_2, A("erts_alloc"), A("x")));
    EXPECT_BADARG(CALL(bif_system_flag_2, A("cpu_topology"), A("x")));
}

Test(misc_bifs, statistics) {
    Term r = CALL(bif_statistics_1, A("runtime"));
    cr_expect(is_tuple_arity(r, 2) && is_small(tuple_val(r)[1]) && small_val(tuple_val(r)[1]) >= 0);
    Term w = CALL(bif_statistics_1, A("wall_clock"));
    cr_expect(is_tuple_arity(w, 2) && is_small(tuple_val(w)[2]));
    sched.reductions = 100;                       /* finished slices... */
    P->fcalls = 4000;                             /* ...plus what the running one used */
    EXPECT_SHOW(CALL(bif_statistics_1, A("reductions")), "{100,100}");
    P->fcalls = 3950;
    EXPECT_SHOW(CALL(bif_statistics_1, A("exact_reductions")), "{150,50}");
    sched.gcs = 3;
    EXPECT_SHOW(CALL(bif_statistics_1, A("garbage_collection")), "{3,0,0}");
    EXPECT_SHOW(CALL(bif_statistics_1, A("run_queue")), "0");
    EXPECT_SHOW(CALL(bif_statistics_1, A("total_run_queue_lengths")), "0");
    EXPECT_SHOW(CALL(bif_statistics_1, A("run_queue_lengths")), "[0,0]");
    EXPECT_SHOW(CALL(bif_statistics_1, A("run_queue_lengths_all")), "[0,0,0]");
    EXPECT_SHOW(CALL(bif_statistics_1, A("active_tasks")), "[1,0]");
    EXPECT_SHOW(CALL(bif_statistics_1, A("total_active_tasks")), "1");
    EXPECT_SHOW(CALL(bif_statistics_1, A("io")), "{{input,0},{output,0}}");
    EXPECT_SHOW(CALL(bif_statistics_1, A("scheduler_wall_time")), "undefined");
    EXPECT_BADARG(CALL(bif_statistics_1, A("foo")));
    EXPECT_BADARG(CALL(bif_statistics_1, S("x")));
}

Test(misc_bifs, process_flag_fresh_process) {
    TbProcess *q = tb_process_new(TB_MIN_HEAP);
    q->id = make_pid(9);
    TbProcess *saved = P;
    P = q;
    /* sequence run in a freshly spawned process on erl */
    EXPECT_SHOW(CALL(bif_process_flag_2, A("trap_exit"), AM_true), "false");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("trap_exit"), AM_true), "true");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("trap_exit"), AM_false), "true");
    EXPECT_BADARG(CALL(bif_process_flag_2, A("trap_exit"), I(1)));
    EXPECT_SHOW(CALL(bif_process_flag_2, A("priority"), A("high")), "normal");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("priority"), A("max")), "high");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("priority"), A("low")), "max");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("priority"), A("normal")), "low");
    EXPECT_BADARG(CALL(bif_process_flag_2, A("priority"), A("foo")));
    EXPECT_SHOW(CALL(bif_process_flag_2, A("min_heap_size"), I(1000)), "233");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("min_heap_size"), I(0)), "1598");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("min_heap_size"), I(5)), "233");
    EXPECT_BADARG(CALL(bif_process_flag_2, A("min_heap_size"), I(-1)));
    EXPECT_BADARG(CALL(bif_process_flag_2, A("min_heap_size"), pow2(60, false)));
    EXPECT_SHOW(CALL(bif_process_flag_2, A("min_bin_vheap_size"), I(100000)), "46422");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("min_bin_vheap_size"), I(5)), "121536");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("min_bin_vheap_size"), I(5)), "46422");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("error_handler"), A("foo")), "error_handler");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("error_handler"), A("error_handler")), "foo");
    EXPECT_BADARG(CALL(bif_process_flag_2, A("error_handler"), S("x")));
    EXPECT_SHOW(CALL(bif_process_flag_2, A("save_calls"), I(5)), "0");
    EXPECT_BADARG(CALL(bif_process_flag_2, A("save_calls"), I(10001)));
    EXPECT_BADARG(CALL(bif_process_flag_2, A("save_calls"), I(-1)));
    EXPECT_SHOW(CALL(bif_process_flag_2, A("save_calls"), I(0)), "5");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("sensitive"), AM_true), "false");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("sensitive"), AM_false), "true");
    EXPECT_BADARG(CALL(bif_process_flag_2, A("sensitive"), A("x")));
    EXPECT_SHOW(CALL(bif_process_flag_2, A("message_queue_data"), A("off_heap")), "on_heap");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("message_queue_data"), A("on_heap")), "off_heap");
    EXPECT_BADARG(CALL(bif_process_flag_2, A("message_queue_data"), A("x")));
    EXPECT_SHOW(CALL(bif_process_flag_2, A("max_heap_size"), I(1000)), "#{error_logger=>true,kill=>true,size=>0}");
    EXPECT_BADARG(CALL(bif_process_flag_2, A("max_heap_size"), I(10)));
    Term nosize = fmap((Term[]){ A("kill") }, (Term[]){ AM_false }, 1);
    EXPECT_BADARG(CALL(bif_process_flag_2, A("max_heap_size"), nosize));
    Term badlog = fmap((Term[]){ A("error_logger"), A("size") }, (Term[]){ A("x"), I(300) }, 2);
    EXPECT_BADARG(CALL(bif_process_flag_2, A("max_heap_size"), badlog));
    EXPECT_SHOW(CALL(bif_process_flag_2, A("fullsweep_after"), I(70000)), "65535");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("fullsweep_after"), I(1LL << 40)), "4464");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("fullsweep_after"), I(5)), "0");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("scheduler"), I(1)), "0");
    EXPECT_SHOW(CALL(bif_process_flag_2, A("scheduler"), I(0)), "1");
    EXPECT_BADARG(CALL(bif_process_flag_2, A("scheduler"), I(3)));
    EXPECT_BADARG(CALL(bif_process_flag_2, A("foo"), I(10)));
    EXPECT_BADARG(CALL(bif_process_flag_2, A("async_dist"), AM_true));   /* OTP 25.3+ only */
    EXPECT_BADARG(CALL(bif_process_flag_2, TUP(A("monitor_nodes"), NIL), AM_false));
    EXPECT_BADARG(CALL(bif_process_flag_2, make_pid(9), A("trap_exit")));
    P = saved;
    tb_process_free(q);
}

/* group_leader/0 and is_process_alive/1 live in bifs/bif_proc.c with the
 * process table: erts-tests/diff/proc_*.erl test them against erl. */
