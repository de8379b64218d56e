/*
 * Criterion tests for loader/compact_term.c.
 *
 * Build (from the repo root):
 *   gcc -std=gnu11 -O2 -Wall -Wextra -Iloader erts-tests/unit/test_compact_term.c \
 *       loader/compact_term.c -lcriterion -o /tmp/test_compact_term
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "compact_term.h"

/* Decode one operand from a byte array; assert it consumes exactly n bytes. */
static TbGenArg dec(const uint8_t *buf, size_t n)
{
    const uint8_t *p = buf;
    TbGenArg a;
    int rc = tb_ct_read_operand(&p, buf + n, buf, &a);
    cr_assert_eq(rc, TB_CT_OK, "decode failed: %s", tb_ct_strerror(rc));
    cr_assert_eq((size_t)(p - buf), n, "consumed %zu of %zu bytes", (size_t)(p - buf), n);
    return a;
}

static int dec_err(const uint8_t *buf, size_t n)
{
    const uint8_t *p = buf;
    TbGenArg a;
    int rc = tb_ct_read_operand(&p, buf + n, buf, &a);
    if (rc < 0)
        cr_assert_eq(p, buf, "pointer must not advance on error");
    return rc;
}

#define B(...) ((const uint8_t[]){ __VA_ARGS__ })
#define DEC(...) dec(B(__VA_ARGS__), sizeof((const uint8_t[]){ __VA_ARGS__ }))
#define DECERR(...) dec_err(B(__VA_ARGS__), sizeof((const uint8_t[]){ __VA_ARGS__ }))

Test(compact, reference_examples)
{
    TbGenArg a;
    a = DEC(0x19, 0xFF, 0xFF);          /* -1 */
    cr_assert_eq(a.kind, TB_ARG_I);
    cr_assert_eq(a.val, -1);
    a = DEC(0x69, 0xE8);                /* 1000 */
    cr_assert_eq(a.kind, TB_ARG_I);
    cr_assert_eq(a.val, 1000);
    a = DEC(0x19, 0x08, 0x00);          /* 2048 */
    cr_assert_eq(a.kind, TB_ARG_I);
    cr_assert_eq(a.val, 2048);
}

Test(compact, encoder_matches_reference)
{
    uint8_t buf[16];
    cr_assert_eq(tb_ct_encode(TB_TAG_I, -1, buf), 3);
    cr_assert(memcmp(buf, B(0x19, 0xFF, 0xFF), 3) == 0);
    cr_assert_eq(tb_ct_encode(TB_TAG_I, 1000, buf), 2);
    cr_assert(memcmp(buf, B(0x69, 0xE8), 2) == 0);
    cr_assert_eq(tb_ct_encode(TB_TAG_I, 2048, buf), 3);
    cr_assert(memcmp(buf, B(0x19, 0x08, 0x00), 3) == 0);
    cr_assert_eq(tb_ct_encode(TB_TAG_X, 3, buf), 1);
    cr_assert_eq(buf[0], 0x33);
}

Test(compact, small_form_all_tags)
{
    static const uint8_t kinds[8] = { TB_ARG_U, TB_ARG_I, TB_ARG_A, TB_ARG_X,
                                      TB_ARG_Y, TB_ARG_F, TB_ARG_H, 0 };
    for (int tag = 0; tag < 7; tag++) {
        for (int v = 0; v < 16; v++) {
            uint8_t b = (uint8_t)(v << 4 | tag);
            TbGenArg a = dec(&b, 1);
            if (tag == TB_TAG_A && v == 0) {
                cr_assert_eq(a.kind, TB_ARG_NIL);
                continue;
            }
            cr_assert_eq(a.kind, kinds[tag], "tag %d", tag);
            cr_assert_eq(a.val, v);
            cr_assert_eq(a.type_idx, -1);
        }
    }
}

