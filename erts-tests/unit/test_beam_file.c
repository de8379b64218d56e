/*
 * Criterion tests for loader/beam_file.c: a synthetic module is built chunk
 * by chunk, then individual chunks are broken to check that every
 * validation fires and names the right chunk.
 *
 * Build (from the repo root):
 *   gcc -std=gnu11 -O2 -Wall -Wextra -Iloader erts-tests/unit/test_beam_file.c \
 *       loader/beam_file.c loader/compact_term.c -lcriterion -lz -lcrypto \
 *       -o /tmp/test_beam_file
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "beam_file.h"

/* ------------------------------------------------------------------------ */
/* Builder                                                                   */

enum { C_ATU8, C_CODE, C_STRT, C_IMPT, C_EXPT, C_FUNT, C_LITT, C_META, C_LOCT,
       C_ATTR, C_CINF, C_LINE, C_TYPE, C_EXTRA, C__N };

typedef struct {
    char id[4];
    int present;
    size_t len;
    uint8_t buf[4096];
} TChunk;

typedef struct {
    TChunk c[C__N];
    /* Code chunk parts */
    uint32_t hdr_size, format, max_op, labels, funcs;
    uint8_t body[1024];
    size_t body_len;
    uint8_t out[32768];
    size_t out_len;
} TBeam;

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)(v >> 32));
    put32(p + 4, (uint32_t)v);
}

static void ch_set(TBeam *t, int k, const char *id, const void *data, size_t len)
{
    memcpy(t->c[k].id, id, 4);
    t->c[k].present = 1;
    memcpy(t->c[k].buf, data, len);
    t->c[k].len = len;
}

static void ch_u32s(TBeam *t, int k, const char *id, const uint32_t *v, size_t n)
{
    uint8_t tmp[4096];
    for (size_t i = 0; i < n; i++)
        put32(tmp + 4 * i, v[i]);
    ch_set(t, k, id, tmp, 4 * n);
}

/* LitT from a raw (uncompressed) literal table; usize_delta tweaks the
 * declared uncompressed size. */
static void set_litt(TBeam *t, const uint8_t *table, size_t len, int usize_delta)
{
    uint8_t tmp[4096];
    uLongf clen = sizeof tmp - 4;
    cr_assert_eq(compress2(tmp + 4, &clen, table, len, 9), Z_OK);
    put32(tmp, (uint32_t)((int)len + usize_delta));
    ch_set(t, C_LITT, "LitT", tmp, 4 + clen);
}

static void set_atoms(TBeam *t, const char *const *atoms, size_t n)
{
    uint8_t tmp[4096];
    size_t k = 4;
    put32(tmp, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(atoms[i]);
        tmp[k++] = (uint8_t)l;
        memcpy(tmp + k, atoms[i], l);
        k += l;
    }
    ch_set(t, C_ATU8, "AtU8", tmp, k);
}

static const uint8_t default_body[] = {
    0x01, 0x10,                         /* label 1 */
    0x99, 0x10,                         /* line 1 */
    0x02, 0x12, 0x22, 0x00,             /* func_info m f 0 */
    0x01, 0x20,                         /* label 2 */
    0x40, 0x47, 0x00, 0x03,             /* move {literal,0} x0 */
    0x4E, 0x00, 0x00,                   /* call_ext_only 0 import#0 */
    0x01, 0x30,                         /* label 3 */
    0x02, 0x12, 0x52, 0x10,             /* func_info m g 1 */
    0x01, 0x40,                         /* label 4 */
    0x2D, 0x35, 0x57, 0x03, 0x10,       /* is_integer f3 {tr,x0,type 1} */
    0x3B, 0x03, 0x35, 0x17, 0x20, 0x11, 0x45,   /* select_val x0 f3 [1, f4] */
    0x10, 0x37, 0x20, 0x00, 0x20, 0x20, 0x10, 0x10,  /* test_heap {alloc,[words 2,funs 1]} 1 */
    0xAB, 0x00, 0x03, 0x17, 0x10, 0x03, /* make_fun3 0 x0 [x0] */
    0x13,                               /* return */
    0x03,                               /* int_code_end */
};
#define OFF_MOVE 10   /* offset of the move op in default_body */

