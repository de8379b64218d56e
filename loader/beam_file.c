/*
 * beam_file.c -- byte-level reader for OTP 25 .beam files (see beam_file.h).
 */
#include "beam_file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

/* ------------------------------------------------------------------------ */
/* Generic opcode table                                                      */

/* Operand signatures (see genop.h for the letters). */
const char *const tb_genop_sig[TB_GENOP_MAX + 1] = {
    [GENOP_label] = "u",
    [GENOP_func_info] = "aau",
    [GENOP_int_code_end] = "",
    [GENOP_call] = "uf",
    [GENOP_call_last] = "ufu",
    [GENOP_call_only] = "uf",
    [GENOP_call_ext] = "uu",
    [GENOP_call_ext_last] = "uuu",
    [GENOP_bif0] = "ud",
    [GENOP_bif1] = "fusd",
    [GENOP_bif2] = "fussd",
    [GENOP_allocate] = "uu",
    [GENOP_allocate_heap] = "utu",
    [GENOP_allocate_zero] = "uu",
    [GENOP_allocate_heap_zero] = "utu",
    [GENOP_test_heap] = "tu",
    [GENOP_init] = "d",
    [GENOP_deallocate] = "u",
    [GENOP_return] = "",
    [GENOP_send] = "",
    [GENOP_remove_message] = "",
    [GENOP_timeout] = "",
    [GENOP_loop_rec] = "fd",
    [GENOP_loop_rec_end] = "f",
    [GENOP_wait] = "f",
    [GENOP_wait_timeout] = "fs",
    /* 27..38 obsolete arithmetic */
    [GENOP_m_plus] = "****", [GENOP_m_minus] = "****", [GENOP_m_times] = "****",
    [GENOP_m_div] = "****", [GENOP_int_div] = "****", [GENOP_int_rem] = "****",
    [GENOP_int_band] = "****", [GENOP_int_bor] = "****", [GENOP_int_bxor] = "****",
    [GENOP_int_bsl] = "****", [GENOP_int_bsr] = "****", [GENOP_int_bnot] = "***",
    [GENOP_is_lt] = "fss",
    [GENOP_is_ge] = "fss",
    [GENOP_is_eq] = "fss",
    [GENOP_is_ne] = "fss",
    [GENOP_is_eq_exact] = "fss",
    [GENOP_is_ne_exact] = "fss",
    [GENOP_is_integer] = "fs",
    [GENOP_is_float] = "fs",
    [GENOP_is_number] = "fs",
    [GENOP_is_atom] = "fs",
    [GENOP_is_pid] = "fs",
    [GENOP_is_reference] = "fs",
    [GENOP_is_port] = "fs",
    [GENOP_is_nil] = "fs",
    [GENOP_is_binary] = "fs",
    [GENOP_is_constant] = "**",
    [GENOP_is_list] = "fs",
    [GENOP_is_nonempty_list] = "fs",
    [GENOP_is_tuple] = "fs",
    [GENOP_test_arity] = "fsu",
    [GENOP_select_val] = "sfl",
    [GENOP_select_tuple_arity] = "sfl",
    [GENOP_jump] = "f",
    [GENOP_catch] = "yf",
    [GENOP_catch_end] = "y",
    [GENOP_move] = "sd",
    [GENOP_get_list] = "sdd",
    [GENOP_get_tuple_element] = "sud",
    [GENOP_set_tuple_element] = "ssu",
    [GENOP_put_string] = "***",
    [GENOP_put_list] = "ssd",
    [GENOP_put_tuple] = "ud",
    [GENOP_put] = "s",
    [GENOP_badmatch] = "s",
    [GENOP_if_end] = "",
    [GENOP_case_end] = "s",
    [GENOP_call_fun] = "u",
    [GENOP_make_fun] = "***",
    [GENOP_is_function] = "fs",
    [GENOP_call_ext_only] = "uu",
    /* 79..88 obsolete binary ops */
    [GENOP_bs_start_match] = "**", [GENOP_bs_get_integer] = "*****",
    [GENOP_bs_get_float] = "*****", [GENOP_bs_get_binary] = "*****",
    [GENOP_bs_skip_bits] = "****", [GENOP_bs_test_tail] = "**",
    [GENOP_bs_save] = "*", [GENOP_bs_restore] = "*",
    [GENOP_bs_init] = "**", [GENOP_bs_final] = "**",
    [GENOP_bs_put_integer] = "fSuus",
    [GENOP_bs_put_binary] = "fSuus",
    [GENOP_bs_put_float] = "fSuus",
    [GENOP_bs_put_string] = "uu",
    [GENOP_bs_need_buf] = "*",
    [GENOP_fclearerror] = "",
    [GENOP_fcheckerror] = "f",
    [GENOP_fmove] = "**",            /* fr <-> register/literal */
    [GENOP_fconv] = "sr",
    [GENOP_fadd] = "frrr",
    [GENOP_fsub] = "frrr",
    [GENOP_fmul] = "frrr",
    [GENOP_fdiv] = "frrr",
    [GENOP_fnegate] = "frr",
    [GENOP_make_fun2] = "u",
    [GENOP_try] = "yf",
    [GENOP_try_end] = "y",
    [GENOP_try_case] = "y",
    [GENOP_try_case_end] = "s",
    [GENOP_raise] = "ss",
    [GENOP_bs_init2] = "fSuuud",
    [GENOP_bs_bits_to_bytes] = "***",
    [GENOP_bs_add] = "fSSud",
    [GENOP_apply] = "u",
    [GENOP_apply_last] = "uu",
    [GENOP_is_boolean] = "fs",
    [GENOP_is_function2] = "fsS",
    [GENOP_bs_start_match2] = "fsuud",
    [GENOP_bs_get_integer2] = "fduSuud",
    [GENOP_bs_get_float2] = "fduSuud",
    [GENOP_bs_get_binary2] = "fduSuud",
    [GENOP_bs_skip_bits2] = "fdSuu",
    [GENOP_bs_test_tail2] = "fdu",
    [GENOP_bs_save2] = "d*",
    [GENOP_bs_restore2] = "d*",
    [GENOP_gc_bif1] = "fuusd",
    [GENOP_gc_bif2] = "fuussd",
    [GENOP_bs_final2] = "**",
    [GENOP_bs_bits_to_bytes2] = "**",
    [GENOP_put_literal] = "**",
    [GENOP_is_bitstr] = "fs",
    [GENOP_bs_context_to_binary] = "d",
    [GENOP_bs_test_unit] = "fdu",
    [GENOP_bs_match_string] = "fduu",
    [GENOP_bs_init_writable] = "",
    [GENOP_bs_append] = "fSuuusud",
    [GENOP_bs_private_append] = "fSusud",
    [GENOP_trim] = "uu",
    [GENOP_bs_init_bits] = "fSuuud",
    [GENOP_bs_get_utf8] = "fduud",
    [GENOP_bs_skip_utf8] = "fduu",
    [GENOP_bs_get_utf16] = "fduud",
    [GENOP_bs_skip_utf16] = "fduu",
    [GENOP_bs_get_utf32] = "fduud",
    [GENOP_bs_skip_utf32] = "fduu",
    [GENOP_bs_utf8_size] = "fsd",
    [GENOP_bs_put_utf8] = "fus",
    [GENOP_bs_utf16_size] = "fsd",
    [GENOP_bs_put_utf16] = "fus",
    [GENOP_bs_put_utf32] = "fus",
    [GENOP_on_load] = "",
    [GENOP_recv_mark] = "f",
    [GENOP_recv_set] = "f",
    [GENOP_gc_bif3] = "fuusssd",
    [GENOP_line] = "u",
    [GENOP_put_map_assoc] = "fsdul",
    [GENOP_put_map_exact] = "fsdul",
    [GENOP_is_map] = "fs",
    [GENOP_has_map_fields] = "fsl",
    [GENOP_get_map_elements] = "fsl",
    [GENOP_is_tagged_tuple] = "fsua",
    [GENOP_build_stacktrace] = "",
    [GENOP_raw_raise] = "",
    [GENOP_get_hd] = "sd",
    [GENOP_get_tl] = "sd",
    [GENOP_put_tuple2] = "dl",
    [GENOP_bs_get_tail] = "ddu",
    [GENOP_bs_start_match3] = "fsud",
    [GENOP_bs_get_position] = "ddu",
    [GENOP_bs_set_position] = "ds",
    [GENOP_swap] = "dd",
    [GENOP_bs_start_match4] = "jusd",
    [GENOP_make_fun3] = "udl",
    [GENOP_init_yregs] = "l",
    [GENOP_recv_marker_bind] = "ss",
    [GENOP_recv_marker_clear] = "s",
    [GENOP_recv_marker_reserve] = "d",
    [GENOP_recv_marker_use] = "s",
    [GENOP_bs_create_bin] = "ftuudl",
    [GENOP_call_fun2] = "*us",
    [GENOP_nif_start] = "",
    [GENOP_badrecord] = "s",
};