Test(compact, eleven_bit_form)
{
    TbGenArg a;
    a = DEC(0x08, 0x10);                /* u 16 */
    cr_assert_eq(a.kind, TB_ARG_U);
    cr_assert_eq(a.val, 16);
    a = DEC(0xE8 | 0x03, 0xFF);         /* x 2047 */
    cr_assert_eq(a.kind, TB_ARG_X);
    cr_assert_eq(a.val, 2047);
    a = DEC(0x0D, 0x05);                /* f 5 in non-canonical long form */
    cr_assert_eq(a.kind, TB_ARG_F);
    cr_assert_eq(a.val, 5);
}

Test(compact, size_forms_2_to_8_bytes)
{
    /* u with n value bytes, n = 2..8: 0x01 followed by zeros */
    for (int n = 2; n <= 8; n++) {
        uint8_t buf[16] = { 0 };
        buf[0] = (uint8_t)(((n - 2) << 5) | 0x18 | TB_TAG_U);
        buf[1] = 0x01;
        TbGenArg a = dec(buf, 1 + (size_t)n);
        cr_assert_eq(a.kind, TB_ARG_U);
        cr_assert_eq(a.val, (int64_t)1 << (8 * (n - 1)), "n=%d", n);
    }
}

Test(compact, negative_integers)
{
    TbGenArg a;
    a = DEC(0x19, 0xFF, 0x80);          /* -128 */
    cr_assert_eq(a.val, -128);
    a = DEC(0x19, 0xFF, 0x7F);          /* -129 */
    cr_assert_eq(a.val, -129);
    a = DEC(0x39, 0x80, 0x00, 0x00);    /* 3 bytes: -2^23 */
    cr_assert_eq(a.val, -(1 << 23));
    a = DEC(0xD9, 0x80, 0, 0, 0, 0, 0, 0, 0);   /* 8 bytes: INT64_MIN */
    cr_assert_eq(a.kind, TB_ARG_I);
    cr_assert_eq(a.val, INT64_MIN);
    a = DEC(0xD9, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);   /* INT64_MAX */
    cr_assert_eq(a.val, INT64_MAX);
}

Test(compact, roundtrip_encoder_decoder)
{
    static const int64_t vals[] = {
        0, 1, 15, 16, 127, 128, 255, 256, 2047, 2048, 32767, 32768, 65535, 65536,
        (1LL << 31) - 1, 1LL << 31, (1LL << 32), (1LL << 55), (1LL << 56) - 1, 1LL << 62,
        INT64_MAX, -1, -2, -16, -127, -128, -129, -255, -256, -32768, -32769,
        -(1LL << 31), -(1LL << 55), -(1LL << 56), INT64_MIN, INT64_MIN + 1 };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        for (int tag = 0; tag < 6; tag++) {
            uint8_t buf[16];
            size_t n;
            TbGenArg a;
            if (tag != TB_TAG_I && vals[i] < 0)
                continue;
            if (tag == TB_TAG_A && vals[i] == 0)
                continue;
            n = tb_ct_encode((uint8_t)tag, vals[i], buf);
            a = dec(buf, n);
            cr_assert_eq(a.val, vals[i], "tag %d value %lld", tag, (long long)vals[i]);
        }
    }
}