static void set_default(TBeam *t)
{
    static const char *const atoms[] = { "m", "f", "erlang", "self", "g" };
    memset(t, 0, sizeof *t);
    set_atoms(t, atoms, 5);
    t->hdr_size = 16; t->format = 0; t->max_op = 171; t->labels = 5; t->funcs = 2;
    memcpy(t->body, default_body, sizeof default_body);
    t->body_len = sizeof default_body;
    ch_set(t, C_STRT, "StrT", "abc", 3);
    ch_u32s(t, C_IMPT, "ImpT", (const uint32_t[]){ 1, 3, 4, 0 }, 4);
    ch_u32s(t, C_EXPT, "ExpT", (const uint32_t[]){ 2, 2, 0, 2, 5, 1, 4 }, 7);
    ch_u32s(t, C_FUNT, "FunT", (const uint32_t[]){ 1, 5, 1, 4, 0, 1, 12345 }, 7);
    set_litt(t, (const uint8_t[]){ 0, 0, 0, 1, 0, 0, 0, 4, 131, 119, 1, 'a' }, 12, 0);
    ch_set(t, C_META, "Meta", (const uint8_t[]){ 131, 106 }, 2);
    ch_u32s(t, C_LOCT, "LocT", (const uint32_t[]){ 0 }, 1);
    ch_set(t, C_ATTR, "Attr", (const uint8_t[]){ 131, 106 }, 2);
    ch_set(t, C_CINF, "CInf", (const uint8_t[]){ 131, 106 }, 2);
    {
        uint8_t l[64];
        put32(l, 0); put32(l + 4, 0); put32(l + 8, 1); put32(l + 12, 1); put32(l + 16, 1);
        l[20] = 0x12; l[21] = 0x51;             /* a1 i5 */
        l[22] = 0; l[23] = 5;
        memcpy(l + 24, "m.erl", 5);
        ch_set(t, C_LINE, "Line", l, 29);
    }
    {
        uint8_t ty[64];
        put32(ty, 1); put32(ty + 4, 2);
        ty[8] = 0x1F; ty[9] = 0xFF; put64(ty + 10, 1); put64(ty + 18, 0);
        ty[26] = 0x00; ty[27] = 0x40; put64(ty + 28, 0); put64(ty + 36, (uint64_t)-1);
        ch_set(t, C_TYPE, "Type", ty, 44);
    }
}

static void build(TBeam *t)
{
    size_t k = 12;
    /* Code chunk from its parts */
    {
        uint8_t tmp[4096];
        put32(tmp, t->hdr_size);
        put32(tmp + 4, t->format);
        put32(tmp + 8, t->max_op);
        put32(tmp + 12, t->labels);
        put32(tmp + 16, t->funcs);
        size_t hs = t->hdr_size >= 16 && t->hdr_size < 64 ? t->hdr_size : 16;
        memset(tmp + 20, 0, hs - 16);
        memcpy(tmp + 4 + hs, t->body, t->body_len);
        ch_set(t, C_CODE, "Code", tmp, 4 + hs + t->body_len);
    }
    memcpy(t->out, "FOR1", 4);
    memcpy(t->out + 8, "BEAM", 4);
    for (int i = 0; i < C__N; i++) {
        if (!t->c[i].present)
            continue;
        memcpy(t->out + k, t->c[i].id, 4);
        put32(t->out + k + 4, (uint32_t)t->c[i].len);
        memcpy(t->out + k + 8, t->c[i].buf, t->c[i].len);
        k += 8 + t->c[i].len;
        while (k % 4)
            t->out[k++] = 0;
    }
    put32(t->out + 4, (uint32_t)(k - 8));
    t->out_len = k;
}

static char err[512];

static int rd(TBeam *t, TbBeamFile *b)
{
    build(t);
    return tb_beam_read(t->out, t->out_len, b, err, sizeof err);
}

/* Expect failure mentioning `chunk` and (optionally) `needle`. */
static void expect_fail(TBeam *t, const char *chunk, const char *needle)
{
    TbBeamFile b;
    char want[32];
    int rc = rd(t, &b);
    cr_assert_eq(rc, -1, "expected failure (%s/%s), got success", chunk, needle ? needle : "");
    snprintf(want, sizeof want, "chunk %s,", chunk);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "error '%s' should start with '%s'", err,
              want);
    cr_assert(strstr(err, "offset 0x") != NULL, "no offset in '%s'", err);
    if (needle)
        cr_assert(strstr(err, needle) != NULL, "error '%s' should mention '%s'", err, needle);
    cr_assert(strchr(err, '\n') == NULL);
    /* b is zeroed on failure; freeing again must be harmless */
    tb_beam_free(&b);
}

static void expect_ok(TBeam *t, TbBeamFile *b)
{
    int rc = rd(t, b);
    cr_assert_eq(rc, 0, "unexpected failure: %s", err);
}

/* ------------------------------------------------------------------------ */

