/*
 * compact_term.c -- BEAM compact term operand decoding (see compact_term.h).
 */
#include "compact_term.h"

#include <string.h>

const char *tb_ct_strerror(int rc)
{
    switch (rc) {
    case TB_CT_OK:         return "ok";
    case TB_CT_EOF:        return "operand runs past the end of the data";
    case TB_CT_TOO_BIG:    return "operand value too large";
    case TB_CT_BAD_LENGTH: return "bad operand length prefix";
    case TB_CT_BAD_ZTAG:   return "unknown extended (z) operand tag";
    case TB_CT_BAD_NESTED: return "bad operand inside an extended (z) operand";
    case TB_CT_BAD_ALLOC:  return "bad allocation list";
    default:               return "unknown compact term error";
    }
}

/*
 * Decode `n` big-endian bytes.  For signed (tag i) values the result is
 * sign-extended.  Returns 1 if the value fits in int64 (stored in *val),
 * 0 otherwise.
 */
static int bytes_to_i64(const uint8_t *b, uint32_t n, int is_signed, int64_t *val)
{
    uint32_t i, skip = 0;
    uint64_t u;
    uint8_t fill = 0;

    if (is_signed && (b[0] & 0x80))
        fill = 0xFF;
    if (n > 8) {
        /* The leading bytes must be pure sign (or zero) extension. */
        skip = n - 8;
        for (i = 0; i < skip; i++)
            if (b[i] != fill)
                return 0;
        /* ...and the remaining top bit must agree with the fill. */
        if (is_signed && ((b[skip] & 0x80) != (fill & 0x80)))
            return 0;
    }
    u = is_signed && fill ? ~(uint64_t)0 : 0;
    for (i = skip; i < n; i++)
        u = (u << 8) | b[i];
    if (!is_signed && (u >> 63))
        return 0;                       /* unsigned value >= 2^63 */
    *val = (int64_t)u;
    return 1;
}

/* Internal raw reader; `depth` limits nesting of the L=7 length prefix. */
static int read_raw(const uint8_t **pp, const uint8_t *end, TbCtRaw *out, int depth)
{
    const uint8_t *p = *pp;
    uint8_t b;
    uint32_t count;

    if (p >= end)
        return TB_CT_EOF;
    b = *p++;
    out->tag = b & 7;
    out->big = 0;
    out->bytes = NULL;
    out->nbytes = 0;

    if ((b & 0x08) == 0) {
        out->val = b >> 4;
        *pp = p;
        return TB_CT_OK;
    }
    if ((b & 0x10) == 0) {
        if (p >= end)
            return TB_CT_EOF;
        out->val = ((int64_t)(b >> 5) << 8) | *p++;
        *pp = p;
        return TB_CT_OK;
    }
    if ((b >> 5) < 7) {
        count = (uint32_t)(b >> 5) + 2;
    } else {
        TbCtRaw len;
        int rc;
        if (depth > 0)
            return TB_CT_BAD_LENGTH;
        rc = read_raw(&p, end, &len, depth + 1);
        if (rc < 0)
            return rc;
        if (len.tag != TB_TAG_U || len.big)
            return TB_CT_BAD_LENGTH;
        /* Anything longer than the remaining data cannot be valid. */
        if ((uint64_t)len.val > (uint64_t)(end - p))
            return TB_CT_EOF;
        count = (uint32_t)len.val + 9;
    }
    if ((size_t)(end - p) < count)
        return TB_CT_EOF;
    out->bytes = p;
    out->nbytes = count;
    if (!bytes_to_i64(p, count, out->tag == TB_TAG_I, &out->val)) {
        out->big = 1;
        out->val = 0;
    }
    *pp = p + count;
    return TB_CT_OK;
}

int tb_ct_read_raw(const uint8_t **pp, const uint8_t *end, TbCtRaw *out)
{
    return read_raw(pp, end, out, 0);
}

/* Read a 'u' that must fit in uint32. */
static int read_u32(const uint8_t **pp, const uint8_t *end, uint32_t *v)
{
    TbCtRaw r;
    int rc = read_raw(pp, end, &r, 0);
    if (rc < 0)
        return rc;
    if (r.tag != TB_TAG_U)
        return TB_CT_BAD_NESTED;
    if (r.big || r.val > (int64_t)UINT32_MAX)
        return TB_CT_TOO_BIG;
    *v = (uint32_t)r.val;
    return TB_CT_OK;
}