Test(compact, nine_byte_forms)
{
    /* u 2^63-1 needs 8 bytes; 2^63 needs 9 (pad) and does not fit -> too big */
    uint8_t buf[16];
    size_t n = tb_ct_encode(TB_TAG_U, INT64_MAX, buf);
    cr_assert_eq(n, 9);
    cr_assert_eq(buf[0], 0xD8);

    /* L=7 form: nested u 0 => 9 bytes. i = 2^63 (00 80 00.. ) is a bigint */
    {
        const uint8_t big[] = { 0xF9, 0x00, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0 };
        TbGenArg a = dec(big, sizeof big);
        cr_assert_eq(a.kind, TB_ARG_BIGINT);
        cr_assert_eq(a.val, 2);         /* offset of the bytes from base */
        cr_assert_eq(a.aux, 9);
    }
    /* 9 bytes that are pure sign extension still fit: -1 */
    {
        const uint8_t m1[] = { 0xF9, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
        TbGenArg a = dec(m1, sizeof m1);
        cr_assert_eq(a.kind, TB_ARG_I);
        cr_assert_eq(a.val, -1);
    }
    /* u with 9 bytes and a leading zero: fits */
    {
        const uint8_t u9[] = { 0xF8, 0x00, 0x00, 0x7F, 0, 0, 0, 0, 0, 0, 1 };
        TbGenArg a = dec(u9, sizeof u9);
        cr_assert_eq(a.kind, TB_ARG_U);
        cr_assert_eq(a.val, (int64_t)0x7F00000000000001LL);
    }
    /* u with 9 bytes whose value is >= 2^63: too big */
    cr_assert_eq(DECERR(0xF8, 0x00, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0), TB_CT_TOO_BIG);
    /* x register too big */
    cr_assert_eq(DECERR(0xFB, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 0, 0, 0),
                 TB_CT_TOO_BIG);
}

Test(compact, long_bigint)
{
    /* i with 20 bytes (nested length u 11): 2^152 style value */
    uint8_t buf[32] = { 0xF9, 0xB0 /* u 11 */ };
    TbGenArg a;
    buf[2] = 0x01;
    a = dec(buf, 2 + 20);
    cr_assert_eq(a.kind, TB_ARG_BIGINT);
    cr_assert_eq(a.val, 2);
    cr_assert_eq(a.aux, 20);
    /* negative big */
    memset(buf + 2, 0, 20);
    buf[2] = 0x80;
    a = dec(buf, 2 + 20);
    cr_assert_eq(a.kind, TB_ARG_BIGINT);
    cr_assert_eq(a.aux, 20);

    /* encoder emits L=7 for 9 bytes */
    {
        uint8_t enc[16];
        size_t n = tb_ct_encode(TB_TAG_I, INT64_MIN, enc);
        cr_assert_eq(n, 9);             /* 8 bytes fit the L<7 form */
    }
}

Test(compact, nested_length_errors)
{
    /* nested length prefix that is itself L=7: rejected */
    cr_assert_eq(DECERR(0xF9, 0xF8, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0), TB_CT_BAD_LENGTH);
    /* nested length with a non-u tag */
    cr_assert_eq(DECERR(0xF9, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0), TB_CT_BAD_LENGTH);
    /* nested length larger than the data */
    cr_assert_eq(DECERR(0xF9, 0x08, 0xFF, 0, 0), TB_CT_EOF);
}

Test(compact, truncation_everywhere)
{
    static const uint8_t samples[][12] = {
        { 3, 0x19, 0xFF, 0xFF },
        { 2, 0x69, 0xE8 },
        { 9, 0xD9, 0x80, 0, 0, 0, 0, 0, 0, 0 },
        { 11, 0xF9, 0x00, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0 },
        { 9, 0x07, 0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18 },  /* z0 float */
        { 4, 0x37, 0x10, 0x00, 0x20 },                                   /* z3 alloc */
        { 3, 0x57, 0x03, 0x20 },                                         /* z5 typed */
    };
    for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
        size_t len = samples[s][0];
        for (size_t n = 0; n < len; n++) {
            int rc = dec_err(samples[s] + 1, n);
            cr_assert_eq(rc, TB_CT_EOF, "sample %zu truncated to %zu: rc %d", s, n, rc);
        }
        dec(samples[s] + 1, len);
    }
}

Test(compact, z_float)
{
    TbGenArg a = DEC(0x07, 0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18);
    double d;
    cr_assert_eq(a.kind, TB_ARG_FLOAT);
    memcpy(&d, &a.val, 8);
    cr_assert_float_eq(d, 3.141592653589793, 1e-15);
}

Test(compact, z_list)
{
    TbGenArg a = DEC(0x17, 0x40);               /* {list, 4 elements} */
    cr_assert_eq(a.kind, TB_ARG_LIST);
    cr_assert_eq(a.val, 4);
    a = DEC(0x17, 0x08, 0xC8);                  /* 200 elements */
    cr_assert_eq(a.val, 200);
    cr_assert_eq(DECERR(0x17, 0x41), TB_CT_BAD_NESTED);   /* count must be u */
}