Test(beam, baseline_reads)
{
    TBeam t;
    TbBeamFile b;
    set_default(&t);
    expect_ok(&t, &b);
    cr_assert_eq(b.atom_count, 5);
    cr_assert_eq(b.atoms[1].len, 1);
    cr_assert_eq(b.atoms[1].ptr[0], 'm');
    cr_assert_eq(b.import_count, 1);
    cr_assert_eq(b.imports[0].mod, 3);
    cr_assert_eq(b.export_count, 2);
    cr_assert_eq(b.exports[1].label, 4);
    cr_assert_eq(b.fun_count, 1);
    cr_assert_eq(b.funs[0].old_uniq, 12345);
    cr_assert_eq(b.literal_count, 1);
    cr_assert_eq(b.literals[0].len, 4);
    cr_assert_eq(b.literals[0].etf[0], 131);
    cr_assert_eq(b.strings.len, 3);
    cr_assert_eq(b.label_count, 5);
    cr_assert_eq(b.function_count, 2);
    cr_assert_eq(b.func_info_count, 2);
    cr_assert_eq(b.line_item_count, 2);
    cr_assert_eq(b.line_items[1].file, 1);
    cr_assert_eq(b.line_items[1].line, 5);
    cr_assert_eq(b.line_file_count, 2);
    cr_assert_eq(b.line_files[1].len, 5);
    cr_assert_eq(b.type_count, 2);
    cr_assert_eq(b.types[1].bits, 0x40);
    cr_assert(b.chunks & TB_CHUNK_LINE);
    cr_assert(!(b.chunks & TB_CHUNK_DBGI));
    cr_assert_eq(b.op_count, 15);
    cr_assert_eq(b.ops[b.op_count - 1].op, GENOP_int_code_end);
    /* move {literal,0} x0 */
    {
        const TbGenOp *op = &b.ops[4];
        const TbGenArg *a = tb_op_args(&b, op);
        cr_assert_eq(op->op, GENOP_move);
        cr_assert_eq(op->offset, b.code_start + OFF_MOVE);
        cr_assert_eq(a[0].kind, TB_ARG_LITERAL);
        cr_assert_eq(a[1].kind, TB_ARG_X);
    }
    /* is_integer f3 {tr,x0,1} */
    {
        const TbGenArg *a = tb_op_args(&b, &b.ops[9]);
        cr_assert_eq(b.ops[9].op, GENOP_is_integer);
        cr_assert_eq(a[1].kind, TB_ARG_X);
        cr_assert_eq(a[1].type_idx, 1);
    }
    /* select_val: 3 operands + 2 list elements */
    {
        const TbGenOp *op = &b.ops[10];
        const TbGenArg *a = tb_op_args(&b, op);
        cr_assert_eq(op->op, GENOP_select_val);
        cr_assert_eq(op->nargs, 5);
        cr_assert_eq(a[2].kind, TB_ARG_LIST);
        cr_assert_eq(a[2].val, 2);
        cr_assert_eq(a[3].kind, TB_ARG_I);
        cr_assert_eq(a[4].kind, TB_ARG_F);
        cr_assert_eq(a[4].val, 4);
    }
    /* test_heap alloc list */
    {
        const TbGenArg *a = tb_op_args(&b, &b.ops[11]);
        cr_assert_eq(a[0].kind, TB_ARG_ALLOC);
        cr_assert_eq(a[0].val, 2);
        cr_assert_eq(a[0].aux2, 1);
    }
    tb_beam_free(&b);
    tb_beam_free(&b);
}

Test(beam, every_truncation_fails_cleanly)
{
    TBeam t;
    TbBeamFile b;
    set_default(&t);
    build(&t);
    for (size_t n = 0; n < t.out_len; n++) {
        cr_assert_eq(tb_beam_read(t.out, n, &b, err, sizeof err), -1, "len %zu", n);
        cr_assert(strncmp(err, "chunk ", 6) == 0);
    }
    /* also with a consistent FOR1 size (truncated last chunk) */
    for (size_t n = 12; n < t.out_len; n++) {
        uint8_t tmp[32768];
        memcpy(tmp, t.out, n);
        put32(tmp + 4, (uint32_t)(n - 8));
        /* dropping whole optional trailing chunks can leave a valid file */
        if (tb_beam_read(tmp, n, &b, err, sizeof err) == 0) {
            cr_assert_eq(n % 4, 0, "len %zu", n);
            tb_beam_free(&b);
        }
    }
}

Test(beam, tiny_error_buffer)
{
    TBeam t;
    TbBeamFile b;
    char small[8];
    set_default(&t);
    build(&t);
    cr_assert_eq(tb_beam_read(t.out, 5, &b, small, sizeof small), -1);
    cr_assert_eq(small[7], 0);
    cr_assert_eq(tb_beam_read(t.out, 5, &b, NULL, 0), -1);
}

Test(beam, iff_header)
{
    TBeam t;
    TbBeamFile b;
    set_default(&t);
    build(&t);
    t.out[4] ^= 1;                                     /* FOR1 size */
    cr_assert_eq(tb_beam_read(t.out, t.out_len, &b, err, sizeof err), -1);
    cr_assert(strstr(err, "chunk FOR1") && strstr(err, "form size"), "%s", err);
    t.out[4] ^= 1;
    t.out[0] = 'X';
    cr_assert_eq(tb_beam_read(t.out, t.out_len, &b, err, sizeof err), -1);
    cr_assert(strstr(err, "chunk FOR1"), "%s", err);
    t.out[0] = 'F';
    t.out[8] = 'X';                                    /* form type */
    cr_assert_eq(tb_beam_read(t.out, t.out_len, &b, err, sizeof err), -1);
    cr_assert(strstr(err, "not a BEAM file"), "%s", err);
}

