/*
 * compact_term.h -- decoding of BEAM "compact term" operands (Code chunk,
 * Line chunk, long AtU8 lengths).  Pure byte-level decoding; no VM terms.
 *
 * Encoding (first byte):  bits 2..0 = tag (u i a x y f h z)
 *   bit3 == 0           value = bits 7..4                    (0..15)
 *   bits4..3 == 01      value = bits 7..5 << 8 | next byte    (0..2047)
 *   bits4..3 == 11      L = bits 7..5; L < 7: L+2 bytes follow (big-endian)
 *                       L == 7: a nested 'u' gives (byte count - 9)
 * Only 'i' values are signed (two's complement); all others are unsigned.
 * 'z' (extended) values select a sub-form: 0 float, 1 list, 2 float reg,
 * 3 allocation list, 4 literal, 5 typed register.
 */
#ifndef TB_COMPACT_TERM_H
#define TB_COMPACT_TERM_H

#include <stddef.h>
#include <stdint.h>

/* The 3-bit tags of the encoding. */
enum {
    TB_TAG_U = 0, TB_TAG_I = 1, TB_TAG_A = 2, TB_TAG_X = 3,
    TB_TAG_Y = 4, TB_TAG_F = 5, TB_TAG_H = 6, TB_TAG_Z = 7
};

/* Decoded operand kinds. */
typedef enum {
    TB_ARG_U = 0,     /* unsigned: val */
    TB_ARG_I,         /* integer fitting int64: val */
    TB_ARG_A,         /* atom index (>= 1) into atoms[]: val  (a0 becomes TB_ARG_NIL) */
    TB_ARG_X,         /* x register: val; type_idx from z5 or -1 */
    TB_ARG_Y,         /* y register: val; type_idx from z5 or -1 */
    TB_ARG_F,         /* label: val (0 = no fail label) */
    TB_ARG_H,         /* 'h' tag (character; unused by compilers): val */
    TB_ARG_BIGINT,    /* i operand too big for int64: bytes at base+val, aux = length,
                         two's complement big-endian.  In TbBeamFile the base is
                         beam->bigint_bytes (the Code chunk data). */
    TB_ARG_FLOAT,     /* z0: val holds the IEEE-754 bits (obsolete; the beam reader refuses it) */
    TB_ARG_LIST,      /* z1: val = N; the N elements follow in the args array */
    TB_ARG_FR,        /* z2: float register val */
    TB_ARG_ALLOC,     /* z3: val = words, aux = floats, aux2 = funs */
    TB_ARG_LITERAL,   /* z4: val = LitT index (0-based) */
    TB_ARG_NIL,       /* a0 = [] */
    TB_ARG__COUNT
} TbArgKind;

typedef struct {
    int64_t val;
    uint32_t aux, aux2;
    int32_t type_idx;   /* Type-table index from a z5 typed register, -1 if none */
    uint8_t kind;       /* TbArgKind */
} TbGenArg;

/* Result codes (negative = error). */
typedef enum {
    TB_CT_OK = 0,
    TB_CT_EOF = -1,           /* ran out of bytes */
    TB_CT_TOO_BIG = -2,       /* non-'i' value does not fit in int64 / uint32 where needed */
    TB_CT_BAD_LENGTH = -3,    /* bad nested length prefix (not 'u', nested too deep, absurd) */
    TB_CT_BAD_ZTAG = -4,      /* unknown z sub-tag */
    TB_CT_BAD_NESTED = -5,    /* wrong tag inside a z form (e.g. z5 wrapping a non-register) */
    TB_CT_BAD_ALLOC = -6,     /* bad allocation list (kind > 2, too many entries) */
} TbCtResult;

const char *tb_ct_strerror(int rc);

/*
 * A raw tagged number, as read by tb_ct_read_raw.
 *   tag:    3-bit tag
 *   big:    0 if `val` holds the value; 1 if it does not fit int64 (then
 *           bytes/nbytes give the raw big-endian bytes; for tag i they are
 *           two's complement).
 */
typedef struct {
    uint8_t tag;
    uint8_t big;
    int64_t val;
    const uint8_t *bytes;
    uint32_t nbytes;
} TbCtRaw;

/* Read one tagged number at *pp (< end). Advances *pp on success. */
int tb_ct_read_raw(const uint8_t **pp, const uint8_t *end, TbCtRaw *out);

/*
 * Read one full operand (handling the z forms 0..5) at *pp.  `base` is the
 * pointer that TB_ARG_BIGINT offsets are relative to (must be <= *pp).
 * For TB_ARG_LIST, only the list header is read: out->val = N, and the
 * caller reads the N element operands that follow.
 * Values of x/y/fr registers and indexes are not range-checked here beyond
 * fitting their fields (val <= INT64_MAX, counts <= UINT32_MAX).
 */
int tb_ct_read_operand(const uint8_t **pp, const uint8_t *end,
                       const uint8_t *base, TbGenArg *out);

/*
 * Encoder (for tests and tools).  Writes the encoding of (tag, value) into
 * buf (needs up to 11 bytes; for tag i any int64; others value >= 0) and
 * returns its length.  Uses the same canonical forms as beam_asm.
 */
size_t tb_ct_encode(uint8_t tag, int64_t value, uint8_t *buf);

#endif /* TB_COMPACT_TERM_H */