Test(compact, z_float_register)
{
    TbGenArg a = DEC(0x27, 0x30);
    cr_assert_eq(a.kind, TB_ARG_FR);
    cr_assert_eq(a.val, 3);
}

Test(compact, z_alloc_list)
{
    /* {alloc,[{words,2},{floats,1},{funs,1}]} */
    TbGenArg a = DEC(0x37, 0x30, 0x00, 0x20, 0x10, 0x10, 0x20, 0x10);
    cr_assert_eq(a.kind, TB_ARG_ALLOC);
    cr_assert_eq(a.val, 2);
    cr_assert_eq(a.aux, 1);
    cr_assert_eq(a.aux2, 1);
    /* empty list */
    a = DEC(0x37, 0x00);
    cr_assert_eq(a.kind, TB_ARG_ALLOC);
    cr_assert_eq(a.val, 0);
    /* bad kind 3 */
    cr_assert_eq(DECERR(0x37, 0x10, 0x30, 0x10), TB_CT_BAD_ALLOC);
    /* more than 3 entries */
    cr_assert_eq(DECERR(0x37, 0x40, 0, 0, 0, 0, 0, 0, 0, 0), TB_CT_BAD_ALLOC);
}

Test(compact, z_literal)
{
    TbGenArg a = DEC(0x47, 0x08, 0x64);         /* literal 100 */
    cr_assert_eq(a.kind, TB_ARG_LITERAL);
    cr_assert_eq(a.val, 100);
}

Test(compact, z_typed_register)
{
    TbGenArg a = DEC(0x57, 0x03, 0x20);         /* {tr,{x,0},type 2} */
    cr_assert_eq(a.kind, TB_ARG_X);
    cr_assert_eq(a.val, 0);
    cr_assert_eq(a.type_idx, 2);
    a = DEC(0x57, 0x54, 0x08, 0x10);            /* {tr,{y,5},type 16} */
    cr_assert_eq(a.kind, TB_ARG_Y);
    cr_assert_eq(a.val, 5);
    cr_assert_eq(a.type_idx, 16);
    cr_assert_eq(DECERR(0x57, 0x01, 0x00), TB_CT_BAD_NESTED);  /* wraps an integer */
    cr_assert_eq(DECERR(0x57, 0x03, 0x03), TB_CT_BAD_NESTED);  /* type index not u */
}

Test(compact, z_unknown_subtags)
{
    cr_assert_eq(DECERR(0x67, 0x00), TB_CT_BAD_ZTAG);
    cr_assert_eq(DECERR(0xF7, 0x10), TB_CT_BAD_ZTAG);
    cr_assert_eq(DECERR(0x0F, 0x10), TB_CT_BAD_ZTAG);          /* z 16 (11-bit form) */
}

Test(compact, raw_reader)
{
    const uint8_t buf[] = { 0x19, 0xFF, 0xFF, 0x22 };
    const uint8_t *p = buf;
    TbCtRaw r;
    cr_assert_eq(tb_ct_read_raw(&p, buf + sizeof buf, &r), TB_CT_OK);
    cr_assert_eq(r.tag, TB_TAG_I);
    cr_assert_eq(r.val, -1);
    cr_assert_eq(r.nbytes, 2);
    cr_assert_eq(tb_ct_read_raw(&p, buf + sizeof buf, &r), TB_CT_OK);
    cr_assert_eq(r.tag, TB_TAG_A);
    cr_assert_eq(r.val, 2);
    cr_assert_eq(p, buf + sizeof buf);
    cr_assert_eq(tb_ct_read_raw(&p, buf + sizeof buf, &r), TB_CT_EOF);
}

Test(compact, strerror_covers_codes)
{
    for (int rc = 0; rc >= -6; rc--)
        cr_assert_str_neq(tb_ct_strerror(rc), "unknown compact term error");
}