Test(beam, chunk_size_beyond_file)
{
    TBeam t;
    TbBeamFile b;
    set_default(&t);
    build(&t);
    /* First chunk (AtU8) size -> huge */
    put32(t.out + 16, 0xFFFFFFF0u);
    cr_assert_eq(tb_beam_read(t.out, t.out_len, &b, err, sizeof err), -1);
    cr_assert(strstr(err, "chunk AtU8") && strstr(err, "exceeds"), "%s", err);
}

Test(beam, duplicate_chunk)
{
    TBeam t;
    set_default(&t);
    ch_set(&t, C_EXTRA, "StrT", "x", 1);
    expect_fail(&t, "StrT", "duplicate");
}

Test(beam, unknown_chunks_are_skipped)
{
    TBeam t;
    TbBeamFile b;
    set_default(&t);
    ch_set(&t, C_EXTRA, "Zzzz", "hello", 5);
    expect_ok(&t, &b);
    tb_beam_free(&b);
}

Test(beam, missing_required_chunks)
{
    static const struct { int k; const char *id; } req[] = {
        { C_CODE, "Code" }, { C_STRT, "StrT" }, { C_IMPT, "ImpT" }, { C_EXPT, "ExpT" },
        { C_ATU8, "AtU8" } };
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
        TBeam t;
        set_default(&t);
        if (req[i].k == C_CODE) {
            /* build() always emits Code; rename it instead */
            /* build() always emits Code: rename it in the output */
            build(&t);
            size_t k = 12;
            while (k < t.out_len && memcmp(t.out + k, "Code", 4) != 0) {
                uint32_t sz = (uint32_t)t.out[k + 4] << 24 | t.out[k + 5] << 16 |
                              t.out[k + 6] << 8 | t.out[k + 7];
                k += 8 + ((sz + 3) & ~3u);
            }
            cr_assert(k < t.out_len);
            t.out[k + 3] = 'x';
            TbBeamFile b;
            cr_assert_eq(tb_beam_read(t.out, t.out_len, &b, err, sizeof err), -1);
            cr_assert(strstr(err, "chunk Code") && strstr(err, "missing"), "%s", err);
            continue;
        }
        t.c[req[i].k].present = 0;
        expect_fail(&t, req[i].id, "missing");
    }
}

Test(beam, obsolete_atom_table)
{
    TBeam t;
    set_default(&t);
    memcpy(t.c[C_ATU8].id, "Atom", 4);
    expect_fail(&t, "Atom", "obsolete atom table");
}

Test(beam, atom_table_errors)
{
    TBeam t;
    set_default(&t);
    put32(t.c[C_ATU8].buf, 0x7FFFFFFF);                /* hostile count */
    expect_fail(&t, "AtU8", "atom count");
    set_default(&t);
    put32(t.c[C_ATU8].buf, 0);
    expect_fail(&t, "AtU8", "empty");
    set_default(&t);
    t.c[C_ATU8].buf[4] = 200;                          /* length past end */
    expect_fail(&t, "AtU8", "past the end");
    set_default(&t);
    t.c[C_ATU8].buf[5] = 0xC0;                         /* invalid UTF-8 'm' */
    expect_fail(&t, "AtU8", "UTF-8");
    set_default(&t);
    t.c[C_ATU8].buf[t.c[C_ATU8].len++] = 0;            /* trailing byte */
    expect_fail(&t, "AtU8", "trailing");
}

Test(beam, atom_long_form_and_length_limit)
{
    TBeam t;
    TbBeamFile b;
    uint8_t tmp[4096];
    size_t k = 4;
    const char *names[] = { "m", "f", "erlang", "self", "g" };
    /* negative count: compact-encoded lengths */
    set_default(&t);
    put32(tmp, (uint32_t)-5);
    for (int i = 0; i < 5; i++) {
        size_t l = strlen(names[i]);
        tmp[k++] = (uint8_t)(l << 4);
        memcpy(tmp + k, names[i], l);
        k += l;
    }
    ch_set(&t, C_ATU8, "AtU8", tmp, k);
    expect_ok(&t, &b);
    cr_assert_eq(b.atoms[3].len, 6);
    tb_beam_free(&b);

    /* atom 5 with 256 characters -> too long; 255 is fine */
    for (int chars = 255; chars <= 256; chars++) {
        k = 4;
        put32(tmp, (uint32_t)-5);
        for (int i = 0; i < 4; i++) {
            size_t l = strlen(names[i]);
            tmp[k++] = (uint8_t)(l << 4);
            memcpy(tmp + k, names[i], l);
            k += l;
        }
        k += tb_ct_encode(TB_TAG_U, chars * 2, tmp + k);
        for (int i = 0; i < chars; i++) {            /* U+00E9 = C3 A9 */
            tmp[k++] = 0xC3;
            tmp[k++] = 0xA9;
        }
        set_default(&t);
        ch_set(&t, C_ATU8, "AtU8", tmp, k);
        if (chars == 255) {
            expect_ok(&t, &b);
            cr_assert_eq(b.atoms[5].len, 510);
            tb_beam_free(&b);
        } else {
            expect_fail(&t, "AtU8", "too long");
        }
    }
}