const TbGenOpInfo tb_genop_info[TB_GENOP_MAX + 1] = {
#define GENOP(NUM, name, ARITY, FLAGS) [NUM] = { #name, ARITY, FLAGS },
#include "genop.def"
#undef GENOP
};

/* ------------------------------------------------------------------------ */

const char *tb_arg_kind_name(int kind)
{
    static const char *const names[TB_ARG__COUNT] = {
        "u", "i", "atom", "x", "y", "label", "h", "bigint", "float",
        "list", "fr", "alloc", "literal", "nil" };
    if (kind < 0 || kind >= TB_ARG__COUNT)
        return "?";
    return names[kind];
}

/* -DTB_BEAM_NO_SIGCHECK disables the operand-kind check (to survey what real
 * files use, e.g. with scan_all --kinds). */
#ifdef TB_BEAM_NO_SIGCHECK
static const int tb_no_sigcheck = 1;
#else
static const int tb_no_sigcheck = 0;
#endif

#define KB(k) (1u << (k))
static uint32_t sig_mask(char c)
{
    const uint32_t src = KB(TB_ARG_X) | KB(TB_ARG_Y) | KB(TB_ARG_A) | KB(TB_ARG_NIL) |
                         KB(TB_ARG_I) | KB(TB_ARG_BIGINT) | KB(TB_ARG_LITERAL) |
                         KB(TB_ARG_FLOAT);
    switch (c) {
    case 'f': return KB(TB_ARG_F);
    case 'u': return KB(TB_ARG_U);
    case 'a': return KB(TB_ARG_A) | KB(TB_ARG_NIL);
    case 'd': return KB(TB_ARG_X) | KB(TB_ARG_Y);
    case 'x': return KB(TB_ARG_X);
    case 'y': return KB(TB_ARG_Y);
    case 's': return src;
    case 'S': return src | KB(TB_ARG_U);
    case 'r': return KB(TB_ARG_FR);
    case 'j': return KB(TB_ARG_F) | KB(TB_ARG_A);
    case 't': return KB(TB_ARG_U) | KB(TB_ARG_ALLOC);
    case 'l': return KB(TB_ARG_LIST);
    default:  return ~KB(TB_ARG_LIST);      /* '*' */
    }
}

/* ------------------------------------------------------------------------ */
/* Error reporting and small helpers                                         */

typedef struct {
    const uint8_t *data;
    size_t len;
    char *err;
    size_t errcap;
    TbBeamFile *b;
} Ctx;