int tb_ct_read_operand(const uint8_t **pp, const uint8_t *end,
                       const uint8_t *base, TbGenArg *out)
{
    const uint8_t *p = *pp;
    TbCtRaw r;
    int rc;

    out->val = 0;
    out->aux = out->aux2 = 0;
    out->type_idx = -1;

    rc = read_raw(&p, end, &r, 0);
    if (rc < 0)
        return rc;

    switch (r.tag) {
    case TB_TAG_I:
        if (r.big) {
            out->kind = TB_ARG_BIGINT;
            out->val = r.bytes - base;
            out->aux = r.nbytes;
        } else {
            out->kind = TB_ARG_I;
            out->val = r.val;
        }
        break;
    case TB_TAG_U: case TB_TAG_A: case TB_TAG_X:
    case TB_TAG_Y: case TB_TAG_F: case TB_TAG_H: {
        static const uint8_t kinds[8] = {
            [TB_TAG_U] = TB_ARG_U, [TB_TAG_A] = TB_ARG_A, [TB_TAG_X] = TB_ARG_X,
            [TB_TAG_Y] = TB_ARG_Y, [TB_TAG_F] = TB_ARG_F, [TB_TAG_H] = TB_ARG_H };
        if (r.big)
            return TB_CT_TOO_BIG;
        out->kind = kinds[r.tag];
        out->val = r.val;
        if (r.tag == TB_TAG_A && r.val == 0)
            out->kind = TB_ARG_NIL;
        break;
    }
    default: /* TB_TAG_Z */
        if (r.big)
            return TB_CT_BAD_ZTAG;
        switch (r.val) {
        case 0: {                                   /* float: 8 raw bytes */
            uint64_t bits = 0;
            int i;
            if (end - p < 8)
                return TB_CT_EOF;
            for (i = 0; i < 8; i++)
                bits = (bits << 8) | p[i];
            p += 8;
            out->kind = TB_ARG_FLOAT;
            out->val = (int64_t)bits;
            break;
        }
        case 1: {                                   /* list header */
            uint32_t n;
            rc = read_u32(&p, end, &n);
            if (rc < 0)
                return rc;
            out->kind = TB_ARG_LIST;
            out->val = n;
            break;
        }
        case 2: {                                   /* float register */
            uint32_t n;
            rc = read_u32(&p, end, &n);
            if (rc < 0)
                return rc;
            out->kind = TB_ARG_FR;
            out->val = n;
            break;
        }
        case 3: {                                   /* allocation list */
            uint32_t n, i, kind, cnt;
            uint64_t words = 0, floats = 0, funs = 0;
            rc = read_u32(&p, end, &n);
            if (rc < 0)
                return rc;
            if (n > 3)
                return TB_CT_BAD_ALLOC;
            for (i = 0; i < n; i++) {
                if ((rc = read_u32(&p, end, &kind)) < 0)
                    return rc;
                if ((rc = read_u32(&p, end, &cnt)) < 0)
                    return rc;
                switch (kind) {
                case 0: words += cnt; break;
                case 1: floats += cnt; break;
                case 2: funs += cnt; break;
                default: return TB_CT_BAD_ALLOC;
                }
            }
            if (words > UINT32_MAX || floats > UINT32_MAX || funs > UINT32_MAX)
                return TB_CT_TOO_BIG;
            out->kind = TB_ARG_ALLOC;
            out->val = (int64_t)words;
            out->aux = (uint32_t)floats;
            out->aux2 = (uint32_t)funs;
            break;
        }
        case 4: {                                   /* literal */
            uint32_t n;
            rc = read_u32(&p, end, &n);
            if (rc < 0)
                return rc;
            out->kind = TB_ARG_LITERAL;
            out->val = n;
            break;
        }
        case 5: {                                   /* typed register */
            TbCtRaw reg;
            uint32_t t;
            rc = read_raw(&p, end, &reg, 0);
            if (rc < 0)
                return rc;
            if (reg.tag != TB_TAG_X && reg.tag != TB_TAG_Y)
                return TB_CT_BAD_NESTED;
            if (reg.big)
                return TB_CT_TOO_BIG;
            rc = read_u32(&p, end, &t);
            if (rc < 0)
                return rc;
            if (t > INT32_MAX)
                return TB_CT_TOO_BIG;
            out->kind = reg.tag == TB_TAG_X ? TB_ARG_X : TB_ARG_Y;
            out->val = reg.val;
            out->type_idx = (int32_t)t;
            break;
        }
        default:
            return TB_CT_BAD_ZTAG;
        }
        break;
    }
    *pp = p;
    return TB_CT_OK;
}

/* Encode the magnitude bytes of value with a leading 0x00 when the top bit
 * is set (non-negative), or the minimal two's complement (negative) form of
 * at least 2 bytes.  Returns the byte count written to b (big-endian). */
static size_t value_bytes(int64_t v, uint8_t b[9])
{
    uint8_t tmp[9];
    size_t n = 0, i;
    if (v >= 0) {
        uint64_t u = (uint64_t)v;
        do {
            tmp[n++] = (uint8_t)u;
            u >>= 8;
        } while (u);
        if (tmp[n - 1] & 0x80)
            tmp[n++] = 0;
    } else {
        int64_t x = v;
        for (;;) {
            tmp[n++] = (uint8_t)x;
            x >>= 8;                           /* arithmetic shift (gcc) */
            if (x == -1 && (tmp[n - 1] & 0x80))
                break;
        }
        if (n < 2)
            tmp[n++] = 0xFF;
    }
    for (i = 0; i < n; i++)
        b[i] = tmp[n - 1 - i];
    return n;
}

size_t tb_ct_encode(uint8_t tag, int64_t value, uint8_t *buf)
{
    uint8_t bytes[9];
    size_t n, k = 0;

    tag &= 7;
    if (value >= 0 && value < 16) {
        buf[0] = (uint8_t)((value << 4) | tag);
        return 1;
    }
    if (value >= 0 && value < 0x800) {
        buf[0] = (uint8_t)(((value >> 3) & 0xE0) | tag | 0x08);
        buf[1] = (uint8_t)(value & 0xFF);
        return 2;
    }
    n = value_bytes(value, bytes);
    if (n <= 8) {
        buf[k++] = (uint8_t)(((n - 2) << 5) | 0x18 | tag);
    } else {
        buf[k++] = (uint8_t)(0xF8 | tag);
        k += tb_ct_encode(TB_TAG_U, (int64_t)(n - 9), buf + k);
    }
    memcpy(buf + k, bytes, n);
    return k + n;
}