Test(beam, code_header_errors)
{
    TBeam t;
    set_default(&t);
    t.hdr_size = 12;
    expect_fail(&t, "Code", "header size");
    set_default(&t);
    t.format = 1;
    expect_fail(&t, "Code", "format");
    set_default(&t);
    t.max_op = 181;
    expect_fail(&t, "Code", "later OTP");
    set_default(&t);
    t.labels = 0x7FFFFFFF;
    expect_fail(&t, "Code", "label count");
    set_default(&t);
    t.funcs = 0x7FFFFFFF;
    expect_fail(&t, "Code", "function count");
    set_default(&t);
    t.funcs = 1;                                       /* 2 func_info, 1 declared */
    expect_fail(&t, "Code", "more functions");
    set_default(&t);
    t.body_len = 0;
    expect_fail(&t, "Code", "int_code_end");
}

Test(beam, code_header_larger_than_16_is_skipped)
{
    TBeam t;
    TbBeamFile b;
    set_default(&t);
    t.hdr_size = 24;
    expect_ok(&t, &b);
    cr_assert_eq(b.code_start, 28);
    tb_beam_free(&b);
}

Test(beam, opcode_errors)
{
    TBeam t;
    set_default(&t);
    t.body[OFF_MOVE] = 27;                             /* m_plus: obsolete */
    expect_fail(&t, "Code", "too old compiler");
    set_default(&t);
    t.body[OFF_MOVE] = 181;
    expect_fail(&t, "Code", "unknown opcode 181");
    set_default(&t);
    t.body[OFF_MOVE] = 0;
    expect_fail(&t, "Code", "unknown opcode 0");
    set_default(&t);
    t.max_op = 160;                                    /* make_fun3 = 171 used */
    expect_fail(&t, "Code", "exceeds the max opcode");
}

Test(beam, code_end_errors)
{
    TBeam t;
    set_default(&t);
    t.body_len--;                                      /* drop int_code_end */
    expect_fail(&t, "Code", "int_code_end");
    set_default(&t);
    t.body[t.body_len++] = 0x13;                       /* return after int_code_end */
    expect_fail(&t, "Code", "after int_code_end");
    set_default(&t);
    t.body_len = 13;                                   /* cut inside move */
    expect_fail(&t, "Code", "past the end");
}

Test(beam, operand_kind_checks)
{
    TBeam t;
    set_default(&t);
    t.body[OFF_MOVE + 3] = 0x05;                       /* move dest = label */
    expect_fail(&t, "Code", "unexpected label operand");
    set_default(&t);
    t.body[OFF_MOVE + 1] = 0x17; t.body[OFF_MOVE + 2] = 0x00;   /* move {list,0} ... */
    expect_fail(&t, "Code", "list");
    set_default(&t);
    t.body[OFF_MOVE + 1] = 0x06;                       /* h tag */
    t.body[OFF_MOVE + 2] = 0x03;
    t.body[OFF_MOVE + 3] = 0x13;                       /* move h0 x0 ; return */
    expect_fail(&t, "Code", "'h'");
}

Test(beam, atom_index_in_code)
{
    TBeam t;
    set_default(&t);
    t.body[6] = 0x92;                                  /* func_info m <atom 9> 0 */
    expect_fail(&t, "Code", "atom index 9 out of range (5 atoms)");
}

Test(beam, label_checks)
{
    TBeam t;
    set_default(&t);
    t.body[26] = 0x95;                                 /* is_integer f9 */
    expect_fail(&t, "Code", "label 9 out of range");
    set_default(&t);
    t.body[24] = 0x30;                                 /* label 3 twice */
    expect_fail(&t, "Code", "defined twice");
    set_default(&t);
    t.labels = 6;
    t.body[26] = 0x55;                                 /* is_integer f5: never defined */
    expect_fail(&t, "Code", "never defined");
    set_default(&t);
    t.body[1] = 0x00;                                  /* label 0 */
    expect_fail(&t, "Code", "label 0");
    set_default(&t);
    t.body[26] = 0x05;                                 /* is_integer f0: allowed */
    {
        TbBeamFile b;
        expect_ok(&t, &b);
        tb_beam_free(&b);
    }
}