static int fail(Ctx *c, const char *chunk, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(Ctx *c, const char *chunk, size_t off, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (!c->err || c->errcap == 0)
        return -1;
    n = snprintf(c->err, c->errcap, "chunk %s, offset 0x%zx: ", chunk, off);
    if (n >= 0 && (size_t)n < c->errcap) {
        va_start(ap, fmt);
        vsnprintf(c->err + n, c->errcap - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline int64_t be64s(const uint8_t *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Validate UTF-8; returns the number of code points, or -1 if invalid. */
static long utf8_count(const uint8_t *s, size_t n)
{
    size_t i = 0;
    long chars = 0;
    while (i < n) {
        uint8_t c = s[i];
        uint32_t cp;
        size_t need;
        if (c < 0x80) {
            i++;
            chars++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1; cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2; cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3; cp = c & 0x07;
        } else {
            return -1;
        }
        if (n - i - 1 < need)
            return -1;
        for (size_t k = 1; k <= need; k++) {
            uint8_t cc = s[i + k];
            if ((cc & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return -1;                                  /* overlong / too big */
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return -1;                                  /* surrogate */
        i += need + 1;
        chars++;
    }
    return chars;
}

/* ------------------------------------------------------------------------ */
/* Chunks                                                                    */

typedef struct {
    const uint8_t *data;     /* NULL if absent */
    uint32_t size;
    size_t off;              /* file offset of the data */
    int present;
} Chunk;

enum {
    CH_ATU8, CH_CODE, CH_STRT, CH_IMPT, CH_EXPT, CH_LOCT, CH_FUNT, CH_LITT,
    CH_LINE, CH_TYPE, CH_ATTR, CH_CINF, CH_META, CH_DBGI, CH_ATOM,
    CH__COUNT
};
static const char chunk_ids[CH__COUNT][5] = {
    "AtU8", "Code", "StrT", "ImpT", "ExpT", "LocT", "FunT", "LitT",
    "Line", "Type", "Attr", "CInf", "Meta", "Dbgi", "Atom"
};

/* Off-by-offset cursor within a chunk. */
typedef struct {
    const uint8_t *p, *end;
    const uint8_t *base;     /* chunk data start */
    size_t base_off;         /* file offset of base */
    const char *name;
} Cur;

static void cur_init(Cur *cu, const Chunk *ch, const char *name)
{
    cu->p = ch->data;
    cu->end = ch->data + ch->size;
    cu->base = ch->data;
    cu->base_off = ch->off;
    cu->name = name;
}

static inline size_t cur_off(const Cur *cu)
{
    return cu->base_off + (size_t)(cu->p - cu->base);
}

static int cur_u32(Ctx *c, Cur *cu, uint32_t *v, const char *what)
{
    if (cu->end - cu->p < 4)
        return fail(c, cu->name, cur_off(cu), "truncated (reading %s)", what);
    *v = be32(cu->p);
    cu->p += 4;
    return 0;
}

static int cur_done(Ctx *c, Cur *cu)
{
    if (cu->p != cu->end)
        return fail(c, cu->name, cur_off(cu), "%zu unexpected trailing bytes",
                    (size_t)(cu->end - cu->p));
    return 0;
}

static int parse_atoms(Ctx *c, const Chunk *ch)
{
    TbBeamFile *b = c->b;
    Cur cu;
    uint32_t raw, count, i;
    int long_lengths = 0;

    cur_init(&cu, ch, "AtU8");
    if (cur_u32(c, &cu, &raw, "atom count"))
        return -1;
    if ((int32_t)raw < 0) {
        long_lengths = 1;
        count = (uint32_t)(-(int64_t)(int32_t)raw);
    } else {
        count = raw;
    }
    if (count == 0)
        return fail(c, "AtU8", ch->off, "atom table is empty (no module name)");
    if (count > (uint32_t)(cu.end - cu.p))
        return fail(c, "AtU8", ch->off, "atom count %u too large for chunk size %u",
                    count, ch->size);
    b->atoms = calloc((size_t)count + 1, sizeof(TbBeamBytes));
    if (!b->atoms)
        return fail(c, "AtU8", ch->off, "out of memory");
    b->atom_count = count;
    for (i = 1; i <= count; i++) {
        size_t at = cur_off(&cu);
        uint32_t n;
        long chars;
        if (long_lengths) {
            TbCtRaw r;
            int rc = tb_ct_read_raw(&cu.p, cu.end, &r);
            if (rc < 0)
                return fail(c, "AtU8", at, "atom %u: bad length: %s", i, tb_ct_strerror(rc));
            if (r.tag != TB_TAG_U || r.big || r.val > 4 * TB_MAX_ATOM_CHARS)
                return fail(c, "AtU8", at, "atom %u: bad length", i);
            n = (uint32_t)r.val;
        } else {
            if (cu.p >= cu.end)
                return fail(c, "AtU8", at, "truncated at atom %u of %u", i, count);
            n = *cu.p++;
        }
        if ((size_t)(cu.end - cu.p) < n)
            return fail(c, "AtU8", at, "atom %u (length %u) runs past the end of the chunk", i, n);
        chars = utf8_count(cu.p, n);
        if (chars < 0)
            return fail(c, "AtU8", at, "atom %u is not valid UTF-8", i);
        if (chars > TB_MAX_ATOM_CHARS)
            return fail(c, "AtU8", at, "atom %u is too long (%ld characters)", i, chars);
        b->atoms[i].ptr = cu.p;
        b->atoms[i].len = n;
        cu.p += n;
    }
    return cur_done(c, &cu);
}

static int parse_code_header(Ctx *c, const Chunk *ch)
{
    TbBeamFile *b = c->b;
    uint32_t hsz, body;

    if (ch->size < 4)
        return fail(c, "Code", ch->off, "chunk too small (%u bytes)", ch->size);
    hsz = be32(ch->data);
    if (hsz < 16)
        return fail(c, "Code", ch->off, "code header size %u too small (need 16)", hsz);
    if (hsz > ch->size - 4)
        return fail(c, "Code", ch->off, "code header size %u exceeds chunk size %u", hsz, ch->size);
    b->code_format = be32(ch->data + 4);
    b->max_opcode = be32(ch->data + 8);
    b->label_count = be32(ch->data + 12);
    b->function_count = be32(ch->data + 16);
    b->code = ch->data;
    b->code_size = ch->size;
    b->code_start = 4 + hsz;
    b->bigint_bytes = ch->data;
    body = ch->size - b->code_start;

    if (body == 0)
        return fail(c, "Code", ch->off + b->code_start, "no code (missing int_code_end)");
    if (b->code_format != TB_BEAM_FORMAT_NUMBER)
        return fail(c, "Code", ch->off + 4, "unsupported instruction set format %u (expected %u)",
                    b->code_format, TB_BEAM_FORMAT_NUMBER);
    if (b->max_opcode > TB_GENOP_MAX)
        return fail(c, "Code", ch->off + 8,
                    "max opcode %u > %u: compiled for a later OTP version", b->max_opcode,
                    TB_GENOP_MAX);
    /* A hostile label/function count must not drive huge allocations: every
     * defined label and function needs several bytes of code. */
    if (b->label_count > body / 2 + 1)
        return fail(c, "Code", ch->off + 12, "label count %u too large for %u bytes of code",
                    b->label_count, body);
    if (b->function_count > body / 4)
        return fail(c, "Code", ch->off + 16, "function count %u too large for %u bytes of code",
                    b->function_count, body);
    return 0;
}

static int check_atom(Ctx *c, const char *chunk, size_t off, uint32_t idx, const char *what)
{
    if (idx == 0 || idx > c->b->atom_count)
        return fail(c, chunk, off, "%s atom index %u out of range (%u atoms)", what, idx,
                    c->b->atom_count);
    return 0;
}

static int check_label(Ctx *c, const char *chunk, size_t off, uint32_t lbl)
{
    if (lbl == 0 || lbl >= c->b->label_count)
        return fail(c, chunk, off, "label %u out of range (label count %u)", lbl,
                    c->b->label_count);
    return 0;
}

static int parse_imports(Ctx *c, const Chunk *ch)
{
    TbBeamFile *b = c->b;
    uint32_t n, i;
    if (ch->size < 4)
        return fail(c, "ImpT", ch->off, "chunk too small (%u bytes)", ch->size);
    n = be32(ch->data);
    if (n > (ch->size - 4) / 12 || ch->size != 4 + 12 * n)
        return fail(c, "ImpT", ch->off, "import count %u does not match chunk size %u", n,
                    ch->size);
    b->imports = calloc(n ? n : 1, sizeof(TbBeamImport));
    if (!b->imports)
        return fail(c, "ImpT", ch->off, "out of memory");
    b->import_count = n;
    for (i = 0; i < n; i++) {
        const uint8_t *p = ch->data + 4 + 12 * (size_t)i;
        size_t off = ch->off + 4 + 12 * (size_t)i;
        TbBeamImport *e = &b->imports[i];
        e->mod = be32(p);
        e->fun = be32(p + 4);
        e->arity = be32(p + 8);
        if (check_atom(c, "ImpT", off, e->mod, "module") ||
            check_atom(c, "ImpT", off + 4, e->fun, "function"))
            return -1;
        if (e->arity > TB_MAX_ARITY)
            return fail(c, "ImpT", off + 8, "import %u: arity %u too large", i, e->arity);
    }
    return 0;
}

static int parse_export_table(Ctx *c, const Chunk *ch, const char *name, uint32_t *count,
                              TbBeamExport **out)
{
    uint32_t n, i;
    TbBeamExport *t;
    if (ch->size < 4)
        return fail(c, name, ch->off, "chunk too small (%u bytes)", ch->size);
    n = be32(ch->data);
    if (n > (ch->size - 4) / 12 || ch->size != 4 + 12 * n)
        return fail(c, name, ch->off, "entry count %u does not match chunk size %u", n,
                    ch->size);
    t = calloc(n ? n : 1, sizeof(TbBeamExport));
    if (!t)
        return fail(c, name, ch->off, "out of memory");
    *out = t;
    *count = n;
    for (i = 0; i < n; i++) {
        const uint8_t *p = ch->data + 4 + 12 * (size_t)i;
        size_t off = ch->off + 4 + 12 * (size_t)i;
        t[i].fun = be32(p);
        t[i].arity = be32(p + 4);
        t[i].label = be32(p + 8);
        if (check_atom(c, name, off, t[i].fun, "function"))
            return -1;
        if (t[i].arity > TB_MAX_ARITY)
            return fail(c, name, off + 4, "entry %u: arity %u too large", i, t[i].arity);
        if (check_label(c, name, off + 8, t[i].label))
            return -1;
    }
    return 0;
}

static int parse_funs(Ctx *c, const Chunk *ch)
{
    TbBeamFile *b = c->b;
    uint32_t n, i;
    if (ch->size < 4)
        return fail(c, "FunT", ch->off, "chunk too small (%u bytes)", ch->size);
    n = be32(ch->data);
    if (n > (ch->size - 4) / 24 || ch->size != 4 + 24 * n)
        return fail(c, "FunT", ch->off, "fun count %u does not match chunk size %u", n,
                    ch->size);
    b->funs = calloc(n ? n : 1, sizeof(TbBeamFun));
    if (!b->funs)
        return fail(c, "FunT", ch->off, "out of memory");
    b->fun_count = n;
    for (i = 0; i < n; i++) {
        const uint8_t *p = ch->data + 4 + 24 * (size_t)i;
        size_t off = ch->off + 4 + 24 * (size_t)i;
        TbBeamFun *e = &b->funs[i];
        e->fun = be32(p);
        e->arity = be32(p + 4);
        e->label = be32(p + 8);
        e->index = be32(p + 12);
        e->num_free = be32(p + 16);
        e->old_uniq = be32(p + 20);
        if (check_atom(c, "FunT", off, e->fun, "function"))
            return -1;
        if (e->arity > TB_MAX_ARITY)
            return fail(c, "FunT", off + 4, "fun %u: arity %u too large", i, e->arity);
        if (check_label(c, "FunT", off + 8, e->label))
            return -1;
        if (e->num_free > e->arity)
            return fail(c, "FunT", off + 16, "fun %u: %u free variables exceed total arity %u",
                        i, e->num_free, e->arity);
    }
    return 0;
}

static int parse_literals(Ctx *c, const Chunk *ch)
{
    TbBeamFile *b = c->b;
    uint32_t usize, count, i;
    uint64_t limit;
    z_stream zs;
    int zrc;
    const uint8_t *p, *end;

    if (ch->size < 4)
        return fail(c, "LitT", ch->off, "chunk too small (%u bytes)", ch->size);
    usize = be32(ch->data);
    /* zlib's best case is about 1032:1; anything claiming more is bogus. */
    limit = (uint64_t)(ch->size - 4) * 1032 + 64;
    if (usize < 4 || usize > limit || usize > (1u << 30))
        return fail(c, "LitT", ch->off, "implausible uncompressed size %u for %u compressed bytes",
                    usize, ch->size - 4);
    b->literal_buf = malloc(usize);
    if (!b->literal_buf)
        return fail(c, "LitT", ch->off, "out of memory (%u bytes)", usize);

    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return fail(c, "LitT", ch->off + 4, "zlib init failed");
    zs.next_in = (Bytef *)(ch->data + 4);
    zs.avail_in = ch->size - 4;
    zs.next_out = b->literal_buf;
    zs.avail_out = usize;
    zrc = inflate(&zs, Z_FINISH);
    if (zrc != Z_STREAM_END) {
        size_t at = ch->off + 4 + (size_t)zs.total_in;
        const char *msg = zs.msg ? zs.msg : "";
        inflateEnd(&zs);
        if (zrc == Z_BUF_ERROR && zs.avail_in == 0)
            return fail(c, "LitT", at, "truncated zlib stream");
        if (zrc == Z_BUF_ERROR)
            return fail(c, "LitT", at, "compressed literals exceed declared size %u", usize);
        return fail(c, "LitT", at, "zlib error %d %s", zrc, msg);
    }
    inflateEnd(&zs);
    if (zs.total_out != usize)
        return fail(c, "LitT", ch->off, "decompressed size %lu differs from declared size %u",
                    (unsigned long)zs.total_out, usize);
    if (zs.avail_in != 0)
        return fail(c, "LitT", ch->off + 4 + (size_t)zs.total_in,
                    "%u bytes of garbage after the zlib stream", zs.avail_in);

    p = b->literal_buf;
    end = p + usize;
    count = be32(p);
    p += 4;
    if (count > (usize - 4) / 6)
        return fail(c, "LitT", ch->off, "literal count %u too large (decompressed offset 0x0)",
                    count);
    b->literals = calloc(count ? count : 1, sizeof(TbBeamLiteral));
    if (!b->literals)
        return fail(c, "LitT", ch->off, "out of memory");
    b->literal_count = count;
    for (i = 0; i < count; i++) {
        uint32_t sz;
        size_t doff = (size_t)(p - b->literal_buf);
        if (end - p < 4)
            return fail(c, "LitT", ch->off,
                        "literal %u: truncated size (decompressed offset 0x%zx)", i, doff);
        sz = be32(p);
        p += 4;
        if (sz > (size_t)(end - p))
            return fail(c, "LitT", ch->off,
                        "literal %u: size %u runs past the end of the table "
                        "(decompressed offset 0x%zx)",
                        i, sz, doff);
        if (sz < 2 || p[0] != 131)
            return fail(c, "LitT", ch->off,
                        "literal %u: not an external term (decompressed offset 0x%zx)", i,
                        doff + 4);
        b->literals[i].etf = p;
        b->literals[i].len = sz;
        p += sz;
    }
    if (p != end)
        return fail(c, "LitT", ch->off,
                    "%zu trailing bytes after the literals (decompressed offset 0x%zx)",
                    (size_t)(end - p), (size_t)(p - b->literal_buf));
    return 0;
}

static int parse_types(Ctx *c, const Chunk *ch)
{
    TbBeamFile *b = c->b;
    uint32_t n, i;
    if (ch->size < 4)
        return fail(c, "Type", ch->off, "chunk too small (%u bytes)", ch->size);
    b->type_version = be32(ch->data);
    if (b->type_version != 1)
        return 0;                       /* unknown version: all types are "any" */
    if (ch->size < 8)
        return fail(c, "Type", ch->off + 4, "truncated (reading type count)");
    n = be32(ch->data + 4);
    if (n > (ch->size - 8) / 18 || ch->size != 8 + 18 * n)
        return fail(c, "Type", ch->off + 4, "type count %u does not match chunk size %u", n,
                    ch->size);
    if (n == 0)
        return fail(c, "Type", ch->off + 4, "empty type table (entry 0 must be 'any')");
    b->types = calloc(n, sizeof(TbBeamType));
    if (!b->types)
        return fail(c, "Type", ch->off, "out of memory");
    b->type_count = n;
    for (i = 0; i < n; i++) {
        const uint8_t *p = ch->data + 8 + 18 * (size_t)i;
        b->types[i].bits = be16(p);
        b->types[i].min = be64s(p + 2);
        b->types[i].max = be64s(p + 10);
    }
    if (b->types[0].bits != 0x1FFF || b->types[0].min <= b->types[0].max)
        return fail(c, "Type", ch->off + 8, "type entry 0 is not 'any'");
    return 0;
}

static int parse_lines(Ctx *c, const Chunk *ch)
{
    TbBeamFile *b = c->b;
    Cur cu;
    uint32_t version, flags, instr_count, item_count, name_count, i, file;

    cur_init(&cu, ch, "Line");
    if (cur_u32(c, &cu, &version, "version"))
        return -1;
    b->line_version = version;
    if (version != 0)
        return 0;                       /* unknown version: ignored, like ERTS */
    if (cur_u32(c, &cu, &flags, "flags") || cur_u32(c, &cu, &instr_count, "instruction count") ||
        cur_u32(c, &cu, &item_count, "item count") || cur_u32(c, &cu, &name_count, "name count"))
        return -1;
    if (item_count > (uint32_t)(cu.end - cu.p))
        return fail(c, "Line", ch->off + 12, "item count %u too large for chunk size %u",
                    item_count, ch->size);
    if (name_count > (uint32_t)(cu.end - cu.p) / 2)
        return fail(c, "Line", ch->off + 16, "file name count %u too large for chunk size %u",
                    name_count, ch->size);
    b->line_flags = flags;
    b->line_instr_count = instr_count;
    b->line_items = calloc((size_t)item_count + 1, sizeof(TbBeamLineItem));
    b->line_files = calloc((size_t)name_count + 1, sizeof(TbBeamBytes));
    if (!b->line_items || !b->line_files)
        return fail(c, "Line", ch->off, "out of memory");
    b->line_item_count = item_count + 1;
    b->line_file_count = name_count + 1;

    file = 0;
    i = 1;
    while (i <= item_count) {
        size_t at = cur_off(&cu);
        TbCtRaw r;
        int rc = tb_ct_read_raw(&cu.p, cu.end, &r);
        if (rc < 0)
            return fail(c, "Line", at, "line item %u: %s", i, tb_ct_strerror(rc));
        if (r.tag == TB_TAG_A) {
            if (r.big || r.val > name_count)
                return fail(c, "Line", at, "file index out of range (%u file names)",
                            name_count);
            file = (uint32_t)r.val;
        } else if (r.tag == TB_TAG_I) {
            if (r.big || r.val < 0 || r.val > UINT32_MAX)
                return fail(c, "Line", at, "line item %u: bad line number", i);
            b->line_items[i].file = file;
            b->line_items[i].line = (uint32_t)r.val;
            i++;
        } else {
            return fail(c, "Line", at, "line item %u: unexpected operand tag %u", i, r.tag);
        }
    }
    for (i = 1; i <= name_count; i++) {
        size_t at = cur_off(&cu);
        uint16_t n;
        if (cu.end - cu.p < 2)
            return fail(c, "Line", at, "truncated at file name %u of %u", i, name_count);
        n = be16(cu.p);
        cu.p += 2;
        if ((size_t)(cu.end - cu.p) < n)
            return fail(c, "Line", at, "file name %u runs past the end of the chunk", i);
        if (utf8_count(cu.p, n) < 0)
            return fail(c, "Line", at, "file name %u is not valid UTF-8", i);
        b->line_files[i].ptr = cu.p;
        b->line_files[i].len = n;
        cu.p += n;
    }
    return cur_done(c, &cu);
}

/* ------------------------------------------------------------------------ */
/* Code                                                                      */

typedef struct {
    uint8_t *defined;        /* label bitmaps */
    uint8_t *used;
} Labels;

static int grow(void **arr, uint32_t *cap, size_t elsz, uint64_t need)
{
    uint64_t ncap;
    void *p;
    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap += ncap / 2 + 16;
    if (ncap > UINT32_MAX)
        return -1;
    p = realloc(*arr, (size_t)ncap * elsz);
    if (!p)
        return -1;
    *arr = p;
    *cap = (uint32_t)ncap;
    return 0;
}

static int is_normalized_bigint(const uint8_t *p, uint32_t n)
{
    if (n < 2)
        return 1;
    if (p[0] == 0x00 && p[1] < 0x80)
        return 0;
    if (p[0] == 0xFF && p[1] >= 0x80)
        return 0;
    return 1;
}

/* Check one decoded operand for range problems independent of the op. */
#define WHERE_FMT "%s %s %llu"
#define WHERE_ARGS opname, is_elem ? "list element" : "operand", (unsigned long long)pos
static int check_operand(Ctx *c, TbGenArg *a, size_t at, Labels *lb, const char *opname,
                         int is_elem, uint64_t pos)
{
    TbBeamFile *b = c->b;
    switch (a->kind) {
    case TB_ARG_A:
        if ((uint64_t)a->val > b->atom_count)
            return fail(c, "Code", at, WHERE_FMT ": atom index %lld out of range (%u atoms)",
                        WHERE_ARGS,
                        (long long)a->val, b->atom_count);
        break;
    case TB_ARG_X:
    case TB_ARG_Y:
        if (a->val >= TB_MAX_REG)
            return fail(c, "Code", at, WHERE_FMT ": %c register %lld out of range (max %d)",
                        WHERE_ARGS,
                        a->kind == TB_ARG_X ? 'x' : 'y', (long long)a->val, TB_MAX_REG - 1);
        if (a->type_idx >= 0) {
            if (b->type_count > 0) {
                if ((uint32_t)a->type_idx >= b->type_count)
                    return fail(c, "Code", at, WHERE_FMT ": type index %d out of range (%u types)",
                                WHERE_ARGS, a->type_idx, b->type_count);
            } else {
                a->type_idx = -1;       /* no usable Type chunk: plain register */
            }
        }
        break;
    case TB_ARG_F:
        if ((uint64_t)a->val >= b->label_count)
            return fail(c, "Code", at, WHERE_FMT ": label %lld out of range (label count %u)",
                        WHERE_ARGS,
                        (long long)a->val, b->label_count);
        if (a->val > 0)
            lb->used[a->val >> 3] |= (uint8_t)(1u << (a->val & 7));
        break;
    case TB_ARG_FR:
        if (a->val >= TB_MAX_REG)
            return fail(c, "Code", at, WHERE_FMT ": float register %lld out of range", WHERE_ARGS,
                        (long long)a->val);
        break;
    case TB_ARG_LITERAL:
        if ((uint64_t)a->val >= b->literal_count)
            return fail(c, "Code", at, WHERE_FMT ": literal index %lld out of range (%u literals)",
                        WHERE_ARGS, (long long)a->val, b->literal_count);
        break;
    case TB_ARG_BIGINT:
        if (!is_normalized_bigint(b->bigint_bytes + a->val, a->aux))
            return fail(c, "Code", at, WHERE_FMT ": integer operand not normalized", WHERE_ARGS);
        break;
    case TB_ARG_FLOAT:
        return fail(c, "Code", at, WHERE_FMT ": float operand (z0) is obsolete since OTP R16B",
                    WHERE_ARGS);
    case TB_ARG_H:
        return fail(c, "Code", at, WHERE_FMT ": illegal 'h' operand tag", WHERE_ARGS);
    default:
        break;
    }
    return 0;
}

static int parse_code(Ctx *c, size_t chunk_off)
{
    TbBeamFile *b = c->b;
    const uint8_t *base = b->code;
    const uint8_t *p = base + b->code_start;
    const uint8_t *end = base + b->code_size;
    uint32_t ops_cap = 0, args_cap = 0;
    size_t body = b->code_size - b->code_start;
    size_t lbytes = (size_t)b->label_count / 8 + 1;
    Labels lb;
    int ended = 0, rc = -1;
    uint32_t line_ops = 0;

    lb.defined = calloc(lbytes, 1);
    lb.used = calloc(lbytes, 1);
    if (!lb.defined || !lb.used) {
        fail(c, "Code", chunk_off, "out of memory");
        goto out;
    }
    /* Initial guesses from typical density; growth is geometric. */
    if (grow((void **)&b->ops, &ops_cap, sizeof(TbGenOp), body / 3 + 16) ||
        grow((void **)&b->args, &args_cap, sizeof(TbGenArg), body / 2 + 16)) {
        fail(c, "Code", chunk_off, "out of memory");
        goto out;
    }

    while (p < end) {
        size_t op_at = (size_t)(p - base);
        uint8_t opc = *p++;
        const TbGenOpInfo *info;
        const char *sig;
        TbGenOp *op;
        TbGenArg *args;
        uint32_t arity, i, first;

        if (opc == 0 || opc > TB_GENOP_MAX) {
            fail(c, "Code", chunk_off + op_at, "unknown opcode %u", opc);
            goto out;
        }
        info = &tb_genop_info[opc];
        if (info->flags & GENOP_OBSOLETE) {
            fail(c, "Code", chunk_off + op_at,
                 "obsolete opcode %u (%s): too old compiler, please recompile", opc, info->name);
            goto out;
        }
        if (opc > b->max_opcode) {
            fail(c, "Code", chunk_off + op_at,
                 "opcode %u (%s) exceeds the max opcode %u in the code header", opc, info->name,
                 b->max_opcode);
            goto out;
        }
        arity = info->arity;
        sig = tb_genop_sig[opc];
        if (grow((void **)&b->ops, &ops_cap, sizeof(TbGenOp), (uint64_t)b->op_count + 1) ||
            grow((void **)&b->args, &args_cap, sizeof(TbGenArg), (uint64_t)b->arg_count + arity)) {
            fail(c, "Code", chunk_off + op_at, "out of memory");
            goto out;
        }
        first = b->arg_count;
        op = &b->ops[b->op_count++];
        op->op = opc;
        op->args = first;
        op->offset = (uint32_t)op_at;
        op->nargs = arity;

        for (i = 0; i < arity; i++) {
            size_t at = (size_t)(p - base);
            TbGenArg *a = &b->args[b->arg_count];
            int crc = tb_ct_read_operand(&p, end, base, a);
            if (crc < 0) {
                fail(c, "Code", chunk_off + at, "%s operand %u: %s", info->name, i + 1,
                     tb_ct_strerror(crc));
                goto out;
            }
            b->arg_count++;
            if (check_operand(c, a, chunk_off + at, &lb, info->name, 0, i + 1))
                goto out;
            if (!tb_no_sigcheck && !(sig_mask(sig[i]) & KB(a->kind))) {
                fail(c, "Code", chunk_off + at, "%s operand %u: unexpected %s operand",
                     info->name, i + 1, tb_arg_kind_name(a->kind));
                goto out;
            }
            if (a->kind == TB_ARG_LIST) {
                uint64_t n = (uint64_t)a->val, k;
                if (i + 1 != arity) {
                    fail(c, "Code", chunk_off + at, "%s: list operand is not the last operand",
                         info->name);
                    goto out;
                }
                if (n > (uint64_t)(end - p)) {
                    fail(c, "Code", chunk_off + at, "%s: list length %llu exceeds remaining code",
                         info->name, (unsigned long long)n);
                    goto out;
                }
                if (grow((void **)&b->args, &args_cap, sizeof(TbGenArg), b->arg_count + n)) {
                    fail(c, "Code", chunk_off + at, "out of memory");
                    goto out;
                }
                for (k = 0; k < n; k++) {
                    size_t eat = (size_t)(p - base);
                    TbGenArg *e = &b->args[b->arg_count];
                    crc = tb_ct_read_operand(&p, end, base, e);
                    if (crc < 0) {
                        fail(c, "Code", chunk_off + eat, "%s list element %llu: %s", info->name,
                             (unsigned long long)k, tb_ct_strerror(crc));
                        goto out;
                    }
                    b->arg_count++;
                    if (check_operand(c, e, chunk_off + eat, &lb, info->name, 1, k))
                        goto out;
                    if (e->kind == TB_ARG_LIST || e->kind == TB_ARG_ALLOC) {
                        fail(c, "Code", chunk_off + eat,
                             "%s list element %llu: unexpected %s operand",
                             info->name, (unsigned long long)k, tb_arg_kind_name(e->kind));
                        goto out;
                    }
                }
                op->nargs = arity + (uint32_t)n;
            }
        }

        /* Op-specific checks. */
        args = &b->args[first];
        switch (opc) {
        case GENOP_label: {
            int64_t l = args[0].val;
            if (l == 0 || l >= b->label_count) {
                fail(c, "Code", chunk_off + op_at, "label %lld out of range (label count %u)",
                     (long long)l, b->label_count);
                goto out;
            }
            if (lb.defined[l >> 3] & (1u << (l & 7))) {
                fail(c, "Code", chunk_off + op_at, "label %lld defined twice", (long long)l);
                goto out;
            }
            lb.defined[l >> 3] |= (uint8_t)(1u << (l & 7));
            break;
        }
        case GENOP_func_info:
            if (args[0].kind != TB_ARG_A || args[1].kind != TB_ARG_A) {
                fail(c, "Code", chunk_off + op_at, "func_info: module and name must be atoms");
                goto out;
            }
            if (args[2].val > TB_MAX_ARITY) {
                fail(c, "Code", chunk_off + op_at, "func_info: arity %lld too large",
                     (long long)args[2].val);
                goto out;
            }
            if (++b->func_info_count > b->function_count) {
                fail(c, "Code", chunk_off + op_at,
                     "more functions than the %u declared in the code header",
                     b->function_count);
                goto out;
            }
            break;
        case GENOP_call: case GENOP_call_last: case GENOP_call_only:
            if (args[0].val > TB_MAX_ARITY || args[1].val == 0) {
                fail(c, "Code", chunk_off + op_at, "%s: bad arity or missing label", info->name);
                goto out;
            }
            break;
        case GENOP_call_ext: case GENOP_call_ext_last: case GENOP_call_ext_only:
            if (args[0].val > TB_MAX_ARITY) {
                fail(c, "Code", chunk_off + op_at, "%s: arity %lld too large", info->name,
                     (long long)args[0].val);
                goto out;
            }
            if ((uint64_t)args[1].val >= b->import_count) {
                fail(c, "Code", chunk_off + op_at,
                     "%s: import index %lld out of range (%u imports)",
                     info->name, (long long)args[1].val, b->import_count);
                goto out;
            }
            break;
        case GENOP_bif0:
        case GENOP_bif1: case GENOP_bif2:
        case GENOP_gc_bif1: case GENOP_gc_bif2: case GENOP_gc_bif3: {
            int k = opc == GENOP_bif0 ? 0 :
                    (opc == GENOP_bif1 || opc == GENOP_bif2) ? 1 : 2;
            if ((uint64_t)args[k].val >= b->import_count) {
                fail(c, "Code", chunk_off + op_at,
                     "%s: import index %lld out of range (%u imports)",
                     info->name, (long long)args[k].val, b->import_count);
                goto out;
            }
            break;
        }
        case GENOP_make_fun2: case GENOP_make_fun3:
            if ((uint64_t)args[0].val >= b->fun_count) {
                fail(c, "Code", chunk_off + op_at, "%s: fun index %lld out of range (%u funs)",
                     info->name, (long long)args[0].val, b->fun_count);
                goto out;
            }
            break;
        case GENOP_line:
            if (b->line_items && ++line_ops > b->line_instr_count) {
                fail(c, "Code", chunk_off + op_at,
                     "more line instructions than the %u declared in the Line chunk",
                     b->line_instr_count);
                goto out;
            }
            if (b->line_items && (uint64_t)args[0].val >= b->line_item_count) {
                fail(c, "Code", chunk_off + op_at, "line: item %lld out of range (%u items)",
                     (long long)args[0].val, b->line_item_count);
                goto out;
            }
            break;
        case GENOP_int_code_end:
            ended = 1;
            break;
        case GENOP_select_val: case GENOP_select_tuple_arity: {
            uint32_t n = op->nargs - arity, k;
            const TbGenArg *e = args + arity;
            if (n % 2) {
                fail(c, "Code", chunk_off + op_at, "%s: odd list length %u", info->name, n);
                goto out;
            }
            for (k = 0; k < n; k += 2) {
                int kv = e[k].kind;
                int okv = opc == GENOP_select_tuple_arity ? kv == TB_ARG_U
                        : (kv == TB_ARG_I || kv == TB_ARG_A || kv == TB_ARG_NIL ||
                           kv == TB_ARG_LITERAL || kv == TB_ARG_BIGINT);
                if (!okv || e[k + 1].kind != TB_ARG_F || e[k + 1].val == 0) {
                    fail(c, "Code", chunk_off + op_at, "%s: bad value/label pair %u",
                         info->name, k / 2);
                    goto out;
                }
            }
            break;
        }
        case GENOP_get_map_elements: case GENOP_put_map_assoc: case GENOP_put_map_exact:
            if ((op->nargs - arity) % 2) {
                fail(c, "Code", chunk_off + op_at, "%s: odd list length %u", info->name,
                     op->nargs - arity);
                goto out;
            }
            break;
        case GENOP_init_yregs:
            for (uint32_t k = 1; k < op->nargs; k++)
                if (args[k].kind != TB_ARG_Y) {
                    fail(c, "Code", chunk_off + op_at, "init_yregs: element %u is not a y register",
                         k - 1);
                    goto out;
                }
            break;
        default:
            break;
        }
        if (ended)
            break;
    }
    if (!ended) {
        fail(c, "Code", chunk_off + b->code_size, "code does not end with int_code_end");
        goto out;
    }
    if (p != end) {
        fail(c, "Code", chunk_off + (size_t)(p - base), "%zu bytes after int_code_end",
             (size_t)(end - p));
        goto out;
    }
    /* Every referenced label must be defined. */
    for (size_t i = 0; i < lbytes; i++) {
        uint8_t undef = lb.used[i] & (uint8_t)~lb.defined[i];
        if (undef) {
            unsigned bit = 0;
            while (!(undef & (1u << bit)))
                bit++;
            fail(c, "Code", chunk_off, "label %zu is referenced but never defined",
                 i * 8 + bit);
            goto out;
        }
    }
    /* Exports and funs must point at defined labels. */
    for (uint32_t i = 0; i < b->export_count; i++) {
        uint32_t l = b->exports[i].label;
        if (!(lb.defined[l >> 3] & (1u << (l & 7)))) {
            fail(c, "ExpT", chunk_off, "export %u: label %u is not defined in Code", i, l);
            goto out;
        }
    }
    for (uint32_t i = 0; i < b->fun_count; i++) {
        uint32_t l = b->funs[i].label;
        if (!(lb.defined[l >> 3] & (1u << (l & 7)))) {
            fail(c, "FunT", chunk_off, "fun %u: label %u is not defined in Code", i, l);
            goto out;
        }
    }
    rc = 0;
out:
    free(lb.defined);
    free(lb.used);
    return rc;
}

/* ------------------------------------------------------------------------ */

static int compute_md5(Ctx *c, const Chunk *chs)
{
    static const int order[] = { CH_ATU8, CH_CODE, CH_STRT, CH_IMPT, CH_EXPT,
                                 CH_FUNT, CH_LITT, CH_META };
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    unsigned int len = 0;
    int ok;
    if (!m)
        return fail(c, "FOR1", 0, "out of memory (md5)");
    ok = EVP_DigestInit_ex(m, EVP_md5(), NULL);
    for (size_t i = 0; ok && i < sizeof order / sizeof order[0]; i++) {
        const Chunk *ch = &chs[order[i]];
        if (!ch->present || ch->size == 0)
            continue;
        if (order[i] == CH_FUNT) {
            /* Like beam_lib:md5/1 and ERTS: the OldUniq field of each FunT
             * entry is hashed as zero (size was validated: 4 + 24*n). */
            static const uint8_t zero[4];
            ok = EVP_DigestUpdate(m, ch->data, 4);
            for (uint32_t off = 4; ok && off + 24 <= ch->size; off += 24) {
                ok = EVP_DigestUpdate(m, ch->data + off, 20) &&
                     EVP_DigestUpdate(m, zero, 4);
            }
        } else {
            ok = EVP_DigestUpdate(m, ch->data, ch->size);
        }
    }
    if (ok)
        ok = EVP_DigestFinal_ex(m, c->b->md5, &len);
    EVP_MD_CTX_free(m);
    if (!ok || len != 16)
        return fail(c, "FOR1", 0, "md5 computation failed");
    return 0;
}

int tb_beam_read(const uint8_t *data, size_t len, TbBeamFile *out, char *err, size_t errcap)
{
    Ctx c = { data, len, err, errcap, out };
    Chunk chs[CH__COUNT];
    size_t pos;
    uint32_t form;

    memset(out, 0, sizeof *out);
    memset(chs, 0, sizeof chs);
    if (err && errcap)
        err[0] = 0;

    if (len < 12) {
        fail(&c, "FOR1", 0, "file too short (%zu bytes) for an IFF header", len);
        goto bad;
    }
    if (memcmp(data, "FOR1", 4) != 0) {
        fail(&c, "FOR1", 0, "not an IFF file (no FOR1 header)");
        goto bad;
    }
    form = be32(data + 4);
    if ((uint64_t)form + 8 != len) {
        fail(&c, "FOR1", 4, "form size %u does not match file size %zu (expected %zu)", form,
             len, len - 8);
        goto bad;
    }
    if (memcmp(data + 8, "BEAM", 4) != 0) {
        fail(&c, "FOR1", 8, "not a BEAM file: form type is not 'BEAM'");
        goto bad;
    }
    for (pos = 12; pos < len;) {
        char id[5];
        uint32_t sz;
        uint64_t padded;
        int k;
        if (len - pos < 8) {
            fail(&c, "FOR1", pos, "truncated chunk header");
            goto bad;
        }
        memcpy(id, data + pos, 4);
        id[4] = 0;
        for (k = 0; k < 4; k++)
            if (id[k] < 0x20 || id[k] > 0x7e)
                id[k] = '?';
        sz = be32(data + pos + 4);
        padded = ((uint64_t)sz + 3) & ~(uint64_t)3;
        if (padded > len - pos - 8) {
            fail(&c, id, pos + 4, "chunk size %u exceeds the remaining %zu bytes of the file",
                 sz, len - pos - 8);
            goto bad;
        }
        for (k = 0; k < CH__COUNT; k++) {
            if (memcmp(data + pos, chunk_ids[k], 4) == 0) {
                if (chs[k].present) {
                    fail(&c, id, pos, "duplicate chunk");
                    goto bad;
                }
                chs[k].present = 1;
                chs[k].data = data + pos + 8;
                chs[k].size = sz;
                chs[k].off = pos + 8;
                break;
            }
        }
        pos += 8 + (size_t)padded;
    }

    /* Like ERTS, an empty optional table chunk counts as absent. */
    {
        static const int optional[] = { CH_LOCT, CH_FUNT, CH_LITT, CH_LINE, CH_TYPE };
        for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++)
            if (chs[optional[i]].present && chs[optional[i]].size == 0)
                chs[optional[i]].present = 0;
    }
    out->chunks = 0;
    for (int k = 0; k < CH_ATOM; k++)
        if (chs[k].present)
            out->chunks |= 1u << k;

    if (!chs[CH_ATU8].present) {
        if (chs[CH_ATOM].present)
            fail(&c, "Atom", chs[CH_ATOM].off,
                 "obsolete atom table (Atom chunk, OTP 20 or earlier); recompile the module");
        else
            fail(&c, "AtU8", len, "missing required chunk");
        goto bad;
    }
    {
        static const int required[] = { CH_CODE, CH_STRT, CH_IMPT, CH_EXPT };
        for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
            if (!chs[required[i]].present) {
                fail(&c, chunk_ids[required[i]], len, "missing required chunk");
                goto bad;
            }
    }

    if (parse_atoms(&c, &chs[CH_ATU8]) || parse_code_header(&c, &chs[CH_CODE]) ||
        parse_imports(&c, &chs[CH_IMPT]) ||
        parse_export_table(&c, &chs[CH_EXPT], "ExpT", &out->export_count, &out->exports))
        goto bad;
    if (chs[CH_LOCT].present &&
        parse_export_table(&c, &chs[CH_LOCT], "LocT", &out->local_count, &out->locals))
        goto bad;
    if (chs[CH_FUNT].present && parse_funs(&c, &chs[CH_FUNT]))
        goto bad;
    if (chs[CH_LITT].present && parse_literals(&c, &chs[CH_LITT]))
        goto bad;
    if (chs[CH_TYPE].present && parse_types(&c, &chs[CH_TYPE]))
        goto bad;
    if (chs[CH_LINE].present && parse_lines(&c, &chs[CH_LINE]))
        goto bad;

    out->strings = (TbBeamBytes){ chs[CH_STRT].data, chs[CH_STRT].size };
    if (chs[CH_ATTR].present)
        out->attributes = (TbBeamBytes){ chs[CH_ATTR].data, chs[CH_ATTR].size };
    if (chs[CH_CINF].present)
        out->compile_info = (TbBeamBytes){ chs[CH_CINF].data, chs[CH_CINF].size };
    if (chs[CH_META].present)
        out->meta = (TbBeamBytes){ chs[CH_META].data, chs[CH_META].size };
    if (chs[CH_DBGI].present)
        out->debug_info = (TbBeamBytes){ chs[CH_DBGI].data, chs[CH_DBGI].size };

    if (parse_code(&c, chs[CH_CODE].off))
        goto bad;
    if (compute_md5(&c, chs))
        goto bad;
    return 0;

bad:
    tb_beam_free(out);
    return -1;
}

void tb_beam_free(TbBeamFile *b)
{
    if (!b)
        return;
    free(b->atoms);
    free(b->imports);
    free(b->exports);
    free(b->locals);
    free(b->funs);
    free(b->literals);
    free(b->literal_buf);
    free(b->line_items);
    free(b->line_files);
    free(b->types);
    free(b->ops);
    free(b->args);
    free(b->owned_buf);
    memset(b, 0, sizeof *b);
}

int tb_beam_read_file(const char *path, TbBeamFile *out, char *err, size_t errcap)
{
    FILE *f;
    uint8_t *buf;
    long sz;
    size_t got;

    memset(out, 0, sizeof *out);
    f = fopen(path, "rb");
    if (!f) {
        if (err && errcap)
            snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        if (err && errcap)
            snprintf(err, errcap, "%s: cannot determine file size", path);
        fclose(f);
        return -1;
    }
    buf = malloc(sz ? (size_t)sz : 1);
    if (!buf) {
        fclose(f);
        if (err && errcap)
            snprintf(err, errcap, "%s: out of memory", path);
        return -1;
    }
    got = fread(buf, 1, (size_t)sz, f);
    fclose(f);
    if (got != (size_t)sz) {
        free(buf);
        if (err && errcap)
            snprintf(err, errcap, "%s: short read", path);
        return -1;
    }
    if (tb_beam_read(buf, (size_t)sz, out, err, errcap) != 0) {
        free(buf);
        return -1;
    }
    out->owned_buf = buf;
    out->owned_len = (size_t)sz;
    return 0;
}