Test(beam, import_index_in_code)
{
    TBeam t;
    set_default(&t);
    t.body[16] = 0x10;                                 /* call_ext_only 0 import#1 */
    expect_fail(&t, "Code", "import index 1 out of range (1 imports)");
}

Test(beam, literal_index_in_code)
{
    TBeam t;
    set_default(&t);
    t.body[OFF_MOVE + 2] = 0x10;                       /* {literal,1} */
    expect_fail(&t, "Code", "literal index 1 out of range (1 literals)");
}

Test(beam, register_limits)
{
    TBeam t;
    TbBeamFile b;
    /* move {literal,0} {x,1023} is fine, 1024 is not; same for y */
    static const uint8_t regs[][3] = { { 0x6B, 0xFF, 0 }, { 0x8B, 0x00, 1 },
                                       { 0x6C, 0xFF, 0 }, { 0x8C, 0x00, 1 } };
    for (int i = 0; i < 4; i++) {
        set_default(&t);
        /* replace "x0" (1 byte) by the 2-byte register: shift the tail */
        memmove(t.body + OFF_MOVE + 5, t.body + OFF_MOVE + 4, t.body_len - OFF_MOVE - 4);
        t.body[OFF_MOVE + 3] = regs[i][0];
        t.body[OFF_MOVE + 4] = regs[i][1];
        t.body_len++;
        if (regs[i][2]) {
            expect_fail(&t, "Code", "register 1024 out of range");
        } else {
            expect_ok(&t, &b);
            cr_assert_eq(b.args[b.ops[4].args + 1].val, 1023);
            tb_beam_free(&b);
        }
    }
}

Test(beam, list_length_sanity)
{
    TBeam t;
    /* select_val x0 f3 {list,2047}: replace the u2 count by u2047 */
    set_default(&t);
    memmove(t.body + 36, t.body + 35, t.body_len - 35);
    t.body[34] = 0xE8;                                 /* u 2047 (11-bit form) */
    t.body[35] = 0xFF;
    t.body_len++;
    /* the list header is z1 followed by the u: keep byte 33 = 0x17 */
    cr_assert_eq(t.body[33], 0x17);
    expect_fail(&t, "Code", "list length");
    set_default(&t);
    t.body[34] = 0x30;                                 /* odd length 3 */
    expect_fail(&t, "Code", NULL);
}

Test(beam, select_val_pairs)
{
    TBeam t;
    set_default(&t);
    t.body[36] = 0x03;                                 /* [1, x0] : label expected */
    expect_fail(&t, "Code", "value/label pair");
}

Test(beam, obsolete_float_and_bigints)
{
    TBeam t;
    set_default(&t);
    /* move z0 float -> rejected */
    {
        uint8_t repl[] = { 0x40, 0x07, 0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18, 0x03 };
        memmove(t.body + OFF_MOVE + sizeof repl, t.body + OFF_MOVE + 4,
                t.body_len - OFF_MOVE - 4);
        memcpy(t.body + OFF_MOVE, repl, sizeof repl);
        t.body_len += sizeof repl - 4;
        expect_fail(&t, "Code", "obsolete");
    }
    /* move <11-byte bigint with a redundant leading zero> x0 -> not
     * normalized; a normalized one is accepted as TB_ARG_BIGINT */
    for (int norm = 0; norm <= 1; norm++) {
        uint8_t repl[] = { 0x40, 0xF9, 0x20, 0x00, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0x03 };
        if (norm) {
            repl[4] = 0x80;                            /* 00 80 00 .. (2^79) */
            repl[5] = 0x00;
        }
        set_default(&t);
        memmove(t.body + OFF_MOVE + sizeof repl, t.body + OFF_MOVE + 4,
                t.body_len - OFF_MOVE - 4);
        memcpy(t.body + OFF_MOVE, repl, sizeof repl);
        t.body_len += sizeof repl - 4;
        if (!norm) {
            expect_fail(&t, "Code", "not normalized");
        } else {
            TbBeamFile b;
            expect_ok(&t, &b);
            const TbGenArg *a = tb_op_args(&b, &b.ops[4]);
            cr_assert_eq(a[0].kind, TB_ARG_BIGINT);
            cr_assert_eq(a[0].aux, 11);
            cr_assert_eq(b.bigint_bytes[a[0].val], 0x00);
            cr_assert_eq(b.bigint_bytes[a[0].val + 1], 0x80);
            tb_beam_free(&b);
        }
    }
}

Test(beam, import_table_errors)
{
    TBeam t;
    set_default(&t);
    put32(t.c[C_IMPT].buf + 4, 6);                     /* module atom 6 of 5 */
    expect_fail(&t, "ImpT", "atom index 6 out of range");
    set_default(&t);
    put32(t.c[C_IMPT].buf + 8, 0);
    expect_fail(&t, "ImpT", "atom index 0");
    set_default(&t);
    put32(t.c[C_IMPT].buf, 1000000);
    expect_fail(&t, "ImpT", "count");
    set_default(&t);
    put32(t.c[C_IMPT].buf + 12, 256);
    expect_fail(&t, "ImpT", "arity");
}

Test(beam, export_table_errors)
{
    TBeam t;
    set_default(&t);
    put32(t.c[C_EXPT].buf + 4, 77);
    expect_fail(&t, "ExpT", "atom index 77 out of range (5 atoms)");
    set_default(&t);
    put32(t.c[C_EXPT].buf + 12, 5);                    /* label 5 of 5 */
    expect_fail(&t, "ExpT", "label 5 out of range");
    set_default(&t);
    t.labels = 6;                                      /* label 5 valid but undefined */
    put32(t.c[C_EXPT].buf + 12, 5);
    expect_fail(&t, "ExpT", "not defined");
    set_default(&t);
    t.c[C_EXPT].len -= 1;
    expect_fail(&t, "ExpT", "chunk size");
}

Test(beam, local_table_errors)
{
    TBeam t;
    set_default(&t);
    ch_u32s(&t, C_LOCT, "LocT", (const uint32_t[]){ 1, 9, 0, 2 }, 4);
    expect_fail(&t, "LocT", "atom index 9");
}

Test(beam, fun_table_errors)
{
    TBeam t;
    set_default(&t);
    put32(t.c[C_FUNT].buf + 4, 0);
    expect_fail(&t, "FunT", "atom index 0");
    set_default(&t);
    put32(t.c[C_FUNT].buf + 12, 99);
    expect_fail(&t, "FunT", "label 99");
    set_default(&t);
    put32(t.c[C_FUNT].buf + 20, 2);                    /* num_free 2 > arity 1 */
    expect_fail(&t, "FunT", "free variables");
    set_default(&t);
    t.c[C_FUNT].len = 20;
    expect_fail(&t, "FunT", "chunk size");
    set_default(&t);
    put32(t.c[C_FUNT].buf, 0);                         /* no funs: make_fun3 index 0 bad */
    t.c[C_FUNT].len = 4;
    expect_fail(&t, "Code", "fun index 0 out of range");
}

Test(beam, literal_table_errors)
{
    TBeam t;
    static const uint8_t good[] = { 0, 0, 0, 1, 0, 0, 0, 4, 131, 119, 1, 'a' };
    uint8_t tab[64];

    set_default(&t);
    set_litt(&t, good, sizeof good, -1);               /* declared too small */
    expect_fail(&t, "LitT", "exceed");
    set_default(&t);
    set_litt(&t, good, sizeof good, +1);               /* declared too large */
    expect_fail(&t, "LitT", "differs");
    set_default(&t);
    set_litt(&t, good, sizeof good, 0x40000000);       /* absurd size */
    expect_fail(&t, "LitT", "implausible");
    set_default(&t);
    t.c[C_LITT].buf[6] ^= 0xFF;                        /* corrupt zlib data */
    expect_fail(&t, "LitT", NULL);
    set_default(&t);
    t.c[C_LITT].buf[4] = 0x00;                         /* bad zlib header */
    expect_fail(&t, "LitT", "zlib");
    set_default(&t);
    t.c[C_LITT].len -= 3;                              /* truncated stream */
    expect_fail(&t, "LitT", NULL);
    set_default(&t);
    t.c[C_LITT].buf[t.c[C_LITT].len++] = 0;            /* garbage after stream */
    expect_fail(&t, "LitT", "garbage");

    memcpy(tab, good, sizeof good);
    tab[7] = 9;                                        /* literal size past end */
    set_default(&t);
    set_litt(&t, tab, sizeof good, 0);
    expect_fail(&t, "LitT", "past the end");
    memcpy(tab, good, sizeof good);
    tab[8] = 130;                                      /* not ETF */
    set_default(&t);
    set_litt(&t, tab, sizeof good, 0);
    expect_fail(&t, "LitT", "external term");
    memcpy(tab, good, sizeof good);
    tab[3] = 2;                                        /* count 2, only 1 present */
    set_default(&t);
    set_litt(&t, tab, sizeof good, 0);
    expect_fail(&t, "LitT", NULL);
    memcpy(tab, good, sizeof good);
    tab[sizeof good] = 0;                              /* trailing byte */
    set_default(&t);
    set_litt(&t, tab, sizeof good + 1, 0);
    expect_fail(&t, "LitT", "trailing");
    memcpy(tab, good, sizeof good);
    put32(tab, 0x7FFFFFFF);                            /* hostile count */
    set_default(&t);
    set_litt(&t, tab, sizeof good, 0);
    expect_fail(&t, "LitT", "count");
}

Test(beam, line_table_errors)
{
    TBeam t;
    TbBeamFile b;
    set_default(&t);
    t.c[C_LINE].buf[20] = 0x22;                        /* a2: file index > 1 name */
    expect_fail(&t, "Line", "file index");
    set_default(&t);
    t.c[C_LINE].buf[21] = 0x53;                        /* x5: bad tag */
    expect_fail(&t, "Line", "tag");
    set_default(&t);
    put32(t.c[C_LINE].buf + 12, 0x7FFFFFFF);           /* hostile item count */
    expect_fail(&t, "Line", "item count");
    set_default(&t);
    t.c[C_LINE].buf[23] = 50;                          /* name length past end */
    expect_fail(&t, "Line", "past the end");
    set_default(&t);
    put32(t.c[C_LINE].buf + 8, 0);                     /* 0 line instrs declared */
    expect_fail(&t, "Code", "line instructions");
    set_default(&t);
    t.body[3] = 0x20;                                  /* line 2 of 2 items */
    expect_fail(&t, "Code", "line: item 2 out of range");
    /* unknown version: ignored */
    set_default(&t);
    put32(t.c[C_LINE].buf, 7);
    expect_ok(&t, &b);
    cr_assert_eq(b.line_version, 7);
    cr_assert_eq(b.line_item_count, 0);
    tb_beam_free(&b);
}

Test(beam, type_table)
{
    TBeam t;
    TbBeamFile b;
    set_default(&t);
    t.body[29] = 0x20;                                 /* {tr,x0,type 2} of 2 */
    expect_fail(&t, "Code", "type index 2 out of range");
    set_default(&t);
    t.c[C_TYPE].buf[9] = 0xFE;                         /* entry 0 not any */
    expect_fail(&t, "Type", "'any'");
    set_default(&t);
    t.c[C_TYPE].len--;
    expect_fail(&t, "Type", "chunk size");
    /* no Type chunk: typed registers are plain registers */
    set_default(&t);
    t.c[C_TYPE].present = 0;
    expect_ok(&t, &b);
    cr_assert_eq(b.args[b.ops[9].args + 1].type_idx, -1);
    tb_beam_free(&b);
    /* unknown Type version: same */
    set_default(&t);
    put32(t.c[C_TYPE].buf, 2);
    expect_ok(&t, &b);
    cr_assert_eq(b.type_version, 2);
    cr_assert_eq(b.args[b.ops[9].args + 1].type_idx, -1);
    tb_beam_free(&b);
}

Test(beam, read_file_errors)
{
    TbBeamFile b;
    cr_assert_eq(tb_beam_read_file("/nonexistent/x.beam", &b, err, sizeof err), -1);
    cr_assert(strstr(err, "/nonexistent/x.beam") != NULL);
    tb_beam_free(&b);
}

Test(beam, md5_of_real_module)
{
    /* erlang:module_info(md5) / beam_lib:md5 of the installed lists.beam */
    static const uint8_t want[16] = { 38, 179, 129, 225, 89, 164, 33, 183,
                                      189, 149, 158, 178, 245, 69, 52, 33 };
    const char *path = "/usr/lib/erlang/lib/stdlib-4.2/ebin/lists.beam";
    TbBeamFile b;
    FILE *f = fopen(path, "rb");
    if (!f)
        cr_skip_test("%s not installed", path);
    fclose(f);
    cr_assert_eq(tb_beam_read_file(path, &b, err, sizeof err), 0, "%s", err);
    cr_assert_eq(memcmp(b.md5, want, 16), 0);
    cr_assert_eq(b.atoms[1].len, 5);
    cr_assert(memcmp(b.atoms[1].ptr, "lists", 5) == 0);
    tb_beam_free(&b);
}

Test(beam, genop_table_consistency)
{
    int obsolete = 0;
    for (int i = 1; i <= TB_GENOP_MAX; i++) {
        cr_assert_not_null(tb_genop_info[i].name, "opcode %d", i);
        cr_assert_not_null(tb_genop_sig[i], "opcode %d", i);
        cr_assert_eq(strlen(tb_genop_sig[i]), tb_genop_info[i].arity, "sig of %s",
                     tb_genop_info[i].name);
        if (tb_genop_info[i].flags & GENOP_OBSOLETE)
            obsolete++;
    }
    cr_assert_eq(obsolete, 30);
    cr_assert_eq(GENOP_badrecord, 180);
    cr_assert_eq(GENOP_bs_create_bin, 177);
    cr_assert_eq(GENOP_call_fun2, 178);
    cr_assert_eq(tb_genop_info[GENOP_gc_bif3].arity, 7);
    cr_assert_str_eq(tb_genop_info[64].name, "move");
}
